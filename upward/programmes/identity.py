"""Identity dimensions an applicant may choose to share, each with why it is asked.

Every answer is optional and kept only with an explicit consent (see ``upward.consent``), one
consent per dimension and programme. Leaving a question blank changes nothing about how an
application is treated.
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.consent import purposes

WORDING_VERSION = "2026-1"

WORDING = (
    "I agree that Upward may keep my answer to this question for {scope}, encrypted, for the "
    "purpose described. Only the programme's coordinators can see it, and only when they "
    "need to; each time they look is recorded. I can withdraw this consent at any time from "
    "my consents page, and my answer will then be deleted."
)


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    question: str
    purpose: str
    options: tuple[tuple[str, str], ...]

    @property
    def purpose_code(self) -> str:
        return f"identity.{self.code}"

    def option_label(self, value: str) -> str:
        return dict(self.options).get(value, value)


_COMMON_PURPOSE = (
    " It is also counted, only in groups of at least the programme's anonymity threshold, to "
    "check the programme reaches the people it is meant for."
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "ethnicity",
        "Ethnicity",
        "How would you describe your ethnic group?",
        "Used to pair you with someone whose lived experience differs from yours, when the "
        "programme seeks that difference." + _COMMON_PURPOSE,
        (
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("white", "White"),
            ("other", "Another ethnic group"),
        ),
    ),
    Dimension(
        "disability",
        "Disability",
        "Do you consider yourself to have a disability or a long-term health condition?",
        "Used to pair you with someone whose lived experience differs from yours, and so the "
        "coordinator can offer adjustments if you want them." + _COMMON_PURPOSE,
        (("yes", "Yes"), ("no", "No")),
    ),
    Dimension(
        "gender",
        "Gender",
        "How would you describe your gender?",
        "Used to pair you with someone whose lived experience differs from yours, when the "
        "programme seeks that difference." + _COMMON_PURPOSE,
        (
            ("woman", "Woman"),
            ("man", "Man"),
            ("non_binary", "Non-binary"),
            ("other", "Another gender identity"),
        ),
    ),
    Dimension(
        "sexual_orientation",
        "Sexual orientation",
        "How would you describe your sexual orientation?",
        "Used to pair you with someone whose lived experience differs from yours, when the "
        "programme seeks that difference." + _COMMON_PURPOSE,
        (
            ("bisexual", "Bisexual"),
            ("gay_lesbian", "Gay or lesbian"),
            ("heterosexual", "Heterosexual or straight"),
            ("other", "Another sexual orientation"),
        ),
    ),
    Dimension(
        "religion",
        "Religion or belief",
        "What is your religion or belief, if any?",
        "Used to pair you with someone whose lived experience differs from yours, when the "
        "programme seeks that difference." + _COMMON_PURPOSE,
        (
            ("none", "No religion"),
            ("buddhist", "Buddhist"),
            ("christian", "Christian"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other", "Another religion or belief"),
        ),
    ),
    Dimension(
        "age_band",
        "Age band",
        "Which age band are you in?",
        "Used to bring generations together, which is what cross-generational mentoring is "
        "for." + _COMMON_PURPOSE,
        (
            ("16_24", "16 to 24"),
            ("25_34", "25 to 34"),
            ("35_44", "35 to 44"),
            ("45_54", "45 to 54"),
            ("55_64", "55 to 64"),
            ("65_plus", "65 or over"),
        ),
    ),
    Dimension(
        "social_background",
        "Social background",
        "When you were about 14, what kind of work did the main earner in your household do?",
        "Used to pair you with someone from a different social background, when the programme "
        "seeks that difference." + _COMMON_PURPOSE,
        (
            ("professional", "Professional or senior management"),
            ("intermediate", "Clerical, intermediate or running a small business"),
            ("routine", "Technical, routine or manual work"),
            ("not_working", "Not in paid work (for example looking after the home)"),
            ("unknown", "I don't know"),
        ),
    ),
)

BY_CODE = {d.code: d for d in DIMENSIONS}
CODES = tuple(d.code for d in DIMENSIONS)


def dimensions_for(codes: list[str] | tuple[str, ...]) -> list[Dimension]:
    """The dimensions a programme offers, in the standard order."""
    wanted = set(codes)
    return [d for d in DIMENSIONS if d.code in wanted]


def register_purposes() -> None:
    for dimension in DIMENSIONS:
        purposes.register(
            purposes.Purpose(
                code=dimension.purpose_code,
                label=dimension.label,
                statement=dimension.purpose,
                wording=WORDING,
                version=WORDING_VERSION,
            )
        )
