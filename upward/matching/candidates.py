"""Candidate pairs: each leader's best mentors and each mentor's best leaders.

The solver only sees candidate pairs, so candidates decide both speed and quality:

- Every leader keeps its ``k`` best allowed mentors and every mentor its ``k`` best allowed
  leaders (``k >= 20``). Taking both sides matters: a mentor that is nobody's top choice but
  the best use of its place still reaches the solver.
- Up to ``exact_pair_limit`` leader-mentor pairs, every pair is scored, block by block
  ("exact" mode), so the candidate lists are exactly the top ``k`` of each person.
- Above it ("clustered" mode), leaders and mentors are grouped with k-means on what drives
  their scores (topics, objectives, time of day, languages). A sample of real scores tells,
  for each leader group, which mentor groups hold its best partners; only those group pairs
  are scored, in full. Leaders left with fewer than ``k`` candidates, and mentors left with
  none, are then scored against everyone, so nobody is reported as having no possible partner
  because of the shortcut.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import MiniBatchKMeans  # type: ignore[import-untyped, unused-ignore]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped, unused-ignore]

from upward.matching.arrays import F32, I64
from upward.matching.scoring import MentorView, Scorer

# Elements per scored block: small enough to stay in the processor cache.
BLOCK_ELEMENTS = 1 << 19
WORKERS = max(1, min(4, os.cpu_count() or 1))
SAMPLE_PER_GROUP = 12
PROBE_FRACTION = 0.12
MIN_PROBES = 4

Progress = Callable[[float], None]


@dataclass(frozen=True)
class CandidateSet:
    """Candidate pairs sorted by (leader, mentor), without duplicates."""

    leaders: I64
    mentors: I64
    mode: str
    pairs_scored: int

    def __len__(self) -> int:
        return int(self.leaders.size)


def build_candidates(
    scorer: Scorer,
    *,
    k: int,
    exact_pair_limit: int,
    extra: tuple[I64, I64] | None = None,
    progress: Progress | None = None,
    force_mode: str | None = None,
) -> CandidateSet:
    """Candidate pairs for the solver (see the module docstring).

    ``extra`` pairs (already checked against the rules) are always included.
    """
    n_l, n_m = scorer.arrays.leaders.n, scorer.arrays.mentors.n
    mode = force_mode or ("exact" if n_l * n_m <= exact_pair_limit else "clustered")
    collector = _Collector(n_l, n_m, k)
    report = progress or (lambda _f: None)
    if mode == "exact":
        plan: list[tuple[I64, I64 | None]] = [(np.arange(n_l, dtype=np.int64), None)]
        scored = _scan(scorer, plan, collector, report, 0.0, 1.0)
    elif mode == "clustered":
        plan = _clustered_plan(scorer)
        scored = _scan(scorer, plan, collector, report, 0.0, 0.9)
        scored += _fill_short_lists(scorer, collector, k, report)
    else:
        raise ValueError(f"unknown candidate mode {mode!r}")
    report(1.0)
    lead, ment = collector.pairs()
    if extra is not None and extra[0].size:
        lead = np.concatenate([lead, extra[0]])
        ment = np.concatenate([ment, extra[1]])
    keys = np.unique(lead * n_m + ment)
    return CandidateSet(keys // n_m, keys % n_m, mode, scored)


class _Collector:
    """Leader top-k lists, and each mentor's running top-k leaders (sorted best first)."""

    def __init__(self, n_l: int, n_m: int, k: int) -> None:
        self.k = k
        self.k_m = min(k, n_l)
        self.n_m = n_m
        self.lead_parts: list[I64] = []
        self.ment_parts: list[I64] = []
        self.best_s = np.full((n_m, self.k_m), -np.inf, dtype=np.float32)
        self.best_l = np.full((n_m, self.k_m), -1, dtype=np.int64)
        self.count_l = np.zeros(n_l, dtype=np.int64)

    def threshold(self, mj: I64) -> F32:
        """Each mentor's current k-th best score: only higher scores can still enter."""
        out: F32 = self.best_s[mj].min(axis=1)
        return out

    def add_leader_pairs(self, leaders: I64, mentors: I64) -> None:
        self.lead_parts.append(leaders)
        self.ment_parts.append(mentors)
        np.add.at(self.count_l, leaders, 1)

    def add_mentor_entries(self, mentors: I64, leaders: I64, scores: F32) -> None:
        """Merge, for each listed mentor, a row of new (leader, score) entries (-inf = none)."""
        if mentors.size == 0:
            return
        k = self.k_m
        all_s = np.hstack([self.best_s[mentors], scores])
        all_l = np.hstack([self.best_l[mentors], leaders])
        keep = np.argpartition(all_s, all_s.shape[1] - k, axis=1)[:, -k:]
        self.best_s[mentors] = np.take_along_axis(all_s, keep, axis=1)
        self.best_l[mentors] = np.take_along_axis(all_l, keep, axis=1)

    def pairs(self) -> tuple[I64, I64]:
        finite = np.isfinite(self.best_s)
        m_idx = np.nonzero(finite)[0]
        lead = np.concatenate([*self.lead_parts, self.best_l[finite]])
        ment = np.concatenate([*self.ment_parts, m_idx])
        return lead.astype(np.int64), ment.astype(np.int64)

    def mentors_without_candidates(self) -> I64:
        has = np.zeros(self.n_m, dtype=bool)
        if self.ment_parts:
            has[np.concatenate(self.ment_parts)] = True
        has |= np.isfinite(self.best_s).any(axis=1)
        return np.flatnonzero(~has)


