"""Shared steps of the matching services: the run version check and the change record."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from ..errors import MatchRuleBroken, VersionConflict
from ..models import MatchingRun, RunChange


def checked_run(run: MatchingRun, version: int | None, *, editable: bool = True) -> MatchingRun:
    """The run, locked for this transaction, if nobody changed it since ``version`` was read.

    Call inside ``transaction.atomic()``.
    """
    current = MatchingRun.objects.select_for_update().select_related("programme").get(pk=run.pk)
    if version is None:
        raise MatchRuleBroken("Reload the page: the version of the run you saw is missing.")
    if current.version != version:
        raise VersionConflict(current.version)
    if editable and not current.editable:
        if current.published_at is not None:
            raise MatchRuleBroken(
                "This run has been published, so its pairs can no longer be changed here. "
                "Declined proposals are rematched from the matching page."
            )
        raise MatchRuleBroken("This run has not finished, so there are no pairs to change yet.")
    return current


def bump(run: MatchingRun) -> None:
    """Record an edit: the version goes up by one for everyone reviewing the run."""
    MatchingRun.objects.filter(pk=run.pk).update(version=F("version") + 1)
    run.refresh_from_db(fields=["version"])


def log(
    programme: Any,
    by: Any,
    action: str,
    summary: str,
    run: MatchingRun | None = None,
    *,
    leader_id: int | None = None,
    mentor_id: int | None = None,
) -> RunChange:
    """Record a change. ``summary`` names nobody; the pair is linked by its applications."""
    return RunChange.objects.create(
        programme=programme,
        run=run,
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        summary=summary[:300],
        leader_id=leader_id,
        mentor_id=mentor_id,
    )
