"""Upward's matching engine: explainable, exact pairing of leaders with mentors.

A plain Python package (NumPy, SciPy, OR-Tools, scikit-learn) with no Django import. The Django
side builds :class:`Participant` objects and a :class:`MatchingPolicy`, calls :func:`match`
(or uses :class:`MatchingProblem` for repeated questions) and stores the result.
"""

from upward.matching.engine import MatchingProblem, check_pair, match, rank_mentors_for
from upward.matching.errors import (
    InfeasibleError,
    LockConflictError,
    MatchingInputError,
    PolicyError,
)
from upward.matching.explain import (
    Contribution,
    Explanation,
    ReasonCode,
    RuleBreach,
    UnmatchedReason,
)
from upward.matching.model import Participant, PersonId, Side, weekly_slots
from upward.matching.orgtree import OrgTree
from upward.matching.policy import Criterion, HardRules, MatchingPolicy, Method, Weights
from upward.matching.results import MatchedPair, MatchResult, MatchStats, PairCheck, RankedMentor
from upward.matching.scoring import Rule
from upward.matching.solver import Assignment, solve, solve_edges
from upward.matching.stable import StableMatching, blocking_pairs, stable_match

__all__ = [
    "Assignment",
    "Contribution",
    "Criterion",
    "Explanation",
    "HardRules",
    "InfeasibleError",
    "LockConflictError",
    "MatchResult",
    "MatchStats",
    "MatchedPair",
    "MatchingInputError",
    "MatchingPolicy",
    "MatchingProblem",
    "Method",
    "OrgTree",
    "PairCheck",
    "Participant",
    "PersonId",
    "PolicyError",
    "RankedMentor",
    "ReasonCode",
    "Rule",
    "RuleBreach",
    "Side",
    "StableMatching",
    "UnmatchedReason",
    "Weights",
    "blocking_pairs",
    "check_pair",
    "match",
    "rank_mentors_for",
    "solve",
    "solve_edges",
    "stable_match",
    "weekly_slots",
]
