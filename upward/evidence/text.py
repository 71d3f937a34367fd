"""Free text: sentiment per comment (VADER), themes by keyphrase extraction (TF-IDF over words
and two-word phrases, scikit-learn), and the safeguarding word list. Plain Python, no Django.

Nothing here decides what may be shown: the caller passes only comments the anonymity engine
has released, and shows the aggregate, never one comment's score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# VADER's own cut-offs for a positive or negative compound score.
POSITIVE = 0.05
NEGATIVE = -0.05

# Words and phrases that route a comment to the programme's wellbeing lead. Whole words only,
# any case. Deliberately broad: a false alarm costs a reading, a miss costs far more.
SAFEGUARDING_TERMS = (
    "abuse",
    "abused",
    "abusive",
    "assault",
    "assaulted",
    "bullied",
    "bully",
    "bullying",
    "discriminated",
    "discrimination",
    "harass",
    "harassed",
    "harassment",
    "hopeless",
    "intimidated",
    "kill myself",
    "racist",
    "racism",
    "self-harm",
    "self harm",
    "sexist",
    "suicidal",
    "suicide",
    "threatened",
    "unsafe",
    "want to die",
)


# Words of three letters or more (sklearn's parameter is named like a secret; it is a regex).
WORDS = r"(?u)\b[a-zA-Z]{3,}\b"


@lru_cache(maxsize=1)
def _analyser() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER's compound score, from -1 (most negative) to +1 (most positive)."""
    return float(_analyser().polarity_scores(text)["compound"])


@dataclass(frozen=True)
class Sentiment:
    comments: int
    mean: float
    positive: int
    neutral: int
    negative: int


def sentiment_summary(texts: Sequence[str]) -> Sentiment:
    scores = [sentiment(t) for t in texts]
    return Sentiment(
        comments=len(scores),
        mean=sum(scores) / len(scores) if scores else 0.0,
        positive=sum(1 for s in scores if s >= POSITIVE),
        neutral=sum(1 for s in scores if NEGATIVE < s < POSITIVE),
        negative=sum(1 for s in scores if s <= NEGATIVE),
    )


def themes(texts: Sequence[str], *, top: int = 5) -> list[tuple[str, int]]:
    """The leading keyphrases across the comments, each with how many comments use it.

    A phrase must appear in at least two comments, so no theme is one person's own words.
    """
    docs = [t for t in texts if t.strip()]
    if len(docs) < 2:
        return []
    vectoriser = TfidfVectorizer(
        stop_words="english", ngram_range=(1, 2), min_df=2, token_pattern=WORDS
    )
    try:
        matrix = vectoriser.fit_transform(docs)
    except ValueError:  # nothing left after stop words and min_df
        return []
    weights = matrix.sum(axis=0).A1
    used = (matrix > 0).sum(axis=0).A1
    terms = vectoriser.get_feature_names_out()
    ranked = sorted(range(len(terms)), key=lambda i: (-weights[i], str(terms[i])))
    out: list[tuple[str, int]] = []
    for i in ranked:
        term = str(terms[i])
        # Prefer a phrase over the single words inside a phrase already chosen.
        if any(term in chosen.split() for chosen, _ in out):
            continue
        out.append((term, int(used[i])))
        if len(out) == top:
            break
    return out


_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(t) for t in SAFEGUARDING_TERMS) + r")\b", re.IGNORECASE
)


def worrying_terms(texts: Iterable[str]) -> list[str]:
    """The safeguarding terms found in any of ``texts``, lower-case, sorted, once each."""
    found = {m.group(1).lower() for t in texts for m in _PATTERN.finditer(t)}
    return sorted(found)
