"""Meetings: proposing times shown in both zones, picking one, the calendar invitation through
its life (request, move, cancel), the outcome and the time totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from upward.pairs.models import Pair
from upward.running import selectors, services
from upward.running.errors import RunningRuleBroken, VersionConflict
from upward.running.models import Meeting
from upward.running.zones import local_to_aware

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def soon(days: int = 7) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def test_both_zones_follow_daylight_saving(pair: Pair) -> None:
    # New York moves its clocks on 14 March 2027, London on 28 March: for two weeks the gap
    # between them is four hours instead of five.
    shown = {
        d: [(t.name, t.zone, t.text) for t in selectors.both_zones(pair, at(d))]
        for d in ("2027-03-10T14:00", "2027-03-20T14:00", "2027-04-03T14:00")
    }
    leader, mentor = pair.leader.person.name, pair.mentor.person.name
    assert shown["2027-03-10T14:00"] == [
        (leader, "Europe/London", "Wed 10 March 2027, 14:00 (GMT)"),
        (mentor, "America/New_York", "Wed 10 March 2027, 09:00 (EST)"),
    ]
    assert shown["2027-03-20T14:00"] == [
        (leader, "Europe/London", "Sat 20 March 2027, 14:00 (GMT)"),
        (mentor, "America/New_York", "Sat 20 March 2027, 10:00 (EDT)"),
    ]
    assert shown["2027-04-03T14:00"] == [
        (leader, "Europe/London", "Sat 3 April 2027, 15:00 (BST)"),
        (mentor, "America/New_York", "Sat 3 April 2027, 10:00 (EDT)"),
    ]


def test_wall_clock_times_are_read_in_their_zone() -> None:
    assert local_to_aware(dt.datetime(2027, 7, 1, 9, 0), "Europe/London") == at("2027-07-01T08:00")
    with pytest.raises(RunningRuleBroken) as gap:
        local_to_aware(dt.datetime(2027, 3, 28, 1, 30), "Europe/London")
    assert str(gap.value) == (
        "28 March 2027 01:30 does not exist in Europe/London: the clocks go forward then. "
        "Choose another time."
    )
    with pytest.raises(RunningRuleBroken) as unknown:
        local_to_aware(dt.datetime(2027, 7, 1, 9, 0), "Mars/Olympus_Mons")
    assert str(unknown.value) == (
        "“Mars/Olympus_Mons” is not a time zone we know, such as Europe/London."
    )


def test_a_time_in_the_past_is_refused_and_nothing_is_made(pair: Pair, leader: Any) -> None:
    with pytest.raises(RunningRuleBroken) as refused:
        services.meeting_propose(pair=pair, by=leader, times=[soon(), at("2020-01-06T09:00")])
    assert str(refused.value) == (
        "06 January 2020 09:00 UTC is in the past: choose a time that is still to come."
    )
    assert Meeting.objects.count() == 0


def test_the_page_refuses_an_unknown_zone_and_changes_nothing(
    client: Any, pair: Pair, leader: Any
) -> None:
    client.force_login(leader)
    url = reverse("running:propose", args=[pair.pk])
    response = client.post(
        url, {"zone": "Mars/Olympus_Mons", "time_1": "2030-05-01T10:00", "minutes": 60}
    )
    assert response.status_code == 400
    assert "“Mars/Olympus_Mons” is not a time zone we know" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_propose_pick_move_cancel_keeps_one_invitation(
    client: Any, pair: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(leader)
    response = client.post(
        reverse("running:propose", args=[pair.pk]),
        {
            "zone": "Europe/London",
            "time_1": "2030-07-01T10:00",
            "time_2": "2030-07-02T16:30",
            "minutes": 45,
            "place": "Room 4",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # 10:00 in London in July is 09:00 UTC.
    assert [o.starts_at for o in meeting.options.all()] == [
        at("2030-07-01T09:00"),
        at("2030-07-02T15:30"),
    ]
    second = meeting.options.all()[1]
    with pytest.raises(RunningRuleBroken, match="You proposed these times"):
        services.meeting_pick(meeting=meeting, by=leader, option_id=second.pk, version=1)

    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("running:pick", args=[meeting.pk]), {"option": second.pk, "version": 1})
    meeting.refresh_from_db()
    assert (meeting.state, meeting.starts_at, meeting.sequence) == (
        "scheduled",
        at("2030-07-02T15:30"),
        0,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@upward.test", "mentor@upward.test"]
    first = _calendar(mail.outbox[0])
    uid = str(first.walk("VEVENT")[0]["UID"])
    assert uid == meeting.uid
    assert (str(first["METHOD"]), int(first.walk("VEVENT")[0]["SEQUENCE"])) == ("REQUEST", 0)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_move(
            meeting=meeting, by=mentor, starts_at=at("2030-07-03T15:00"), version=2
        )
    moved = _calendar(mail.outbox[0])
    event = moved.walk("VEVENT")[0]
    assert (str(moved["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])) == (
        "REQUEST",
        uid,
        1,
    )
    assert event.decoded("DTSTART").astimezone(UTC) == at("2030-07-03T15:00")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("running:cancel", args=[meeting.pk]), {"version": 3})
    cancelled = _calendar(mail.outbox[0])
    event = cancelled.walk("VEVENT")[0]
    assert (str(cancelled["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])) == (
        "CANCEL",
        uid,
        2,
    )
    assert str(event["STATUS"]) == "CANCELLED"


def _calendar(message: Any) -> icalendar.Calendar:
    (name, content, mimetype) = message.attachments[0]
    raw = content if isinstance(content, bytes) else content.encode()
    cal = icalendar.Calendar.from_ical(raw)
    assert (name, mimetype) == (
        "meeting.ics",
        f"text/calendar; method={cal['METHOD']}; charset=utf-8",
    )
    return cal


def test_the_meetings_ics_download_parses_in_the_persons_zone(
    client: Any, pair: Pair, leader: Any, mentor: Any
) -> None:
    meeting = services.meeting_propose(pair=pair, by=leader, times=[at("2030-01-15T14:00")])
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    client.force_login(mentor)
    response = client.get(reverse("running:meeting_ics", args=[meeting.pk]))
    cal = icalendar.Calendar.from_ical(response.content)
    start = cal.walk("VEVENT")[0].decoded("DTSTART")
    assert (str(cal["METHOD"]), start.hour, str(start.tzinfo)) == ("REQUEST", 9, "America/New_York")


def test_a_meeting_first_marked_held_is_one_webhook_event_without_its_topics(
    pair: Pair, leader: Any, mentor: Any, org_admin: Any
) -> None:
    from upward.integrations import webhooks
    from upward.integrations.models import WebhookDelivery

    endpoint, _ = webhooks.endpoint_create(
        organisation=pair.programme.organisations.get(),
        url="https://hooks.example.org/upward",
        events=["meeting.held"],
        format="json",
        by=org_admin,
    )
    meeting = services.meeting_propose(pair=pair, by=leader, times=[soon(1)])
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    services.meeting_record(meeting=meeting, by=leader, outcome="no_show", version=2)
    assert not WebhookDelivery.objects.exists()
    meeting.refresh_from_db()
    services.meeting_record(
        meeting=meeting, by=leader, outcome="held", minutes=45, topics="Hiring", version=3
    )
    meeting.refresh_from_db()
    services.meeting_record(  # a correction of the same meeting is not a second event
        meeting=meeting, by=mentor, outcome="held", minutes=50, topics="Hiring", version=4
    )
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert delivery.event == "meeting.held"
    assert delivery.payload["meeting"] == {"id": meeting.pk, "pair": pair.pk}
    assert delivery.payload["pair"]["id"] == pair.pk
    assert "Hiring" not in str(delivery.payload)


def test_a_stale_version_is_refused(pair: Pair, leader: Any, mentor: Any) -> None:
    meeting = services.meeting_propose(pair=pair, by=leader, times=[soon()])
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    stale = Meeting.objects.get(pk=meeting.pk)
    with pytest.raises(VersionConflict):
        services.meeting_move(meeting=stale, by=leader, starts_at=soon(9), version=1)
    assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at


def test_outcome_and_time_totals(
    client: Any, pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    meeting = services.meeting_propose(pair=pair, by=leader, times=[soon(1)])
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    with pytest.raises(RunningRuleBroken, match="has not started yet"):
        services.meeting_record(meeting=meeting, by=leader, outcome="held", minutes=90, version=2)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    services.meeting_record(
        meeting=meeting, by=leader, outcome="held", minutes=90, topics="Hiring", version=2
    )
    pair.programme.hours_per_month = 2
    pair.programme.save(update_fields=["hours_per_month"])
    pair.refresh_from_db()
    totals = [
        (t.name, t.month_words, t.total_words, t.allowance_words)
        for t in selectors.time_totals(pair)
    ]
    assert totals == [
        (pair.leader.person.name, "1 h 30 min", "1 h 30 min", "2 h 00 min"),
        (pair.mentor.person.name, "1 h 30 min", "1 h 30 min", "2 h 00 min"),
    ]
    client.force_login(coordinator)
    board = client.get(reverse("running:board", args=[pair.programme.slug])).content.decode()
    assert "<td>90</td>" in board
    assert "Hiring" not in board
    assert client.get(reverse("running:pair", args=[pair.pk])).status_code == 404


def test_the_api_proposes_with_a_zone_and_refuses_the_past(
    client: Any, pair: Pair, leader: Any
) -> None:
    client.force_login(leader)
    url = f"/api/v1/pairs/{pair.pk}/meetings"
    ok = client.post(
        url,
        {"times": ["2030-07-01T10:00:00"], "zone": "Europe/London"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["options"][0]["starts_at"].startswith("2030-07-01T09:00:00")
    past = client.post(
        url, {"times": ["2020-07-01T10:00:00+00:00"]}, content_type="application/json"
    )
    assert past.status_code == 400
    assert past.json() == {
        "detail": "01 July 2020 10:00 UTC is in the past: choose a time that is still to come."
    }
    bad_zone = client.post(
        url,
        {"times": ["2030-07-01T10:00:00"], "zone": "Nowhere/At_All"},
        content_type="application/json",
    )
    assert bad_zone.status_code == 400
    assert Meeting.objects.count() == 1
