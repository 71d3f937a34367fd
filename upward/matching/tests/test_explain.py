"""Explanations in plain words: each criterion's sentence, points, and what is never said."""

from __future__ import annotations

import json

import pytest

from upward.matching import (
    Criterion,
    HardRules,
    MatchingPolicy,
    MatchingProblem,
    Weights,
    weekly_slots,
)
from upward.matching.tests.factories import leader, mentor

POLICY = MatchingPolicy(
    rules=HardRules(min_grade_gap=2, min_common_hours=1),
    difference_dimensions=("gender", "age_band"),
    target_grade_gap=6,
    target_common_hours=4,
)


def explained(**changes: object) -> dict[Criterion, object]:
    lead = leader(
        "cto",
        grade=9,
        topics_sought=frozenset({"generative ai", "social media", "hybrid work", "neurodiversity"}),
        topics_offered=frozenset({"strategy"}),
        objectives=frozenset({"inclusive leadership", "digital fluency"}),
        hopes_to_learn="I want to understand how graduates use generative AI tools at work",
        can_share="Strategy and budgets",
        identity={"gender": "man", "age_band": "45-59"},
        availability=weekly_slots(0, days=range(2), start=9, end=10),
        wishes=("fin-jr",),
        **changes,
    )
    ment = mentor(
        "fin-jr",
        grade=2,
        topics_offered=frozenset({"generative ai", "social media", "hybrid work", "climate"}),
        topics_sought=frozenset({"strategy", "networking"}),
        objectives=frozenset({"inclusive leadership"}),
        hopes_to_learn="strategy",
        can_share="I show graduates how generative AI tools help everyday work",
        identity={"gender": "woman", "age_band": "45-59", "ethnicity": "black"},
        availability=weekly_slots(0, days=range(5), start=8, end=18),
        culture_change=2,
    )
    other = mentor("riv-jr", wishes=("cto",))
    problem = MatchingProblem([lead], [ment, other], POLICY)
    check = problem.check_pair("cto", "fin-jr")
    assert check.allowed
    return {c.criterion: c for c in check.explanation.contributions}


def test_each_criterion_has_a_plain_sentence() -> None:
    parts = explained()
    assert parts[Criterion.TOPICS].sentence == (
        "shares 3 of 4 topics sought by the leader (generative ai, hybrid work, social media); "
        "1 of 2 sought by the mentor (strategy)"
    )
    assert parts[Criterion.SENIORITY].sentence == "7 grades apart"
    assert parts[Criterion.AVAILABILITY].sentence == "2 hours of common availability a week"
    assert parts[Criterion.DIFFERENCE].sentence == (
        "differ on 1 of 2 dimensions the programme seeks difference on (gender)"
    )
    assert parts[Criterion.CULTURE_CHANGE].sentence == (
        "the mentor has taken part in 2 culture-change activities"
    )
    assert parts[Criterion.PREFERENCES].sentence == "the leader's 1st choice"
    assert parts[Criterion.OBJECTIVES].sentence == (
        "both chose inclusive leadership (1 of the leader's 2 and 1 of the mentor's 1 "
        "programme objectives)"
    )
    text = parts[Criterion.TEXT].sentence
    assert text.startswith("what they wrote is ") and "similar; both mention" in text
    assert "generative" in text and "graduates" in text


def test_points_add_up_to_the_score() -> None:
    parts = explained()
    values = {c: p.value for c, p in parts.items()}  # type: ignore[attr-defined]
    assert values[Criterion.TOPICS] == pytest.approx(0.5 * 3 / 4 + 0.5 * 1 / 2)
    assert values[Criterion.SENIORITY] == 1.0  # 7 grades, target 6
    assert values[Criterion.AVAILABILITY] == 0.5  # 2 of 4 target hours
    assert values[Criterion.DIFFERENCE] == 0.5
    assert values[Criterion.PREFERENCES] == 0.5  # the leader's only wish; no wish back
    problem_score = sum(p.points for p in parts.values())  # type: ignore[attr-defined]
    assert 0 < problem_score <= 100


def test_identity_values_are_never_written() -> None:
    parts = explained()
    words = " ".join(p.sentence for p in parts.values())  # type: ignore[attr-defined]
    for value in ("man", "woman", "45-59", "black"):
        assert value not in words.split() and value not in words


def test_empty_inputs_have_their_own_sentences() -> None:
    lead = leader("cto", availability=None)
    ment = mentor("fin-jr", identity={"gender": "woman"})
    problem = MatchingProblem([lead], [ment], POLICY)
    parts = {
        c.criterion: c.sentence
        for c in problem.check_pair("cto", "fin-jr").explanation.contributions
    }
    assert parts[Criterion.TOPICS] == "no topics sought"
    assert parts[Criterion.TEXT] == "no text to compare"
    assert parts[Criterion.OBJECTIVES] == "no programme objective in common"
    assert parts[Criterion.AVAILABILITY] == "availability not given"
    assert parts[Criterion.DIFFERENCE] == "no consented data to compare"
    assert parts[Criterion.CULTURE_CHANGE] == "no culture-change history recorded for the mentor"
    assert parts[Criterion.PREFERENCES] == "neither asked for the other"


def test_lines_summary_and_dict() -> None:
    lead = leader("cto", topics_sought=frozenset({"social media"}))
    ment = mentor("fin-jr", topics_offered=frozenset({"social media"}))
    problem = MatchingProblem(
        [lead],
        [ment],
        MatchingPolicy(
            weights=Weights(
                topics=1,
                text=0,
                objectives=0,
                seniority=0,
                difference=0,
                availability=0,
                culture_change=0,
                preferences=0,
            )
        ),
    )
    explanation = problem.check_pair("cto", "fin-jr").explanation
    assert explanation.score == 100.0
    assert explanation.lines() == [
        "Topics: shares 1 of 1 topics sought (social media) (100.0 of 100 points)"
    ]
    assert explanation.summary() == "Score 100.0 of 100: shares 1 of 1 topics sought (social media)"
    data = json.loads(json.dumps(explanation.as_dict()))
    assert data["criteria"][0]["criterion"] == "topics"
    assert data["criteria"][0]["max_points"] == 100.0


def test_criteria_with_zero_weight_are_left_out() -> None:
    policy = MatchingPolicy(weights=Weights(text=0, culture_change=0))
    problem = MatchingProblem([leader("cto")], [mentor("fin-jr")], policy)
    names = [c.criterion for c in problem.check_pair("cto", "fin-jr").explanation.contributions]
    assert Criterion.TEXT not in names and Criterion.CULTURE_CHANGE not in names
    assert Criterion.DIFFERENCE not in names  # no difference dimensions in this policy
