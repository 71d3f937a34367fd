"""Instruments: the builder's checks, answer checking, and the exact score of each ready
instrument, reverse items included (no database)."""

from __future__ import annotations

import pytest

from upward.evidence import instruments as ins
from upward.evidence.instruments import AnswerError, InstrumentError


def test_library_holds_the_five_instruments_each_with_a_citation() -> None:
    assert sorted(ins.LIBRARY) == [
        "inclusive_leadership",
        "programme_satisfaction",
        "psychological_safety",
        "readiness_baseline",
        "relationship_quality",
    ]
    for i in ins.LIBRARY.values():
        assert i.citation and i.wording_note
    ps = ins.PSYCHOLOGICAL_SAFETY
    assert len(ps.items) == 7
    assert [i.key for i in ps.items if i.reverse] == ["ps1", "ps3", "ps5"]
    assert ps.scale == (1, 7)
    assert "Edmondson" in ps.citation and "own wording" in ps.wording_note


def test_psychological_safety_score_turns_reverse_items_round() -> None:
    answers = {"ps1": 2, "ps2": 6, "ps3": 1, "ps4": 5, "ps5": 3, "ps6": 7, "ps7": 4}
    # reverse: ps1 2->6, ps3 1->7, ps5 3->5; (6+6+7+5+5+7+4)/7 = 40/7
    assert ins.score(ins.PSYCHOLOGICAL_SAFETY, answers) == pytest.approx(40 / 7, abs=1e-12)
    worst = {"ps1": 7, "ps2": 1, "ps3": 7, "ps4": 1, "ps5": 7, "ps6": 1, "ps7": 1}
    assert ins.score(ins.PSYCHOLOGICAL_SAFETY, worst) == 1.0


def test_relationship_quality_score() -> None:
    answers = {"rq1": 5, "rq2": 4, "rq3": 3, "rq4": 2, "rq5": 5, "rq_comment": ""}
    # rq4 reversed on 5 points: 2 -> 4; (5+4+3+4+5)/5 = 4.2
    assert ins.score(ins.RELATIONSHIP_QUALITY, answers) == pytest.approx(4.2, abs=1e-12)


def test_inclusive_leadership_score() -> None:
    answers = {"il1": 4, "il2": 4, "il3": 2, "il4": 5, "il5": 3, "il6": 3}
    # il4 reversed: 5 -> 1; (4+4+2+1+3+3)/6 = 17/6
    assert ins.score(ins.INCLUSIVE_LEADERSHIP, answers) == pytest.approx(17 / 6, abs=1e-12)
    assert ins.INCLUSIVE_LEADERSHIP.audiences == ("leader",)


def test_programme_satisfaction_score_ignores_choices_and_text() -> None:
    answers = {"sat1": 5, "sat2": 3, "sat3": 4, "recommend": "Yes", "sat_comment": "More time"}
    # sat3 reversed: 4 -> 2; (5+3+2)/3
    assert ins.score(ins.PROGRAMME_SATISFACTION, answers) == pytest.approx(10 / 3, abs=1e-12)


def test_readiness_baseline_score_ignores_the_number() -> None:
    answers = {"rb1": 4, "rb2": 2, "rb3": 1, "rb4": 5, "rb_hours": 6.0}
    # rb3 reversed: 1 -> 5; (4+2+5+5)/4 = 4
    assert ins.score(ins.READINESS_BASELINE, answers) == 4.0


def test_check_answers_cleans_and_reports_every_problem() -> None:
    clean = ins.check_answers(
        ins.READINESS_BASELINE,
        {"rb1": "4", "rb2": 2, "rb3": "1", "rb4": 5, "rb_hours": "6.5", "rb_comment": "  ok "},
    )
    assert clean == {"rb1": 4, "rb2": 2, "rb3": 1, "rb4": 5, "rb_hours": 6.5, "rb_comment": "ok"}
    with pytest.raises(AnswerError) as e:
        ins.check_answers(
            ins.READINESS_BASELINE,
            {"rb1": "9", "rb2": "x", "rb4": 3, "rb_hours": "41", "bogus": 1},
        )
    assert e.value.errors == {
        "_": "Unknown questions: bogus",
        "rb1": "Choose a point from 1 to 5.",
        "rb2": "Choose a point on the scale.",
        "rb3": "Please answer this question.",
        "rb_hours": "Enter a number from 0 to 40.",
    }
    with pytest.raises(AnswerError) as e:
        ins.check_answers(
            ins.PROGRAMME_SATISFACTION,
            {"sat1": 1, "sat2": 1, "sat3": 1, "recommend": "Maybe", "sat_comment": "x" * 2001},
        )
    assert e.value.errors == {
        "recommend": "Choose one of the options.",
        "sat_comment": "Keep this to 2000 characters.",
    }


def test_builder_makes_a_custom_instrument_and_refuses_bad_ones() -> None:
    custom = ins.build(
        key="pulse",
        title="Monthly pulse",
        items=[
            ins.likert("p1", "I feel heard.", labels=("No", "Partly", "Yes")),
            ins.likert("p2", "I am often ignored.", reverse=True, labels=("No", "Partly", "Yes")),
            ins.number("p3", "Meetings this month", minimum=0, maximum=10),
            ins.choice("p4", "Format", ["In person", "Video"]),
            ins.text("p5", "Anything else?"),
        ],
    )
    assert ins.score(custom, {"p1": 3, "p2": 3, "p3": 2, "p4": "Video"}) == 2.0
    bad = [
        ({"key": "bad key", "title": "t", "items": [ins.text("a", "x")]}, "letters, digits"),
        ({"key": "k", "title": " ", "items": [ins.text("a", "x")]}, "title"),
        ({"key": "k", "title": "t", "items": []}, "at least one item"),
        ({"key": "k", "title": "t", "items": [ins.text("a", "x"), ins.text("a", "y")]}, "share"),
        ({"key": "k", "title": "t", "items": [ins.likert("a", "x", labels=["one"])]}, "2 and 11"),
        ({"key": "k", "title": "t", "items": [ins.choice("a", "x", ["A", "A"])]}, "two different"),
        (
            {"key": "k", "title": "t", "items": [ins.number("a", "x", minimum=3, maximum=3)]},
            "below",
        ),
        (
            {
                "key": "k",
                "title": "t",
                "items": [ins.likert("a", "x"), ins.likert("b", "y", labels=ins.AGREE_7)],
            },
            "same number of points",
        ),
        (
            {"key": "k", "title": "t", "items": [ins.Item("a", "x", ins.Kind.TEXT, reverse=True)]},
            "Only Likert",
        ),
    ]
    for kwargs, message in bad:
        with pytest.raises(InstrumentError, match=message):
            ins.build(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(InstrumentError, match="No instrument"):
        ins.get("nope")
