"""Candidate pairs: each leader's best mentors and each mentor's best leaders.

The solver only sees candidate pairs, so candidates decide both speed and quality:

- Every leader keeps its ``k`` best allowed mentors (``k >= 20``), exactly. Every mentor keeps
  a shorter list of strong leaders: the best leader of each block of leaders it was scored
  against, and the best ``max(5, k // 3)`` of those. Taking both sides matters: a mentor that
  is nobody's first choice but the best use of its place still reaches the solver.
- Every allowed pair is scored. Scoring runs on blocks of leaders x mentors (see
  :meth:`Scorer.block`) on several threads.
- Blocks that the availability rule empties are skipped without scoring: leaders are grouped
  by availability pattern (people with the same free hours), and each group is scored only
  against the mentors whose pattern leaves enough common hours with at least one leader of
  the group. With time zones and busy diaries this skips most pairs of a large programme.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from threadpoolctl import (  # type: ignore[import-untyped, unused-ignore]
    ThreadpoolController,
)

from upward.matching.arrays import F32, I64, Bool, sorted_unique
from upward.matching.bounds import U16, BlockBounds, group_maxima, score_slack
from upward.matching.scoring import MentorView, Scorer

# Elements per scored block: small enough to stay in the processor cache.
BLOCK_ELEMENTS = 1 << 19
BLOCK_COLUMNS = 4096
WORKERS = max(1, min(4, os.cpu_count() or 1))
# Leader groups of the availability plan stop growing past this many leaders, or when the
# mentors they need grow by more than this factor over the group's largest single need.
GROUP_LEADERS = 256
GROUP_GROWTH = 1.1

# Mentors keep shorter lists than leaders: a third of k, at least 5.
MENTOR_SHARE = 3
MIN_MENTOR_K = 5

Progress = Callable[[float], None]
T = TypeVar("T")


@dataclass(frozen=True)
class CandidateSet:
    """Candidate pairs sorted by (leader, mentor), without duplicates.

    ``pairs_scored`` counts the pairs scored to find them (the rest were ruled out by the
    availability rule without scoring). ``leader_kth`` is each leader's k-th best block score
    (every allowed pair left out of the candidates scores no more), or ``-inf`` when the
    leader has fewer than k allowed mentors (all of them are candidates). ``bounds`` holds
    the maxima of groups of scanned pairs (see ``bounds.py``) for the proof of optimality.
    """

    leaders: I64
    mentors: I64
    pairs_scored: int
    leader_kth: F32
    bounds: BlockBounds | None = None

    def __len__(self) -> int:
        return int(self.leaders.size)


def build_candidates(
    scorer: Scorer,
    *,
    k: int,
    mentor_k: int | None = None,
    extra: tuple[I64, I64] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> CandidateSet:
    """Candidate pairs for the solver (see the module docstring).

    ``extra`` pairs (already checked against the rules) are always included.
    """
    n_l, n_m = scorer.arrays.leaders.n, scorer.arrays.mentors.n
    report = progress or (lambda _f: None)
    lead_top = _TopK(n_l, min(k, n_m))
    if mentor_k is None:
        mentor_k = max(MIN_MENTOR_K, k // MENTOR_SHARE)
    ment_top = _TopK(n_m, min(mentor_k, n_l))
    plan = block_plan(scorer)
    bounds = BlockBounds(score_slack(scorer.block_terms()))
    scored = _scan(scorer, plan, lead_top, ment_top, report, workers or WORKERS, bounds)
    report(1.0)
    l1, m1 = lead_top.pairs()
    m2, l2 = ment_top.pairs()
    parts_l = [l1, l2]
    parts_m = [m1, m2]
    if extra is not None and extra[0].size:
        parts_l.append(extra[0])
        parts_m.append(extra[1])
    keys = sorted_unique(np.concatenate(parts_l) * n_m + np.concatenate(parts_m))
    full = np.isfinite(lead_top.best_s).all(axis=1) & (lead_top.k == k)
    kth = np.where(full, lead_top.best_s.min(axis=1), np.float32(-np.inf)).astype(np.float32)
    return CandidateSet(keys // n_m, keys % n_m, scored, kth, bounds)


def block_plan(scorer: Scorer) -> list[tuple[I64, I64 | None]]:
    """Leader groups and the mentors each must be scored against (``None``: all mentors)."""
    n_l, n_m = scorer.arrays.leaders.n, scorer.arrays.mentors.n
    everyone: list[tuple[I64, I64 | None]] = [(np.arange(n_l, dtype=np.int64), None)]
    ok, pl, pm = scorer.avail_ok, scorer.avail_pl, scorer.avail_pm
    if ok is None or pl is None or pm is None or scorer.rules.min_common_hours <= 0:
        return everyone
    n_pl, n_pm = ok.shape
    count_l = np.bincount(pl, minlength=n_pl)
    count_m = np.bincount(pm, minlength=n_pm)
    need = ok.astype(np.int64) @ count_m  # mentors each leader pattern can meet
    if int(count_l @ need) > 0.7 * n_l * n_m:
        return everyone
    # Patterns in order of their first free hour, so that neighbours need similar mentors.
    patterns = scorer.avail_patterns_l
    assert patterns is not None
    first = np.array([_first_slot(row) for row in patterns.tolist()], dtype=np.int64)
    order = np.lexsort((np.arange(n_pl), first))
    groups: list[list[int]] = []
    current: list[int] = []
    union = np.zeros(n_pm, dtype=bool)
    size = biggest = 0
    for p in order.tolist():
        if current:
            grown = union | ok[p]
            needed = int(count_m[grown].sum())
            if size + count_l[p] > GROUP_LEADERS or needed > GROUP_GROWTH * max(
                biggest, int(need[p])
            ):
                groups.append(current)
                current, union, size, biggest = [], np.zeros(n_pm, dtype=bool), 0, 0
        current.append(p)
        union |= ok[p]
        size += int(count_l[p])
        biggest = max(biggest, int(need[p]))
    if current:
        groups.append(current)
    group_of = np.empty(n_pl, dtype=np.int64)
    for g, members in enumerate(groups):
        group_of[members] = g
    leader_order = np.argsort(group_of[pl], kind="stable")
    bounds = np.searchsorted(group_of[pl][leader_order], np.arange(len(groups) + 1))
    plan: list[tuple[I64, I64 | None]] = []
    for g, members in enumerate(groups):
        leaders = leader_order[bounds[g] : bounds[g + 1]]
        wanted: Bool = np.asarray(ok[members].any(axis=0), dtype=bool)
        mentors = np.flatnonzero(wanted[pm])
        if leaders.size and mentors.size:
            plan.append((leaders.astype(np.int64), mentors.astype(np.int64)))
    return plan


def _first_slot(words: list[int]) -> int:
    for w, word in enumerate(words):
        if word:
            return w * 64 + (word & -word).bit_length() - 1
    return 1 << 20


class _TopK:
    """Running top-k (score, partner) of every row of one side; -inf marks an empty slot."""

    def __init__(self, n: int, k: int) -> None:
        self.k = max(1, k)
        self.best_s = np.full((n, self.k), -np.inf, dtype=np.float32)
        self.best_p = np.full((n, self.k), -1, dtype=np.int64)

    def threshold(self, rows: I64) -> F32:
        """Each row's current k-th best score: only higher scores can still enter."""
        out: F32 = self.best_s[rows].min(axis=1)
        return out

    def merge(self, rows: I64, scores: F32, partners: I64) -> tuple[I64, I64, F32]:
        """Merge, for each listed row, a row of new entries (-inf = none).

        Returns the entries (row, partner, score) that are not in the list afterwards: new
        ones that did not get in and old ones pushed out.
        """
        if rows.size == 0:
            return rows, rows, np.zeros(0, dtype=np.float32)
        if scores.shape[1] == 1:
            # One new entry per row: it replaces the row's weakest entry if it beats it.
            weakest = self.best_s[rows].argmin(axis=1)
            better = scores[:, 0] > self.best_s[rows, weakest]
            out_s = np.where(better, self.best_s[rows, weakest], scores[:, 0])
            out_p = np.where(better, self.best_p[rows, weakest], partners[:, 0])
            self.best_s[rows[better], weakest[better]] = scores[better, 0]
            self.best_p[rows[better], weakest[better]] = partners[better, 0]
            gone = np.isfinite(out_s)
            return rows[gone], out_p[gone], out_s[gone]
        all_s = np.hstack([self.best_s[rows], scores])
        all_p = np.hstack([self.best_p[rows], partners])
        keep = np.argpartition(all_s, all_s.shape[1] - self.k, axis=1)[:, -self.k :]
        self.best_s[rows] = np.take_along_axis(all_s, keep, axis=1)
        self.best_p[rows] = np.take_along_axis(all_p, keep, axis=1)
        dropped = np.isfinite(all_s)
        np.put_along_axis(dropped, keep, False, axis=1)
        r, c = np.nonzero(dropped)
        return rows[r], all_p[r, c], all_s[r, c]

    def pairs(self) -> tuple[I64, I64]:
        """(row, partner) of every filled slot."""
        finite = np.isfinite(self.best_s)
        return np.nonzero(finite)[0].astype(np.int64), self.best_p[finite]


