"""Calendar invitations (.ics, RFC 5545) for workshops now and meetings later.

One builder for every kind of event: a request, an update (same UID, higher SEQUENCE) and a
cancellation (METHOD:CANCEL, same UID). Times are written in the attendee's own time zone,
with its VTIMEZONE, so each person's calendar shows the time they expect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

PRODID = "-//Upward//Mentoring programmes//EN"


def zone(name: str) -> ZoneInfo:
    """The person's time zone from the directory; UTC when it is missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    summary: str
    start: dt.datetime
    end: dt.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_email: str = ""
    organizer_name: str = ""


def invitation(
    event: CalendarEvent,
    *,
    attendee_email: str = "",
    attendee_name: str = "",
    time_zone: str = "UTC",
    cancel: bool = False,
) -> bytes:
    """The .ics file for one attendee: METHOD:REQUEST, or METHOD:CANCEL for a cancellation."""
    if event.start.tzinfo is None or event.end.tzinfo is None:
        raise ValueError("Calendar times must carry a time zone.")
    tz = zone(time_zone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", dt.datetime.now(dt.UTC))
    vevent.add("dtstart", event.start.astimezone(tz))
    vevent.add("dtend", event.end.astimezone(tz))
    vevent.add("summary", event.summary)
    vevent.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["cn"] = icalendar.vText(event.organizer_name)
        vevent.add("organizer", organizer)
    if attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
        if attendee_name:
            attendee.params["cn"] = icalendar.vText(attendee_name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        vevent.add("attendee", attendee)
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
