"""Text similarity, one of the weighted criteria.

A pair's text value is the cosine similarity of the TF-IDF rows (unit length, built in
``arrays.py``) of the leader's "hopes to learn" and the mentor's "can share".
:class:`TextSimilarity`, a base class of :class:`~upward.matching.scoring.Scorer`, keeps dense
TF-IDF columns of the words used on both sides when there are few of them (they then join the
block product of the weighted criteria; otherwise block scoring multiplies the sparse rows) and
computes the similarity of lists of pairs.
"""

from __future__ import annotations

import numpy as np

from upward.matching.arrays import F64, I64, ProblemArrays

# Text is part of the dense product when at most this many words appear on both sides.
DENSE_TEXT_TERMS = 1024
DENSE_TEXT_CELLS = 1 << 27


class TextSimilarity:
    """The text criterion of a :class:`~upward.matching.scoring.Scorer` (one of its bases)."""

    arrays: ProblemArrays
    _text_terms: I64 | None
    _text_l64: F64 | None
    _text_m64: F64 | None

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
