"""Solving on the candidate pairs, and the rounds that add pairs to them.

:class:`CandidateRounds`, a base class of :class:`~upward.matching.engine.MatchingProblem`,
holds the steps of :meth:`~upward.matching.engine.MatchingProblem.match` between building the
candidates and explaining the result:

- the pairs always given to the solver (locked pairs and allowed wished-for pairs);
- solving on the candidates, with the optimal assignment or with stable matching;
- the proof of optimality: dual potentials of the solution show which allowed pairs outside
  the candidates could improve it (``pricing.py``); they are added and the problem is solved
  again until none is left;
- the repair that gives unmatched leaders every allowed mentor with a free place, so that
  "all compatible mentors are at capacity" is true.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from upward.matching.arrays import I64, ProblemArrays, sorted_unique
from upward.matching.candidates import BLOCK_ELEMENTS, WORKERS, CandidateSet
from upward.matching.policy import MatchingPolicy, Method
from upward.matching.pricing import (
    FIRST_MARGIN,
    MARGIN,
    improving_pairs,
    improving_pairs_bounded,
    leader_potentials,
    potentials,
    potentials_hold,
)
from upward.matching.scoring import Scorer
from upward.matching.solver import solve_edges
from upward.matching.stable import stable_match

# Above this many leader x mentor pairs the unmatched-people scan skips the repair step.
REPAIR_PAIR_LIMIT = 200_000_000
PRICING_ROUNDS = 4
REPAIR_ROUNDS = 3


class CandidateRounds:
    """Steps of :meth:`~upward.matching.engine.MatchingProblem.match` (one of its bases)."""

    arrays: ProblemArrays
    policy: MatchingPolicy

    def _extra_pairs(self, scorer: Scorer, lock_l: I64, lock_m: I64) -> tuple[I64, I64]:
        """Locked pairs and allowed wished-for pairs, always given to the solver."""
        table = self.arrays.wishes.table
        wl = table.keys // table.n_mentors
        wm = table.keys % table.n_mentors
        ok = scorer.pair_allowed(wl, wm) if wl.size else np.zeros(0, dtype=bool)
        return np.concatenate([lock_l, wl[ok]]), np.concatenate([lock_m, wm[ok]])

    def _solve(self, cands: CandidateSet, scores: Any, lock_l: I64, lock_m: I64) -> I64:
        """Indices into the candidates of the chosen pairs."""
        a = self.arrays
        n_m = a.mentors.n
        keys = cands.leaders * n_m + cands.mentors
        lock_pos = np.searchsorted(keys, lock_l * n_m + lock_m)
        if self.policy.method is Method.OPTIMAL:
            result = solve_edges(
                cands.leaders,
                cands.mentors,
                scores,
                shape=(a.leaders.n, n_m),
                capacity=a.mentors.capacity,
                locked=np.stack([lock_l, lock_m], axis=1) if lock_l.size else (),
            )
            if not result.pairs:
                return np.zeros(0, dtype=np.int64)
            pr = np.asarray(result.pairs, dtype=np.int64)
            return np.searchsorted(keys, pr[:, 0] * n_m + pr[:, 1])
        return self._solve_stable(cands, scores, lock_l, lock_m, lock_pos)

    def _solve_stable(
        self, cands: CandidateSet, scores: Any, lock_l: I64, lock_m: I64, lock_pos: I64
    ) -> I64:
        a = self.arrays
        n_l, n_m = a.leaders.n, a.mentors.n
        cap = a.mentors.capacity - np.bincount(lock_m, minlength=n_m)
        free = np.ones(len(cands), dtype=bool)
        locked_rows = np.zeros(n_l, dtype=bool)
        locked_rows[lock_l] = True
        free &= ~locked_rows[cands.leaders]
        idx = np.flatnonzero(free)
        sc = np.asarray(scores)[idx]
        # Leaders rank candidates by score (ties: lower mentor index), mentors likewise.
        by_leader = idx[np.lexsort((cands.mentors[idx], -sc, cands.leaders[idx]))]
        by_mentor = idx[np.lexsort((cands.leaders[idx], -sc, cands.mentors[idx]))]
        leader_prefs: list[list[int]] = [[] for _ in range(n_l)]
        mentor_prefs: list[list[int]] = [[] for _ in range(n_m)]
        for l_idx, m_idx in zip(
            cands.leaders[by_leader].tolist(), cands.mentors[by_leader].tolist(), strict=True
        ):
            leader_prefs[l_idx].append(m_idx)
        for l_idx, m_idx in zip(
            cands.leaders[by_mentor].tolist(), cands.mentors[by_mentor].tolist(), strict=True
        ):
            mentor_prefs[m_idx].append(l_idx)
        result = stable_match(leader_prefs, mentor_prefs, np.maximum(cap, 0), optimal="resident")
        pairs = np.asarray(result.pairs, dtype=np.int64).reshape(-1, 2)
        keys = cands.leaders * n_m + cands.mentors
        chosen = np.searchsorted(keys, pairs[:, 0] * n_m + pairs[:, 1])
        return np.sort(np.concatenate([lock_pos, chosen]))

    def _repair(
        self,
        scorer: Scorer,
        cands: CandidateSet,
        values: Any,
        scores: Any,
        chosen: I64,
        lock_l: I64,
        lock_m: I64,
    ) -> tuple[CandidateSet, Any, Any, I64, dict[int, int]]:
        """Give unmatched leaders every allowed mentor with a free place, and solve again.

        Repeats (a few times at most) until no unmatched leader has an allowed mentor with a
        free place, so that "all compatible mentors are at capacity" is true. Also returns,
        for each unmatched leader scanned, how many mentors the rules allow.
        """
        a = self.arrays
        n_l, n_m = a.leaders.n, a.mentors.n
        compatible: dict[int, int] = {}
        view = scorer.mentor_view(None)
        rows = max(1, BLOCK_ELEMENTS // n_m)
        for _ in range(REPAIR_ROUNDS):
            matched = np.zeros(n_l, dtype=bool)
            matched[cands.leaders[chosen]] = True
            unmatched = np.flatnonzero(~matched)
            unmatched = unmatched[[i not in compatible for i in unmatched.tolist()]]
            if unmatched.size == 0 or unmatched.size * n_m > REPAIR_PAIR_LIMIT:
                break
            load = np.bincount(cands.mentors[chosen], minlength=n_m)
            spare = a.mentors.capacity > load
            have = cands.leaders * n_m + cands.mentors
            new_l: list[I64] = []
            new_m: list[I64] = []
            for s in range(0, unmatched.size, rows):
                li = unmatched[s : s + rows]
                ok = scorer.allowed_block(li, view)
                for i, count in zip(li.tolist(), ok.sum(axis=1).tolist(), strict=True):
                    compatible[i] = int(count)
                r, c = np.nonzero(ok & spare[None, :])
                new_l.append(li[r])
                new_m.append(c.astype(np.int64))
            add_l = np.concatenate(new_l)
            add_m = np.concatenate(new_m)
            fresh = ~np.isin(add_l * n_m + add_m, have)
            if not fresh.any():
                break
            cands, values, scores = self._with_pairs(
                scorer, cands, values, scores, add_l[fresh], add_m[fresh]
            )
            chosen = self._solve(cands, scores, lock_l, lock_m)
        return cands, values, scores, chosen, compatible

    def _certify(
        self,
        scorer: Scorer,
        cands: CandidateSet,
        values: Any,
        scores: Any,
        chosen: I64,
        lock_l: I64,
        lock_m: I64,
    ) -> tuple[CandidateSet, Any, Any, I64, bool, int]:
        """Add allowed pairs that duality says could improve the pairing, until none is left.

        Also returns how many pairs were scored again for the proof. With the group maxima of
        the candidate scan (``cands.bounds``) only groups of pairs whose bound does not rule
        them out are scored again; without them, each leader is scored against the mentors
        its k-th best score does not rule out.
        """
        a = self.arrays
        n_l, n_m = a.leaders.n, a.mentors.n
        active = np.ones(n_l, dtype=bool)
        active[lock_l] = False
        remaining = a.mentors.capacity - np.bincount(lock_m, minlength=n_m)
        rescored = 0
        for round_ in range(PRICING_ROUNDS):
            in_solution = np.zeros(len(cands), dtype=bool)
            in_solution[chosen] = True
            keys = cands.leaders * n_m + cands.mentors
            arcs = (
                n_l,
                n_m,
                cands.leaders,
                cands.mentors,
                np.asarray(scores, dtype=np.float64),
                in_solution,
                remaining,
                active,
            )
            if cands.bounds is not None:
                pots = leader_potentials(*arcs)
                if not potentials_hold(pots, *arcs[2:]):
                    # No valid potentials (a rounding of the solver): no proof this time.
                    break
                add_l, add_m, improving, count = improving_pairs_bounded(
                    scorer,
                    pots,
                    active,
                    keys,
                    cands.bounds,
                    WORKERS,
                    margin=FIRST_MARGIN if round_ == 0 else MARGIN,
                )
                rescored += count
            else:
                pots = potentials(*arcs)
                add_l, add_m, improving = improving_pairs(
                    scorer, pots, active, keys, cands.leader_kth, WORKERS
                )
            if add_l.size:
                chosen_keys = keys[chosen]
                cands, values, scores = self._with_pairs(
                    scorer, cands, values, scores, add_l, add_m
                )
                chosen = np.searchsorted(cands.leaders * n_m + cands.mentors, chosen_keys)
            if not improving:
                # Pairs near the bound were added, but none can improve: still optimal.
                return cands, values, scores, chosen, True, rescored
            chosen = self._solve(cands, scores, lock_l, lock_m)
        return cands, values, scores, chosen, False, rescored

    def _with_pairs(
        self,
        scorer: Scorer,
        cands: CandidateSet,
        values: Any,
        scores: Any,
        add_l: I64,
        add_m: I64,
    ) -> tuple[CandidateSet, Any, Any]:
        """The candidates with new pairs added (scored exactly), still sorted.

        ``values`` (criterion values of every candidate) may be ``None``: only scores are then
        kept. New pairs are inserted in place, which copies each array once.
        """
        n_m = self.arrays.mentors.n
        keys = cands.leaders * n_m + cands.mentors
        new_keys = sorted_unique(add_l * n_m + add_m)
        at = np.searchsorted(keys, new_keys)
        fresh = keys[np.minimum(at, max(keys.size - 1, 0))] != new_keys if keys.size else at >= 0
        new_keys, at = new_keys[fresh], at[fresh]
        new_l, new_m = new_keys // n_m, new_keys % n_m
        if values is None:
            scores = np.insert(np.asarray(scores), at, scorer.scores_of(new_l, new_m))
        else:
            new_values = scorer.pair_values(new_l, new_m)
            values = np.insert(np.asarray(values), at, new_values, axis=0)
            scores = np.insert(np.asarray(scores), at, scorer.pair_scores(new_values))
        keys = np.insert(keys, at, new_keys)
        out = CandidateSet(
            keys // n_m, keys % n_m, cands.pairs_scored, cands.leader_kth, cands.bounds
        )
        return out, values, scores
