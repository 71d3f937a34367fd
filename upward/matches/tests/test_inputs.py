"""What the engine receives: the programme's policy in its terms, participants built from the
programmes' selectors (consented identity only, topics a mentor asked to avoid left out),
availability in UTC, and a fingerprint of the inputs."""

from __future__ import annotations

from typing import Any

import pytest

from upward.consent.models import Channel
from upward.matches.errors import MatchRuleBroken
from upward.matches.inputs import clean_weights, engine_policy, load_input, run_settings, utc_slots
from upward.matching import Criterion
from upward.programmes import selectors as programme_selectors
from upward.programmes import services as programme_services
from upward.programmes.models import Question, Side
from upward.programmes.tests.conftest import _apply, _invite

from .conftest import Cast


def test_the_programme_policy_in_the_engines_terms(cast: Cast) -> None:
    settings = run_settings(cast.programme, {"objectives": 3, "text": 2, "preferences": 4})
    settings.update(min_grade_gap=0, min_availability_overlap=2, ban_same_department=True)
    policy, notes = engine_policy(settings)
    assert policy.rules.no_reporting_line is True
    assert policy.rules.min_grade_gap is None  # 0 means no grade rule in the programme's form
    assert policy.rules.min_common_hours == 4.0  # two shared slots of the grid: four hours
    assert policy.rules.ban_same_department is True
    # Objectives are judged from the objective questions' answers: their weight joins the text.
    assert policy.weights.text == 5 and policy.weights.objectives == 0
    assert policy.weights.preferences == 0
    assert len(notes) == 2 and "objective questions" in notes[0] and "not scored" in notes[1]
    assert policy.shares()[Criterion.OBJECTIVES] == 0


