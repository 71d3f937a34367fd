"""The "both ways" criterion of reciprocal programmes: values, block scores, words, optimum."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from upward.matching import Criterion, MatchingPolicy, MatchingProblem, Weights
from upward.matching.synthetic import generate
from upward.matching.tests.factories import leader, mentor
from upward.matching.tests.oracle import scipy_optimum
from upward.matching.tests.test_engine import check_result, dense_scores

BOTH_WAYS = MatchingPolicy(
    weights=Weights(
        topics=0,
        text=0,
        objectives=0,
        seniority=0,
        difference=0,
        availability=0,
        culture_change=0,
        preferences=0,
        reciprocity=1,
    )
)


def two_pairs() -> MatchingProblem:
    director = leader(
        "riv-dir",
        topics_sought=frozenset({"hybrid work", "social media", "generative ai"}),
        topics_offered=frozenset({"strategy", "budgets"}),
    )
    fin = mentor(
        "fin-jr",
        topics_offered=frozenset({"hybrid work", "social media"}),
        topics_sought=frozenset({"strategy", "networking"}),
    )
    eng = mentor(
        "eng-jr",
        topics_offered=frozenset({"hybrid work", "social media", "generative ai"}),
    )
    return MatchingProblem([director], [fin, eng], BOTH_WAYS)


def test_half_for_each_direction_and_nothing_for_a_one_way_pair() -> None:
    problem = two_pairs()
    scorer = problem.scorer()
    values = scorer.pair_values([0, 0], [0, 1])
    col = list(Criterion).index(Criterion.RECIPROCITY)
    # fin-jr: offers 2 of the 3 topics the leader seeks; the leader offers 1 of 2 it seeks.
    assert values[0, col] == pytest.approx(0.5 * 2 / 3 + 0.5 * 1 / 2)
    # eng-jr covers everything the leader seeks, but seeks nothing itself.
    assert values[1, col] == pytest.approx(0.5)
    assert scorer.pair_scores(values).tolist() == pytest.approx([100 * 7 / 12, 50.0])
    # The plain topics criterion prefers eng-jr (the only side that seeks is fully served).
    topics = list(Criterion).index(Criterion.TOPICS)
    assert values[:, topics].tolist() == pytest.approx([7 / 12, 1.0])
    assert problem.match().pairs[0].mentor_id == "fin-jr"


def test_block_scores_equal_pair_scores_with_both_ways_on() -> None:
    prog = generate(600, seed=4)
    policy = replace(prog.policy, weights=replace(prog.policy.weights, reciprocity=20.0))
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    scorer = problem.scorer()
    n_l, n_m = len(problem.leaders), len(problem.mentors)
    block = scorer.block(np.arange(n_l), scorer.mentor_view(None)).astype(np.float64)
    ll, mm = np.meshgrid(np.arange(n_l), np.arange(n_m), indexing="ij")
    exact = scorer.pair_scores(scorer.pair_values(ll.ravel(), mm.ravel())).reshape(n_l, n_m)
    allowed = np.isfinite(block)
    assert allowed.sum() > 1000
    assert np.abs(block[allowed] - exact[allowed]).max() < 1e-3


def test_explanation_names_both_directions() -> None:
    problem = two_pairs()
    fin, eng = problem.rank_mentors_for("riv-dir")
    assert fin.mentor_id == "fin-jr"
    line = next(c for c in fin.explanation.contributions if c.criterion is Criterion.RECIPROCITY)
    assert line.label == "Both ways"
    assert line.sentence == (
        "both ways: the mentor can help with hybrid work, social media (2 of 3 topics the "
        "leader seeks); the leader can help with strategy (1 of 2 topics the mentor seeks)"
    )
    other = next(c for c in eng.explanation.contributions if c.criterion is Criterion.RECIPROCITY)
    assert other.sentence == (
        "one way only: the mentor can help with generative ai, hybrid work, social media "
        "(3 of 3 topics the leader seeks); the mentor seeks no topics"
    )


def test_policy_describes_the_criterion_only_when_weighted() -> None:
    assert any(line.startswith("- Both ways (100%)") for line in BOTH_WAYS.describe())
    assert not any("Both ways" in line for line in MatchingPolicy().describe())


@pytest.mark.parametrize("seed", [1, 2])
def test_optimum_equals_dense_scipy_optimum_with_both_ways_on(seed: int) -> None:
    prog = generate(330, seed=seed)
    weights = replace(prog.policy.weights, reciprocity=25.0)
    policy = replace(prog.policy, weights=weights, candidates_per_person=20)
    problem = MatchingProblem(prog.leaders, prog.mentors, policy)
    result = problem.match()
    check_result(problem, result)
    scores = dense_scores(problem)
    n_best, total_best = scipy_optimum(scores, [m.capacity for m in problem.mentors])
    assert result.stats.pairs == n_best
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)
    assert result.stats.certified_optimal


def test_sentence_when_one_side_offers_nothing_it_seeks() -> None:
    from upward.matching.reciprocity import both_ways_sentence

    a = leader("riv-dir", topics_sought=frozenset({"ai"}), topics_offered=frozenset({"budgets"}))
    b = mentor("fin-jr", topics_offered=frozenset({"retail"}), topics_sought=frozenset({"pay"}))
    assert both_ways_sentence(a, b) == (
        "neither way: the mentor offers none of the 1 topic the leader seeks; "
        "the leader offers none of the 1 topic the mentor seeks"
    )
