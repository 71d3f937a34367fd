"""Explanations in words: what coordinators see, and the introduction each person receives."""

from __future__ import annotations

from upward.matches.words import introduction, note, note_text, stored_criteria, summary
from upward.matching import Participant

EXPLANATION = {
    "score": 71.0,
    "criteria": [
        {
            "criterion": "topics",
            "label": "Topics",
            "value": 0.5,
            "points": 15.0,
            "max_points": 30.0,
            "sentence": "shares 1 of 2 topics sought (hybrid work)",
        },
        {
            "criterion": "text",
            "label": "What they wrote",
            "value": 0.4,
            "points": 4.0,
            "max_points": 10.0,
            "sentence": "what they wrote is 40% similar; both mention meetings, voice",
        },
        {
            "criterion": "difference",
            "label": "Difference",
            "value": 1.0,
            "points": 15.0,
            "max_points": 15.0,
            "sentence": "differ on 2 of 3 dimensions the programme seeks difference on "
            "(ethnicity, disability)",
        },
        {
            "criterion": "seniority",
            "label": "Seniority gap",
            "value": 1.0,
            "points": 5.0,
            "max_points": 5.0,
            "sentence": "6 grades apart",
        },
    ],
}


def test_runs_keep_how_many_identity_dimensions_differ_but_never_which() -> None:
    criteria = stored_criteria(EXPLANATION)
    difference = next(c for c in criteria if c["criterion"] == "difference")
    assert difference["sentence"] == (
        "differ on 2 of 3 dimensions the programme seeks difference on"
    )
    assert "ethnicity" not in str(criteria) and "disability" not in str(criteria)
    assert [c["points"] for c in criteria] == [15.0, 4.0, 15.0, 5.0]
    assert summary(criteria) == (
        "shares 1 of 2 topics sought (hybrid work); differ on 2 of 3 dimensions the programme "
        "seeks difference on"
    )


def test_introductions_say_why_in_words_for_each_side_and_never_carry_identity() -> None:
    leader = Participant.leader(
        1,
        topics_sought=frozenset({"hybrid work", "racial equity"}),
        identity={"ethnicity": "white"},
        availability=frozenset({9, 10, 11}),
    )
    mentor = Participant.mentor(
        2,
        topics_offered=frozenset({"hybrid work"}),
        identity={"ethnicity": "black", "disability": "yes"},
        availability=frozenset({10, 11, 12}),
        culture_change=2,
    )
    criteria = stored_criteria(EXPLANATION)
    for_leader = introduction(leader=leader, mentor=mentor, criteria=criteria, side="leader")
    for_mentor = introduction(leader=leader, mentor=mentor, criteria=criteria, side="mentor")
    assert for_leader == [
        "Your mentor is ready to talk about 1 topic you want to understand better: hybrid work.",
        "What you each wrote has themes in common (meetings, voice).",
        "You are both usually free for about 2 hours a week at the same time.",
        "Your mentor has taken part in work to change the culture here.",
        "You work at quite different levels of the organisation, which is what reverse "
        "mentoring is for: each of you sees what the other cannot.",
    ]
    assert for_mentor[0] == (
        "Your leader wants to understand 1 topic you offered to talk about: hybrid work."
    )
    words = " ".join(for_leader + for_mentor).lower()
    for secret in ("black", "white", "ethnicity", "disability", "differ on"):
        assert secret not in words


def test_an_introduction_is_never_empty() -> None:
    lonely = introduction(
        leader=Participant.leader(1), mentor=Participant.mentor(2), criteria=[], side="leader"
    )
    assert lonely == [
        "The coordinator matched you as the best fit available under the programme's rules."
    ]


def test_notes_name_people_only_when_shown() -> None:
    item = note("The lock of {0} with {1} was not kept.", 7, 8)
    assert item == {"text": "The lock of {0} with {1} was not kept.", "people": [7, 8]}
    assert note_text(item, {7: "Ada", 8: "Bo"}) == "The lock of Ada with Bo was not kept."
    assert note_text(item, {7: "Ada"}) == (
        "The lock of Ada with someone no longer in the programme was not kept."
    )
    assert note_text({"text": "Braces {in} a department name", "people": []}, {}) == (
        "Braces {in} a department name"
    )


def test_a_stored_explanation_keeps_the_standing_and_the_page_shows_it() -> None:
    from upward.matches.templatetags.matches_tags import standing, why
    from upward.matches.words import stored_criteria

    stored = stored_criteria(
        {
            "standing": 0.8,
            "criteria": [
                {
                    "criterion": "text",
                    "label": "What they wrote",
                    "points": 7.0,
                    "max_points": 20.0,
                    "sentence": "what they wrote is 40% similar; both mention promotion process",
                }
            ],
        }
    )
    assert stored[-1] == {
        "criterion": "standing",
        "label": "Against the other possible partners",
        "points": 0.0,
        "max_points": 0.0,
        "sentence": "a stronger fit than 80% of the leader's possible partners",
    }
    assert standing(stored) == "A stronger fit than 80% of the leader's possible partners"
    assert why(stored) == "What they wrote is 40% similar; both mention promotion process"
