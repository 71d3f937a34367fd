"""What the matching engine returns: pairs, reasons for everyone left out, and figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upward.matching.explain import Explanation, RuleBreach, UnmatchedReason
from upward.matching.model import PersonId, Side


@dataclass(frozen=True, slots=True)
class MatchedPair:
    """One proposed pair with its score (0-100) and explanation."""

    leader_id: PersonId
    mentor_id: PersonId
    score: float
    locked: bool
    explanation: Explanation

    def as_dict(self) -> dict[str, Any]:
        return {
            "leader_id": self.leader_id,
            "mentor_id": self.mentor_id,
            "score": round(self.score, 4),
            "locked": self.locked,
            "explanation": self.explanation.as_dict(),
        }


@dataclass(frozen=True)
class MatchStats:
    """Summary figures of one run; ``seconds`` holds the time spent per stage.

    ``certified_optimal`` is true when duality proved that no allowed pair outside the
    candidates could improve the pairing, i.e. the result is optimal over every allowed pair;
    ``seconds["proof"]`` is the time the proof took (included in ``seconds["solve"]``) and
    ``proof_pairs_scored`` the pairs it scored again.
    """

    leaders: int
    mentors: int
    pairs: int
    locked: int
    unmatched_leaders: int
    unmatched_mentors: int
    total_score: float
    mean_score: float
    min_score: float
    candidate_pairs: int
    pairs_scored: int
    certified_optimal: bool
    method: str
    seconds: dict[str, float] = field(default_factory=dict)
    proof_pairs_scored: int = 0


@dataclass(frozen=True)
class MatchResult:
    """Pairs with scores and explanations, everyone left out with a reason, and statistics."""

    pairs: list[MatchedPair]
    unmatched: list[UnmatchedReason]
    stats: MatchStats
    policy_lines: list[str]

    @property
    def unmatched_leaders(self) -> list[UnmatchedReason]:
        return [u for u in self.unmatched if u.side is Side.LEADER]

    @property
    def unmatched_mentors(self) -> list[UnmatchedReason]:
        return [u for u in self.unmatched if u.side is Side.MENTOR]

    def mentor_of(self, leader_id: PersonId) -> PersonId | None:
        for p in self.pairs:
            if p.leader_id == leader_id:
                return p.mentor_id
        return None

    def as_dict(self) -> dict[str, Any]:
        s = self.stats
        return {
            "pairs": [p.as_dict() for p in self.pairs],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "stats": {
                "leaders": s.leaders,
                "mentors": s.mentors,
                "pairs": s.pairs,
                "locked": s.locked,
                "unmatched_leaders": s.unmatched_leaders,
                "unmatched_mentors": s.unmatched_mentors,
                "total_score": round(s.total_score, 4),
                "mean_score": round(s.mean_score, 4),
                "min_score": round(s.min_score, 4),
                "candidate_pairs": s.candidate_pairs,
                "pairs_scored": s.pairs_scored,
                "certified_optimal": s.certified_optimal,
                "method": s.method,
                "seconds": {k: round(v, 4) for k, v in s.seconds.items()},
            },
            "policy": list(self.policy_lines),
        }


@dataclass(frozen=True)
class RankedMentor:
    """An allowed mentor for one leader, for manual matching."""

    mentor_id: PersonId
    score: float
    explanation: Explanation


@dataclass(frozen=True)
class PairCheck:
    """A proposed pair: whether the hard rules allow it, which they break, and its score."""

    leader_id: PersonId
    mentor_id: PersonId
    allowed: bool
    breaches: tuple[RuleBreach, ...]
    score: float
    explanation: Explanation
