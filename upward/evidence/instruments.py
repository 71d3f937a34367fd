"""Survey instruments: a small builder (Likert items that may be reverse-scored, numbers, choices,
free text), answer checking, scoring, and the library of ready instruments.

Plain Python with no Django import. A campaign names an instrument by its key; responses store
the checked answers, and the score is computed here.

Every Likert, number and choice item must be answered. A skipped item would give each item its
own, smaller set of respondents, and the anonymity engine's counts would no longer be the counts
behind each figure. Free text is optional.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    LIKERT = "likert"
    NUMBER = "number"
    CHOICE = "choice"
    TEXT = "text"


class InstrumentError(ValueError):
    """An instrument definition that does not hold together."""


class AnswerError(ValueError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


TEXT_LIMIT = 2000

AGREE_7 = (
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither agree nor disagree",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
)
AGREE_5 = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    kind: Kind
    reverse: bool = False
    labels: tuple[str, ...] = ()  # Likert: one label per point, from 1 upward
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def points(self) -> int:
        return len(self.labels)

    def scored(self, value: int) -> int:
        """A Likert answer as it counts towards the score: reverse items are turned round."""
        return self.points + 1 - value if self.reverse else value


@dataclass(frozen=True)
class Instrument:
    key: str
    title: str
    purpose: str
    citation: str
    wording_note: str
    items: tuple[Item, ...]
    higher_is: str = "better"
    audiences: tuple[str, ...] = field(default=("mentor", "leader"))

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind is Kind.LIKERT)

    @property
    def text_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind is Kind.TEXT)

    @property
    def scale(self) -> tuple[int, int]:
        points = {i.points for i in self.scored_items}
        return (1, max(points)) if points else (0, 0)

    def item(self, key: str) -> Item:
        for i in self.items:
            if i.key == key:
                return i
        raise KeyError(key)


def likert(key: str, text: str, *, reverse: bool = False, labels: Sequence[str] = AGREE_5) -> Item:
    return Item(key, text, Kind.LIKERT, reverse=reverse, labels=tuple(labels))


def number(key: str, text: str, *, minimum: float, maximum: float) -> Item:
    return Item(key, text, Kind.NUMBER, minimum=minimum, maximum=maximum)


def choice(key: str, text: str, options: Sequence[str]) -> Item:
    return Item(key, text, Kind.CHOICE, choices=tuple(options))


def text(key: str, prompt: str) -> Item:
    return Item(key, prompt, Kind.TEXT)


def build(
    *,
    key: str,
    title: str,
    items: Sequence[Item],
    purpose: str = "",
    citation: str = "",
    wording_note: str = "",
    audiences: Sequence[str] = ("mentor", "leader"),
) -> Instrument:
    """Check and assemble an instrument; raise ``InstrumentError`` with a plain message."""
    if not key or not key.replace("_", "").isalnum() or len(key) > 40:
        raise InstrumentError(
            "The key may hold only letters, digits and underscores (at most 40 characters)."
        )
    if not title.strip() or len(title) > 200:
        raise InstrumentError("Give the instrument a title of at most 200 characters.")
    if not items:
        raise InstrumentError("An instrument needs at least one item.")
    seen: set[str] = set()
    for i in items:
        if not i.key or not i.key.replace("_", "").isalnum() or len(i.key) > 40:
            raise InstrumentError(
                f"Item key {i.key!r} may hold only letters, digits and underscores (at most 40)."
            )
        if i.key in seen:
            raise InstrumentError(f"Two items share the key {i.key!r}: give each its own.")
        seen.add(i.key)
    for i in items:
        if i.kind is Kind.LIKERT and not i.labels:
            raise InstrumentError(
                f"Item {i.key} is a Likert scale without labels: give one label per point."
            )
        if not i.text.strip():
            raise InstrumentError(f"Item {i.key} has no wording.")
        if i.kind is Kind.LIKERT and not 2 <= i.points <= 11:
            raise InstrumentError(f"Item {i.key} needs between 2 and 11 labelled points.")
        if i.kind is Kind.CHOICE and len(set(i.choices)) < 2:
            raise InstrumentError(f"Item {i.key} needs at least two different choices.")
        if i.kind is Kind.NUMBER and (
            i.minimum is None or i.maximum is None or i.minimum >= i.maximum
        ):
            raise InstrumentError(f"Item {i.key} needs a minimum below its maximum.")
        if i.reverse and i.kind is not Kind.LIKERT:
            raise InstrumentError(f"Only Likert items can be reverse-scored ({i.key}).")
    scored = {i.points for i in items if i.kind is Kind.LIKERT}
    if len(scored) > 1:
        raise InstrumentError("All Likert items of one instrument use the same number of points.")
    return Instrument(
        key, title, purpose, citation, wording_note, tuple(items), audiences=tuple(audiences)
    )


Answer = int | float | str


def check_answers(instrument: Instrument, raw: Mapping[str, object]) -> dict[str, Answer]:
    """Validate one person's answers; return them cleaned, or raise ``AnswerError``."""
    errors: dict[str, str] = {}
    clean: dict[str, Answer] = {}
    unknown = set(raw) - {i.key for i in instrument.items}
    if unknown:
        errors["_"] = "Unknown questions: " + ", ".join(sorted(unknown))
    for i in instrument.items:
        value = raw.get(i.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if i.kind is not Kind.TEXT:
                errors[i.key] = "Please answer this question."
            continue
        if i.kind is Kind.LIKERT:
            try:
                v = int(str(value))
            except ValueError:
                errors[i.key] = "Choose a point on the scale."
                continue
            if not 1 <= v <= i.points:
                errors[i.key] = f"Choose a point from 1 to {i.points}."
                continue
            clean[i.key] = v
        elif i.kind is Kind.NUMBER:
            try:
                f = float(str(value))
            except ValueError:
                errors[i.key] = "Enter a number."
                continue
            assert i.minimum is not None and i.maximum is not None
            if f != f or not i.minimum <= f <= i.maximum:
                errors[i.key] = f"Enter a number from {i.minimum:g} to {i.maximum:g}."
                continue
            clean[i.key] = f
        elif i.kind is Kind.CHOICE:
            if str(value) not in i.choices:
                errors[i.key] = "Choose one of the options."
                continue
            clean[i.key] = str(value)
        else:
            t = str(value).strip()
            if len(t) > TEXT_LIMIT:
                errors[i.key] = f"Keep this to {TEXT_LIMIT} characters."
                continue
            clean[i.key] = t
    if errors:
        raise AnswerError(errors)
    return clean


def score(instrument: Instrument, answers: Mapping[str, Answer]) -> float | None:
    """The mean of the Likert items after reverse scoring; None if the instrument has none."""
    items = instrument.scored_items
    if not items:
        return None
    return sum(i.scored(int(answers[i.key])) for i in items) / len(items)


# --- the library --------------------------------------------------------------------------------

OWN_WORDING = (
    "Upward's own wording, written for this library: the published items are not clearly free "
    "to reproduce, so each item restates the idea the citation measures in new words. Scores "
    "are therefore comparable within Upward, not with published norms."
)

PSYCHOLOGICAL_SAFETY = build(
    key="psychological_safety",
    title="Team psychological safety",
    purpose="How safe people feel to take interpersonal risks in their team.",
    citation=(
        "After Edmondson, A. (1999). Psychological safety and learning behavior in work teams. "
        "Administrative Science Quarterly, 44(2), 350-383. Seven items, three reverse-scored."
    ),
    wording_note=OWN_WORDING,
    items=[
        likert(
            "ps1",
            "When I get something wrong in my team, it is used against me.",
            reverse=True,
            labels=AGREE_7,
        ),
        likert(
            "ps2", "People in my team can raise difficult problems and hard issues.", labels=AGREE_7
        ),
        likert(
            "ps3",
            "People in my team sometimes shut out colleagues who are different.",
            reverse=True,
            labels=AGREE_7,
        ),
        likert("ps4", "I can try something new in my team without fear.", labels=AGREE_7),
        likert(
            "ps5", "Asking colleagues in my team for help is hard.", reverse=True, labels=AGREE_7
        ),
        likert("ps6", "Nobody in my team would knowingly undermine my work.", labels=AGREE_7),
        likert(
            "ps7",
            "Working with my team, my own skills and talents are valued and put to use.",
            labels=AGREE_7,
        ),
    ],
)

RELATIONSHIP_QUALITY = build(
    key="relationship_quality",
    title="Mentoring relationship quality",
    purpose="How well the pair works together, asked of both sides.",
    citation=(
        "After Allen, T. D., & Eby, L. T. (2003). Relationship effectiveness for mentors: "
        "factors associated with learning and quality. Journal of Management, 29(4), 469-486."
    ),
    wording_note=OWN_WORDING,
    items=[
        likert("rq1", "My mentoring partner and I trust each other."),
        likert("rq2", "Our conversations are worth the time they take."),
        likert("rq3", "I learn things from my partner that I would not learn elsewhere."),
        likert("rq4", "I hold back what I really think in our meetings.", reverse=True),
        likert("rq5", "We keep the commitments we make to each other."),
        text("rq_comment", "Anything else about how your mentoring relationship is going?"),
    ],
)

INCLUSIVE_LEADERSHIP = build(
    key="inclusive_leadership",
    title="Inclusive leadership (pre and post)",
    purpose=(
        "Leaders' openness, availability and accessibility, asked before and after the "
        "programme to see change."
    ),
    citation=(
        "After Carmeli, A., Reiter-Palmon, R., & Ziv, E. (2010). Inclusive leadership and "
        "employee involvement in creative tasks in the workplace. Creativity Research "
        "Journal, 22(3), 250-260."
    ),
    wording_note=OWN_WORDING,
    audiences=("leader",),
    items=[
        likert("il1", "I listen to new ideas about how work gets done."),
        likert("il2", "I look for chances to improve how we work, whoever suggests them."),
        likert("il3", "I make time for people who want to talk through a problem."),
        likert("il4", "People find it hard to reach me with a concern.", reverse=True),
        likert("il5", "I invite people to bring up issues nobody has raised yet."),
        likert("il6", "I treat a different view as worth hearing, not as a challenge."),
    ],
)

PROGRAMME_SATISFACTION = build(
    key="programme_satisfaction",
    title="Programme satisfaction",
    purpose="How participants rate the programme itself.",
    citation="Upward's own short instrument; no published source.",
    wording_note="Upward's own wording.",
    items=[
        likert("sat1", "The programme was well organised."),
        likert("sat2", "The preparation and training helped me."),
        likert("sat3", "Taking part cost more time than it gave back.", reverse=True),
        choice(
            "recommend",
            "Would you recommend the programme to a colleague?",
            ["Yes", "Not sure", "No"],
        ),
        text("sat_comment", "What should we keep, and what should we change?"),
    ],
)

READINESS_BASELINE = build(
    key="readiness_baseline",
    title="Readiness baseline",
    purpose=(
        "Measured across the wider organisation before a programme starts: is there room and "
        "support for reverse mentoring?"
    ),
    citation=(
        "Upward's own instrument, following the readiness checklist (leadership commitment, "
        "time allowance, a psychological-safety baseline)."
    ),
    wording_note="Upward's own wording.",
    audiences=("mentor", "leader", "staff"),
    items=[
        likert("rb1", "Our senior leaders say openly that diversity and inclusion matter."),
        likert("rb2", "My manager would give me time to take part in a mentoring programme."),
        likert("rb3", "Speaking up to a senior leader here carries a risk.", reverse=True),
        likert("rb4", "I would be interested in mentoring or being mentored."),
        number(
            "rb_hours", "How many hours a month could you give to mentoring?", minimum=0, maximum=40
        ),
        text("rb_comment", "What would make such a programme work here?"),
    ],
)

LIBRARY: dict[str, Instrument] = {
    i.key: i
    for i in (
        PSYCHOLOGICAL_SAFETY,
        RELATIONSHIP_QUALITY,
        INCLUSIVE_LEADERSHIP,
        PROGRAMME_SATISFACTION,
        READINESS_BASELINE,
    )
}


MAX_ITEMS = 60


def from_data(
    *, key: str, title: str, purpose: str, items: Sequence[Mapping[str, object]]
) -> Instrument:
    """An instrument built from plain data (a page's form or an API body): each item a mapping
    with key, text, kind, and as its kind needs reverse, labels, choices, minimum, maximum.
    Raises ``InstrumentError`` with a plain message; scoring is the library's (the mean of the
    Likert items after reverse scoring)."""
    if key in LIBRARY:
        raise InstrumentError(f"The key {key!r} belongs to a library instrument: choose another.")
    if len(items) > MAX_ITEMS:
        raise InstrumentError(f"An instrument holds at most {MAX_ITEMS} items.")
    built: list[Item] = []
    for n, raw in enumerate(items, start=1):
        kind_name = str(raw.get("kind", ""))
        if kind_name not in {k.value for k in Kind}:
            raise InstrumentError(
                f"Item {n}: the kind is likert, number, choice or text, not {kind_name!r}."
            )
        kind = Kind(kind_name)

        built.append(
            Item(
                key=str(raw.get("key", "")).strip(),
                text=str(raw.get("text", "")).strip(),
                kind=kind,
                reverse=bool(raw.get("reverse", False)),
                labels=_texts(n, raw, "labels") if kind is Kind.LIKERT else (),
                choices=_texts(n, raw, "choices") if kind is Kind.CHOICE else (),
                minimum=_bound(n, raw, "minimum") if kind is Kind.NUMBER else None,
                maximum=_bound(n, raw, "maximum") if kind is Kind.NUMBER else None,
            )
        )
    return build(key=key, title=title, purpose=purpose, items=built, citation="", wording_note="")


def _texts(n: int, raw: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = raw.get(name) or []
    if not isinstance(value, list | tuple):
        raise InstrumentError(f"Item {n}: {name} must be a list of words.")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _bound(n: int, raw: Mapping[str, object], name: str) -> float | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        raise InstrumentError(f"Item {n}: the {name} must be a number.") from None


def to_data(instrument: Instrument) -> list[dict[str, object]]:
    """The items of ``instrument`` as plain data, the form ``from_data`` takes."""
    return [
        {
            "key": i.key,
            "text": i.text,
            "kind": str(i.kind),
            "reverse": i.reverse,
            "labels": list(i.labels),
            "choices": list(i.choices),
            "minimum": i.minimum,
            "maximum": i.maximum,
        }
        for i in instrument.items
    ]


def get(key: str) -> Instrument:
    try:
        return LIBRARY[key]
    except KeyError:
        raise InstrumentError(f"No instrument called {key!r}.") from None
