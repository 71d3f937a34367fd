"""Errors of the pair's lifecycle. Each message says, in plain words, why nothing changed."""

from upward.core import errors, versioning


class PairRuleBroken(errors.RuleBroken):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""


class PairVersionConflict(PairRuleBroken, versioning.VersionConflict):
    """Someone else changed the record since it was loaded (HTTP 409 in the API)."""

    def __init__(self, what: str, current: int) -> None:
        super().__init__(
            current,
            f"this {what}",
            f"Someone else changed this {what} while you were looking at it, so your change was "
            f"not saved. It is now at version {current}: reload and try again.",
        )
