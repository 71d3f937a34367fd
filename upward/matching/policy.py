"""A programme's matching policy: hard rules, criterion weights and how to pair people.

Coordinators see the policy through :meth:`MatchingPolicy.describe`, which states every rule
and weight in plain words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import StrEnum

from upward.matching.errors import PolicyError
from upward.matching.style import TRAITS

MIN_CANDIDATES = 20


class Method(StrEnum):
    """How pairs are chosen from the scored candidates."""

    OPTIMAL = "optimal"
    STABLE = "stable"


class Criterion(StrEnum):
    """The weighted criteria, in the order they appear in explanations."""

    TOPICS = "topics"
    TEXT = "text"
    OBJECTIVES = "objectives"
    SENIORITY = "seniority"
    DIFFERENCE = "difference"
    AVAILABILITY = "availability"
    CULTURE_CHANGE = "culture_change"
    PREFERENCES = "preferences"
    RECIPROCITY = "reciprocity"
    WORKING_STYLE = "working_style"


CRITERIA: tuple[Criterion, ...] = tuple(Criterion)

CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.TOPICS: "Topics",
    Criterion.TEXT: "What they wrote",
    Criterion.OBJECTIVES: "Programme objectives",
    Criterion.SENIORITY: "Seniority gap",
    Criterion.DIFFERENCE: "Difference",
    Criterion.AVAILABILITY: "Availability",
    Criterion.CULTURE_CHANGE: "Culture-change experience",
    Criterion.PREFERENCES: "Wishes",
    Criterion.RECIPROCITY: "Both ways",
    Criterion.WORKING_STYLE: "Working style",
}

CRITERION_MEANINGS: dict[Criterion, str] = {
    Criterion.TOPICS: (
        "topics the leader wants to learn about that the mentor offers, and the other way round"
    ),
    Criterion.TEXT: (
        "how closely the leader's 'what I hope to learn' matches the mentor's 'what I can share'"
    ),
    Criterion.OBJECTIVES: "programme objectives both people chose",
    Criterion.SENIORITY: "how many grades apart they are",
    Criterion.DIFFERENCE: "how different their backgrounds are, where they consented to say",
    Criterion.AVAILABILITY: "hours a week when both are free",
    Criterion.CULTURE_CHANGE: "the mentor's past culture-change work",
    Criterion.PREFERENCES: "whom each person asked to be paired with",
    Criterion.RECIPROCITY: (
        "in a reciprocal programme, what each person offers against what the other seeks, "
        "in both directions (a pair where only one of them can learn gets half at most)"
    ),
    Criterion.WORKING_STYLE: (
        "how alike (or, where the programme chose so, how complementary) their working styles "
        "are, from a short personality questionnaire answered with consent"
    ),
}


@dataclass(frozen=True)
class HardRules:
    """Rules that remove a pair altogether (they never just lower its score).

    "Please not" requests and mentor capacity are always respected and cannot be turned off.
    """

    no_reporting_line: bool = True
    min_grade_gap: int | None = 2
    ban_same_department: bool = False
    ban_same_organisation: bool = False
    require_shared_language: bool = True
    min_common_hours: float = 1.0

    def __post_init__(self) -> None:
        if self.min_grade_gap is not None and not isinstance(self.min_grade_gap, int):
            raise PolicyError("min_grade_gap must be a whole number of grades or None")
        if not math.isfinite(self.min_common_hours) or self.min_common_hours < 0:
            raise PolicyError("min_common_hours must be zero or a positive number of hours")
        if self.min_common_hours > 168:
            raise PolicyError("min_common_hours cannot exceed the 168 hours of a week")


@dataclass(frozen=True)
class Weights:
    """Relative importance of each criterion (any non-negative numbers; only ratios matter)."""

    topics: float = 30.0
    text: float = 10.0
    objectives: float = 10.0
    seniority: float = 5.0
    difference: float = 15.0
    availability: float = 10.0
    culture_change: float = 10.0
    preferences: float = 10.0
    reciprocity: float = 0.0
    working_style: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise PolicyError(f"weight {f.name!r} must be a finite number >= 0, got {value!r}")

    def of(self, criterion: Criterion) -> float:
        """The weight of one criterion."""
        return float(getattr(self, criterion.value))


@dataclass(frozen=True)
class MatchingPolicy:
    """Everything a programme decides about matching.

    ``difference_dimensions`` names the identity dimensions (for example ``"gender"``) on which
    the programme seeks difference; the difference criterion is ignored when it is empty.
    ``target_grade_gap`` is the gap that earns the full seniority score,
    ``target_common_hours`` the weekly overlap that earns the full availability score and
    ``culture_change_cap`` the number of past culture-change activities that earns the full
    culture-change score. ``complementary_traits`` names the working-style traits on which
    complementary people are sought (similar ones on every other trait).
    ``candidates_per_person`` (at least 20) is how many of each person's best possible partners
    the solver considers (see ``docs/matching.md``).
    """

    rules: HardRules = field(default_factory=HardRules)
    weights: Weights = field(default_factory=Weights)
    difference_dimensions: tuple[str, ...] = ()
    target_grade_gap: int = 6
    target_common_hours: float = 4.0
    culture_change_cap: int = 3
    method: Method = Method.OPTIMAL
    candidates_per_person: int = 30
    complementary_traits: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.rules, HardRules):
            raise PolicyError("rules must be a HardRules instance")
        if not isinstance(self.weights, Weights):
            raise PolicyError("weights must be a Weights instance")
        if isinstance(self.difference_dimensions, str):
            raise PolicyError("difference_dimensions must be a tuple of names, not one string")
        object.__setattr__(self, "difference_dimensions", tuple(self.difference_dimensions))
        try:
            object.__setattr__(self, "method", Method(self.method))
        except ValueError:
            raise PolicyError(
                f"method must be 'optimal' or 'stable', got {self.method!r}"
            ) from None
        if self.target_grade_gap < 1:
            raise PolicyError("target_grade_gap must be at least 1")
        if not math.isfinite(self.target_common_hours) or self.target_common_hours <= 0:
            raise PolicyError("target_common_hours must be a positive number of hours")
        if self.culture_change_cap < 1:
            raise PolicyError("culture_change_cap must be at least 1")
        if isinstance(self.complementary_traits, str):
            raise PolicyError("complementary_traits must be a tuple of trait names")
        object.__setattr__(self, "complementary_traits", tuple(self.complementary_traits))
        unknown = [t for t in self.complementary_traits if t not in TRAITS]
        if unknown:
            raise PolicyError(
                f"unknown working-style trait {unknown[0]!r}; use {', '.join(TRAITS)}"
            )
        if self.candidates_per_person < MIN_CANDIDATES:
            raise PolicyError(
                f"candidates_per_person must be at least {MIN_CANDIDATES}, "
                f"got {self.candidates_per_person}"
            )
        if sum(self.active_weights().values()) <= 0:
            raise PolicyError("at least one criterion needs a weight above zero")

    def active_weights(self) -> dict[Criterion, float]:
        """Weights of the criteria in use (difference only counts if dimensions are set)."""
        out = {c: self.weights.of(c) for c in CRITERIA}
        if not self.difference_dimensions:
            out[Criterion.DIFFERENCE] = 0.0
        return out

    def shares(self) -> dict[Criterion, float]:
        """Each criterion's share of the 100-point score (sums to 100)."""
        weights = self.active_weights()
        total = sum(weights.values())
        return {c: 100.0 * w / total for c, w in weights.items()}

    def describe(self) -> list[str]:
        """The policy in plain words, one line per rule or criterion, for coordinators."""
        r = self.rules
        lines: list[str] = []
        if r.no_reporting_line:
            lines.append(
                "Never pairs people in the same reporting line, at any depth "
                "(a leader is never paired with anyone who reports to them, directly or not, "
                "nor with anyone above them)."
            )
        if r.min_grade_gap is not None:
            lines.append(_grade_rule(r.min_grade_gap))
        if r.ban_same_department:
            lines.append("Never pairs two people from the same department.")
        if r.ban_same_organisation:
            lines.append("Never pairs two people from the same organisation.")
        lines.append("Respects every private 'please not' request, from either side.")
        if r.require_shared_language:
            lines.append("Only pairs people who share at least one language.")
        if r.min_common_hours > 0:
            lines.append(
                f"Only pairs people with at least {_hours(r.min_common_hours)} of common "
                "availability a week."
            )
        lines.append("No mentor is given more leaders than they agreed to take.")
        lines.append("Each allowed pair gets a score from 0 to 100, made up of:")
        for criterion, share in self.shares().items():
            if share > 0:
                lines.append(
                    f"- {CRITERION_LABELS[criterion]} ({share:.0f}%): "
                    f"{CRITERION_MEANINGS[criterion]}."
                )
        if self.shares()[Criterion.WORKING_STYLE] > 0:
            comp = [t.replace("_", " ") for t in self.complementary_traits]
            lines.append(
                "Working style: alike on every trait"
                + (f" except {', '.join(comp)}, where they complement each other." if comp else ".")
            )
        if self.difference_dimensions and self.shares()[Criterion.DIFFERENCE] > 0:
            lines.append("Difference is sought on: " + ", ".join(self.difference_dimensions) + ".")
        if self.method is Method.OPTIMAL:
            lines.append(
                "Pairs as many leaders as possible, and among those pairings picks the one with "
                "the highest total score."
            )
        else:
            lines.append(
                "Uses stable matching: no leader and mentor would both rather be paired with "
                "each other than with the partner they got (leaders' choices come first)."
            )
        lines.append(
            f"Each person's {self.candidates_per_person} best-scoring possible partners are "
            "considered."
        )
        return lines


def _grade_rule(gap: int) -> str:
    if gap > 0:
        return f"The leader must be at least {_grades(gap)} more senior than the mentor."
    if gap == 0:
        return "The leader must be at least as senior as the mentor."
    return f"The mentor may be at most {_grades(-gap)} more senior than the leader."


def _grades(n: int) -> str:
    return f"{n} grade" if n == 1 else f"{n} grades"


def _hours(h: float) -> str:
    text = f"{h:g}"
    return f"{text} hour" if h == 1 else f"{text} hours"
