"""Errors of ideas, commitments and nominations; pages and the API show the message as it is
(400, or 409 for a stale version). Nothing changed."""

from upward.core import errors, versioning


class AccountabilityRuleBroken(errors.RuleBroken):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""


class AccountabilityVersionConflict(AccountabilityRuleBroken, versioning.VersionConflict):
    """Someone else changed the record first (HTTP 409 in the API)."""

    def __init__(self, what: str, current: int) -> None:
        super().__init__(
            current,
            f"this {what}",
            f"Someone else changed this {what} while you were looking at it, so your change was "
            f"not saved. It is now at version {current}: reload and try again.",
        )
