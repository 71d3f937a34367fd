"""Shared themes name what carries meaning in both texts, never filler; a score is placed
against the leader's other possible partners."""

from __future__ import annotations

import pytest

from upward.matching import MatchingPolicy, MatchingProblem, engine, explain
from upward.matching.explain import standing_words
from upward.matching.similarity import carries_meaning, shared_themes
from upward.matching.tests.factories import leader, mentor

# Words people write in every application; none of them is a theme two people share.
FILLER = {
    "like", "want", "person", "people", "meetings", "meeting", "speak", "think", "really",
    "things", "work", "understand", "feel", "would", "know", "also", "make", "time", "way",
    "help", "colleagues", "team", "organisation", "senior", "leader", "get", "see", "day",
}  # fmt: skip

PAIRS = [
    (
        "I want to understand what stops graduates from speaking up in my meetings, and how our "
        "promotion process looks to someone without a sponsor. I'd like to listen more.",
        "Being the only person like me in most meetings, and how the promotion process feels "
        "when nobody senior is your sponsor. People my age would stay longer.",
        ["promotion process", "sponsor"],
    ),
    (
        "I'd like to understand how our hybrid working policy lands with people early in their "
        "career, and what I do that makes it harder for people to speak up.",
        "Working from a shared flat with no quiet place to take calls makes hybrid working hard "
        "early in your career. I'd like a leader to see that, I want to speak up.",
        ["hybrid working"],
    ),
    (
        "Why colleagues from under-represented groups leave us within two years; I want to "
        "feel what it is like for a person like that in meetings.",
        "What it means to manage a disability at work, and why under-represented groups leave. "
        "Like many people I feel it in meetings.",
        ["under-represented groups"],
    ),
    (
        "How new digital tools could change the way my teams work.",
        "Which digital tools we actually use and the workarounds we build.",
        ["digital tools"],
    ),
]


@pytest.mark.parametrize(("first", "second", "expected"), PAIRS)
def test_themes_name_what_both_wrote_and_never_filler(
    first: str, second: str, expected: list[str]
) -> None:
    themes = shared_themes(first, second)
    assert themes[: len(expected)] == expected
    words = {w for theme in themes for w in theme.split()}
    assert not words & FILLER


def test_filler_alone_gives_no_theme() -> None:
    first = "I want to speak with a person like you in our meetings; I think people would like it."
    second = "I'd like to speak up in meetings, as a person people want to hear, I think."
    assert shared_themes(first, second) == []
    assert not any(carries_meaning(w) for w in FILLER)
    assert all(carries_meaning(w) for w in ("promotion", "sponsor", "disability", "hybrid"))


def test_plurals_fold_and_the_rarest_word_comes_first() -> None:
    assert shared_themes(
        "Decisions about promotions and disability.", "A promotion, and disability decisions."
    ) == ["promotions", "disability", "decisions"]


def test_the_pair_sentence_names_themes_and_its_standing_against_other_partners() -> None:
    text = "how the promotion process feels without a sponsor"
    lead = leader("cto", grade=9, hopes_to_learn=f"I want to learn {text}, like meetings")
    good = mentor("m1", grade=2, can_share=f"I know {text}; I'd like to speak in meetings")
    others = [
        mentor(f"m{k}", grade=2, can_share="I like to speak in meetings with people")
        for k in range(2, 6)
    ]
    problem = MatchingProblem([lead], [good, *others], MatchingPolicy())
    best = problem.check_pair("cto", "m1").explanation
    worst = problem.check_pair("cto", "m2").explanation
    [text_part] = [c for c in best.contributions if c.criterion.value == "text"]
    assert text_part.sentence.endswith("both mention promotion process, sponsor")
    assert best.standing == 1.0 and worst.standing == 0.0
    assert "a stronger fit than 100% of the leader's possible partners" in best.summary()
    assert best.as_dict()["standing"] == 1.0
    [filler] = [c for c in worst.contributions if c.criterion.value == "text"]
    assert "mention" not in filler.sentence


def test_standing_in_words() -> None:
    assert standing_words(None) == ""
    assert standing_words(0.8) == "a stronger fit than 80% of the leader's possible partners"
    assert standing_words(0.25) == "a weaker fit than 75% of the leader's possible partners"


def test_standing_is_given_to_every_pair_of_a_run_or_to_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pairs are explained part by part; whether standing fits is decided for the whole run,
    so a last, short part does not get a standing the others lack."""
    leaders = [leader(f"l{k}", grade=9) for k in range(5)]
    mentors = [mentor(f"m{k}", grade=2) for k in range(5)]
    problem = MatchingProblem(leaders, mentors, MatchingPolicy())
    monkeypatch.setattr(engine, "EXPLAIN_PART", 2)
    # Five leaders x five mentors do not fit; the last part (one leader) would.
    monkeypatch.setattr(explain, "STANDING_CELLS", 24)
    assert {p.explanation.standing for p in problem.match().pairs} == {None}
    monkeypatch.setattr(explain, "STANDING_CELLS", 25)
    places = [p.explanation.standing for p in problem.match().pairs]
    assert len(places) == 5 and None not in places
