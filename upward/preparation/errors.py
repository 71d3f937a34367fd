"""Errors of preparation; both pages and the API show the message as it is."""

from upward.pairs.errors import PairRuleBroken, PairVersionConflict

PreparationRuleBroken = PairRuleBroken
VersionConflict = PairVersionConflict

__all__ = ["PreparationRuleBroken", "VersionConflict"]
