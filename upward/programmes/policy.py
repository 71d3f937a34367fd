"""A programme's matching policy: the rules and weights the matching engine works to.

Stored as JSON on the programme, always read through ``policy_of`` so missing keys take the
defaults, and shown to people in plain words by ``describe``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from upward.matching.style import TRAIT_LABELS, TRAITS

WEIGHT_WORDS = {
    0: "not considered",
    1: "a little",
    2: "somewhat",
    3: "moderately",
    4: "strongly",
    5: "most strongly",
}

# (key, plain-words name) in the order they are shown.
CRITERIA: tuple[tuple[str, str], ...] = (
    ("topics", "topics leaders want to explore against the lived experience mentors offer"),
    ("objectives", "fit with the programme's objectives"),
    ("text", "similarity of what each person wrote they hope to learn and can share"),
    ("seniority_gap", "a wide gap in seniority"),
    ("difference", "difference in the identity dimensions the programme seeks"),
    ("availability", "overlapping availability and time zones"),
    ("culture_history", "mentors' history of culture-change work"),
    ("preferences", "people's stated preferences"),
    (
        "working_style",
        "how well working styles fit, from a short questionnaire answered with consent",
    ),
)
CRITERIA_KEYS = tuple(key for key, _ in CRITERIA)


@dataclass
class MatchingPolicy:
    min_grade_gap: int = 2
    ban_same_department: bool = False
    ban_same_organisation: bool = False
    min_availability_overlap: int = 1
    require_shared_language: bool = False
    algorithm: str = "optimal"
    weights: dict[str, int] = field(
        default_factory=lambda: {
            "topics": 5,
            "objectives": 3,
            "text": 3,
            "seniority_gap": 2,
            "difference": 3,
            "availability": 3,
            "culture_history": 2,
            "preferences": 2,
            "working_style": 0,
        }
    )
    # Working-style traits on which complementary people are paired (the others: alike).
    complementary_traits: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def policy_of(stored: dict[str, Any] | None) -> MatchingPolicy:
    """The policy stored on a programme, with defaults for anything missing or invalid."""
    policy = MatchingPolicy()
    stored = stored or {}
    for name in (
        "min_grade_gap",
        "min_availability_overlap",
    ):
        value = stored.get(name)
        if isinstance(value, int) and 0 <= value <= 10:
            setattr(policy, name, value)
    for name in ("ban_same_department", "ban_same_organisation", "require_shared_language"):
        if isinstance(stored.get(name), bool):
            setattr(policy, name, stored[name])
    if stored.get("algorithm") in {"optimal", "stable"}:
        policy.algorithm = stored["algorithm"]
    traits = stored.get("complementary_traits")
    if isinstance(traits, list):
        policy.complementary_traits = [t for t in TRAITS if t in traits]
    weights = stored.get("weights")
    if isinstance(weights, dict):
        for key in CRITERIA_KEYS:
            value = weights.get(key)
            if isinstance(value, int) and 0 <= value <= 5:
                policy.weights[key] = value
    return policy


def describe(
    policy: MatchingPolicy, *, difference: list[str] | None = None
) -> dict[str, list[str]]:
    """The policy in plain words: the rules that are never broken, then what counts most."""
    rules = [
        "Never pairs two people in the same reporting line, however far apart.",
    ]
    if policy.min_grade_gap:
        rules.append(
            f"The leader is at least {policy.min_grade_gap} grade"
            f"{'s' if policy.min_grade_gap != 1 else ''} more senior than the mentor."
        )
    if policy.ban_same_department:
        rules.append("Never pairs two people from the same department.")
    if policy.ban_same_organisation:
        rules.append("Never pairs two people from the same organisation.")
    if policy.min_availability_overlap:
        rules.append(
            f"The two share at least {policy.min_availability_overlap} time slot"
            f"{'s' if policy.min_availability_overlap != 1 else ''} in their weekly availability."
        )
    if policy.require_shared_language:
        rules.append("The two share a language.")
    rules.append("No mentor is given more people than they offered to take.")

    ranked = sorted(
        ((policy.weights.get(key, 0), name) for key, name in CRITERIA), key=lambda x: -x[0]
    )
    weights = []
    ignored = []
    for weight, name in ranked:
        if weight == 0:
            ignored.append(name)
        else:
            weights.append(f"Counts {WEIGHT_WORDS[weight]}: {name}.")
    if difference and policy.weights.get("difference", 0):
        names = ", ".join(label.lower() for label in difference)
        weights.append(
            f"The difference sought is in {names}, and only where both people consented to "
            "share it."
        )
    if policy.weights.get("working_style", 0):
        apart = [TRAIT_LABELS[t].lower() for t in policy.complementary_traits]
        alike = [TRAIT_LABELS[t].lower() for t in TRAITS if t not in policy.complementary_traits]
        line = "Working style: "
        line += f"alike in {', '.join(alike)}" if alike else ""
        line += "; " if alike and apart else ""
        line += f"complementary in {', '.join(apart)}" if apart else ""
        weights.append(
            line + ". Only for people who consented; nobody sees anyone else's answers or scores."
        )
    if ignored:
        weights.append("Not considered: " + "; ".join(ignored) + ".")
    method = (
        "Finds the set of pairs with the best total score for everyone together."
        if policy.algorithm == "optimal"
        else "Uses stable matching: no leader and mentor would both rather be with each other."
    )
    return {"rules": rules, "weights": weights, "method": [method]}