@dataclass
class _Entries:
    """New top entries of one side of a block: rows, and a row of (score, partner) each."""

    rows: I64
    scores: F32
    partners: I64


def _row_top(score: F32, threshold: F32, k: int, rows: I64, cols: I64) -> tuple[_Entries, I64, I64]:
    """For rows whose best beats their threshold: their top k entries above it; also the
    block positions (row, column) of those entries."""
    best = score.max(axis=1) if score.shape[1] else np.full(score.shape[0], -np.inf)
    touched = np.flatnonzero(best > threshold)
    if touched.size == 0:
        z = np.zeros(0, dtype=np.int64)
        empty = _Entries(rows[:0], np.zeros((0, k), np.float32), np.zeros((0, k), np.int64))
        return empty, z, z
    sub = score if touched.size == score.shape[0] else score[touched]
    width = sub.shape[1]
    if width > k:
        idx = top_k_columns(sub, k)
    else:
        pad = np.full((sub.shape[0], k - width), -np.inf, dtype=np.float32)
        sub = np.hstack([sub, pad])
        idx = np.broadcast_to(np.arange(k), sub.shape)
    top = np.take_along_axis(sub, idx, axis=1)
    np.putmask(top, top <= threshold[touched][:, None], np.float32(-np.inf))
    r, c = np.nonzero(np.isfinite(top))
    entries = _Entries(rows[touched], top, cols[np.minimum(idx, cols.size - 1)])
    return entries, touched[r].astype(np.int64), np.asarray(idx[r, c], dtype=np.int64)


