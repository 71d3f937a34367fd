"""Errors raised by the matching engine.

Every error is a ``ValueError`` so that callers who only care about "the input was wrong" can
catch one type; the subclasses let the Django side show a more specific message or status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upward.matching.explain import UnmatchedReason


class MatchingInputError(ValueError):
    """The input to the matching engine is malformed (shape, type, range or consistency)."""


class PolicyError(MatchingInputError):
    """A matching policy has an impossible or meaningless setting."""


class LockConflictError(MatchingInputError):
    """Locked or excluded pairs contradict each other, the scores, a capacity or a hard rule."""


class InfeasibleError(MatchingInputError):
    """Nobody can be matched at all (no allowed pair, or no capacity anywhere).

    ``reasons`` holds, when the engine knows them, why each leader has no possible partner.
    """

    def __init__(self, message: str, reasons: Sequence[UnmatchedReason] = ()) -> None:
        super().__init__(message)
        self.reasons: tuple[UnmatchedReason, ...] = tuple(reasons)
