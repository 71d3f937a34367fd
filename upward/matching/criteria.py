"""The weighted criteria of a pair, as exact values and as block features.

:class:`CriterionValues`, a base class of :class:`~upward.matching.scoring.Scorer`, holds both
forms of the criteria (topics, text, objectives, seniority, difference, availability, culture
change, wishes):

- :meth:`CriterionValues.pair_values` computes each criterion of a list of pairs exactly
  (float64, bit counts); final scores and explanations come from it.
- :meth:`CriterionValues._features` builds the leader and mentor feature matrices whose
  product is the weighted sum of every criterion except availability and wishes, which
  :meth:`~upward.matching.scoring.Scorer.block` uses to score whole blocks of pairs.

The helpers below compute set intersections and coverage shares pair by pair.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from upward.matching.arrays import F32, F64, I64, SetColumn
from upward.matching.policy import CRITERIA, Criterion, MatchingPolicy
from upward.matching.similarity import TextSimilarity
from upward.matching.style import COMPLEMENTARY, LEVELS, SIMILAR, SPREAD, TRAITS
from upward.matching.style import table as style_table

_PAIR_CHUNK = 1 << 15


def coverage_weights(sizes: F32) -> tuple[F32, F32]:
    """Per person: 1/size of their own list (0 if empty), and the weight of the other
    direction (0.5, or 1 when their own list is empty)."""
    inverse = np.where(sizes > 0, 1.0 / np.maximum(sizes, 1.0), 0.0).astype(np.float32)
    other = np.where(sizes > 0, 0.5, 1.0).astype(np.float32)
    return inverse, other


class CriterionValues(TextSimilarity):
    """The weighted criteria of a :class:`~upward.matching.scoring.Scorer` (one of its bases)."""

    policy: MatchingPolicy
    shares: F64
    share: dict[Criterion, float]
    text_on: bool

    def _features(self) -> tuple[F32, F32]:
        """Leader and mentor features whose product is the weighted sum of every criterion
        except availability and wishes (see :meth:`pair_values` for each formula)."""
        a = self.arrays
        lead, ment = a.leaders, a.mentors
        share = self.share
        left: list[npt.NDArray[Any]] = []
        right: list[npt.NDArray[Any]] = []
        if share[Criterion.TOPICS] > 0:
            inv_l, other_l = coverage_weights(lead.sought.size)
            inv_m, other_m = coverage_weights(ment.sought.size)
            w = share[Criterion.TOPICS]
            left.append(w * lead.sought.dense * inv_l[:, None])
            right.append(ment.offered.dense * other_m[:, None])
            left.append(w * lead.offered.dense * other_l[:, None])
            right.append(ment.sought.dense * inv_m[:, None])
        if share[Criterion.OBJECTIVES] > 0:
            inv_l, _ = coverage_weights(lead.objectives.size)
            inv_m, _ = coverage_weights(ment.objectives.size)
            w = 0.5 * share[Criterion.OBJECTIVES]
            left.append(w * lead.objectives.dense * inv_l[:, None])
            right.append(ment.objectives.dense)
            left.append(w * lead.objectives.dense)
            right.append(ment.objectives.dense * inv_m[:, None])
        if share[Criterion.RECIPROCITY] > 0:
            # Half for each direction; a side that seeks nothing gives its half to nobody.
            inv_l, _ = coverage_weights(lead.sought.size)
            inv_m, _ = coverage_weights(ment.sought.size)
            w = 0.5 * share[Criterion.RECIPROCITY]
            left.append(w * lead.sought.dense * inv_l[:, None])
            right.append(ment.offered.dense)
            left.append(w * lead.offered.dense)
            right.append(ment.sought.dense * inv_m[:, None])
        if share[Criterion.WORKING_STYLE] > 0:
            # One-hot level of the leader's trait against the mentor's column of the trait's
            # table; a trait either did not answer gives 0.
            w = share[Criterion.WORKING_STYLE] / len(TRAITS)
            for t, trait in enumerate(TRAITS):
                values = style_table(
                    COMPLEMENTARY if trait in self.policy.complementary_traits else SIMILAR
                )
                cl, cm = lead.style[:, t], ment.style[:, t]
                left.append(w * _one_hot(cl, LEVELS))
                cols = np.zeros((ment.n, LEVELS))
                known = cm >= 0
                cols[known] = values[:, cm[known]].T
                right.append(cols)
        if self.text_on and self._text_l64 is not None and self._text_m64 is not None:
            left.append(share[Criterion.TEXT] * self._text_l64)
            right.append(self._text_m64)
        dims = a.dimensions
        if share[Criterion.DIFFERENCE] > 0 and dims:
            # Differ on a dimension = both gave a value, minus gave the same value.
            w = share[Criterion.DIFFERENCE] / len(dims)
            for d in range(len(dims)):
                cl, cm = lead.identity[:, d], ment.identity[:, d]
                width = int(max(cl.max(initial=-1), cm.max(initial=-1))) + 1
                left.append(w * (cl >= 0)[:, None])
                right.append((cm >= 0)[:, None])
                left.append(w * _one_hot(cl, width))
                right.append(-_one_hot(cm, width))
        if share[Criterion.SENIORITY] > 0:
            grades = np.unique(ment.grade)
            gap = (lead.grade[:, None] - grades[None, :]) / self.policy.target_grade_gap
            left.append(share[Criterion.SENIORITY] * np.clip(gap, 0.0, 1.0))
            right.append(ment.grade[:, None] == grades[None, :])
        if share[Criterion.CULTURE_CHANGE] > 0:
            value = np.minimum(ment.culture / self.policy.culture_change_cap, 1.0)
            left.append(np.full((lead.n, 1), share[Criterion.CULTURE_CHANGE]))
            right.append(value[:, None])
        if not left:
            left.append(np.zeros((lead.n, 1)))
            right.append(np.zeros((ment.n, 1)))
        x = np.hstack(left).astype(np.float32)
        y = np.hstack(right).astype(np.float32)
        # A feature that is zero for every leader or for every mentor adds nothing: drop it.
        used = (x != 0).any(axis=0) & (y != 0).any(axis=0)
        if not used.any():
            used[0] = True
        return np.ascontiguousarray(x[:, used]), np.ascontiguousarray(y[:, used])

    def pair_values(self, li: npt.ArrayLike, mj: npt.ArrayLike) -> F64:
        """Exact criterion values (pairs x criteria, float64, each in [0, 1]).

        - topics: ``1/2 * shared/sought`` for each side that seeks topics (the whole weight
          goes to one side when only that side seeks any);
        - text: cosine similarity of the TF-IDF rows of "hopes to learn" and "can share";
        - objectives: ``1/2 * shared/chosen`` for each side;
        - seniority: grade gap / target gap, between 0 and 1;
        - difference: share of the sought dimensions on which both gave different values;
        - availability: common hours / target hours, at most 1;
        - culture change: past activities / cap, at most 1;
        - wishes: ``1/2 * (W - rank + 1)/W`` from each side that listed the other;
        - reciprocity (both ways): ``1/2 * shared/sought`` for each direction, 0 for a side
          that seeks nothing.
        """
        li_a = np.asarray(li, dtype=np.int64)
        mj_a = np.asarray(mj, dtype=np.int64)
        out = np.zeros((li_a.size, len(CRITERIA)), dtype=np.float64)
        for start in range(0, li_a.size, _PAIR_CHUNK):
            sl = slice(start, start + _PAIR_CHUNK)
            out[sl] = self._pair_values_chunk(li_a[sl], mj_a[sl])
        return out

    def scores_of(self, li: npt.ArrayLike, mj: npt.ArrayLike) -> F64:
        """Exact scores of a list of pairs, without keeping their criterion values."""
        li_a = np.asarray(li, dtype=np.int64)
        mj_a = np.asarray(mj, dtype=np.int64)
        out = np.zeros(li_a.size, dtype=np.float64)
        for start in range(0, li_a.size, _PAIR_CHUNK):
            sl = slice(start, start + _PAIR_CHUNK)
            values = self._pair_values_chunk(li_a[sl], mj_a[sl], weighted_only=True)
            out[sl] = self.pair_scores(values)
        return out

    def pair_scores(self, values: F64) -> F64:
        """Scores in [0, 100] from :meth:`pair_values`."""
        scores: F64 = np.clip(values @ self.shares, 0.0, 100.0)
        return scores

    def common_hours(self, li: I64, mj: I64) -> I64:
        """Hours a week both people are free (0 when either did not say)."""
        return _common(self.arrays.leaders.avail, self.arrays.mentors.avail, li, mj)

    def _style_values(self, li: I64, mj: I64) -> F64:
        """Working style: mean over the traits of each trait's value (0 where not given)."""
        cl, cm = self.arrays.leaders.style[li], self.arrays.mentors.style[mj]
        gap = np.abs(cl - cm).astype(np.float64) / 2.0 / SPREAD
        total = np.zeros(li.size, dtype=np.float64)
        for t, trait in enumerate(TRAITS):
            value = gap[:, t] if trait in self.policy.complementary_traits else 1.0 - gap[:, t]
            total += np.where((cl[:, t] >= 0) & (cm[:, t] >= 0), value, 0.0)
        out: F64 = total / len(TRAITS)
        return out

    def _pair_values_chunk(self, li: I64, mj: I64, *, weighted_only: bool = False) -> F64:
        """Criterion values of a chunk of pairs; with ``weighted_only`` the criteria the policy
        gives no weight are left at 0 (they add nothing to a score)."""
        lead, ment = self.arrays.leaders, self.arrays.mentors
        pol = self.policy
        vals = np.zeros((li.size, len(CRITERIA)), dtype=np.float64)
        col = {c: i for i, c in enumerate(CRITERIA)}
        share = self.share

        def wanted(c: Criterion) -> bool:
            return not weighted_only or share[c] > 0

        sought_offered = offered_sought = None
        if wanted(Criterion.TOPICS) or wanted(Criterion.RECIPROCITY):
            sought_offered = _common(lead.sought, ment.offered, li, mj)
            offered_sought = _common(lead.offered, ment.sought, li, mj)
        if sought_offered is not None and offered_sought is not None:
            if wanted(Criterion.TOPICS):
                vals[:, col[Criterion.TOPICS]] = _coverage(
                    sought_offered, lead.sought.size[li], offered_sought, ment.sought.size[mj]
                )
            if wanted(Criterion.RECIPROCITY):
                vals[:, col[Criterion.RECIPROCITY]] = both_ways(
                    sought_offered, lead.sought.size[li], offered_sought, ment.sought.size[mj]
                )
        if wanted(Criterion.TEXT):
            vals[:, col[Criterion.TEXT]] = self.text_similarity(li, mj)
        if wanted(Criterion.OBJECTIVES):
            inter = _common(lead.objectives, ment.objectives, li, mj)
            vals[:, col[Criterion.OBJECTIVES]] = _coverage(
                inter, lead.objectives.size[li], inter, ment.objectives.size[mj]
            )
        if wanted(Criterion.SENIORITY):
            gap = lead.grade[li].astype(np.float64) - ment.grade[mj]
            vals[:, col[Criterion.SENIORITY]] = np.clip(gap / pol.target_grade_gap, 0.0, 1.0)
        dims = self.arrays.dimensions
        if dims and wanted(Criterion.DIFFERENCE):
            cl, cm = lead.identity[li], ment.identity[mj]
            differ = ((cl != cm) & (cl >= 0) & (cm >= 0)).sum(axis=1)
            vals[:, col[Criterion.DIFFERENCE]] = differ / len(dims)
        if wanted(Criterion.AVAILABILITY):
            hours = self.common_hours(li, mj)
            vals[:, col[Criterion.AVAILABILITY]] = np.minimum(hours / pol.target_common_hours, 1.0)
        if wanted(Criterion.CULTURE_CHANGE):
            vals[:, col[Criterion.CULTURE_CHANGE]] = np.minimum(
                ment.culture[mj].astype(np.float64) / pol.culture_change_cap, 1.0
            )
        if wanted(Criterion.PREFERENCES):
            _, wish = self.arrays.wishes.table.lookup(li, mj)
            vals[:, col[Criterion.PREFERENCES]] = wish
        if wanted(Criterion.WORKING_STYLE):
            vals[:, col[Criterion.WORKING_STYLE]] = self._style_values(li, mj)
        return vals


