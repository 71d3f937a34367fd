"""Groups of similar ideas, suggested from their words: TF-IDF over words and two-word phrases
(scikit-learn), cosine similarity, and ideas joined when they are similar enough (single-link,
so a chain of similar ideas is one group). Plain Python, no Django; the coordinator decides."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

# Close enough to suggest together: two short ideas sharing a main word or two.
THRESHOLD = 0.3
WORDS = r"(?u)\b[a-zA-Z]{3,}\b"


def suggest_groups(texts: Sequence[str], threshold: float = THRESHOLD) -> list[list[int]]:
    """Indexes of ``texts`` in groups of two or more, each sorted, the groups in order of their
    first member. Texts with no words in common with another are left out."""
    if len(texts) < 2:
        return []
    vectoriser = TfidfVectorizer(
        stop_words="english", token_pattern=WORDS, ngram_range=(1, 2), sublinear_tf=True
    )
    try:
        matrix = vectoriser.fit_transform([t.lower() for t in texts])
    except ValueError:  # nothing but stop words
        return []
    similarity = cosine_similarity(matrix)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if similarity[i, j] >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
