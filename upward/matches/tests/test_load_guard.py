"""The mentor load guard: a mentor's live pairs across all programmes never exceed their stated
capacity or their organisation's cap; the engine receives the places that remain."""

from __future__ import annotations

import pytest
from django.utils import timezone

from upward.matches import services
from upward.matches.errors import MatchRuleBroken
from upward.matches.inputs import load_input
from upward.matches.models import MatchingRun, Proposal
from upward.programmes import selectors as programme_selectors
from upward.programmes.models import Application, Programme, Question, Side

from .conftest import Cast, applicant, finish


def _elsewhere(cast: Cast, mentor: Application) -> Proposal:
    """A live proposal for the mentor in another programme of the same organisation."""
    other = Programme.objects.create(name="Another programme", slug="another")
    other.organisations.add(*cast.programme.organisations.all())
    leader = applicant(other, cast.leaders[-1].person, Side.LEADER, answers={})
    there = applicant(other, mentor.person, Side.MENTOR, answers={})
    run = MatchingRun.objects.create(programme=other, number=1, status="done")
    return Proposal.objects.create(
        programme=other,
        run=run,
        leader=leader,
        mentor=there,
        score=50,
        published_at=timezone.now(),
    )


def _set_capacity(cast: Cast, mentor: Application, places: str) -> None:
    question = next(
        q
        for q in programme_selectors.form_questions(cast.programme, Side.MENTOR)
        if q.use == Question.Use.CAPACITY
    )
    answers = dict(mentor.answers)
    answers[str(question.pk)] = places
    mentor.answers = answers
    mentor.save(update_fields=["answers"])


def test_a_mentor_busy_in_another_programme_gets_no_more_leaders(cast: Cast) -> None:
    busy = cast.mentors[1]
    elsewhere = _elsewhere(cast, busy)
    inp = load_input(cast.programme)
    assert inp.capacity[busy.pk] == 0
    assert inp.capacity_notes[busy.pk] == (
        "already mentoring 1 leader elsewhere, and may hold at most 1 at once"
    )
    run = finish(cast.programme, cast.coordinator)
    assert not run.pairs.filter(mentor=busy).exists()
    reason = run.unmatched.get(application=busy).reason
    assert (
        reason
        == "no free place: already mentoring 1 leader elsewhere, and may hold at most 1 at once"
    )
    # Once that proposal does not go ahead, the place is free again.
    Proposal.objects.filter(pk=elsewhere.pk).update(status=Proposal.Status.DECLINED)
    assert load_input(cast.programme).capacity[busy.pk] == 1


def test_the_organisations_cap_limits_what_a_mentor_offers(cast: Cast) -> None:
    keen = cast.mentors[2]
    _set_capacity(cast, keen, "2")
    assert load_input(cast.programme).capacity[keen.pk] == 2
    organisation = keen.person.organisation
    organisation.mentor_load_cap = 1
    organisation.save(update_fields=["mentor_load_cap"])
    assert load_input(cast.programme).capacity[keen.pk] == 1
    _elsewhere(cast, keen)
    assert load_input(cast.programme).capacity[keen.pk] == 0


def test_publishing_rechecks_the_load_across_programmes(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    pair = run.pairs.select_related("mentor__person").first()
    assert pair is not None
    _elsewhere(cast, pair.mentor)  # published elsewhere while this run was being reviewed
    with pytest.raises(MatchRuleBroken, match="would hold more pairs across programmes"):
        services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    assert not Proposal.objects.filter(programme=cast.programme).exists()