def test_a_policy_that_cannot_tell_pairs_apart_is_refused(cast: Cast) -> None:
    settings = run_settings(cast.programme)
    settings["weights"] = dict.fromkeys(settings["weights"], 0)
    settings["weights"]["preferences"] = 5
    with pytest.raises(MatchRuleBroken, match="a weight above zero"):
        engine_policy(settings)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"charm": 3}, "Unknown criterion: charm"),
        ({"topics": 6}, "must be 0 to 5"),
        ({"topics": -1}, "must be 0 to 5"),
        ({"topics": True}, "must be 0 to 5"),
        ({"topics": "3"}, "must be 0 to 5"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_message(weights: Any, message: str) -> None:
    with pytest.raises(MatchRuleBroken, match=message):
        clean_weights(weights)


def test_availability_grid_codes_become_utc_hours_in_each_time_zone() -> None:
    cache: dict[tuple[str, float], frozenset[int]] = {}
    assert utc_slots(["mon_morning"], 0.0, cache) == {9, 10, 11}
    assert utc_slots(["mon_morning"], -5.0, cache) == {14, 15, 16}
    assert utc_slots(["mon_morning"], 5.5, cache) == {4, 5}  # only whole hours inside the window
    assert utc_slots(["tue_lunch", "fri_evening"], 1.0, cache) == {
        24 + 11,
        24 + 12,
        96 + 16,
        96 + 17,
    }
    assert utc_slots([], 0.0, cache) is None  # not given: the availability rule does not apply
    assert utc_slots(["someday_morning"], 0.0, cache) is None


def _question(cast: Cast, side: str, use: str) -> Question:
    return next(q for q in programme_selectors.form_questions(cast.programme, side) if q.use == use)


def test_mentors_offer_their_topics_less_those_they_asked_to_avoid(cast: Cast) -> None:
    topics = list(cast.programme.topics.all()[:3])
    offered = _question(cast, Side.MENTOR, Question.Use.TOPICS)
    avoid = _question(cast, Side.MENTOR, Question.Use.TOPICS_AVOID)
    answers = dict(cast.mentor.answers)
    answers[str(offered.pk)] = [t.pk for t in topics]
    answers[str(avoid.pk)] = [topics[1].pk]
    cast.mentor.answers = answers
    cast.mentor.save(update_fields=["answers"])
    inp = load_input(cast.programme)
    mine = next(p for p in inp.mentors if p.id == cast.mentor.person_id)
    assert mine.topics_offered == {topics[0].name, topics[2].name}
    assert mine.capacity == 1 and mine.grade == cast.mentor.person.grade_level
    assert mine.organisation == "Northwind Group"
    assert inp.application_of[cast.mentor.person_id] == cast.mentor.pk
    assert len(inp.leaders) == 8 and len(inp.mentors) == 10


def test_only_consented_identity_reaches_the_engine(cast: Cast, mentor: Any) -> None:
    programme = cast.programme
    programme.identity_dimensions = ["ethnicity", "age_band"]
    programme.save(update_fields=["identity_dimensions"])
    cast.mentor.delete()  # apply again through the service, with consent for one answer
    _invite(programme, mentor, Side.MENTOR)
    application = _apply(programme, mentor, Side.MENTOR, {"ethnicity": "black"})
    programme_services.applications_decide(
        programme=programme,
        by=cast.coordinator,
        application_ids=[application.pk],
        decision="accept",
    )
    inp = load_input(programme)
    mine = next(p for p in inp.mentors if p.id == mentor.person.pk)
    assert mine.identity == {"ethnicity": "black"}
    before = inp.fingerprint

    programme_services.application_identity_stop(
        application=application, dimension="ethnicity", channel=Channel.WEB
    )
    after = load_input(programme)
    assert next(p for p in after.mentors if p.id == mentor.person.pk).identity == {}
    assert after.fingerprint != before


def test_the_fingerprint_changes_with_the_inputs_only(cast: Cast) -> None:
    first = load_input(cast.programme).fingerprint
    assert load_input(cast.programme).fingerprint == first
    text = _question(cast, Side.LEADER, Question.Use.TEXT)
    answers = dict(cast.leader.answers)
    answers[str(text.pk)] = "Something else entirely."
    cast.leader.answers = answers
    cast.leader.save(update_fields=["answers"])
    assert load_input(cast.programme).fingerprint != first


def test_a_reciprocal_programme_weighs_topics_both_ways(cast: Cast) -> None:
    programme = cast.programme
    type(programme).objects.filter(pk=programme.pk).update(kind=type(programme).Kind.RECIPROCAL)
    programme.refresh_from_db()
    # The last topics: the personas ask to avoid none of them.
    topics = list(programme.topics.order_by("-pk")[:3])
    for application, side, wanted in (
        (cast.mentor, Side.MENTOR, [topics[1].pk]),
        (cast.leader, Side.LEADER, [topics[2].pk]),
    ):
        form = _question(cast, side, Question.Use.TOPICS).form
        back = programme_services.question_save(
            form=form,
            by=cast.coordinator,
            kind=Question.Kind.TOPICS,
            label="Topics you can offer in return" if side == Side.LEADER else "Topics to learn",
            use=Question.Use.TOPICS_BACK,
        )
        application.answers = {**application.answers, str(back.pk): wanted}
        application.save(update_fields=["answers"])
    inp = load_input(programme)
    mentor = next(p for p in inp.mentors if p.id == cast.mentor.person_id)
    leader = next(p for p in inp.leaders if p.id == cast.leader.person_id)
    assert mentor.topics_sought == {topics[1].name}
    assert leader.topics_offered == {topics[2].name}
    topics_weight = run_settings(programme)["weights"]["topics"]
    assert topics_weight > 0
    assert inp.policy.weights.topics == 0
    assert inp.policy.weights.reciprocity == topics_weight
    assert any("reciprocal programme" in note for note in inp.notes)
    # Other programmes keep the one-way topics criterion and their settings as they were.
    type(programme).objects.filter(pk=programme.pk).update(kind=type(programme).Kind.REVERSE)
    programme.refresh_from_db()
    assert "reciprocal" not in run_settings(programme)
    assert load_input(programme).policy.weights.reciprocity == 0
