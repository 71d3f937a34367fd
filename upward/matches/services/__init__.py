"""Writes for matching, one named function per change, each in one transaction.

Import from here: ``from upward.matches import services``.
"""

from .publish import (
    match_emails_send,
    proposal_accept,
    proposal_decline,
    rematch_start,
    run_publish,
)
from .reminders import proposal_remind
from .review import exclusion_remove, pair_change, pair_exclude, pair_lock, pair_unlock
from .runs import run_cancel, run_execute, run_start

__all__ = [
    "exclusion_remove",
    "match_emails_send",
    "pair_change",
    "pair_exclude",
    "pair_lock",
    "pair_unlock",
    "proposal_accept",
    "proposal_decline",
    "proposal_remind",
    "rematch_start",
    "run_cancel",
    "run_execute",
    "run_publish",
    "run_start",
]