def top_k_columns(values: F32, k: int, chunk: int = 32) -> I64:
    """Column indices of each row's k largest values (ties broken arbitrarily).

    Wide rows are cut into groups of ``chunk`` columns (column ``j`` goes to group
    ``j % groups``, which keeps the maximum a fast reduction); only the k groups with the
    largest maxima can hold a top-k value (any other value is at most the k-th largest group
    maximum, which is itself a value of the row), so only they are searched.
    """
    n_rows, width = values.shape
    groups = width // chunk
    if groups < 4 * k:
        out: I64 = np.argpartition(values, width - k, axis=1)[:, -k:]
        return out
    body = values[:, : groups * chunk].reshape(n_rows, chunk, groups)
    maxima = body.max(axis=1)
    best_groups = np.argpartition(maxima, groups - k, axis=1)[:, -k:]
    cols = (best_groups[:, :, None] + groups * np.arange(chunk)[None, None, :]).reshape(n_rows, -1)
    if width > groups * chunk:
        tail = np.arange(groups * chunk, width)
        cols = np.hstack([cols, np.broadcast_to(tail, (n_rows, tail.size))])
    picked = np.take_along_axis(values, cols, axis=1)
    best = np.argpartition(picked, picked.shape[1] - k, axis=1)[:, -k:]
    out = np.take_along_axis(cols, best, axis=1)
    return out


@dataclass
class _BlockResult:
    leaders: _Entries
    mentors: _Entries
    size: int
    li: I64
    mj: I64
    maxima: U16


def _score_block(
    scorer: Scorer, li: I64, view: MentorView, thr_l: F32, thr_m: F32, k_l: int
) -> _BlockResult:
    score = scorer.block(li, view)
    lead, entry_rows, entry_cols = _row_top(score, thr_l, k_l, li, view.mj)
    # Mentor side: each mentor's best leader of this block, where it beats the mentor's
    # current list.
    best, best_row = _column_best(score)
    touched = np.flatnonzero(best > thr_m)
    ment = _Entries(view.mj[touched], best[touched][:, None], li[best_row[touched]][:, None])
    # Bounds for the proof cover the pairs that are not offered to the leaders' lists; those
    # offered are either kept in a list (candidates) or recorded when they leave it.
    score[entry_rows, entry_cols] = -np.inf
    return _BlockResult(lead, ment, int(score.size), li, view.mj, group_maxima(score))


