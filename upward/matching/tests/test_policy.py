"""The programme policy: validation and the plain-words description coordinators read."""

from __future__ import annotations

import pytest

from upward.matching import Criterion, HardRules, MatchingPolicy, Method, PolicyError, Weights


def test_default_description() -> None:
    lines = MatchingPolicy().describe()
    assert lines[0].startswith("Never pairs people in the same reporting line, at any depth")
    assert "The leader must be at least 2 grades more senior than the mentor." in lines
    assert "Respects every private 'please not' request, from either side." in lines
    assert "Only pairs people who share at least one language." in lines
    assert "Only pairs people with at least 1 hour of common availability a week." in lines
    assert "No mentor is given more leaders than they agreed to take." in lines
    assert any(line.startswith("- Topics (35%): topics the leader wants") for line in lines)
    assert not any("Difference" in line for line in lines)  # no dimensions: not used
    assert lines[-2].startswith("Pairs as many leaders as possible")


def test_description_follows_the_settings() -> None:
    policy = MatchingPolicy(
        rules=HardRules(
            min_grade_gap=None,
            ban_same_department=True,
            ban_same_organisation=True,
            require_shared_language=False,
            min_common_hours=2.5,
        ),
        difference_dimensions=("gender", "ethnicity"),
        method=Method.STABLE,
    )
    lines = policy.describe()
    assert "Never pairs two people from the same department." in lines
    assert "Never pairs two people from the same organisation." in lines
    assert "Only pairs people with at least 2.5 hours of common availability a week." in lines
    assert not any("grades more senior" in line for line in lines)
    assert not any("language" in line for line in lines)
    assert "Difference is sought on: gender, ethnicity." in lines
    assert any(line.startswith("Uses stable matching") for line in lines)


def test_shares_sum_to_one_hundred() -> None:
    shares = MatchingPolicy(difference_dimensions=("gender",)).shares()
    assert sum(shares.values()) == pytest.approx(100.0)
    assert shares[Criterion.TOPICS] == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Weights(topics=-1), "topics"),
        (lambda: Weights(text=float("nan")), "text"),
        (lambda: HardRules(min_common_hours=-1), "min_common_hours"),
        (lambda: HardRules(min_common_hours=200), "168"),
        (lambda: HardRules(min_grade_gap=1.5), "whole number"),  # type: ignore[arg-type]
        (lambda: MatchingPolicy(candidates_per_person=5), "at least 20"),
        (lambda: MatchingPolicy(method="greedy"), "optimal"),  # type: ignore[arg-type]
        (lambda: MatchingPolicy(difference_dimensions="gender"), "not one string"),  # type: ignore[arg-type]
        (lambda: MatchingPolicy(target_grade_gap=0), "target_grade_gap"),
        (
            lambda: MatchingPolicy(
                weights=Weights(
                    topics=0,
                    text=0,
                    objectives=0,
                    seniority=0,
                    difference=0,
                    availability=0,
                    culture_change=0,
                    preferences=0,
                )
            ),
            "at least one criterion",
        ),
    ],
)
def test_bad_policies_are_refused(make: object, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        make()  # type: ignore[operator]
