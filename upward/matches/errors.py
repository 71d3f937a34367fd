"""Errors of the matching app. Each message says, in plain words, why nothing changed."""

from upward.core import errors, versioning


class MatchRuleBroken(errors.RuleBroken):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""


class VersionConflict(MatchRuleBroken, versioning.VersionConflict):
    """Someone else changed the run since it was loaded (HTTP 409 in the API)."""

    def __init__(self, current: int) -> None:
        super().__init__(
            current,
            "this matching run",
            "Someone else changed this matching run while you were looking at it, so your "
            f"change was not saved. It is now at version {current}: look at the latest pairs "
            "and try again.",
        )