def _column_best(score: F32) -> tuple[F32, I64]:
    """Each column's maximum and the first row holding it.

    A loop over rows of whole-row operations: NumPy's arg-maximum down a column of a
    row-major block is several times slower.
    """
    best = score[0].copy()
    row_of = np.zeros(score.shape[1], dtype=np.int64)
    for r in range(1, score.shape[0]):
        row = score[r]
        better = row > best
        row_of[better] = r
        np.maximum(best, row, out=best)
    return best, row_of


def blocks(
    scorer: Scorer, plan: list[tuple[I64, I64 | None]], *, by_appeal: bool = False
) -> Iterator[tuple[I64, MentorView]]:
    """The plan cut into blocks of at most BLOCK_ELEMENTS pairs and BLOCK_COLUMNS mentors.

    Narrow blocks keep the mentor features of a block in cache while its product is computed.
    Blocks are produced group by group, so only one group's mentor columns are held at a time.
    With ``by_appeal`` each group's mentors are taken in order of
    :meth:`~upward.matching.scoring.Scorer.mentor_appeal`, so that mentors next to each other
    in a block score alike (which keeps the bounds of groups of mentors tight).
    """
    n_m = scorer.arrays.mentors.n
    appeal = scorer.mentor_appeal() if by_appeal else None
    for li_group, mj in plan:
        mentors = np.arange(n_m, dtype=np.int64) if mj is None else mj
        if appeal is not None:
            mentors = mentors[np.argsort(-appeal[mentors], kind="stable")]
            mj = mentors
        if mj is None and mentors.size <= BLOCK_COLUMNS:
            views = [scorer.mentor_view(None)]
        else:
            views = [
                scorer.mentor_view(mentors[c : c + BLOCK_COLUMNS])
                for c in range(0, mentors.size, BLOCK_COLUMNS)
            ]
        rows = max(1, BLOCK_ELEMENTS // min(BLOCK_COLUMNS, max(mentors.size, 1)))
        for s in range(0, li_group.size, rows):
            for view in views:
                yield li_group[s : s + rows], view


def plan_size(scorer: Scorer, plan: list[tuple[I64, I64 | None]]) -> int:
    """Number of pairs a plan scores."""
    n_m = scorer.arrays.mentors.n
    return sum(li.size * (n_m if mj is None else mj.size) for li, mj in plan)


_controller: ThreadpoolController | None = None


def one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread. The loaded libraries are looked up once
    per process (each lookup walks every shared library), not at every call."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def run_blocks(
    tasks: Iterable[tuple[I64, MentorView]],
    work: Callable[[I64, MentorView], T],
    merge: Callable[[T], None],
    workers: int,
) -> None:
    """Run ``work`` on every block on ``workers`` threads and ``merge`` results in order.

    NumPy and BLAS release the GIL; BLAS itself is kept to one thread per block. Blocks are
    handed out in batches of ``workers``, and every result of a batch is merged before the
    next batch starts, so inputs that depend on merged results (thresholds) do not depend on
    timing.
    """
    step = max(1, workers)
    source = iter(tasks)
    with ThreadPoolExecutor(max_workers=step) as pool, one_blas_thread():
        while True:
            batch = list(itertools.islice(source, step))
            if not batch:
                break
            futures = [pool.submit(work, li, view) for li, view in batch]
            for fut in futures:
                merge(fut.result())


def _scan(
    scorer: Scorer,
    plan: list[tuple[I64, I64 | None]],
    lead_top: _TopK,
    ment_top: _TopK,
    report: Progress,
    workers: int,
    bounds: BlockBounds,
) -> int:
    """Score every planned block, keeping each leader's and each mentor's top lists and
    the block's group maxima (``bounds``)."""
    tasks = blocks(scorer, plan, by_appeal=True)
    total = plan_size(scorer, plan) or 1
    done = 0

    def work(li: I64, view: MentorView) -> _BlockResult:
        return _score_block(
            scorer, li, view, lead_top.threshold(li), ment_top.threshold(view.mj), lead_top.k
        )

    def merge(res: _BlockResult) -> None:
        nonlocal done
        left = lead_top.merge(res.leaders.rows, res.leaders.scores, res.leaders.partners)
        ment_top.merge(res.mentors.rows, res.mentors.scores, res.mentors.partners)
        bounds.add(res.li, res.mj, res.maxima)
        bounds.add_left(*left)
        done += res.size
        report(done / total)

    run_blocks(tasks, work, merge, workers)
    return done
