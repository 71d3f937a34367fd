"""Workshops: sign-up with a waiting list, capacity, attendance, and calendar invitations that
parse with icalendar in each person's time zone; an update keeps the UID with a higher
SEQUENCE, a cancellation is METHOD:CANCEL."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail

from upward.core.ics import CalendarEvent, invitation
from upward.pairs.models import Pair
from upward.preparation import services
from upward.preparation.emails import workshop_ics
from upward.preparation.errors import PreparationRuleBroken, VersionConflict
from upward.preparation.models import Workshop, WorkshopSeat

from .factory import colleague, make_pair

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def values(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Listening well",
        "kind": "training",
        "audience": "everyone",
        "starts_at": dt.datetime(2030, 3, 4, 9, 30, tzinfo=LONDON),
        "minutes": 90,
        "place": "Room 4, Head office",
        "video_url": "",
        "capacity": 1,
        **extra,
    }


def event(ics: bytes) -> tuple[icalendar.Calendar, Any]:
    cal = icalendar.Calendar.from_ical(ics)
    return cal, cal.walk("VEVENT")[0]


def test_ics_builder_writes_the_attendees_zone() -> None:
    start = dt.datetime(2030, 7, 1, 15, 0, tzinfo=dt.UTC)
    e = CalendarEvent(
        uid="u-1", sequence=0, summary="Kick-off", start=start, end=start + dt.timedelta(hours=2)
    )
    cal, vevent = event(invitation(e, attendee_email="a@x.test", time_zone="America/New_York"))
    assert str(cal["method"]) == "REQUEST"
    assert vevent.decoded("dtstart") == dt.datetime(
        2030, 7, 1, 11, 0, tzinfo=ZoneInfo("America/New_York")
    )
    assert str(vevent.decoded("dtstart").tzinfo) == "America/New_York"
    assert vevent["dtstart"].params["TZID"] == "America/New_York"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == dt.timedelta(hours=2)
    with pytest.raises(ValueError, match="time zone"):
        invitation(CalendarEvent("u", 0, "x", start.replace(tzinfo=None), start))


def test_sign_up_waiting_list_update_and_cancel_invitations(
    pair: Pair,
    programme_a: Any,
    coordinator: Any,
    leader: Any,
    mentor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    leader.person.time_zone = "Asia/Kolkata"
    leader.person.save(update_fields=["time_zone"])
    workshop = services.workshop_save(programme=programme_a, by=coordinator, values=values())
    with django_capture_on_commit_callbacks(execute=True):
        seat = services.workshop_sign_up(workshop=workshop, user=leader)
        waiting = services.workshop_sign_up(workshop=workshop, user=mentor)
    assert (seat.status, waiting.status) == ("booked", "waiting")
    assert len(mail.outbox) == 1  # only the booked place sends an invitation
    _name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype.startswith("text/calendar; method=REQUEST")
    cal, first = event(content if isinstance(content, bytes) else content.encode())
    assert str(cal["method"]) == "REQUEST"
    # 09:30 in London in March (GMT) is 15:00 in Kolkata (UTC+5:30).
    assert first.decoded("dtstart") == dt.datetime(
        2030, 3, 4, 15, 0, tzinfo=ZoneInfo("Asia/Kolkata")
    )
    assert first["dtstart"].params["TZID"] == "Asia/Kolkata"
    uid, seq = str(first["uid"]), int(first["sequence"])
    assert "Asia/Kolkata" in mail.outbox[0].body

    workshop.refresh_from_db()
    with pytest.raises(PreparationRuleBroken, match="already signed up"):
        services.workshop_sign_up(workshop=workshop, user=leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.workshop_save(
            programme=programme_a,
            by=coordinator,
            workshop=workshop,
            version=workshop.version,
            values=values(starts_at=dt.datetime(2030, 3, 5, 10, 0, tzinfo=LONDON)),
        )
    assert [m.to for m in mail.outbox] == [["leader@upward.test"]]
    _cal, second = event(mail.outbox[0].attachments[0][1])
    assert (str(second["uid"]), int(second["sequence"])) == (uid, seq + 1)
    assert second.decoded("dtstart") == dt.datetime(
        2030, 3, 5, 15, 30, tzinfo=ZoneInfo("Asia/Kolkata")
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.workshop_cancel(
            workshop=updated, by=coordinator, version=updated.version
        )
    cal, third = event(mail.outbox[0].attachments[0][1])
    assert str(cal["method"]) == "CANCEL"
    assert (str(third["uid"]), int(third["sequence"]), str(third["status"])) == (
        uid,
        seq + 2,
        "CANCELLED",
    )
    assert mail.outbox[0].attachments[0][2].startswith("text/calendar; method=CANCEL")
    # The page's download says the same.
    cal, again = event(workshop_ics(cancelled, leader))
    assert str(cal["method"]) == "CANCEL" and int(again["sequence"]) == seq + 2


def test_leaving_gives_the_place_to_the_waiting_list(
    pair: Pair, programme_a: Any, coordinator: Any, leader: Any, mentor: Any
) -> None:
    workshop = services.workshop_save(programme=programme_a, by=coordinator, values=values())
    services.workshop_sign_up(workshop=workshop, user=leader)
    services.workshop_sign_up(workshop=workshop, user=mentor)
    services.workshop_leave(workshop=workshop, user=leader)
    assert list(WorkshopSeat.objects.values_list("user_id", "status")) == [(mentor.pk, "booked")]


def test_capacity_below_booked_is_refused_and_nothing_changes(
    pair: Pair, programme_a: Any, coordinator: Any, leader: Any, mentor: Any, org_a: Any
) -> None:
    workshop = services.workshop_save(
        programme=programme_a, by=coordinator, values=values(capacity=2)
    )
    services.workshop_sign_up(workshop=workshop, user=leader)
    services.workshop_sign_up(workshop=workshop, user=mentor)
    workshop.refresh_from_db()
    with pytest.raises(PreparationRuleBroken, match="2 people are already booked"):
        services.workshop_save(
            programme=programme_a,
            by=coordinator,
            workshop=workshop,
            version=workshop.version,
            values=values(capacity=1, title="Renamed"),
        )
    workshop.refresh_from_db()
    assert (workshop.capacity, workshop.title, workshop.sequence) == (2, "Listening well", 0)
    with pytest.raises(VersionConflict):
        services.workshop_save(
            programme=programme_a,
            by=coordinator,
            workshop=workshop,
            version=workshop.version + 1,
            values=values(capacity=3),
        )


def test_kickoff_is_per_cohort_and_attendance_is_taken(
    pair: Pair, programme_a: Any, coordinator: Any, leader: Any, mentor: Any, org_a: Any
) -> None:
    with pytest.raises(PreparationRuleBroken, match="kick-off is held for one cohort"):
        services.workshop_save(programme=programme_a, by=coordinator, values=values(kind="kickoff"))
    cohort = programme_a.cohorts.create(name="Spring")
    Pair.objects.filter(pk=pair.pk).update(cohort=cohort)
    other = make_pair(
        programme_a, colleague(org_a, "l2@upward.test", 0), colleague(org_a, "m2@upward.test", 1)
    )
    kickoff = services.workshop_save(
        programme=programme_a,
        by=coordinator,
        values=values(kind="kickoff", cohort=cohort, capacity=10),
    )
    services.workshop_sign_up(workshop=kickoff, user=leader)
    services.workshop_sign_up(workshop=kickoff, user=mentor)
    with pytest.raises(PreparationRuleBroken, match="not for you"):
        services.workshop_sign_up(workshop=kickoff, user=other.leader.user)
    kickoff.refresh_from_db()
    with pytest.raises(PreparationRuleBroken, match="Only people booked"):
        services.attendance_take(
            workshop=kickoff,
            by=coordinator,
            attended_user_ids={other.leader.user_id},
            version=kickoff.version,
        )
    came = services.attendance_take(
        workshop=kickoff, by=coordinator, attended_user_ids={leader.pk}, version=kickoff.version
    )
    assert came == 1
    assert dict(WorkshopSeat.objects.values_list("user_id", "attended")) == {
        leader.pk: True,
        mentor.pk: False,
    }
    assert Workshop.objects.get(pk=kickoff.pk).version == kickoff.version + 1
