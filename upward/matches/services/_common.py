"""Shared steps of the matching services: the run version check and the change record."""

from __future__ import annotations

from typing import Any

from upward.core import versioning

from ..errors import MatchRuleBroken, VersionConflict
from ..models import MatchingRun, RunChange


def checked_run(run: MatchingRun, version: int | None, *, editable: bool = True) -> MatchingRun:
    """The run, locked for this transaction and moved on one version, if nobody changed it
    since ``version`` was read: the edit that follows is recorded as a new version.

    Call inside ``transaction.atomic()``: a refusal raised later in it takes the version back.
    """
    if version is None:
        raise MatchRuleBroken("Reload the page: the version of the run you saw is missing.")
    try:
        versioning.claim_version(run, expected_version=version, what="this matching run")
    except versioning.VersionConflict as exc:
        raise VersionConflict(exc.current) from None
    current = MatchingRun.objects.select_related("programme").get(pk=run.pk)
    if editable and not current.editable:
        if current.published_at is not None:
            raise MatchRuleBroken(
                "This run has been published, so its pairs can no longer be changed here. "
                "Declined proposals are rematched from the matching page."
            )
        raise MatchRuleBroken("This run has not finished, so there are no pairs to change yet.")
    return current


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
