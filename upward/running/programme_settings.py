"""A programme's own settings for running its pairs, edited by its coordinators with a version.

A programme without its own row follows the site's defaults; the page and the API show that
state as version 0, so the first save names version 0 and creates the row at version 1.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from upward.accounts.permissions import can_coordinate
from upward.core.versioning import VersionConflict, save_versioned

from .errors import RunningRuleBroken
from .models import RunningSettings

WHAT = "the running settings"
QUIET_MIN, QUIET_MAX = 1, 52


def running_settings_save(
    *, programme: Any, by: Any, quiet_weeks: int, version: int | None
) -> RunningSettings:
    """Set the programme's quiet weeks (1 to 52). Refused, with nothing changed, for anyone
    but its coordinators, for a number out of range, and for a stale version (409)."""
    if not can_coordinate(by, programme):
        raise RunningRuleBroken("Only the programme's coordinators change its running settings.")
    if (
        isinstance(quiet_weeks, bool)
        or not isinstance(quiet_weeks, int)
        or not QUIET_MIN <= quiet_weeks <= QUIET_MAX
    ):
        raise RunningRuleBroken(
            f"Give the quiet weeks as a whole number from {QUIET_MIN} to {QUIET_MAX}."
        )
    if version is None:
        raise RunningRuleBroken("Reload the page: the version of the settings you saw is missing.")
    with transaction.atomic():
        found = RunningSettings.objects.select_for_update().filter(programme=programme).first()
        if found is None:
            if version != 0:
                raise VersionConflict(0, WHAT)
            try:
                with transaction.atomic():
                    return RunningSettings.objects.create(
                        programme=programme, quiet_weeks=quiet_weeks
                    )
            except IntegrityError:
                raise VersionConflict(1, WHAT) from None
        found.quiet_weeks = quiet_weeks
        save_versioned(found, expected_version=version, fields=["quiet_weeks"], what=WHAT)
    return found
