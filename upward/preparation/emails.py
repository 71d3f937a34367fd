"""Emails of preparation: a pair became active; a workshop invitation, update or cancellation
with its calendar file in the person's own time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from upward.accounts.models import User
from upward.core.ics import CalendarEvent, invitation, zone
from upward.core.once import first_time
from upward.notifications.services import QUEUED, SENT, notify
from upward.pairs.models import Pair

from .models import Workshop


def activation_emails_send(*, pair_ids: list[int], base_url: str = "") -> int:
    sent = 0
    pairs = Pair.objects.filter(pk__in=pair_ids, state=Pair.State.ACTIVE).select_related(
        "programme", "leader__person", "mentor__person", "leader__user", "mentor__user"
    )
    for pair in pairs:
        url = base_url.rstrip("/") + reverse("preparation:pair", args=[pair.pk]) if base_url else ""
        for mine, theirs in ((pair.leader, pair.mentor), (pair.mentor, pair.leader)):
            to = mine.user.email or mine.person.email
            if not to:
                continue
            # Once per pair and person, however often the task runs.
            with first_time(f"pair-active-email:{pair.pk}:{mine.pk}") as first:
                if not first:
                    continue
                notify(
                    to=to,
                    user_id=mine.user_id,
                    event="pair_active",
                    subject=f"Your mentoring in {pair.programme.name} can begin",
                    context={
                        "name": mine.person.name,
                        "partner": theirs.person.name,
                        "pair": pair,
                        "url": url,
                    },
                    base_url=base_url,
                    programme=pair.programme,
                    pair=pair,
                )
            sent += 1
    return sent


def calendar_event(workshop: Workshop, base_url: str = "") -> CalendarEvent:
    where = ", ".join(x for x in (workshop.place, workshop.video_url) if x)
    return CalendarEvent(
        uid=workshop.uid,
        sequence=workshop.sequence,
        summary=f"{workshop.title} ({workshop.programme.name})",
        start=workshop.starts_at,
        end=workshop.starts_at + dt.timedelta(minutes=workshop.minutes),
        description=workshop.description,
        location=where,
        url=workshop.video_url
        or (base_url.rstrip("/") + reverse("preparation:training") if base_url else ""),
        organizer_email=settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">").strip(),
        organizer_name=workshop.programme.name,
    )


def person_zone(user: Any) -> str:
    person = getattr(user, "person", None)
    return person.time_zone if person is not None else "UTC"


def workshop_ics(workshop: Workshop, user: Any, base_url: str = "") -> bytes:
    person = getattr(user, "person", None)
    return invitation(
        calendar_event(workshop, base_url),
        attendee_email=user.email,
        attendee_name=person.name if person is not None else "",
        time_zone=person_zone(user),
        cancel=workshop.cancelled_at is not None,
    )


SUBJECTS = {
    "booked": "Your place: {title}",
    "updated": "Changed: {title}",
    "cancelled": "Cancelled: {title}",
}


def workshop_emails_send(
    *, workshop_id: int, kind: str, user_ids: list[int], base_url: str = ""
) -> int:
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown kind of workshop email: {kind!r}")
    workshop = Workshop.objects.select_related("programme").get(pk=workshop_id)
    sent = 0
    for user in User.objects.filter(pk__in=user_ids).select_related("person"):
        if not user.email:
            continue
        tz = zone(person_zone(user))
        cancel = kind == "cancelled"
        event = calendar_event(workshop, base_url)
        ics = invitation(
            event,
            attendee_email=user.email,
            attendee_name=getattr(getattr(user, "person", None), "name", ""),
            time_zone=person_zone(user),
            cancel=cancel,
        )
        method = "CANCEL" if cancel else "REQUEST"
        outcome = notify(
            to=user,
            event="workshop",
            subject=SUBJECTS[kind].format(title=workshop.title),
            context={
                "kind": kind,
                "workshop": workshop,
                "local_start": workshop.starts_at.astimezone(tz),
                "zone": str(tz),
            },
            base_url=base_url,
            programme=workshop.programme,
            attachments=[("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")],
        )
        sent += outcome in (SENT, QUEUED)
    return sent
