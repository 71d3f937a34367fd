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

:class:`Scorer` is built from bases kept in their own modules: the hard rules
(:class:`~upward.matching.rules.RuleChecks` in ``rules.py``), the criterion values and block
features (:class:`~upward.matching.criteria.CriterionValues` in ``criteria.py``) and text
similarity (:class:`~upward.matching.similarity.TextSimilarity` in ``similarity.py``). This
module holds its construction, the availability pattern tables, mentor views and block scoring;
``Rule``, ``RULES``, ``coverage_weights`` and the ``DENSE_TEXT_*`` limits are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]

from upward.matching.arrays import F32, F64, I32, I64, U64, Bool, PairTable, ProblemArrays
from upward.matching.criteria import coverage_weights
from upward.matching.policy import CRITERIA, Criterion, MatchingPolicy
from upward.matching.rules import RULES, Rule, RuleChecks
from upward.matching.similarity import DENSE_TEXT_CELLS, DENSE_TEXT_TERMS

__all__ = [
    "AVAIL_TABLE_CELLS",
    "DENSE_TEXT_CELLS",
    "DENSE_TEXT_TERMS",
    "RULES",
    "MentorView",
    "Rule",
    "Scorer",
    "coverage_weights",
]

# Common hours come from a pattern table when it has at most this many cells.
AVAIL_TABLE_CELLS = 1 << 24


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


class Scorer(RuleChecks):
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
        self._text_rows: sp.csr_array | None = None
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

    def mentor_appeal(self) -> F64:
        """Each mentor's score with an average leader (the mean of the leaders' features; text,
        availability and wishes left out): a cheap guess at how sought after they are."""
        mean = self._features_l.astype(np.float64).mean(axis=0)
        out: F64 = self._features_m.astype(np.float64) @ mean
        return out

    def block_terms(self) -> int:
        """Most terms summed into one pair's block score (feature columns, then the words of
        the longest leader text when text is multiplied as sparse rows)."""
        terms = int(self._features_l.shape[1])
        if self.text_on and self._text_l64 is None:
            indptr = self.arrays.text.leaders.indptr
            terms += int(np.diff(indptr).max(initial=0))
        return terms

    def pair_block_scores(self, li: I64, mj: I64, *, rules: bool = True) -> F32:
        """What :meth:`block` gives each listed pair (float32; ``-inf`` if a rule fails).

        With ``rules=False`` only the availability rule gives ``-inf``; the caller checks the
        other rules (on fewer pairs).
        """
        out = np.empty(li.size, dtype=np.float32)
        share = self.share
        step = 1 << 12  # the gathered features of a chunk stay in the processor cache
        for s in range(0, li.size, step):
            lc, mc = li[s : s + step], mj[s : s + step]
            part = np.einsum("ij,ij->i", self._features_l[lc], self._features_m[mc])
            if self.text_on and self._text_l64 is None:
                text = self.arrays.text
                sim = text.leaders32[lc].multiply(text.mentors32[mc]).sum(axis=1)
                part += np.float32(share[Criterion.TEXT]) * np.asarray(sim, np.float32).ravel()
            if self._avail_block is not None:
                assert self.avail_pl is not None and self.avail_pm is not None
                with np.errstate(invalid="ignore"):
                    part += self._avail_block[self.avail_pl[lc], self.avail_pm[mc]]
            elif share[Criterion.AVAILABILITY] > 0:
                hours = self.common_hours(lc, mc).astype(np.float32)
                frac = np.minimum(hours / np.float32(self.policy.target_common_hours), 1.0)
                part += np.float32(share[Criterion.AVAILABILITY]) * frac
            if share[Criterion.PREFERENCES] > 0:
                _, wish = self.arrays.wishes.table.lookup(lc, mc)
                part += (share[Criterion.PREFERENCES] * wish).astype(np.float32)
            if rules:
                part[~self.pair_allowed(lc, mc)] = -np.inf
            out[s : s + step] = part
        return out

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


def _add_scaled(score: F32, values: F32, weight: float) -> None:
    """``score += weight * values`` without a temporary (``values`` is overwritten)."""
    values *= np.float32(weight)
    score += values
