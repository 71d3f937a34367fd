"""Writes of preparation, one keyword-only function per change, each in one transaction.

Import from here: ``from upward.preparation import services``.
"""

from .activation import pairs_activate_ready, requirement_waive
from .agreement import agreement_edit, agreement_sign, agreement_start_for
from .reminders import training_reminders_request, training_reminders_send
from .training import (
    default_tracks_add,
    module_complete,
    module_save,
    preparation_settings_save,
    track_save,
)
from .workshops import (
    attendance_take,
    workshop_cancel,
    workshop_leave,
    workshop_save,
    workshop_sign_up,
)

__all__ = [
    "agreement_edit",
    "agreement_sign",
    "agreement_start_for",
    "attendance_take",
    "default_tracks_add",
    "module_complete",
    "module_save",
    "pairs_activate_ready",
    "preparation_settings_save",
    "requirement_waive",
    "track_save",
    "training_reminders_request",
    "training_reminders_send",
    "workshop_cancel",
    "workshop_leave",
    "workshop_save",
    "workshop_sign_up",
]
