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
from itertools import pairwise

import numpy as np
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
    return (
        len(word) > 2
        and word not in ENGLISH_STOP_WORDS
        and word not in PROGRAMME_WORDS
        and _zipf(word) < COMMON_ZIPF
    )


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    """A light plural fold, so "promotion" and "promotions" count as one theme."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _phrases(words: list[str]) -> dict[tuple[str, ...], str]:
    """Two-word phrases with no function word in them and at least one meaningful word,
    keyed by their folded form."""
    out: dict[tuple[str, ...], str] = {}
    for a, b in pairwise(words):
        if a in ENGLISH_STOP_WORDS or b in ENGLISH_STOP_WORDS or len(a) < 3 or len(b) < 3:
            continue
        if a in PROGRAMME_WORDS and b in PROGRAMME_WORDS:
            continue
        if carries_meaning(a) or carries_meaning(b):
            out.setdefault((_stem(a), _stem(b)), f"{a} {b}")
    return out


def shared_themes(first: str, second: str, limit: int = 3) -> list[str]:
    """The phrases and words that carry meaning in both texts, phrases first, rarest words
    first (so "promotion process" and "sponsor" come before "decisions")."""
    words_a, words_b = _words(first), _words(second)
    if not words_a or not words_b:
        return []
    phrases_a, phrases_b = _phrases(words_a), _phrases(words_b)
    # Overlapping phrases ("promotion process", "process feels"): the one with the rarer
    # word wins.
    candidates = sorted(
        (k for k in phrases_a if k in phrases_b),
        key=lambda k: min(_zipf(w) for w in phrases_a[k].split()),
    )
    themes: list[str] = []
    covered: set[str] = set()
    for key in candidates:
        if not covered & set(key):
            themes.append(phrases_a[key])
            covered |= set(key)
    stems_b = {_stem(w) for w in words_b if carries_meaning(w)}
    single: dict[str, str] = {}
    for word in words_a:
        stem = _stem(word)
        if stem in stems_b and stem not in covered and carries_meaning(word):
            single.setdefault(stem, word)
    ranked = sorted(single.values(), key=lambda w: (_zipf(w), w))
    return (themes + ranked)[:limit]
