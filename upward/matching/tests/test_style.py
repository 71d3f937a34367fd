"""Working style (a short Big Five profile): values, block scores, words only, optimum."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.matching import (
    Criterion,
    MatchingInputError,
    MatchingPolicy,
    MatchingProblem,
    Participant,
    PolicyError,
    Weights,
)
from upward.matching.style import TRAITS, WORDS, sentence
from upward.matching.synthetic import generate
from upward.matching.tests.factories import leader, mentor
from upward.matching.tests.oracle import scipy_optimum
from upward.matching.tests.test_engine import check_result, dense_scores

ONLY_STYLE = Weights(
    topics=0,
    text=0,
    objectives=0,
    seniority=0,
    difference=0,
    availability=0,
    culture_change=0,
    preferences=0,
    working_style=1,
)
COL = list(Criterion).index(Criterion.WORKING_STYLE)


def with_styles(people: list[Participant], seed: int, answered: float = 0.8) -> list[Participant]:
    """The same people, most of them with a random working-style profile."""
    rng = np.random.default_rng(seed)
    out = []
    for p in people:
        profile = {t: float(rng.integers(2, 15)) / 2 for t in TRAITS if rng.random() < answered}
        out.append(replace(p, working_style=profile))
    return out


def test_similar_and_complementary_traits_score_as_documented() -> None:
    a = leader("riv-dir", working_style={"extraversion": 6.5, "agreeableness": 2.0})
    b = mentor("fin-jr", working_style={"extraversion": 5.5, "agreeableness": 6.0})
    c = mentor("eng-jr", working_style={"openness": 4.0})
    policy = MatchingPolicy(weights=ONLY_STYLE, complementary_traits=("agreeableness",))
    problem = MatchingProblem([a], [b, c], policy)
    values = problem.scorer().pair_values([0, 0], [0, 1])[:, COL]
    # extraversion alike (1 - 1/6), agreeableness complementary (4/6); three traits unanswered.
    assert values[0] == pytest.approx((5 / 6 + 4 / 6) / 5)
    assert values[1] == 0.0  # no trait answered by both


def test_block_scores_equal_pair_scores_with_working_style_on() -> None:
    prog = generate(500, seed=8)
    policy = replace(
        prog.policy,
        weights=replace(prog.policy.weights, working_style=30.0),
        complementary_traits=("openness", "extraversion"),
    )
    problem = MatchingProblem(with_styles(prog.leaders, 1), with_styles(prog.mentors, 2), policy)
    scorer = problem.scorer()
    n_l, n_m = len(problem.leaders), len(problem.mentors)
    block = scorer.block(np.arange(n_l), scorer.mentor_view(None)).astype(np.float64)
    ll, mm = np.meshgrid(np.arange(n_l), np.arange(n_m), indexing="ij")
    exact = scorer.pair_scores(scorer.pair_values(ll.ravel(), mm.ravel())).reshape(n_l, n_m)
    allowed = np.isfinite(block)
    assert allowed.sum() > 1000
    assert np.abs(block[allowed] - exact[allowed]).max() < 1e-3


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(TRAITS), st.integers(2, 14).map(lambda x: x / 2)),
    st.dictionaries(st.sampled_from(TRAITS), st.integers(2, 14).map(lambda x: x / 2)),
    st.lists(st.sampled_from(TRAITS), unique=True),
)
def test_explanations_use_words_never_scores(
    mine: dict[str, float], theirs: dict[str, float], complementary: list[str]
) -> None:
    text = sentence(mine, theirs, tuple(complementary))
    assert not re.search(r"\d", text)
    # Nothing but the fixed phrases and the words that join them.
    rest = text
    for phrase in sorted((p for pair in WORDS.values() for p in pair), key=len, reverse=True):
        rest = rest.replace(phrase, "")
    for fixed in (
        "no working-style answers to compare",
        "your working styles differ in ways that do not count here",
        "one of you would",
        "the other would",
        "you both",
        "and",
    ):
        rest = rest.replace(fixed, "")
    assert not rest.strip(" ,;"), text


def test_the_explanation_in_words() -> None:
    a = leader("riv-dir", working_style={"agreeableness": 2.0, "conscientiousness": 6.5})
    b = mentor("fin-jr", working_style={"agreeableness": 2.5, "conscientiousness": 2.0})
    policy = MatchingPolicy(weights=ONLY_STYLE, complementary_traits=("conscientiousness",))
    [ranked] = MatchingProblem([a], [b], policy).rank_mentors_for("riv-dir")
    [line] = ranked.explanation.contributions
    assert line.label == "Working style"
    assert line.sentence == (
        "you both prefer direct feedback; one of you would like structure and plans, the "
        "other would like to keep things flexible"
    )


def test_bad_profiles_and_policies_are_refused() -> None:
    with pytest.raises(MatchingInputError, match="unknown working-style trait 'charm'"):
        leader("riv-dir", working_style={"charm": 3})
    with pytest.raises(MatchingInputError, match=r"1 to 7 in steps of 0\.5"):
        leader("riv-dir", working_style={"openness": 3.3})
    with pytest.raises(MatchingInputError, match=r"1 to 7 in steps of 0\.5"):
        leader("riv-dir", working_style={"openness": 8})
    with pytest.raises(PolicyError, match="unknown working-style trait 'charm'"):
        MatchingPolicy(complementary_traits=("charm",))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_optimum_equals_dense_scipy_optimum_with_working_style_on(seed: int) -> None:
    prog = generate(330, seed=seed)
    policy = replace(
        prog.policy,
        weights=replace(prog.policy.weights, working_style=20.0, reciprocity=10.0),
        complementary_traits=("agreeableness",),
        candidates_per_person=20,
    )
    problem = MatchingProblem(
        with_styles(prog.leaders, seed), with_styles(prog.mentors, seed + 100), policy
    )
    result = problem.match()
    check_result(problem, result)
    scores = dense_scores(problem)
    n_best, total_best = scipy_optimum(scores, [m.capacity for m in problem.mentors])
    assert result.stats.pairs == n_best
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)
    assert result.stats.certified_optimal
    assert any(
        "Working style: alike on every trait except agreeableness" in line
        for line in result.policy_lines
    )


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.lists(st.sampled_from(TRAITS), unique=True),
    st.sampled_from([0.0, 0.5, 1.0]),
    st.integers(1, 40),
)
def test_property_optimum_equals_scipy_with_working_style_on(
    seed: int, complementary: list[str], answered: float, weight: int
) -> None:
    """Any programme, any choice of alike or complementary traits, any share of people who
    answered: the engine's pairing is the dense optimum, and it is certified."""
    prog = generate(160, seed=seed)
    policy = replace(
        prog.policy,
        weights=replace(prog.policy.weights, working_style=float(weight)),
        complementary_traits=tuple(complementary),
        candidates_per_person=20,
    )
    problem = MatchingProblem(
        with_styles(prog.leaders, seed, answered),
        with_styles(prog.mentors, seed + 1, answered),
        policy,
    )
    result = problem.match()
    check_result(problem, result)
    n_best, total_best = scipy_optimum(dense_scores(problem), [m.capacity for m in problem.mentors])
    assert result.stats.pairs == n_best
    assert result.stats.total_score == pytest.approx(total_best, abs=1e-6)
    assert result.stats.certified_optimal