def _common(left: SetColumn, right: SetColumn, li: I64, mj: I64) -> I64:
    """Size of the intersection of two set columns, pair by pair."""
    both = left.bits[li] & right.bits[mj]
    out: I64 = np.bitwise_count(both).sum(axis=1, dtype=np.int64)
    return out


def _coverage(shared_l: I64, size_l: F32, shared_m: I64, size_m: F32) -> F64:
    """Half of each side's covered share; all of it when only one side listed anything."""
    sl = np.asarray(size_l, dtype=np.float64)
    sm = np.asarray(size_m, dtype=np.float64)
    part_l = np.where(sl > 0, shared_l / np.maximum(sl, 1.0), 0.0)
    part_m = np.where(sm > 0, shared_m / np.maximum(sm, 1.0), 0.0)
    out: F64 = part_l * np.where(sm > 0, 0.5, 1.0) + part_m * np.where(sl > 0, 0.5, 1.0)
    return out


def both_ways(shared_l: I64, size_l: F32, shared_m: I64, size_m: F32) -> F64:
    """Half of the share of the leader's sought topics the mentor offers, plus half of the share
    of the mentor's sought topics the leader offers (0 for a side that seeks nothing)."""
    sl = np.asarray(size_l, dtype=np.float64)
    sm = np.asarray(size_m, dtype=np.float64)
    part_l = np.where(sl > 0, shared_l / np.maximum(sl, 1.0), 0.0)
    part_m = np.where(sm > 0, shared_m / np.maximum(sm, 1.0), 0.0)
    out: F64 = 0.5 * part_l + 0.5 * part_m
    return out


def _one_hot(codes: npt.NDArray[np.int32], width: int) -> F32:
    """Rows of zeros with a one at each code (no one where the code is -1)."""
    out = np.zeros((codes.size, max(width, 1)), dtype=np.float32)
    known = np.flatnonzero(codes >= 0)
    out[known, codes[known]] = 1.0
    return out
