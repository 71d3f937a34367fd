"""The matching engine's public entry points.

:class:`MatchingProblem` holds one programme's leaders, mentors and policy (arrays, org tree and
TF-IDF model built once) and answers the coordinator's questions:

- :meth:`MatchingProblem.match` -- the whole matching, with explanations and reasons;
- :meth:`MatchingProblem.rank_mentors_for` -- allowed mentors for one leader, best first;
- :meth:`MatchingProblem.check_pair` -- score and broken rules of a proposed pair (swaps).

The module-level functions :func:`match`, :func:`rank_mentors_for` and :func:`check_pair` are
shortcuts that build the problem first.

The steps of :meth:`MatchingProblem.match` that solve on the candidate pairs and add pairs to
them (the proof of optimality, the repair for unmatched leaders) are in ``rounds.py``;
``REPAIR_PAIR_LIMIT``, ``PRICING_ROUNDS`` and ``REPAIR_ROUNDS`` are re-exported here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from upward.matching.arrays import I64, PairTable, build_arrays
from upward.matching.candidates import CandidateSet, build_candidates
from upward.matching.errors import InfeasibleError, LockConflictError, MatchingInputError
from upward.matching.explain import breaches, explain_pairs, standing_fits
from upward.matching.model import Participant, PersonId, Side
from upward.matching.orgtree import OrgTree
from upward.matching.policy import MatchingPolicy, Method
from upward.matching.results import MatchedPair, MatchResult, MatchStats, PairCheck, RankedMentor
from upward.matching.rounds import PRICING_ROUNDS, REPAIR_PAIR_LIMIT, REPAIR_ROUNDS, CandidateRounds
from upward.matching.scoring import Rule, Scorer
from upward.matching.unmatched import (
    infeasible_message,
    reasons_without_partner,
    unmatched_reasons,
)

ProgressCallback = Callable[[str, float], None]
PairIds = Iterable[tuple[PersonId, PersonId]]

STAGE_CANDIDATES = "building candidates"
STAGE_SOLVING = "solving"
STAGE_EXPLAINING = "explaining"
# Up to this many leader x mentor pairs, the result is proved optimal over every allowed pair
# (see pricing.py and bounds.py); the proof scores again only groups of pairs whose bound does
# not rule them out.
CERTIFY_PAIR_LIMIT = 10_000_000_000
# Chosen pairs are explained this many at a time (progress is reported after each part).
EXPLAIN_PART = 4096

__all__ = [
    "CERTIFY_PAIR_LIMIT",
    "PRICING_ROUNDS",
    "REPAIR_PAIR_LIMIT",
    "REPAIR_ROUNDS",
    "STAGE_CANDIDATES",
    "STAGE_EXPLAINING",
    "STAGE_SOLVING",
    "MatchingProblem",
    "PairIds",
    "ProgressCallback",
    "check_pair",
    "match",
    "rank_mentors_for",
]


class MatchingProblem(CandidateRounds):
    """One programme's leaders, mentors and policy, prepared once for repeated questions."""

    def __init__(
        self,
        leaders: Sequence[Participant],
        mentors: Sequence[Participant],
        policy: MatchingPolicy | None = None,
        *,
        org_tree: OrgTree | None = None,
    ) -> None:
        """Check the participants and build their arrays.

        ``org_tree`` replaces the participants' manager chains when the caller already has
        the organisation's full reporting lines.
        """
        self.policy = policy if policy is not None else MatchingPolicy()
        if not isinstance(self.policy, MatchingPolicy):
            raise MatchingInputError("policy must be a MatchingPolicy")
        self.arrays = build_arrays(leaders, mentors, self.policy, org_tree=org_tree)
        self._plain_scorer: Scorer | None = None

    @property
    def leaders(self) -> list[Participant]:
        return self.arrays.leaders.people

    @property
    def mentors(self) -> list[Participant]:
        return self.arrays.mentors.people

    # -- helpers ------------------------------------------------------------------------------

    def _leader_index(self, pid: PersonId) -> int:
        try:
            return self.arrays.leaders.index[pid]
        except KeyError:
            raise MatchingInputError(f"{pid!r} is not a leader in this programme") from None

    def _mentor_index(self, pid: PersonId) -> int:
        try:
            return self.arrays.mentors.index[pid]
        except KeyError:
            raise MatchingInputError(f"{pid!r} is not a mentor in this programme") from None

    def _pair_indices(self, pairs: PairIds, name: str) -> tuple[I64, I64]:
        li: list[int] = []
        mj: list[int] = []
        try:
            items = list(pairs)
        except TypeError:
            raise MatchingInputError(f"{name} must be (leader id, mentor id) pairs") from None
        for item in items:
            if not isinstance(item, tuple | list) or len(item) != 2:
                raise MatchingInputError(f"{name} must be (leader id, mentor id) pairs")
            li.append(self._leader_index(item[0]))
            mj.append(self._mentor_index(item[1]))
        return np.asarray(li, dtype=np.int64), np.asarray(mj, dtype=np.int64)

    def scorer(self, excluded: PairIds = ()) -> Scorer:
        """A scorer for this problem with the given pairs excluded (cached when none are)."""
        el, em = self._pair_indices(excluded, "excluded")
        if el.size == 0:
            if self._plain_scorer is None:
                self._plain_scorer = Scorer(self.arrays, self.policy)
            return self._plain_scorer
        table = PairTable.build(el, em, None, self.arrays.leaders.n, self.arrays.mentors.n)
        return Scorer(self.arrays, self.policy, table)

    # -- manual matching ----------------------------------------------------------------------

    def check_pair(
        self,
        leader_id: PersonId,
        mentor_id: PersonId,
        *,
        mentor_load: int = 0,
        excluded: PairIds = (),
    ) -> PairCheck:
        """Score a proposed pair and list the hard rules it breaks.

        ``mentor_load`` is how many leaders the mentor already has (for a swap, leave out
        the leader being moved away).
        """
        scorer = self.scorer(excluded)
        li, mj = self._leader_index(leader_id), self._mentor_index(mentor_id)
        if mentor_load < 0:
            raise MatchingInputError("mentor_load must not be negative")
        found = breaches(scorer, li, mj, mentor_load=mentor_load)
        values = scorer.pair_values([li], [mj])
        explanation = explain_pairs(scorer, np.asarray([li]), np.asarray([mj]), values)[0]
        return PairCheck(
            leader_id=leader_id,
            mentor_id=mentor_id,
            allowed=not found,
            breaches=found,
            score=explanation.score,
            explanation=explanation,
        )

    def rank_mentors_for(
        self, leader_id: PersonId, *, limit: int | None = None, excluded: PairIds = ()
    ) -> list[RankedMentor]:
        """Every mentor the hard rules allow for this leader, best score first."""
        if limit is not None and limit < 1:
            raise MatchingInputError("limit must be at least 1")
        scorer = self.scorer(excluded)
        li = self._leader_index(leader_id)
        n_m = self.arrays.mentors.n
        mj = np.arange(n_m, dtype=np.int64)
        lis = np.full(n_m, li, dtype=np.int64)
        allowed = scorer.pair_allowed(lis, mj)
        mj = mj[allowed]
        values = scorer.pair_values(lis[allowed], mj)
        scores = scorer.pair_scores(values)
        order = np.lexsort((mj, -scores))
        if limit is not None:
            order = order[:limit]
        explanations = explain_pairs(scorer, lis[allowed][order], mj[order], values[order])
        ids = self.arrays.mentors.ids
        return [
            RankedMentor(mentor_id=ids[int(m)], score=e.score, explanation=e)
            for m, e in zip(mj[order].tolist(), explanations, strict=True)
        ]

    # -- the whole matching -------------------------------------------------------------------

    def match(
        self,
        *,
        locked: PairIds = (),
        excluded: PairIds = (),
        progress: ProgressCallback | None = None,
    ) -> MatchResult:
        """Pair leaders with mentors under the policy.

        ``locked`` pairs are kept as they are (they must pass every hard rule); ``excluded``
        pairs (declined, set aside) are never proposed. ``progress(stage, fraction)`` is called
        during the stages "building candidates", "solving" and "explaining".
        """
        report = progress or (lambda _stage, _fraction: None)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        a = self.arrays
        n_l, n_m = a.leaders.n, a.mentors.n
        scorer = self.scorer(excluded)
        lock_l, lock_m = self._pair_indices(locked, "locked")
        self._check_locks(scorer, lock_l, lock_m)

        report(STAGE_CANDIDATES, 0.0)
        extra_l, extra_m = self._extra_pairs(scorer, lock_l, lock_m)
        cands = build_candidates(
            scorer,
            k=self.policy.candidates_per_person,
            extra=(extra_l, extra_m),
            progress=lambda f: report(STAGE_CANDIDATES, f),
        )
        # Criterion values are computed again for the chosen pairs only (explanations); the
        # candidates keep their scores alone.
        values = None
        scores = scorer.scores_of(cands.leaders, cands.mentors)
        timings["candidates"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        report(STAGE_SOLVING, 0.0)
        if len(cands) == 0 and lock_l.size == 0:
            reasons = reasons_without_partner(
                self.arrays, self.policy, scorer, np.arange(n_l), Side.LEADER
            )
            raise InfeasibleError(infeasible_message(reasons), reasons)
        chosen = self._solve(cands, scores, lock_l, lock_m)
        certified = False
        proof_scored = 0
        if self.policy.method is Method.OPTIMAL and n_l * n_m <= CERTIFY_PAIR_LIMIT:
            t_proof = time.perf_counter()
            cands, values, scores, chosen, certified, proof_scored = self._certify(
                scorer, cands, values, scores, chosen, lock_l, lock_m
            )
            timings["proof"] = time.perf_counter() - t_proof
        cands, values, scores, chosen, compatible_l = self._repair(
            scorer, cands, values, scores, chosen, lock_l, lock_m
        )
        report(STAGE_SOLVING, 1.0)
        timings["solve"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        report(STAGE_EXPLAINING, 0.0)
        pairs = self._explained_pairs(scorer, cands, values, chosen, lock_l, report)
        unmatched = unmatched_reasons(self.arrays, self.policy, scorer, cands, chosen, compatible_l)
        report(STAGE_EXPLAINING, 1.0)
        timings["explain"] = time.perf_counter() - t2
        timings["total"] = time.perf_counter() - t0

        pair_scores = [p.score for p in pairs]
        stats = MatchStats(
            leaders=n_l,
            mentors=n_m,
            pairs=len(pairs),
            locked=int(lock_l.size),
            unmatched_leaders=sum(u.side is Side.LEADER for u in unmatched),
            unmatched_mentors=sum(u.side is Side.MENTOR for u in unmatched),
            total_score=math.fsum(pair_scores),
            mean_score=math.fsum(pair_scores) / len(pair_scores) if pair_scores else 0.0,
            min_score=min(pair_scores) if pair_scores else 0.0,
            candidate_pairs=len(cands),
            pairs_scored=cands.pairs_scored,
            certified_optimal=certified,
            method=self.policy.method.value,
            seconds=timings,
            proof_pairs_scored=proof_scored,
        )
        return MatchResult(
            pairs=pairs, unmatched=unmatched, stats=stats, policy_lines=self.policy.describe()
        )

    # -- steps of match() ---------------------------------------------------------------------

    def _check_locks(self, scorer: Scorer, lock_l: I64, lock_m: I64) -> None:
        a = self.arrays
        if lock_l.size == 0:
            return
        values, counts = np.unique(lock_l, return_counts=True)
        if (counts > 1).any():
            who = a.leaders.ids[int(values[np.flatnonzero(counts > 1)[0]])]
            raise LockConflictError(f"leader {who!r} is locked to more than one mentor")
        load = np.bincount(lock_m, minlength=a.mentors.n)
        over = np.flatnonzero(load > a.mentors.capacity)
        if over.size:
            m = int(over[0])
            raise LockConflictError(
                f"mentor {a.mentors.ids[m]!r} is locked to {int(load[m])} leaders but has "
                f"capacity {int(a.mentors.capacity[m])}"
            )
        for l_idx, m_idx in zip(lock_l.tolist(), lock_m.tolist(), strict=True):
            broken = [b for b in breaches(scorer, l_idx, m_idx) if b.rule is not Rule.CAPACITY]
            if broken:
                pair = (a.leaders.ids[l_idx], a.mentors.ids[m_idx])
                if any(b.rule is Rule.EXCLUDED for b in broken):
                    raise LockConflictError(f"pair {pair!r} is both locked and excluded")
                raise LockConflictError(
                    f"locked pair {pair!r} breaks a hard rule: " + "; ".join(b.text for b in broken)
                )

    def _explained_pairs(
        self,
        scorer: Scorer,
        cands: CandidateSet,
        values: Any,
        chosen: I64,
        lock_l: I64,
        report: ProgressCallback,
    ) -> list[MatchedPair]:
        a = self.arrays
        locked = np.zeros(a.leaders.n, dtype=bool)
        locked[lock_l] = True
        out: list[MatchedPair] = []
        step = EXPLAIN_PART
        # Standing is worked out for every pair or for none, whatever the parts.
        standing = standing_fits(scorer, cands.leaders[chosen])
        for s in range(0, chosen.size, step):
            part = chosen[s : s + step]
            li, mj = cands.leaders[part], cands.mentors[part]
            part_values = scorer.pair_values(li, mj) if values is None else np.asarray(values)[part]
            explanations = explain_pairs(scorer, li, mj, part_values, standing=standing)
            for l_idx, m_idx, e in zip(li.tolist(), mj.tolist(), explanations, strict=True):
                out.append(
                    MatchedPair(
                        leader_id=a.leaders.ids[l_idx],
                        mentor_id=a.mentors.ids[m_idx],
                        score=e.score,
                        locked=bool(locked[l_idx]),
                        explanation=e,
                    )
                )
            report(STAGE_EXPLAINING, 0.9 * min(1.0, (s + step) / max(chosen.size, 1)))
        return out


# ----------------------------------------------------------------------------------------------
# Shortcuts


def match(
    leaders: Sequence[Participant],
    mentors: Sequence[Participant],
    policy: MatchingPolicy | None = None,
    *,
    locked: PairIds = (),
    excluded: PairIds = (),
    progress: ProgressCallback | None = None,
    org_tree: OrgTree | None = None,
) -> MatchResult:
    """Build the problem and run :meth:`MatchingProblem.match`."""
    problem = MatchingProblem(leaders, mentors, policy, org_tree=org_tree)
    return problem.match(locked=locked, excluded=excluded, progress=progress)


def rank_mentors_for(
    leader: Participant,
    mentors: Sequence[Participant],
    policy: MatchingPolicy | None = None,
    *,
    limit: int | None = None,
    excluded: PairIds = (),
    org_tree: OrgTree | None = None,
) -> list[RankedMentor]:
    """Allowed mentors for one leader, best first, with explanations."""
    problem = MatchingProblem([leader], mentors, policy, org_tree=org_tree)
    return problem.rank_mentors_for(leader.id, limit=limit, excluded=excluded)


def check_pair(
    leader: Participant,
    mentor: Participant,
    policy: MatchingPolicy | None = None,
    *,
    mentor_load: int = 0,
    org_tree: OrgTree | None = None,
) -> PairCheck:
    """Score of one proposed pair and the hard rules it breaks.

    Text similarity is computed against these two texts only; use
    :meth:`MatchingProblem.check_pair` for scores that match a programme-wide run exactly.
    """
    problem = MatchingProblem([leader], [mentor], policy, org_tree=org_tree)
    return problem.check_pair(leader.id, mentor.id, mentor_load=mentor_load)