@dataclass
class _BlockResult:
    """A scored block: leader top-k pairs, and per touched mentor a row of new entries."""

    lead_l: I64
    lead_m: I64
    ment_m: I64
    ment_l: I64
    ment_s: F32
    size: int


def _score_block(
    scorer: Scorer,
    li: I64,
    view: MentorView,
    threshold: F32 | None,
    k: int,
    threshold_k: int,
    leaders_side: bool,
) -> _BlockResult:
    """Score one block; keep each leader's top k and entries that beat mentors' thresholds."""
    score = scorer.block(li, view)
    mj = view.mj
    z = np.zeros(0, dtype=np.int64)
    lead_l, lead_m = z, z
    if leaders_side:
        if score.shape[1] <= k:
            rows, cols = np.nonzero(np.isfinite(score))
        else:
            idx = np.argpartition(score, score.shape[1] - k, axis=1)[:, -k:]
            finite = np.isfinite(np.take_along_axis(score, idx, axis=1))
            rows = np.nonzero(finite)[0]
            cols = idx[finite]
        lead_l, lead_m = li[rows], mj[cols]
    ment_m = z
    ment_l = np.zeros((0, threshold_k), dtype=np.int64)
    ment_s = np.zeros((0, threshold_k), dtype=np.float32)
    if threshold is not None:
        touched = np.flatnonzero(score.max(axis=0) > threshold)
        if touched.size:
            sub = np.ascontiguousarray(score[:, touched].T)  # mentors x leaders
            if sub.shape[1] > threshold_k:
                idx = np.argpartition(sub, sub.shape[1] - threshold_k, axis=1)[:, -threshold_k:]
            else:
                pad = threshold_k - sub.shape[1]
                sub = np.hstack([sub, np.full((sub.shape[0], pad), -np.inf, dtype=np.float32)])
                idx = np.broadcast_to(np.arange(threshold_k), sub.shape)
            top = np.take_along_axis(sub, idx, axis=1)
            top[top <= threshold[touched][:, None]] = -np.inf
            ment_m = mj[touched]
            ment_l = li[np.minimum(idx, li.size - 1)]
            ment_s = top
    return _BlockResult(lead_l, lead_m, ment_m, ment_l, ment_s, int(score.size))


