"""Text similarity, one of the weighted criteria.

A pair's text value is the cosine similarity of the TF-IDF rows (unit length, built in
``arrays.py``) of the leader's "hopes to learn" and the mentor's "can share".
:class:`TextSimilarity`, a base class of :class:`~upward.matching.scoring.Scorer`, keeps dense
TF-IDF columns of the words used on both sides when there are few of them (they then join the
block product of the weighted criteria; otherwise block scoring multiplies the sparse rows) and
computes the similarity of lists of pairs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # type: ignore[import-untyped, unused-ignore]
from wordfreq import zipf_frequency  # type: ignore[import-untyped, unused-ignore]

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
    _text_rows: sp.csr_array | None

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
            rows = sp.csr_array(text.leaders[:, shared])
            rows.sort_indices()
            self._text_rows = rows
            self._text_l64 = np.asarray(rows.toarray(), dtype=np.float64)
            self._text_m64 = np.asarray(text.mentors[:, shared].toarray(), dtype=np.float64)

    def text_similarity(self, li: I64, mj: I64) -> F64:
        """Cosine similarity of the TF-IDF rows of each pair's texts."""
        text = self.arrays.text
        if text.empty or li.size == 0:
            return np.zeros(li.size, dtype=np.float64)
        if self._text_rows is not None and self._text_m64 is not None:
            sims = _sparse_dense_dots(self._text_rows, self._text_m64, li, mj)
        else:
            prod = text.leaders[li].multiply(text.mentors[mj])
            sims = np.asarray(prod.sum(axis=1), dtype=np.float64).ravel()
        out: F64 = np.clip(sims, 0.0, 1.0)
        return out


def _sparse_dense_dots(rows: sp.csr_array, dense: F64, li: I64, mj: I64) -> F64:
    """``rows[li[i]] . dense[mj[i]]`` for every pair, from the nonzeros of the sparse rows.

    A text has a few words among all those used on both sides, so summing over the nonzeros
    alone reads a small fraction of what a product of gathered dense rows would.
    """
    indptr = rows.indptr.astype(np.int64)
    starts = indptr[li]
    counts = indptr[li + 1] - starts
    total = int(counts.sum())
    pair = np.repeat(np.arange(li.size, dtype=np.int64), counts)
    # Position of each listed nonzero in the matrix: its row's start plus its rank in the row.
    first = np.cumsum(counts) - counts
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - first, counts)
    width = dense.shape[1]
    products = rows.data[pos] * dense.reshape(-1)[mj[pair] * width + rows.indices[pos]]
    out: F64 = np.asarray(np.bincount(pair, weights=products, minlength=li.size), np.float64)
    return out


# ----------------------------------------------------------------------------------------------
# Shared themes: the words and short phrases that carry meaning in what both people wrote.

# A word this common in general English (wordfreq's Zipf scale: 5 is about once in every
# 10,000 words, like "speak" or "career"; "feels" is 4.9) says nothing about what two people
# share.
COMMON_ZIPF = 4.85
# Words that are rare in general English but fill every text written for a mentoring
# programme: that two people both mention "meetings" or "colleagues" is no shared theme.
PROGRAMME_WORDS = frozenset(
    (
        "colleague",
        "colleagues",
        "company",
        "day",
        "days",
        "job",
        "jobs",
        "junior",
        "leader",
        "leaders",
        "manager",
        "managers",
        "meeting",
        "meetings",
        "mentor",
        "mentors",
        "mentee",
        "mentees",
        "mentoring",
        "organisation",
        "organisations",
        "organization",
        "organizations",
        "programme",
        "programmes",
        "program",
        "role",
        "roles",
        "senior",
        "staff",
        "team",
        "teams",
        "workplace",
        "year",
        "years",
    )
)
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    value: float = zipf_frequency(word, "en")
    return value


def carries_meaning(word: str) -> bool:
    """A word worth naming as a shared theme: not a function word, not common in general
    English (by word frequency), not a word every mentoring text uses."""
    return _word(word).meaningful


class _Word(NamedTuple):
    """What theme finding needs to know about one word (worked out once per word)."""

    stem: str
    # Worth naming as a theme (see :func:`carries_meaning`).
    meaningful: bool
    # May stand in a two-word phrase: at least 3 letters and not a function word.
    joins: bool
    programme: bool


@lru_cache(maxsize=65536)
def _word(word: str) -> _Word:
    stop = word in ENGLISH_STOP_WORDS
    programme = word in PROGRAMME_WORDS
    meaningful = len(word) > 2 and not stop and not programme and _zipf(word) < COMMON_ZIPF
    return _Word(_stem(word), meaningful, len(word) >= 3 and not stop, programme)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    """A light plural fold, so "promotion" and "promotions" count as one theme."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class Themes(NamedTuple):
    """The themes one text offers: its phrases and its meaningful words, by folded form
    (see :func:`themes_of`)."""

    # Two-word phrases with no function word and at least one meaningful word, in order of
    # first appearance: folded form ("promotion process") -> the phrase as first written.
    phrases: dict[str, str]
    # Meaningful words in order of first appearance: folded form -> the word as first written.
    words: dict[str, str]


def themes_of(text: str) -> Themes:
    """The phrases and meaningful words of one text, to compare with others'
    (:func:`themes_in_common`)."""
    phrases: dict[str, str] = {}
    meaningful: dict[str, str] = {}
    # One pass: each word, and the phrase it ends (with the word before it).
    before, before_stem = "", ""
    before_meaningful = before_joins = before_programme = False
    for word in _words(text):
        stem, is_meaningful, joins, programme = _word(word)
        if is_meaningful and stem not in meaningful:
            meaningful[stem] = word
        if (
            joins
            and before_joins
            and not (programme and before_programme)
            and (is_meaningful or before_meaningful)
        ):
            key = f"{before_stem} {stem}"
            if key not in phrases:
                phrases[key] = f"{before} {word}"
        before, before_stem = word, stem
        before_meaningful, before_joins, before_programme = is_meaningful, joins, programme
    return Themes(phrases, meaningful)


def themes_in_common(mine: Themes, theirs: Themes, limit: int = 3) -> list[str]:
    """The phrases and words that carry meaning in both texts, phrases first, rarest words
    first (so "promotion process" and "sponsor" come before "decisions")."""
    # Overlapping phrases ("promotion process", "process feels"): the one with the rarer
    # word wins.
    candidates = sorted(
        (k for k in mine.phrases if k in theirs.phrases),
        key=lambda k: min(_zipf(w) for w in mine.phrases[k].split()),
    )
    themes: list[str] = []
    covered: set[str] = set()
    for key in candidates:
        stems = set(key.split(" "))
        if not covered & stems:
            themes.append(mine.phrases[key])
            covered |= stems
    single = [
        word for stem, word in mine.words.items() if stem in theirs.words and stem not in covered
    ]
    ranked = sorted(single, key=lambda w: (_zipf(w), w))
    return (themes + ranked)[:limit]


def shared_themes(first: str, second: str, limit: int = 3) -> list[str]:
    """The phrases and words that carry meaning in both texts, phrases first, rarest words
    first (so "promotion process" and "sponsor" come before "decisions")."""
    return themes_in_common(themes_of(first), themes_of(second), limit)
