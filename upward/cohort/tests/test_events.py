"""Cohort events run on the workshop machinery: scheduled by the coordinator, booked with a
calendar invitation (METHOD:REQUEST, then CANCEL), attendance taken. The mid-point check-in's
questionnaire is answered privately; the coordinator sees counts and averages only, once it
has closed and above the anonymity threshold, never an individual answer."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from upward.cohort import midpoint, selectors
from upward.cohort.errors import CohortRuleBroken
from upward.cohort.models import MidpointParticipation, MidpointResponse
from upward.pairs.models import Pair
from upward.preparation.models import Workshop, WorkshopSeat
from upward.preparation.tests.factory import colleague, make_pair
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data

pytestmark = pytest.mark.django_db
ANSWERS = {"relationship": 5, "learning": 4, "meetings": 2, "support": 3}


def _event_body(kind: str, **more: Any) -> dict[str, Any]:
    return {
        "title": "Mid-point check-in" if kind == "midpoint" else "Group coaching",
        "kind": kind,
        "audience": "everyone",
        "starts_at": (timezone.now() + dt.timedelta(days=7)).isoformat(),
        "place": "Head office",
        **more,
    }


def _midpoint(programme: Any, days: int = 7) -> Workshop:
    return Workshop.objects.create(
        programme=programme,
        kind=Workshop.Kind.MIDPOINT,
        title="Mid-point check-in",
        starts_at=timezone.now() + dt.timedelta(days=days),
        place="Head office",
    )


def test_a_coordinator_schedules_group_coaching_and_people_get_invitations(
    client: Any,
    pair: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    slug = pair.programme.slug
    client.force_login(coordinator)
    made = client.post(
        f"/api/v1/programmes/{slug}/cohort/events",
        _event_body("coaching", audience="mentors"),
        "application/json",
    )
    assert made.status_code == 201, made.content
    event_id = made.json()["id"]
    # For mentors only: the leader does not see it, the mentor does and books a place.
    client.force_login(leader)
    assert client.get("/api/v1/cohort/events").json() == []
    client.force_login(mentor)
    assert [e["id"] for e in client.get("/api/v1/cohort/events").json()] == [event_id]
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(f"/api/v1/workshops/{event_id}/sign-up")
    assert booked.status_code == 200
    (invite,) = mail.outbox
    ics = invite.attachments[0]
    assert "METHOD:REQUEST" in ics[1].decode() if isinstance(ics[1], bytes) else ics[1]
    # The coordinator cancels: the booked mentor gets a METHOD:CANCEL.
    client.force_login(coordinator)
    event = Workshop.objects.get(pk=event_id)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(
            f"/api/v1/programmes/{slug}/workshops/{event_id}/cancel",
            {"version": event.version},
            "application/json",
        )
    assert cancelled.status_code == 200
    cancel = mail.outbox[-1].attachments[0][1]
    assert "METHOD:CANCEL" in (cancel.decode() if isinstance(cancel, bytes) else cancel)


def test_attendance_and_the_coordinators_list(
    client: Any, pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    event = Workshop.objects.create(
        programme=pair.programme,
        kind=Workshop.Kind.COACHING,
        title="Group coaching",
        starts_at=timezone.now() - dt.timedelta(days=1),
        place="Room 4",
    )
    for person in (leader, mentor):
        WorkshopSeat.objects.create(workshop=event, user=person, status="booked")
    client.force_login(coordinator)
    slug = pair.programme.slug
    url = f"/api/v1/programmes/{slug}/cohort/events/{event.pk}/attendance"
    stranger = client.post(url, {"version": 1, "present": [coordinator.pk]}, "application/json")
    assert stranger.status_code == 400
    taken = client.post(url, {"version": 1, "present": [leader.pk]}, "application/json")
    assert taken.json() == {"came": 1}
    (row,) = client.get(f"/api/v1/programmes/{slug}/cohort/events").json()
    assert (row["booked"], row["came"]) == (2, 1)
    page = client.get(reverse("cohort:events", args=[slug])).content.decode()
    assert "Group coaching" in page


def test_a_kind_that_is_not_a_cohort_event_is_refused(
    client: Any, pair: Pair, coordinator: Any
) -> None:
    client.force_login(coordinator)
    slug = pair.programme.slug
    bad = client.post(
        f"/api/v1/programmes/{slug}/cohort/events", _event_body("training"), "application/json"
    )
    assert bad.status_code == 422
    no_place = client.post(
        f"/api/v1/programmes/{slug}/cohort/events",
        _event_body("ideas", place=""),
        "application/json",
    )
    assert no_place.status_code == 400 and "place" in no_place.json()["detail"]
    assert not Workshop.objects.exists()


def test_a_person_answers_once_and_the_answers_are_not_linked_to_them(
    client: Any, pair: Pair, leader: Any, coordinator: Any
) -> None:
    event = _midpoint(pair.programme)
    client.force_login(leader)
    form = client.get(reverse("cohort:checkin", args=[event.pk]))
    assert form.status_code == 200 and "How well is your mentoring relationship going?" in (
        form.content.decode()
    )
    sent = client.post(reverse("cohort:checkin", args=[event.pk]), ANSWERS)
    assert sent.status_code == 302
    again = client.post(
        f"/api/v1/cohort/check-ins/{event.pk}/answer", {"answers": ANSWERS}, "application/json"
    )
    assert again.status_code == 400 and "already answered" in again.json()["detail"]
    assert client.get(f"/api/v1/cohort/check-ins/{event.pk}").json()["answered"] is True
    (response,) = MidpointResponse.objects.all()
    assert response.answers == ANSWERS
    assert not any(f.name == "user" for f in MidpointResponse._meta.get_fields())
    # Who answered holds no time and no answer, so it cannot be lined up with the answers.
    assert {f.name for f in MidpointParticipation._meta.get_fields()} == {"id", "workshop", "user"}
    exported = subject_export_data(DataSubject.of_user(leader))["sections"]["cohort"]
    assert exported["check_ins_answered"] == [
        {"event": "Mid-point check-in", "programme": pair.programme.name}
    ]
    assert '"meetings": 2' not in json.dumps(exported, default=str)
    # The coordinator cannot open the questionnaire as a respondent.
    client.force_login(coordinator)
    assert client.get(reverse("cohort:checkin", args=[event.pk])).status_code == 404


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"relationship": 5}, "Answer every question"),
        ({**ANSWERS, "learning": 6}, "from 1 to 5"),
        ({**ANSWERS, "learning": 0}, "from 1 to 5"),
        ({**ANSWERS, "salary": 3}, "only the questions"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    client: Any, pair: Pair, leader: Any, answers: dict[str, int], words: str
) -> None:
    event = _midpoint(pair.programme)
    client.force_login(leader)
    bad = client.post(
        f"/api/v1/cohort/check-ins/{event.pk}/answer", {"answers": answers}, "application/json"
    )
    assert bad.status_code == 400 and words in bad.json()["detail"]
    assert not MidpointResponse.objects.exists() and not MidpointParticipation.objects.exists()


def test_a_closed_questionnaire_takes_no_answer(pair: Pair, leader: Any) -> None:
    event = _midpoint(pair.programme, days=-30)
    with pytest.raises(CohortRuleBroken, match="closed"):
        midpoint.midpoint_answer(workshop=event, user=leader, answers=ANSWERS)
    assert not MidpointResponse.objects.exists()


def _people(programme: Any, org: Any, n: int, start: int = 0) -> list[Any]:
    """n more people in active pairs of the programme (pairs of two)."""
    people = []
    for i in range(start, start + n, 2):
        a = colleague(org, f"p{i}@upward.test", 10 + i)
        b = colleague(org, f"p{i + 1}@upward.test", 11 + i)
        made = make_pair(programme, a, b)
        Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
        people += [a, b]
    return people


def test_the_coordinator_sees_aggregates_only_after_closing_and_above_the_threshold(
    client: Any, pair: Pair, org_a: Any, coordinator: Any
) -> None:
    programme = pair.programme
    assert programme.anonymity_threshold == 5
    event = _midpoint(programme, days=1)
    people = _people(programme, org_a, 4)
    scores = [1, 2, 4, 5]
    for person, score in zip(people, scores, strict=True):
        midpoint.midpoint_answer(
            workshop=event, user=person, answers={k: score for k, _ in midpoint.QUESTIONS}
        )
    slug = programme.slug
    url = f"/api/v1/programmes/{slug}/cohort/events/{event.pk}/results"
    client.force_login(coordinator)
    # While open: nothing, not even the number of answers.
    open_ = client.get(url).json()
    assert open_["state"] == "open" and open_["answers"] is None and open_["averages"] == []
    # Closed: the session was held more than ANSWER_DAYS_AFTER days ago.
    past = timezone.now() - dt.timedelta(days=selectors.ANSWER_DAYS_AFTER + 1)
    Workshop.objects.filter(pk=event.pk).update(starts_at=past)
    too_few = client.get(url).json()
    assert too_few["state"] == "too_few" and too_few["answers"] is None
    assert too_few["averages"] == []
    page = client.get(reverse("cohort:events", args=[slug])).content.decode()
    assert "Too few answers to show (fewer than 5)" in page
    # A fifth answer, given before it closed, passes the threshold.
    Workshop.objects.filter(pk=event.pk).update(starts_at=timezone.now())
    event.refresh_from_db()
    fifth = _people(programme, org_a, 2, start=4)[0]
    midpoint.midpoint_answer(
        workshop=event, user=fifth, answers={k: 3 for k, _ in midpoint.QUESTIONS}
    )
    Workshop.objects.filter(pk=event.pk).update(starts_at=past)
    shown = client.get(url).json()
    assert shown["state"] == "shown" and shown["answers"] == 5
    assert {a["question"]: a["average"] for a in shown["averages"]} == {
        "relationship": 3.0,
        "learning": 3.0,
        "meetings": 3.0,
        "support": 3.0,
    }
    page = client.get(reverse("cohort:events", args=[slug])).content.decode()
    assert "5 answers" in page
    # Nobody else sees the results at all.
    client.force_login(people[0])
    assert client.get(url).status_code == 404


def test_a_cohort_event_changes_through_the_workshops_api_with_a_new_sequence(
    client: Any, pair: Pair, coordinator: Any
) -> None:
    client.force_login(coordinator)
    slug = pair.programme.slug
    made = client.post(
        f"/api/v1/programmes/{slug}/cohort/events", _event_body("celebration"), "application/json"
    ).json()
    changed = client.put(
        f"/api/v1/programmes/{slug}/workshops/{made['id']}",
        {**_event_body("celebration", place="The roof garden"), "version": made["version"]},
        "application/json",
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["kind"], changed.json()["place"]) == ("celebration", "The roof garden")
    assert Workshop.objects.get(pk=made["id"]).sequence == 1


def test_the_coordinator_invites_everyone_an_event_is_for(
    client: Any,
    pair: Pair,
    other_pair: Pair,
    coordinator: Any,
    leader: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = _midpoint(pair.programme)
    Workshop.objects.filter(pk=event.pk).update(audience="leaders", capacity=1)
    slug = pair.programme.slug
    client.force_login(leader)
    url = f"/api/v1/programmes/{slug}/cohort/events/{event.pk}/invite"
    assert client.post(url).status_code == 404
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url)
    assert answer.json() == {"booked": 1}
    # The leaders only: the first booked, the second on the waiting list (capacity 1).
    seats = dict(WorkshopSeat.objects.filter(workshop=event).values_list("user_id", "status"))
    assert seats == {leader.pk: "booked", other_pair.leader.user_id: "waiting"}
    (invite,) = mail.outbox
    assert invite.to == [leader.email]
    ics = invite.attachments[0][1]
    assert "METHOD:REQUEST" in (ics.decode() if isinstance(ics, bytes) else ics)
    # Again: nobody new.
    assert client.post(url).json() == {"booked": 0}
    page = client.post(reverse("cohort:invite_all", args=[slug, event.pk]))
    assert page.status_code == 302
