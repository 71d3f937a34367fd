"""Meeting invitations: the .ics (RFC 5545) of a meeting in a person's own time zone, by email
and in their private calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from django.conf import settings
from django.urls import reverse

from upward.core.ics import PRODID, CalendarEvent, invitation, zone
from upward.notifications.services import QUEUED, SENT, notify

from .models import Meeting
from .zones import shown_in

CANCELLED = (Meeting.State.CANCELLED,)


def calendar_event(meeting: Meeting, base_url: str = "") -> CalendarEvent:
    pair = meeting.pair
    assert meeting.starts_at is not None
    return CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        summary=f"Mentoring: {pair.leader.person.name} and {pair.mentor.person.name}",
        start=meeting.starts_at,
        end=meeting.starts_at + dt.timedelta(minutes=meeting.minutes),
        location=meeting.place,
        url=base_url.rstrip("/") + reverse("running:pair", args=[pair.pk]) if base_url else "",
        organizer_email=settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">").strip(),
        organizer_name=pair.programme.name,
    )


def meeting_ics(meeting: Meeting, user: Any, base_url: str = "") -> bytes:
    person = getattr(user, "person", None)
    return invitation(
        calendar_event(meeting, base_url),
        attendee_email=user.email,
        attendee_name=person.name if person is not None else "",
        time_zone=person.time_zone if person is not None else "UTC",
        cancel=meeting.state in CANCELLED,
    )


def feed_ics(meetings: list[Meeting], user: Any) -> bytes:
    """One calendar with every meeting of the person's pairs, for calendar apps to subscribe to."""
    person = getattr(user, "person", None)
    tz = zone(person.time_zone if person is not None else "UTC")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Mentoring meetings")
    for meeting in meetings:
        event = calendar_event(meeting)
        vevent = icalendar.Event()
        vevent.add("uid", event.uid)
        vevent.add("sequence", event.sequence)
        vevent.add("dtstamp", dt.datetime.now(dt.UTC))
        vevent.add("dtstart", event.start.astimezone(tz))
        vevent.add("dtend", event.end.astimezone(tz))
        vevent.add("summary", event.summary)
        vevent.add("status", "CANCELLED" if meeting.state in CANCELLED else "CONFIRMED")
        if event.location:
            vevent.add("location", event.location)
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


SUBJECTS = {
    "scheduled": "Meeting arranged: {when}",
    "moved": "Meeting moved: {when}",
    "cancelled": "Meeting cancelled: {when}",
}


def meeting_emails_send(*, meeting_id: int, kind: str, base_url: str = "") -> int:
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown kind of meeting email: {kind!r}")
    meeting = Meeting.objects.select_related(
        "pair__programme",
        "pair__leader__person",
        "pair__mentor__person",
        "pair__leader__user",
        "pair__mentor__user",
    ).get(pk=meeting_id)
    assert meeting.starts_at is not None
    sent = 0
    for application in (meeting.pair.leader, meeting.pair.mentor):
        user = application.user
        if user is None or not user.email:
            continue
        when = shown_in(meeting.starts_at, application.person.time_zone)
        cancel = kind == "cancelled"
        method = "CANCEL" if cancel else "REQUEST"
        outcome = notify(
            to=user,
            event="meeting",
            subject=SUBJECTS[kind].format(when=when),
            context={"name": application.person.name, "kind": kind, "when": when},
            base_url=base_url,
            programme=meeting.pair.programme,
            pair=meeting.pair,
            attachments=[
                (
                    "meeting.ics",
                    meeting_ics(meeting, user, base_url),
                    f"text/calendar; method={method}; charset=utf-8",
                )
            ],
        )
        sent += outcome in (SENT, QUEUED)
    return sent
