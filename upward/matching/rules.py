"""Hard rules: which pairs each rule removes.

:class:`Rule` names the rules. :class:`RuleChecks`, a base class of
:class:`~upward.matching.scoring.Scorer`, says whether pairs pass every rule, or each rule
separately, for a block of pairs (leaders x a :class:`~upward.matching.scoring.MentorView`)
and for a list of pairs. In a block, reporting lines are found by binary search on the
mentors' Euler-tour entry times and pair lists (please-not, excluded) are scattered into it;
the other rules are vectorised comparisons of attributes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from upward.matching.arrays import F32, F64, I32, I64, Bool, PairTable
from upward.matching.criteria import CriterionValues, _common
from upward.matching.policy import HardRules

if TYPE_CHECKING:
    from upward.matching.scoring import MentorView


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


class RuleChecks(CriterionValues):
    """The hard rules of a :class:`~upward.matching.scoring.Scorer` (one of its bases)."""

    rules: HardRules
    excluded: PairTable
    forbidden: PairTable
    avail_ok: Bool | None
    avail_pl: I64 | None
    _tin_l: I32
    _tout_l: I32

    # -- blocks -------------------------------------------------------------------------------

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

    # -- lists of pairs -----------------------------------------------------------------------

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
