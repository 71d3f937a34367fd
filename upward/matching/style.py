"""Working style, an optional criterion: a short Big Five profile of each person.

The profile comes from a ten-item instrument answered in the application: the Ten-Item
Personality Inventory (TIPI; Gosling, S. D., Rentfrow, P. J., & Swann, W. B., Jr. (2003). A very
brief measure of the Big-Five personality domains. *Journal of Research in Personality*, 37,
504-528). Each trait is the mean of two items scored 1 to 7 (one of them reversed), so a trait
score is one of 1, 1.5, ..., 7. The programme chooses, per trait, whether similar or
complementary people should be paired.

A trait gives ``1 - |a - b| / 6`` when similarity is sought and ``|a - b| / 6`` when
complementarity is; the criterion is the mean over the five traits, a trait that either person
did not answer counting 0. Scores are private: explanations say in words what two people have
in common or how they complement each other ("you both prefer direct feedback"), never a score.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from upward.matching.errors import MatchingInputError

TRAITS: tuple[str, ...] = (
    "extraversion",
    "agreeableness",
    "conscientiousness",
    "emotional_stability",
    "openness",
)
SIMILAR = "similar"
COMPLEMENTARY = "complementary"
LEVELS = 13  # 1, 1.5, ..., 7
SPREAD = 6.0

# What a high and a low score mean, in words about a person's preferences at work.
WORDS: dict[str, tuple[str, str]] = {
    "extraversion": ("enjoy thinking out loud", "like time to reflect before speaking"),
    "agreeableness": ("prefer a gentle, supportive tone", "prefer direct feedback"),
    "conscientiousness": ("like structure and plans", "like to keep things flexible"),
    "emotional_stability": (
        "take setbacks in their stride",
        "value reassurance when things are uncertain",
    ),
    "openness": ("enjoy new ideas and experiments", "prefer proven ways of working"),
}


def check_profile(pid: object, profile: Mapping[str, float]) -> dict[str, float]:
    """A participant's working-style scores, checked: known traits, halves from 1 to 7."""
    if not isinstance(profile, Mapping):
        raise MatchingInputError(f"participant {pid!r}: working_style must be a mapping")
    out: dict[str, float] = {}
    for trait, value in profile.items():
        if trait not in TRAITS:
            raise MatchingInputError(
                f"participant {pid!r}: unknown working-style trait {trait!r}; "
                f"use {', '.join(TRAITS)}"
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 1 <= value <= 7
            or float(value) * 2 != round(float(value) * 2)
        ):
            raise MatchingInputError(
                f"participant {pid!r}: working-style score for {trait} must be 1 to 7 in "
                f"steps of 0.5, got {value!r}"
            )
        out[trait] = float(value)
    return out


def codes(profiles: list[Mapping[str, float]]) -> npt.NDArray[np.int32]:
    """People x traits: the score's level 0..12, or -1 when not given."""
    out = np.full((len(profiles), len(TRAITS)), -1, dtype=np.int32)
    for i, profile in enumerate(profiles):
        for t, trait in enumerate(TRAITS):
            if trait in profile:
                out[i, t] = round((profile[trait] - 1.0) * 2)
    return out


def table(mode: str) -> npt.NDArray[np.float64]:
    """Value of every pair of levels for one trait (similar or complementary)."""
    levels = np.arange(LEVELS) / 2.0
    gap = np.abs(levels[:, None] - levels[None, :]) / SPREAD
    out: npt.NDArray[np.float64] = gap if mode == COMPLEMENTARY else 1.0 - gap
    return out


def sentence(
    leader: Mapping[str, float], mentor: Mapping[str, float], complementary: tuple[str, ...]
) -> str:
    """What the two have in common or how they complement each other, in words only."""
    alike: list[str] = []
    apart: list[str] = []
    both = [t for t in TRAITS if t in leader and t in mentor]
    for trait in both:
        a, b = leader[trait], mentor[trait]
        high, low = WORDS[trait]
        if trait not in complementary:
            if abs(a - b) <= 1 and (a + b) / 2 >= 5:
                alike.append(high)
            elif abs(a - b) <= 1 and (a + b) / 2 <= 3:
                alike.append(low)
        elif abs(a - b) >= 2:
            apart.append(f"one of you would {high}, the other would {low}")
    if not both:
        return "no working-style answers to compare"
    parts = []
    if alike:
        parts.append("you both " + _join(alike))
    parts.extend(apart)
    return (
        "; ".join(parts) if parts else "your working styles differ in ways that do not count here"
    )


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the instrument -----------------------------------------------------------------------------

CITATION = (
    "Gosling, S. D., Rentfrow, P. J., & Swann, W. B., Jr. (2003). A very brief measure of the "
    "Big-Five personality domains. Journal of Research in Personality, 37, 504-528."
)
INSTRUCTIONS = (
    "Here are a number of personality traits that may or may not apply to you. For each "
    "statement, choose how much you agree or disagree with it. Rate the extent to which the pair "
    "of traits applies to you, even if one characteristic applies more strongly than the other. "
    "I see myself as:"
)
# The seven points of the answer scale, 1 to 7.
SCALE: tuple[str, ...] = (
    "Disagree strongly",
    "Disagree moderately",
    "Disagree a little",
    "Neither agree nor disagree",
    "Agree a little",
    "Agree moderately",
    "Agree strongly",
)
# The ten items in their published order: wording, trait, reversed.
ITEMS: tuple[tuple[str, str, bool], ...] = (
    ("Extraverted, enthusiastic.", "extraversion", False),
    ("Critical, quarrelsome.", "agreeableness", True),
    ("Dependable, self-disciplined.", "conscientiousness", False),
    ("Anxious, easily upset.", "emotional_stability", True),
    ("Open to new experiences, complex.", "openness", False),
    ("Reserved, quiet.", "extraversion", True),
    ("Sympathetic, warm.", "agreeableness", False),
    ("Disorganized, careless.", "conscientiousness", True),
    ("Calm, emotionally stable.", "emotional_stability", False),
    ("Conventional, uncreative.", "openness", True),
)
TRAIT_LABELS: dict[str, str] = {
    "extraversion": "Extraversion",
    "agreeableness": "Agreeableness",
    "conscientiousness": "Conscientiousness",
    "emotional_stability": "Emotional stability",
    "openness": "Openness to experiences",
}


def profile_from_items(answers: list[int]) -> dict[str, float]:
    """The five trait scores from the ten answers (1 to 7, in the order of ``ITEMS``): each
    trait is the mean of its two items, the reversed one counted as ``8 - answer``."""
    if len(answers) != len(ITEMS):
        raise MatchingInputError(f"working style needs {len(ITEMS)} answers, got {len(answers)}")
    sums = dict.fromkeys(TRAITS, 0.0)
    for value, (_, trait, reverse) in zip(answers, ITEMS, strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7:
            raise MatchingInputError(f"working-style answers are 1 to 7, got {value!r}")
        sums[trait] += 8 - value if reverse else value
    return {trait: total / 2 for trait, total in sums.items()}
