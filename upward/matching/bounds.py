"""Upper bounds on the scores of blocks of pairs, kept from the candidate scan.

The candidate scan (``candidates.py``) scores every allowed pair once, block by block, to find
each leader's best mentors. Each block offers a few pairs per leader to the leader's running
top-k list; every other pair of the block can never be a leader's candidate. While a block's
scores are in memory, :func:`group_maxima` cuts each leader's row of the block into groups of
``GROUP`` mentors and keeps the largest score of those other pairs in each group, rounded *up*
to the next hundredth of a point (``uint16``): 1/32 of the scan's pairs, two bytes each (about
55 MB at 100,000 people). The pairs offered to a list either stay in it (they are candidates)
or leave it later; those that leave are kept one by one with their score (``left_*``).

So every allowed pair outside the candidates is covered: by its group's maximum, or by its own
score in the ``left`` list (pairs in no block break the availability rule). The proof of
optimality (``pricing.py``) compares these bounds with the dual bound ``u_l + v_m`` of the
solution, so whole groups are ruled out without scoring a pair again; only groups whose bound
does not rule them out are scored again, and their bound is then lowered to the best pair in
them that is still not a candidate.

Block scores are float32 while final scores are float64. :func:`score_slack` bounds the
difference (the rounding error of a float32 dot product of ``n`` terms is at most
``n * 2**-24`` times the sum of the absolute terms, and no pair's terms add up to more than
twice the 100 points in absolute value); it is added to every bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from upward.matching.arrays import F32, F64, I32, I64

# Mentors per group of a leader's row.
GROUP = 8
# Bounds are stored in hundredths of a point, rounded up; 0 means "no allowed pair".
STEPS_PER_POINT = 100
EMPTY = 0

U16 = npt.NDArray[np.uint16]


def score_slack(features: int) -> float:
    """Largest difference between a pair's float32 block score and its exact score.

    ``features`` is the number of terms of the block product (feature columns, text terms).
    A float32 sum of ``n`` products differs from the exact sum by at most
    ``n * 2**-24 * sum(|terms|)`` (each rounding is at most ``2**-24`` relative); the terms of
    one pair add up to at most 200 in absolute value (difference features enter with both
    signs). Availability, wishes and the final addition add a few more roundings. The result
    is doubled for safety and is never below 0.01 points.
    """
    terms = features + 16
    return max(0.01, 2.0 * terms * 2.0**-24 * 200.0)


def group_maxima(score: F32) -> U16:
    """For each row of a block, the maximum of each group of ``GROUP`` columns (columns
    ``[g * GROUP, (g + 1) * GROUP)``), in hundredths of a point rounded up, plus one;
    ``EMPTY`` where every pair of the group is forbidden (``-inf``)."""
    rows, cols = score.shape
    groups = -(-cols // GROUP)
    if cols % GROUP:
        padded = np.full((rows, groups * GROUP), -np.inf, dtype=np.float32)
        padded[:, :cols] = score
        score = padded
    parts = score.reshape(rows, groups, GROUP)
    # A maximum over the short last axis is slow in NumPy; taking it slice by slice is not.
    best = parts[:, :, 0].copy()
    for k in range(1, GROUP):
        np.maximum(best, parts[:, :, k], out=best)
    return encode(best)


def encode(best: F32) -> U16:
    """Scores to stored bounds: hundredths rounded up, plus one; ``EMPTY`` for ``-inf``."""
    finite = np.isfinite(best)
    steps = np.ceil(np.where(finite, np.clip(best, 0.0, 600.0), 0.0) * STEPS_PER_POINT)
    out: U16 = np.where(finite, steps + 1, EMPTY).astype(np.uint16)
    return out


def decode(stored: U16) -> F64:
    """Stored bounds to points (``-inf`` for ``EMPTY``)."""
    value = (stored.astype(np.float64) - 1.0) / STEPS_PER_POINT
    out: F64 = np.where(stored == EMPTY, -np.inf, value)
    return out


@dataclass
class BlockBounds:
    """Group maxima of every scanned block: ``leaders[i]`` x ``mentors[i]`` was a block and
    ``maxima[i]`` holds, per leader row, one stored bound per group of ``GROUP`` mentors.

    ``slack`` is added to every bound (see :func:`score_slack`). Pairs outside every block
    were never scored because they break the availability rule.
    """

    slack: float
    leaders: list[I64] = field(default_factory=list)
    mentors: list[I64] = field(default_factory=list)
    maxima: list[U16] = field(default_factory=list)
    left_parts: list[tuple[I32, I32, F32]] = field(default_factory=list)
    _row_maxima: list[U16 | None] = field(default_factory=list)

    def add(self, li: I64, mj: I64, maxima: U16) -> None:
        self.leaders.append(li)
        self.mentors.append(mj)
        self.maxima.append(maxima)
        self._row_maxima.append(None)

    def row_maxima(self, block: int) -> U16:
        """Each row's largest stored bound in one block (computed once)."""
        out = self._row_maxima[block]
        if out is None:
            out = self.maxima[block].max(axis=1, initial=EMPTY)
            self._row_maxima[block] = out
        return out

    def add_left(self, leaders: I64, mentors: I64, scores: F32) -> None:
        """Pairs that were in a leader's list and left it (or never got in), with scores."""
        if leaders.size:
            self.left_parts.append(
                (leaders.astype(np.int32), mentors.astype(np.int32), scores.astype(np.float32))
            )

    def left(self) -> tuple[I64, I64, F32]:
        """Every pair recorded by :meth:`add_left` (leader, mentor, block score)."""
        if len(self.left_parts) != 1:
            parts = self.left_parts
            z = np.zeros(0, dtype=np.int32)
            joined = (
                np.concatenate([p[0] for p in parts]) if parts else z,
                np.concatenate([p[1] for p in parts]) if parts else z,
                np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.float32),
            )
            self.left_parts = [joined]
        li, mj, sc = self.left_parts[0]
        return li.astype(np.int64), mj.astype(np.int64), sc

    def __len__(self) -> int:
        return len(self.leaders)

    @property
    def cells(self) -> int:
        """Number of (leader, group of mentors) bounds held."""
        return sum(int(m.size) for m in self.maxima)

    @property
    def nbytes(self) -> int:
        left = sum(sum(int(a.nbytes) for a in part) for part in self.left_parts)
        return sum(int(m.nbytes) for m in self.maxima) + left


def group_minimum(values: F64, mj: I64) -> F64:
    """Per group of ``GROUP`` consecutive mentors of ``mj``: the least of ``values``."""
    groups = -(-mj.size // GROUP)
    padded = np.full(groups * GROUP, np.inf)
    padded[: mj.size] = values[mj]
    out: F64 = padded.reshape(groups, GROUP).min(axis=1)
    return out
