"""Errors of running a pair; both pages and the API show the message as it is (400, or 409 for
a stale version)."""

from upward.pairs.errors import PairRuleBroken, PairVersionConflict

RunningRuleBroken = PairRuleBroken
VersionConflict = PairVersionConflict

__all__ = ["RunningRuleBroken", "VersionConflict"]
