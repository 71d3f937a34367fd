"""Reads of running a pair. Meetings are the two people's alone: a coordinator sees totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from upward.pairs.models import Pair
from upward.pairs.selectors import RELATED, pairs_of_user

from .models import Meeting, MeetingOption
from .zones import shown_in

HELD = Meeting.State.HELD


def member_pair_or_404(user: Any, pk: int) -> Pair:
    """The pair, for its two people only; a 404 for anyone else, coordinators included."""
    pair = Pair.objects.select_related(*RELATED).filter(pk=pk).first()
    if pair is None or pair.side_of(user) is None:
        raise Http404("No such pair.")
    return pair


def meeting_or_404(user: Any, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related(*(f"pair__{r}" for r in RELATED)).filter(pk=pk).first()
    if meeting is None or meeting.pair.side_of(user) is None:
        raise Http404("No such meeting.")
    return meeting


def meetings_of(pair: Pair) -> list[Meeting]:
    return list(
        Meeting.objects.filter(pair=pair)
        .prefetch_related(Prefetch("options", queryset=MeetingOption.objects.order_by("starts_at")))
        .order_by("-created_at", "-pk")[:200]
    )


@dataclass(frozen=True)
class TimeShown:
    name: str
    zone: str
    text: str


def both_zones(pair: Pair, moment: dt.datetime) -> list[TimeShown]:
    """The time as each of the two people reads it, in their directory time zone."""
    people = (pair.leader.person, pair.mentor.person)
    return [TimeShown(p.name, p.time_zone or "UTC", shown_in(moment, p.time_zone)) for p in people]


@dataclass(frozen=True)
class TimeTotal:
    name: str
    month_minutes: int
    total_minutes: int
    allowance_minutes: int

    @property
    def month_words(self) -> str:
        return _hours(self.month_minutes)

    @property
    def total_words(self) -> str:
        return _hours(self.total_minutes)

    @property
    def allowance_words(self) -> str:
        return _hours(self.allowance_minutes)

    @property
    def over(self) -> bool:
        return self.allowance_minutes > 0 and self.month_minutes > self.allowance_minutes


def _hours(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d} min"


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def time_totals(pair: Pair) -> list[TimeTotal]:
    """Each person's meeting time in this programme (all their pairs): this month and in all,
    against the programme's allowance in hours a month. Two queries."""
    since = month_start()
    allowance = (pair.programme.hours_per_month or 0) * 60
    totals = []
    for application in (pair.leader, pair.mentor):
        held = Meeting.objects.filter(
            Q(pair__leader=application) | Q(pair__mentor=application),
            pair__programme_id=pair.programme_id,
            state=HELD,
        ).aggregate(
            total=Sum("held_minutes"), month=Sum("held_minutes", filter=Q(starts_at__gte=since))
        )
        totals.append(
            TimeTotal(application.person.name, held["month"] or 0, held["total"] or 0, allowance)
        )
    return totals


def board_pairs(programme: Any) -> QuerySet[Pair]:
    """The coordinator's running board: each pair with its meeting totals only, in one query."""
    since = month_start()
    return (
        Pair.objects.filter(programme=programme)
        .select_related(*RELATED)
        .annotate(
            held_count=Count("meetings", filter=Q(meetings__state=HELD)),
            held_minutes=Sum("meetings__held_minutes", filter=Q(meetings__state=HELD)),
            month_minutes=Sum(
                "meetings__held_minutes",
                filter=Q(meetings__state=HELD, meetings__starts_at__gte=since),
            ),
            last_held=Max("meetings__starts_at", filter=Q(meetings__state=HELD)),
        )
        .order_by("since", "pk")
    )


def feed_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the user's pairs for their calendar feed (scheduled, held or cancelled)."""
    pair_ids = pairs_of_user(user).values("pk")
    return (
        Meeting.objects.filter(pair__in=pair_ids, starts_at__isnull=False)
        .exclude(state=Meeting.State.PROPOSED)
        .select_related("pair__programme", "pair__leader__person", "pair__mentor__person")
        .order_by("-starts_at")[:500]
    )


def next_meeting(user: Any) -> Meeting | None:
    pair_ids = pairs_of_user(user).values("pk")
    return (
        Meeting.objects.filter(
            pair__in=pair_ids, state=Meeting.State.SCHEDULED, starts_at__gte=timezone.now()
        )
        .select_related("pair__leader__person", "pair__mentor__person")
        .order_by("starts_at")
        .first()
    )
