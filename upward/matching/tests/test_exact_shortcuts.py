"""The faster ways of computing pair keys, text similarity and scores give exactly what the
plain ways give."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.matching import MatchingProblem
from upward.matching.arrays import sorted_unique
from upward.matching.policy import CRITERIA, Criterion, Weights
from upward.matching.synthetic import generate


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**40), max_size=60))
def test_sorted_unique_is_numpys_unique(values: list[int]) -> None:
    got = sorted_unique(np.asarray(values, dtype=np.int64))
    assert got.dtype == np.int64
    assert got.tolist() == np.unique(np.asarray(values, dtype=np.int64)).tolist()


def _problem(weights: Weights | None = None) -> MatchingProblem:
    prog = generate(800, seed=3)
    policy = prog.policy if weights is None else replace(prog.policy, weights=weights)
    return MatchingProblem(prog.leaders, prog.mentors, policy)


def _random_pairs(problem: MatchingProblem, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    li = rng.integers(0, problem.arrays.leaders.n, n).astype(np.int64)
    mj = rng.integers(0, problem.arrays.mentors.n, n).astype(np.int64)
    return li, mj


def test_text_similarity_from_nonzeros_is_the_dense_product() -> None:
    problem = _problem()
    scorer = problem.scorer()
    assert scorer._text_l64 is not None and scorer._text_m64 is not None
    li, mj = _random_pairs(problem, 20_000)
    dense = np.clip(np.einsum("ij,ij->i", scorer._text_l64[li], scorer._text_m64[mj]), 0, 1)
    got = scorer.text_similarity(li, mj)
    assert np.abs(got - dense).max() <= 1e-12
    assert (got > 0).sum() > 1000  # the pairs do share words
    # The full TF-IDF rows (words used by one side only included) give the same.
    text = problem.arrays.text
    full = np.asarray(text.leaders[li].multiply(text.mentors[mj]).sum(axis=1)).ravel()
    assert np.abs(got - np.clip(full, 0, 1)).max() <= 1e-12


def test_scores_without_unweighted_criteria_are_the_same_numbers() -> None:
    # Reciprocity and working style get no weight here: leaving them out changes no score.
    problem = _problem()
    scorer = problem.scorer()
    assert scorer.share[Criterion.RECIPROCITY] == 0 and scorer.share[Criterion.WORKING_STYLE] == 0
    li, mj = _random_pairs(problem, 5_000)
    values = scorer.pair_values(li, mj)
    assert values[:, CRITERIA.index(Criterion.RECIPROCITY)].any()
    assert np.array_equal(scorer.scores_of(li, mj), scorer.pair_scores(values))


def test_scores_with_every_criterion_weighted_are_the_same_numbers() -> None:
    problem = _problem(Weights(**{c.value: 1.0 for c in CRITERIA}))
    scorer = problem.scorer()
    assert all(scorer.share[c] > 0 for c in CRITERIA)
    li, mj = _random_pairs(problem, 5_000)
    assert np.array_equal(scorer.scores_of(li, mj), scorer.pair_scores(scorer.pair_values(li, mj)))