def _scan(
    scorer: Scorer,
    plan: list[tuple[I64, I64 | None]],
    collector: _Collector,
    report: Progress,
    start: float,
    stop: float,
    *,
    leaders_side: bool = True,
    mentors_side: bool = True,
    workers: int = WORKERS,
) -> int:
    """Score every planned leader group against its mentors (None: all), in row blocks.

    Blocks run on ``workers`` threads (NumPy and BLAS release the GIL; BLAS itself is kept to
    one thread per block). Results are merged batch by batch in a fixed order, and each batch
    uses the mentor thresholds left by the previous one, so the outcome does not depend on
    timing.
    """
    n_m = scorer.arrays.mentors.n
    total = sum(li.size * (n_m if mj is None else mj.size) for li, mj in plan) or 1
    tasks: list[tuple[I64, MentorView]] = []
    for li_group, mj in plan:
        view = scorer.mentor_view(mj)
        rows = max(1, BLOCK_ELEMENTS // max(view.size, 1))
        tasks.extend((li_group[s : s + rows], view) for s in range(0, li_group.size, rows))
    done = 0
    k = collector.k
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool, threadpool_limits(1, "blas"):
        for b in range(0, len(tasks), max(1, workers)):
            batch = tasks[b : b + max(1, workers)]
            futures = [
                pool.submit(
                    _score_block,
                    scorer,
                    li,
                    view,
                    collector.threshold(view.mj).copy() if mentors_side else None,
                    k,
                    collector.k_m,
                    leaders_side,
                )
                for li, view in batch
            ]
            for fut in futures:
                res = fut.result()
                if leaders_side:
                    collector.add_leader_pairs(res.lead_l, res.lead_m)
                collector.add_mentor_entries(res.ment_m, res.ment_l, res.ment_s)
                done += res.size
            report(start + (stop - start) * done / total)
    return done


def _fill_short_lists(scorer: Scorer, collector: _Collector, k: int, report: Progress) -> int:
    """Score leaders with fewer than k candidates, and mentors with none, against everyone."""
    n_l = scorer.arrays.leaders.n
    scored = 0
    short = np.flatnonzero(collector.count_l < k)
    if short.size:
        scored += _scan(
            scorer, [(short, None)], collector, report, 0.9, 0.95, mentors_side=False
        )
    lonely = collector.mentors_without_candidates()
    if lonely.size:
        all_l = np.arange(n_l, dtype=np.int64)
        scored += _scan(
            scorer, [(all_l, lonely)], collector, report, 0.95, 1.0, leaders_side=False
        )
    return scored


# ----------------------------------------------------------------------------------------------
# Clustered mode


def _features(scorer: Scorer, leaders: bool) -> F32:
    """What drives a person's scores, as a dense vector (for k-means)."""
    a = scorer.arrays
    side = a.leaders if leaders else a.mentors
    topics = side.sought.dense if leaders else side.offered.dense
    parts = [_unit(topics)]
    if a.objective_names:
        parts.append(0.5 * _unit(side.objectives.dense))
    # Availability folded to hours of the day (UTC): where in the world someone works.
    by_hour = side.avail.dense.reshape(side.n, 7, 24).sum(axis=1)
    parts.append(0.7 * _unit(by_hour))
    if a.language_names:
        parts.append(0.5 * _unit(side.languages.dense))
    return np.hstack(parts).astype(np.float32)


def _unit(x: F32) -> F32:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    out: F32 = (x / np.maximum(norm, 1e-12)).astype(np.float32)
    return out


def _groups(features: F32, n_groups: int, seed: int) -> list[I64]:
    n = features.shape[0]
    if n_groups <= 1 or n <= n_groups:
        return [np.arange(n, dtype=np.int64)]
    km = MiniBatchKMeans(
        n_clusters=n_groups, random_state=seed, n_init=1, batch_size=4096, max_iter=50
    )
    labels = np.asarray(km.fit_predict(features), dtype=np.int64)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n_groups + 1))
    groups = [order[bounds[g] : bounds[g + 1]] for g in range(n_groups)]
    return [g for g in groups if g.size]


def _clustered_plan(scorer: Scorer) -> list[tuple[I64, I64 | None]]:
    """Leader groups and, for each, the mentors of the groups worth scoring in full."""
    n_l, n_m = scorer.arrays.leaders.n, scorer.arrays.mentors.n
    lead_groups = _groups(_features(scorer, True), _n_groups(n_l), seed=1)
    ment_groups = _groups(_features(scorer, False), _n_groups(n_m), seed=2)
    rng = np.random.default_rng(0)
    lead_sample = [rng.choice(g, size=min(g.size, SAMPLE_PER_GROUP), replace=False) for g in lead_groups]
    ment_sample = [rng.choice(g, size=min(g.size, SAMPLE_PER_GROUP), replace=False) for g in ment_groups]
    sl = np.concatenate(lead_sample)
    sm = np.concatenate(ment_sample)
    score = scorer.block(sl, scorer.mentor_view(sm))
    score[~np.isfinite(score)] = 0.0
    col_starts = np.concatenate([[0], np.cumsum([s.size for s in ment_sample])[:-1]])
    row_starts = np.concatenate([[0], np.cumsum([s.size for s in lead_sample])[:-1]])
    best_in_group = np.maximum.reduceat(score, col_starts, axis=1)  # sampled leader x group
    affinity = np.add.reduceat(best_in_group, row_starts, axis=0)
    affinity /= np.asarray([s.size for s in lead_sample], dtype=np.float32)[:, None]
    n_lg, n_mg = affinity.shape
    probes_m = min(n_mg, max(MIN_PROBES, math.ceil(PROBE_FRACTION * n_mg)))
    probes_l = min(n_lg, max(MIN_PROBES, math.ceil(PROBE_FRACTION * n_lg)))
    chosen = np.zeros((n_lg, n_mg), dtype=bool)
    top_m = np.argsort(-affinity, axis=1, kind="stable")[:, :probes_m]
    chosen[np.arange(n_lg)[:, None], top_m] = True
    top_l = np.argsort(-affinity, axis=0, kind="stable")[:probes_l, :]
    chosen[top_l, np.arange(n_mg)[None, :]] = True
    plan: list[tuple[I64, I64 | None]] = []
    for g in range(n_lg):
        mentors = np.sort(np.concatenate([ment_groups[h] for h in np.flatnonzero(chosen[g])]))
        plan.append((lead_groups[g], mentors))
    return plan


def _n_groups(n: int) -> int:
    return int(min(256, max(8, round(math.sqrt(n / 6)))))
