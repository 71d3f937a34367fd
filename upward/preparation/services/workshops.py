"""Workshops: scheduling, sign-up with a waiting list, calendar invitations and attendance.

A change of time or place keeps the invitation's UID and raises its SEQUENCE, and everyone
booked gets the updated invitation; a cancellation sends METHOD:CANCEL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.programmes.models import Cohort, Programme

from ..errors import PreparationRuleBroken, VersionConflict
from ..models import Audience, Workshop, WorkshopSeat
from ..selectors import workshop_open_to

# Changes people must be told about: a new invitation goes out for these.
CALENDAR_FIELDS = ("title", "starts_at", "minutes", "place", "video_url", "description")


def _coordinator(programme: Programme, by: Any) -> None:
    if not can_coordinate(by, programme):
        raise PreparationRuleBroken("Only the programme's coordinators can change workshops.")


def _notify(workshop: Workshop, kind: str, user_ids: list[int], base_url: str) -> None:
    from ..tasks import send_workshop_emails

    if user_ids:
        transaction.on_commit(
            lambda: send_workshop_emails.enqueue(workshop.pk, kind, user_ids, base_url)
        )


def workshop_save(
    *,
    programme: Programme,
    by: Any,
    values: dict[str, Any],
    workshop: Workshop | None = None,
    version: int | None = None,
    base_url: str = "",
) -> Workshop:
    """Schedule a workshop or change one. Refused when the capacity would fall below the people
    already booked."""
    _coordinator(programme, by)
    title = str(values.get("title", "")).strip()
    if not title or len(title) > 200:
        raise PreparationRuleBroken("Give the workshop a title of at most 200 characters.")
    if values.get("kind") not in Workshop.Kind.values:
        raise PreparationRuleBroken("Choose the kind of workshop from the list.")
    if values.get("audience") not in Audience.values:
        raise PreparationRuleBroken("Choose who the workshop is for: mentors, leaders or everyone.")
    starts_at = values.get("starts_at")
    if not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None:
        raise PreparationRuleBroken("Give the date and time the workshop starts.")
    minutes, capacity = int(values.get("minutes") or 0), int(values.get("capacity") or 0)
    if not 15 <= minutes <= 480:
        raise PreparationRuleBroken("A workshop lasts between 15 and 480 minutes.")
    if not 1 <= capacity <= 1000:
        raise PreparationRuleBroken("A workshop has room for between 1 and 1,000 people.")
    video = str(values.get("video_url") or "")
    if video and not video.startswith("https://"):
        raise PreparationRuleBroken("A video link starts with https://.")
    if not str(values.get("place") or "").strip() and not video:
        raise PreparationRuleBroken(
            "Say where the workshop is held: a place, a video link or both."
        )
    cohort = values.get("cohort")
    if cohort is not None and (
        not isinstance(cohort, Cohort) or cohort.programme_id != programme.pk
    ):
        raise PreparationRuleBroken("Choose one of the programme's cohorts.")
    if values["kind"] == Workshop.Kind.KICKOFF and cohort is None:
        raise PreparationRuleBroken("A kick-off is held for one cohort: choose it.")
    fields = {
        "title": title,
        "kind": values["kind"],
        "audience": values["audience"],
        "description": str(values.get("description") or "")[:5000],
        "starts_at": starts_at,
        "minutes": minutes,
        "place": str(values.get("place") or "").strip()[:300],
        "video_url": video,
        "capacity": capacity,
        "cohort": cohort,
    }
    with transaction.atomic():
        if workshop is None:
            return Workshop.objects.create(programme=programme, **fields)
        current = Workshop.objects.select_for_update().get(pk=workshop.pk, programme=programme)
        if version is None:
            raise PreparationRuleBroken(
                "Reload the page: the version of the workshop you saw is missing."
            )
        if current.version != version:
            raise VersionConflict("workshop", current.version)
        if current.cancelled_at:
            raise PreparationRuleBroken("This workshop was cancelled, so it can no longer change.")
        booked = current.seats.filter(status=WorkshopSeat.Status.BOOKED).count()
        if capacity < booked:
            raise PreparationRuleBroken(
                f"{booked} people are already booked, so the workshop needs room for at least "
                f"{booked}. Nothing was changed."
            )
        calendar_changed = any(getattr(current, f) != fields[f] for f in CALENDAR_FIELDS)
        for key, value in fields.items():
            setattr(current, key, value)
        current.version += 1
        if calendar_changed:
            current.sequence += 1
        current.save()
        _promote(current)
        if calendar_changed:
            _notify(current, "updated", _booked_ids(current), base_url)
    return current


def _booked_ids(workshop: Workshop) -> list[int]:
    return list(
        workshop.seats.filter(status=WorkshopSeat.Status.BOOKED).values_list("user_id", flat=True)
    )


def _promote(workshop: Workshop, base_url: str = "") -> None:
    """Give free places to the waiting list, first come first served."""
    booked = workshop.seats.filter(status=WorkshopSeat.Status.BOOKED).count()
    free = workshop.capacity - booked
    if free <= 0:
        return
    waiting = list(workshop.seats.filter(status=WorkshopSeat.Status.WAITING)[:free])
    for seat in waiting:
        seat.status = WorkshopSeat.Status.BOOKED
        seat.save(update_fields=["status"])
    _notify(workshop, "booked", [s.user_id for s in waiting], base_url)


def workshop_cancel(
    *, workshop: Workshop, by: Any, version: int | None, base_url: str = ""
) -> Workshop:
    _coordinator(workshop.programme, by)
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if version is None or current.version != version:
            raise VersionConflict("workshop", current.version)
        if current.cancelled_at:
            raise PreparationRuleBroken("This workshop is already cancelled.")
        current.cancelled_at = timezone.now()
        current.sequence += 1
        current.version += 1
        current.save(update_fields=["cancelled_at", "sequence", "version"])
        _notify(current, "cancelled", _booked_ids(current), base_url)
    return current


def workshop_sign_up(*, workshop: Workshop, user: Any, base_url: str = "") -> WorkshopSeat:
    """Book a place, or join the waiting list when the workshop is full."""
    with transaction.atomic():
        current = (
            Workshop.objects.select_for_update().select_related("programme").get(pk=workshop.pk)
        )
        if not workshop_open_to(user, current):
            raise PreparationRuleBroken("This workshop is not for you.")
        if current.cancelled_at:
            raise PreparationRuleBroken("This workshop was cancelled.")
        if current.starts_at <= timezone.now():
            raise PreparationRuleBroken("This workshop has already started.")
        if WorkshopSeat.objects.filter(workshop=current, user=user).exists():
            raise PreparationRuleBroken("You have already signed up for this workshop.")
        booked = current.seats.filter(status=WorkshopSeat.Status.BOOKED).count()
        status = (
            WorkshopSeat.Status.BOOKED if booked < current.capacity else WorkshopSeat.Status.WAITING
        )
        seat = WorkshopSeat.objects.create(workshop=current, user=user, status=status)
        if status == WorkshopSeat.Status.BOOKED:
            _notify(current, "booked", [user.pk], base_url)
    return seat


def workshop_leave(*, workshop: Workshop, user: Any, base_url: str = "") -> None:
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        seat = WorkshopSeat.objects.filter(workshop=current, user=user).first()
        if seat is None:
            raise PreparationRuleBroken("You are not signed up for this workshop.")
        was_booked = seat.status == WorkshopSeat.Status.BOOKED
        seat.delete()
        if was_booked and not current.cancelled_at:
            _notify(current, "cancelled", [user.pk], base_url)
            _promote(current, base_url)


def attendance_take(
    *, workshop: Workshop, by: Any, attended_user_ids: set[int], version: int | None
) -> int:
    """Record who came: every booked person is marked present or absent. Returns how many came."""
    _coordinator(workshop.programme, by)
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if version is None or current.version != version:
            raise VersionConflict("workshop", current.version)
        seats = list(current.seats.filter(status=WorkshopSeat.Status.BOOKED))
        known = {s.user_id for s in seats}
        strangers = attended_user_ids - known
        if strangers:
            raise PreparationRuleBroken("Only people booked on the workshop can be marked present.")
        for seat in seats:
            seat.attended = seat.user_id in attended_user_ids
        WorkshopSeat.objects.bulk_update(seats, ["attended"])
        current.version += 1
        current.save(update_fields=["version"])
    return len(attended_user_ids)
