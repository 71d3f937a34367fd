"""Hard rules and weighted criteria, computed on blocks of pairs or on lists of pairs.

Two code paths compute the same numbers:

- :meth:`Scorer.block` scores every pair of a block of leaders and a block of mentors at once
  (float32). Every criterion except availability and wishes is a sum over attributes of the
  two people, so together they are one matrix product of a leader feature matrix and a mentor
  feature matrix with the policy weights folded in; availability comes from a table over
  availability patterns, wishes are added at their few positions. It is used to find
  candidates and scans tens of millions of pairs a second.
- :meth:`Scorer.pair_values` computes each criterion of a list of pairs exactly (float64,
  bit counts). Final scores and explanations come from this path.

Every criterion value lies in [0, 1]; a pair's score is ``sum(share_c * value_c)`` where the
shares come from the policy weights and add up to 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]

from upward.matching.arrays import (
    F32,
    F64,
    I32,
    I64,
    U64,
    Bool,
    PairTable,
    ProblemArrays,
    SetColumn,
)
from upward.matching.policy import CRITERIA, Criterion, MatchingPolicy

_PAIR_CHUNK = 1 << 15
# Text is part of the dense product when at most this many words appear on both sides.
DENSE_TEXT_TERMS = 1024
DENSE_TEXT_CELLS = 1 << 27
# Common hours come from a pattern table when it has at most this many cells.
AVAIL_TABLE_CELLS = 1 << 24


class Rule(StrEnum):
    """Hard rules, in the order used to explain why someone has no possible partner."""

    REPORTING_LINE = "reporting_line"
    PLEASE_NOT = "please_not"
    LANGUAGE = "language"
    AVAILABILITY = "availability"
    GRADE_GAP = "grade_gap"
    SAME_DEPARTMENT = "same_department"
    SAME_ORGANISATION = "same_organisation"
    EXCLUDED = "excluded"
    CAPACITY = "capacity"


RULES: tuple[Rule, ...] = tuple(Rule)


@dataclass
class MentorView:
    """Columns of the mentor arrays for one set of mentors, reused across leader blocks."""

    mj: I64
    col_of: I64 | None
    features: F32  # mentors x features
    text_sparse: sp.csr_array | None
    avail_pattern: I64 | None
    avail_t: F32 | None
    avail_known: Bool
    grade: I32
    max_grade: int
    dept: I32
    org: I32
    tin: I32
    tout: I32
    tin_order: I64
    tin_sorted: I32
    managers: I64
    lang_bits: U64
    lang_known: Bool
    has_place: Bool

    @property
    def size(self) -> int:
        return int(self.mj.size)


def coverage_weights(sizes: F32) -> tuple[F32, F32]:
    """Per person: 1/size of their own list (0 if empty), and the weight of the other
    direction (0.5, or 1 when their own list is empty)."""
    inverse = np.where(sizes > 0, 1.0 / np.maximum(sizes, 1.0), 0.0).astype(np.float32)
    other = np.where(sizes > 0, 0.5, 1.0).astype(np.float32)
    return inverse, other


class Scorer:
    """Rules and scores for one set of participants, one policy and one set of exclusions."""

    def __init__(
        self, arrays: ProblemArrays, policy: MatchingPolicy, excluded: PairTable | None = None
    ) -> None:
        self.arrays = arrays
        self.policy = policy
        self.rules = policy.rules
        n_l, n_m = arrays.leaders.n, arrays.mentors.n
        self.excluded = excluded if excluded is not None else PairTable.empty(n_l, n_m)
        self.forbidden = arrays.please_not.union(self.excluded)
        shares = policy.shares()
        self.shares = np.array([shares[c] for c in CRITERIA], dtype=np.float64)
        self.share = {c: float(shares[c]) for c in CRITERIA}
        lead, ment = arrays.leaders, arrays.mentors
        self._tin_l = lead.tin.astype(np.int32)
        self._tout_l = lead.tout.astype(np.int32)
        self._tin_m = ment.tin.astype(np.int32)
        self._tout_m = ment.tout.astype(np.int32)
        self.text_on = self.share[Criterion.TEXT] > 0 and not arrays.text.empty
        self._text_terms: I64 | None = None
        self._text_l64: F64 | None = None
        self._text_m64: F64 | None = None
        if not arrays.text.empty:
            self._prepare_text()
        self._features_l, self._features_m = self._features()
        self._hours_on = self.share[Criterion.AVAILABILITY] > 0 or self.rules.min_common_hours > 0
        self.avail_value: F32 | None = None
        self.avail_ok: Bool | None = None
        self.avail_pl: I64 | None = None
        self.avail_pm: I64 | None = None
        self.avail_patterns_l: U64 | None = None
        self._avail_block: F32 | None = None
        if self._hours_on:
            self._prepare_availability()
        self._full_view: MentorView | None = None

    # -- preparation --------------------------------------------------------------------------

    def _prepare_text(self) -> None:
        """Dense TF-IDF columns for the words used on both sides, when there are few."""
        text = self.arrays.text
        in_l = np.zeros(text.terms.size, dtype=bool)
        in_l[text.leaders.indices] = True
        in_m = np.zeros(text.terms.size, dtype=bool)
        in_m[text.mentors.indices] = True
        shared = np.flatnonzero(in_l & in_m)
        n_l, n_m = self.arrays.leaders.n, self.arrays.mentors.n
        cells = (n_l + n_m) * max(shared.size, 1)
        if shared.size <= DENSE_TEXT_TERMS and cells <= DENSE_TEXT_CELLS:
            self._text_terms = shared
            self._text_l64 = np.asarray(text.leaders[:, shared].toarray(), dtype=np.float64)
            self._text_m64 = np.asarray(text.mentors[:, shared].toarray(), dtype=np.float64)

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

    def _prepare_availability(self) -> None:
        """Tables over availability patterns: weighted availability value and the rule."""
        lead, ment = self.arrays.leaders, self.arrays.mentors
        key_l = np.hstack([lead.avail.bits, lead.avail_known.astype(np.uint64)[:, None]])
        key_m = np.hstack([ment.avail.bits, ment.avail_known.astype(np.uint64)[:, None]])
        pat_l, inv_l = np.unique(key_l, axis=0, return_inverse=True)
        pat_m, inv_m = np.unique(key_m, axis=0, return_inverse=True)
        if pat_l.shape[0] * pat_m.shape[0] > AVAIL_TABLE_CELLS:
            return
        hours = np.zeros((pat_l.shape[0], pat_m.shape[0]), dtype=np.float32)
        step = max(1, (1 << 20) // max(pat_m.shape[0], 1))
        for s in range(0, pat_l.shape[0], step):
            both = pat_l[s : s + step, None, :-1] & pat_m[None, :, :-1]
            hours[s : s + step] = np.bitwise_count(both).sum(axis=2)
        value = np.minimum(hours / np.float32(self.policy.target_common_hours), 1.0)
        self.avail_value = (self.share[Criterion.AVAILABILITY] * value).astype(np.float32)
        unknown = (pat_l[:, -1] == 0)[:, None] | (pat_m[:, -1] == 0)[None, :]
        self.avail_ok = (hours >= np.float32(self.rules.min_common_hours)) | unknown
        # What block scoring adds: the weighted value, or -inf where the rule fails.
        self._avail_block = np.where(self.avail_ok, self.avail_value, np.float32(-np.inf))
        self.avail_patterns_l = pat_l[:, :-1]
        self.avail_pl = inv_l.ravel().astype(np.int64)
        self.avail_pm = inv_m.ravel().astype(np.int64)

    # -- blocks -------------------------------------------------------------------------------

    def mentor_view(self, mj: I64 | None = None) -> MentorView:
        """Mentor columns for block scoring; ``None`` means every mentor (cached)."""
        if mj is None:
            if self._full_view is None:
                full = np.arange(self.arrays.mentors.n, dtype=np.int64)
                self._full_view = self._make_view(full, every=True)
            return self._full_view
        return self._make_view(np.asarray(mj, dtype=np.int64), every=False)

    def _make_view(self, mj: I64, *, every: bool) -> MentorView:
        ment = self.arrays.mentors
        col_of = None
        if not every:
            col_of = np.full(ment.n, -1, dtype=np.int64)
            col_of[mj] = np.arange(mj.size)

        def rows(x: Any) -> Any:
            return x if every else x[mj]

        text_sparse = None
        if self.text_on and self._text_l64 is None:
            text_sparse = sp.csr_array(rows(self.arrays.text.mentors32).T)
        tin, tout = rows(self._tin_m), rows(self._tout_m)
        tin_order = np.argsort(tin, kind="stable")
        avail_t = None
        avail_pattern = None
        if self._hours_on:
            if self.avail_pm is not None:
                avail_pattern = rows(self.avail_pm)
            else:
                avail_t = np.ascontiguousarray(rows(ment.avail.dense).T)
        return MentorView(
            mj=mj,
            col_of=col_of,
            features=self._features_m if every else self._features_m[mj],
            text_sparse=text_sparse,
            avail_pattern=avail_pattern,
            avail_t=avail_t,
            avail_known=rows(ment.avail_known),
            grade=rows(ment.grade),
            max_grade=int(rows(ment.grade).max(initial=np.iinfo(np.int32).min)),
            dept=rows(ment.dept),
            org=rows(ment.org),
            tin=tin,
            tout=tout,
            tin_order=tin_order,
            tin_sorted=tin[tin_order],
            managers=np.flatnonzero(tout - tin > 1),
            lang_bits=rows(ment.languages.bits),
            lang_known=rows(ment.lang_known),
            has_place=rows(ment.capacity) > 0,
        )

    def block(self, li: I64, view: MentorView) -> F32:
        """Scores of every pair of leaders ``li`` x the view's mentors (float32).

        Pairs that break a hard rule get ``-inf``.
        """
        share = self.share
        table = view.avail_pattern is not None and self._avail_block is not None
        ok = self.allowed_block(li, view, availability=not table)
        score: F32 = self._features_l[li] @ view.features.T
        if view.text_sparse is not None:
            sim = (self.arrays.text.leaders32[li] @ view.text_sparse).toarray()
            _add_scaled(score, sim, share[Criterion.TEXT])
        if table:
            assert self._avail_block is not None and self.avail_pl is not None
            assert view.avail_pattern is not None
            score += np.take(self._avail_block[self.avail_pl[li]], view.avail_pattern, axis=1)
        elif share[Criterion.AVAILABILITY] > 0:
            frac = self._hours_product(li, view)
            frac *= np.float32(1.0 / self.policy.target_common_hours)
            np.minimum(frac, 1.0, out=frac)
            _add_scaled(score, frac, share[Criterion.AVAILABILITY])
        if share[Criterion.PREFERENCES] > 0:
            rows, cols, vals = self._scatter(self.arrays.wishes.table, li, view)
            score[rows, cols] += (share[Criterion.PREFERENCES] * vals).astype(np.float32)
        np.logical_not(ok, out=ok)
        np.putmask(score, ok, np.float32(-np.inf))
        return score

    def _hours_product(self, li: I64, view: MentorView) -> F32:
        assert view.avail_t is not None
        product: F32 = self.arrays.leaders.avail.dense[li] @ view.avail_t
        return product

    def _scatter(self, table: PairTable, li: I64, view: MentorView) -> tuple[I64, I64, F64]:
        """Block positions (row, column) and values of the table's pairs inside the block."""
        owner, mentors, values = table.rows(li)
        if view.col_of is None or owner.size == 0:
            return owner, mentors, values
        cols = view.col_of[mentors]
        keep = cols >= 0
        return owner[keep], cols[keep], values[keep]

    def allowed_block(self, li: I64, view: MentorView, *, availability: bool = True) -> Bool:
        """Whether each pair of the block passes every hard rule.

        With ``availability=False`` the availability rule is left to the caller.
        """
        ok = np.empty((li.size, view.size), dtype=bool)
        ok[:] = view.has_place[None, :]
        for rule, mask in self._rule_masks(li, view, availability=availability):
            if rule is not Rule.REPORTING_LINE:
                ok &= mask
        if self.rules.no_reporting_line:
            rows, cols = self._same_line(li, view)
            ok[rows, cols] = False
        rows, cols, _ = self._scatter(self.forbidden, li, view)
        ok[rows, cols] = False
        return ok

    def rule_pass_block(self, li: I64, view: MentorView) -> dict[Rule, Bool]:
        """For each rule in force, whether each pair of the block passes it (b x m masks)."""
        b, m = li.size, view.size
        out: dict[Rule, Bool] = {}
        out[Rule.CAPACITY] = np.broadcast_to(view.has_place[None, :], (b, m))
        for rule, mask in self._rule_masks(li, view, availability=True, allow_shortcuts=False):
            out[rule] = np.broadcast_to(mask, (b, m))
        if self.rules.no_reporting_line:
            full = np.ones((b, m), dtype=bool)
            rows, cols = self._same_line(li, view)
            full[rows, cols] = False
            out[Rule.REPORTING_LINE] = full
        for rule, table in (
            (Rule.PLEASE_NOT, self.arrays.please_not),
            (Rule.EXCLUDED, self.excluded),
        ):
            full = np.ones((b, m), dtype=bool)
            rows, cols, _ = self._scatter(table, li, view)
            full[rows, cols] = False
            out[rule] = full
        return out

    def _same_line(self, li: I64, view: MentorView) -> tuple[I64, I64]:
        """Block positions of pairs in one reporting line (either above the other).

        Found by binary search on the mentors' Euler-tour entry times, so the cost grows with
        the number of such pairs, not with the size of the block.
        """
        tin_l, tout_l = self._tin_l[li], self._tout_l[li]
        # Mentors below a leader: entry time strictly inside the leader's interval.
        lo = np.searchsorted(view.tin_sorted, tin_l, side="right")
        hi = np.searchsorted(view.tin_sorted, tout_l, side="left")
        counts = np.maximum(hi - lo, 0)
        total = int(counts.sum())
        rows_parts: list[I64] = []
        cols_parts: list[I64] = []
        if total:
            rows_below = np.repeat(np.arange(li.size, dtype=np.int64), counts)
            offsets = np.arange(total, dtype=np.int64) - np.repeat(
                np.cumsum(counts) - counts, counts
            )
            rows_parts.append(rows_below)
            cols_parts.append(view.tin_order[np.repeat(lo, counts) + offsets])
        # Mentors above a leader: only mentors who manage someone can be.
        if view.managers.size:
            tm = view.tin[view.managers]
            om = view.tout[view.managers]
            inside = (tm[None, :] < tin_l[:, None]) & (tin_l[:, None] < om[None, :])
            r, c = np.nonzero(inside)
            rows_parts.append(r.astype(np.int64))
            cols_parts.append(view.managers[c])
        if not rows_parts:
            z = np.zeros(0, dtype=np.int64)
            return z, z
        return np.concatenate(rows_parts), np.concatenate(cols_parts)

    def _rule_masks(
        self, li: I64, view: MentorView, *, availability: bool, allow_shortcuts: bool = True
    ) -> list[tuple[Rule, Bool]]:
        """Masks of the attribute-based rules in force (reporting lines, capacity and pair
        lists are handled separately)."""
        lead = self.arrays.leaders
        rules = self.rules
        out: list[tuple[Rule, Bool]] = []
        if rules.min_grade_gap is not None:
            grades = lead.grade[li]
            if int(grades.min()) - view.max_grade < rules.min_grade_gap:  # else all pass
                gap = grades[:, None] - view.grade[None, :]
                out.append((Rule.GRADE_GAP, gap >= rules.min_grade_gap))
            elif not allow_shortcuts:
                out.append((Rule.GRADE_GAP, np.ones((li.size, view.size), dtype=bool)))
        if rules.ban_same_department:
            dl = lead.dept[li][:, None]
            out.append((Rule.SAME_DEPARTMENT, (dl != view.dept[None, :]) | (dl < 0)))
        if rules.ban_same_organisation:
            org_l = lead.org[li][:, None]
            out.append((Rule.SAME_ORGANISATION, (org_l != view.org[None, :]) | (org_l < 0)))
        if rules.require_shared_language:
            bl, bm = lead.languages.bits[li], view.lang_bits
            shared = (bl[:, 0][:, None] & bm[:, 0][None, :]) != 0
            for w in range(1, bl.shape[1]):
                shared |= (bl[:, w][:, None] & bm[:, w][None, :]) != 0
            shared |= ~lead.lang_known[li][:, None]
            shared |= ~view.lang_known[None, :]
            out.append((Rule.LANGUAGE, shared))
        if rules.min_common_hours > 0 and availability:
            if view.avail_pattern is not None:
                assert self.avail_ok is not None and self.avail_pl is not None
                enough = np.take(self.avail_ok[self.avail_pl[li]], view.avail_pattern, axis=1)
            else:
                enough = self._hours_product(li, view) >= np.float32(rules.min_common_hours)
                enough |= ~lead.avail_known[li][:, None]
                enough |= ~view.avail_known[None, :]
            out.append((Rule.AVAILABILITY, enough))
        return out

    # ------------------------------------------------------------------------------------------
    # Lists of pairs

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
        - wishes: ``1/2 * (W - rank + 1)/W`` from each side that listed the other.
        """
        li_a = np.asarray(li, dtype=np.int64)
        mj_a = np.asarray(mj, dtype=np.int64)
        out = np.zeros((li_a.size, len(CRITERIA)), dtype=np.float64)
        for start in range(0, li_a.size, _PAIR_CHUNK):
            sl = slice(start, start + _PAIR_CHUNK)
            out[sl] = self._pair_values_chunk(li_a[sl], mj_a[sl])
        return out

    def pair_scores(self, values: F64) -> F64:
        """Scores in [0, 100] from :meth:`pair_values`."""
        scores: F64 = np.clip(values @ self.shares, 0.0, 100.0)
        return scores

    def common_hours(self, li: I64, mj: I64) -> I64:
        """Hours a week both people are free (0 when either did not say)."""
        return _common(self.arrays.leaders.avail, self.arrays.mentors.avail, li, mj)

    def _pair_values_chunk(self, li: I64, mj: I64) -> F64:
        lead, ment = self.arrays.leaders, self.arrays.mentors
        pol = self.policy
        vals = np.zeros((li.size, len(CRITERIA)), dtype=np.float64)
        col = {c: i for i, c in enumerate(CRITERIA)}
        vals[:, col[Criterion.TOPICS]] = _coverage(
            _common(lead.sought, ment.offered, li, mj),
            lead.sought.size[li],
            _common(lead.offered, ment.sought, li, mj),
            ment.sought.size[mj],
        )
        vals[:, col[Criterion.TEXT]] = self.text_similarity(li, mj)
        inter = _common(lead.objectives, ment.objectives, li, mj)
        vals[:, col[Criterion.OBJECTIVES]] = _coverage(
            inter, lead.objectives.size[li], inter, ment.objectives.size[mj]
        )
        gap = lead.grade[li].astype(np.float64) - ment.grade[mj]
        vals[:, col[Criterion.SENIORITY]] = np.clip(gap / pol.target_grade_gap, 0.0, 1.0)
        dims = self.arrays.dimensions
        if dims:
            cl, cm = lead.identity[li], ment.identity[mj]
            differ = ((cl != cm) & (cl >= 0) & (cm >= 0)).sum(axis=1)
            vals[:, col[Criterion.DIFFERENCE]] = differ / len(dims)
        hours = self.common_hours(li, mj)
        vals[:, col[Criterion.AVAILABILITY]] = np.minimum(hours / pol.target_common_hours, 1.0)
        vals[:, col[Criterion.CULTURE_CHANGE]] = np.minimum(
            ment.culture[mj].astype(np.float64) / pol.culture_change_cap, 1.0
        )
        _, wish = self.arrays.wishes.table.lookup(li, mj)
        vals[:, col[Criterion.PREFERENCES]] = wish
        return vals

    def text_similarity(self, li: I64, mj: I64) -> F64:
        """Cosine similarity of the TF-IDF rows of each pair's texts."""
        text = self.arrays.text
        if text.empty or li.size == 0:
            return np.zeros(li.size, dtype=np.float64)
        if self._text_l64 is not None and self._text_m64 is not None:
            sims = np.einsum("ij,ij->i", self._text_l64[li], self._text_m64[mj])
        else:
            prod = text.leaders[li].multiply(text.mentors[mj])
            sims = np.asarray(prod.sum(axis=1), dtype=np.float64).ravel()
        out: F64 = np.clip(sims, 0.0, 1.0)
        return out

    def pair_rule_pass(
        self, li: npt.ArrayLike, mj: npt.ArrayLike, *, mentor_load: npt.ArrayLike | None = None
    ) -> dict[Rule, Bool]:
        """For each rule in force, whether each listed pair passes it.

        ``mentor_load`` (per listed pair) counts leaders the mentor already has; the capacity
        rule fails when it has reached the mentor's capacity.
        """
        lead, ment = self.arrays.leaders, self.arrays.mentors
        rules = self.rules
        li_a = np.asarray(li, dtype=np.int64)
        mj_a = np.asarray(mj, dtype=np.int64)
        load = (
            np.zeros(li_a.size, dtype=np.int64)
            if mentor_load is None
            else np.asarray(mentor_load, dtype=np.int64)
        )
        out: dict[Rule, Bool] = {Rule.CAPACITY: ment.capacity[mj_a] > load}
        if rules.no_reporting_line:
            out[Rule.REPORTING_LINE] = ~self.arrays.tree.in_same_line(
                lead.node[li_a], ment.node[mj_a]
            )
        if rules.min_grade_gap is not None:
            out[Rule.GRADE_GAP] = (lead.grade[li_a] - ment.grade[mj_a]) >= rules.min_grade_gap
        if rules.ban_same_department:
            dl = lead.dept[li_a]
            out[Rule.SAME_DEPARTMENT] = (dl != ment.dept[mj_a]) | (dl < 0)
        if rules.ban_same_organisation:
            ol = lead.org[li_a]
            out[Rule.SAME_ORGANISATION] = (ol != ment.org[mj_a]) | (ol < 0)
        if rules.require_shared_language:
            shared = _common(lead.languages, ment.languages, li_a, mj_a) > 0
            out[Rule.LANGUAGE] = shared | ~lead.lang_known[li_a] | ~ment.lang_known[mj_a]
        if rules.min_common_hours > 0:
            hours = self.common_hours(li_a, mj_a)
            out[Rule.AVAILABILITY] = (
                (hours >= rules.min_common_hours)
                | ~lead.avail_known[li_a]
                | ~ment.avail_known[mj_a]
            )
        out[Rule.PLEASE_NOT] = ~self.arrays.please_not.lookup(li_a, mj_a)[0]
        out[Rule.EXCLUDED] = ~self.excluded.lookup(li_a, mj_a)[0]
        return out

    def pair_allowed(self, li: npt.ArrayLike, mj: npt.ArrayLike) -> Bool:
        """Whether each listed pair passes every hard rule (with no leaders assigned yet)."""
        passes = self.pair_rule_pass(li, mj)
        ok = np.ones(np.asarray(li).size, dtype=bool)
        for mask in passes.values():
            ok &= mask
        return ok


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


def _one_hot(codes: npt.NDArray[np.int32], width: int) -> F32:
    """Rows of zeros with a one at each code (no one where the code is -1)."""
    out = np.zeros((codes.size, max(width, 1)), dtype=np.float32)
    known = np.flatnonzero(codes >= 0)
    out[known, codes[known]] = 1.0
    return out


def _add_scaled(score: F32, values: F32, weight: float) -> None:
    """``score += weight * values`` without a temporary (``values`` is overwritten)."""
    values *= np.float32(weight)
    score += values
