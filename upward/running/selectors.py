"""Reads of running a pair. Meetings are the two people's alone: a coordinator sees totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from upward.pairs.models import Pair
from upward.pairs.selectors import RELATED, pairs_of_user

from .models import (
    CheckIn,
    Goal,
    Meeting,
    MeetingOption,
    PairNote,
    Reflection,
    RunningSettings,
)
from .zones import shown_in

HELD = Meeting.State.HELD
LOW_FIT = 2  # a fit score of 1 or 2 out of 5


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


def _goal_stat(aggregate: Any, **where: Any) -> QuerySet[Any]:
    # A subquery per figure: joining goals beside meetings would multiply the rows.
    return (
        Goal.objects.filter(pair=OuterRef("pk"), **where)
        .order_by()
        .values("pair")
        .annotate(figure=aggregate)
        .values("figure")
    )


def _held_stat(aggregate: Any, **where: Any) -> QuerySet[Any]:
    # A correlated look-up on the meetings' (pair, state, starts_at) index: no GROUP BY over the
    # pairs' rows, and no join that multiplies them.
    return (
        Meeting.objects.filter(pair=OuterRef("pk"), state=HELD, **where)
        .order_by()
        .values("pair")
        .annotate(figure=aggregate)
        .values("figure")
    )


# What the board shows of a pair and its two people: nothing else is read (or decrypted).
BOARD_FIELDS = (
    "programme_id",
    "leader_id",
    "mentor_id",
    "reciprocal",
    "state",
    "since",
    "state_since",
    "version",
    "leader__user_id",
    "leader__person__name",
    "mentor__user_id",
    "mentor__person__name",
)


def board_pairs(programme: Any) -> QuerySet[Pair]:
    """The coordinator's running board: each pair with its meeting totals, goal figures and
    health signals only, in one query (page it with ``.filter(pk__in=...)``)."""
    since = month_start()
    today = timezone.localdate()
    return (
        Pair.objects.filter(programme=programme)
        .select_related("leader__person", "mentor__person")
        .only(*BOARD_FIELDS)
        .annotate(
            held_count=Coalesce(Subquery(_held_stat(Count("pk"))), 0),
            held_minutes=Subquery(_held_stat(Sum("held_minutes"))),
            month_minutes=Subquery(_held_stat(Sum("held_minutes"), starts_at__gte=since)),
            last_held=Subquery(_held_stat(Max("starts_at"))),
            goal_count=Subquery(_goal_stat(Count("pk"))),
            goal_progress=Subquery(_goal_stat(Avg("progress"))),
            overdue_goals=Subquery(_goal_stat(Count("pk"), due_on__lt=today, progress__lt=100)),
            # Check-ins more than a week past their day and still unanswered.
            unanswered=Subquery(
                CheckIn.objects.filter(
                    pair=OuterRef("pk"),
                    answered_at__isnull=True,
                    due_on__lt=today - dt.timedelta(days=7),
                )
                .order_by()
                .values("pair")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            low_fit=Exists(
                CheckIn.objects.filter(
                    pair=OuterRef("pk"), kind=CheckIn.Kind.FIT, score__lte=LOW_FIT
                )
            ),
        )
        .order_by("since", "pk")
    )


def own_pairs(user: Any) -> QuerySet[Pair]:
    """The pairs the user is one of the two people of, newest first (found through the user's
    own applications, on the pairs' leader and mentor indexes)."""
    return pairs_of_user(user)


def feed_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the user's pairs for their calendar feed (scheduled, held or cancelled)."""
    pair_ids = list(own_pairs(user).values_list("pk", flat=True)[:100])
    return (
        Meeting.objects.filter(pair__in=pair_ids, starts_at__isnull=False)
        .exclude(state=Meeting.State.PROPOSED)
        .select_related("pair__programme", "pair__leader__person", "pair__mentor__person")
        .order_by("-starts_at")[:500]
    )


def next_meeting(user: Any, pair_ids: list[int] | None = None) -> Meeting | None:
    """The user's next scheduled meeting (``pair_ids``: their pairs, when already known)."""
    if pair_ids is None:
        pair_ids = list(own_pairs(user).values_list("pk", flat=True)[:100])
    return (
        Meeting.objects.filter(
            pair__in=pair_ids, state=Meeting.State.SCHEDULED, starts_at__gte=timezone.now()
        )
        .select_related("pair__leader__person", "pair__mentor__person")
        .order_by("starts_at")
        .first()
    )


def notes_of(pair: Pair) -> list[PairNote]:
    return list(
        PairNote.objects.filter(pair=pair)
        .select_related("created_by")
        .prefetch_related("revisions__by")
        .order_by("-updated_at", "-pk")[:200]
    )


def note_or_404(user: Any, pk: int) -> PairNote:
    note = PairNote.objects.select_related("pair").filter(pk=pk).first()
    if note is None or note.pair.side_of(user) is None:
        raise Http404("No such note.")
    return note


def reflections_of(user: Any, pair: Pair) -> QuerySet[Reflection]:
    """The user's own reflections on the pair: nobody else's, whoever asks."""
    if not getattr(user, "is_authenticated", False):
        return Reflection.objects.none()
    return Reflection.objects.filter(author=user, pair=pair).order_by("-created_at", "-pk")


def own_reflection_or_404(user: Any, pk: int) -> Reflection:
    found = Reflection.objects.filter(pk=pk, author_id=getattr(user, "pk", None)).first()
    if found is None:
        raise Http404("No such reflection.")
    return found


def goals_of(pair: Pair) -> list[Goal]:
    """Both people's goals with their history (for the two people only)."""
    return list(
        Goal.objects.filter(pair=pair)
        .select_related("owner", "objective")
        .prefetch_related("updates")
        .order_by("due_on", "pk")[:100]
    )


def goal_or_404(user: Any, pk: int) -> Goal:
    goal = Goal.objects.select_related("pair__programme").filter(pk=pk).first()
    if goal is None or goal.pair.side_of(user) is None:
        raise Http404("No such goal.")
    return goal


def open_checkins(user: Any) -> QuerySet[CheckIn]:
    """The user's own unanswered check-ins."""
    if not getattr(user, "is_authenticated", False):
        return CheckIn.objects.none()
    return (
        CheckIn.objects.filter(user=user, answered_at__isnull=True)
        .select_related("pair__leader__person", "pair__mentor__person")
        .order_by("due_on", "pk")[:50]
    )


def own_checkin_or_404(user: Any, pk: int) -> CheckIn:
    found = (
        CheckIn.objects.filter(pk=pk, user_id=getattr(user, "pk", 0))
        .select_related("pair__leader__person", "pair__mentor__person")
        .first()
    )
    if found is None:
        raise Http404("No such check-in.")
    return found


# --- pair health, for the coordinator: reasons, never the answers' words -----------------------


def site_quiet_weeks() -> int:
    """The site's default (RUNNING_QUIET_WEEKS), for programmes without their own setting."""
    return int(getattr(settings, "RUNNING_QUIET_WEEKS", 4))


def quiet_weeks(programme: Any = None) -> int:
    """Weeks without a meeting after which a pair of the programme counts as quiet: the
    programme's own setting, else the site's default. One query."""
    if programme is None:
        return site_quiet_weeks()
    own = (
        RunningSettings.objects.filter(programme_id=getattr(programme, "pk", programme))
        .values_list("quiet_weeks", flat=True)
        .first()
    )
    return own or site_quiet_weeks()


def quiet_weeks_of(programme_ids: Any) -> dict[int, int]:
    """Each programme's quiet weeks (the site's default where it has none). One query."""
    own = dict(
        RunningSettings.objects.filter(programme_id__in=list(programme_ids)).values_list(
            "programme_id", "quiet_weeks"
        )
    )
    default = site_quiet_weeks()
    return {pk: own.get(pk, default) for pk in programme_ids}


def running_settings_of(programme: Any) -> RunningSettings:
    """The programme's settings row, or an unsaved one at the site's defaults (version 0)."""
    found = RunningSettings.objects.filter(programme=programme).first()
    if found is None:
        found = RunningSettings(programme=programme, quiet_weeks=site_quiet_weeks(), version=0)
    return found


@dataclass(frozen=True)
class Health:
    light: str  # "green", "amber" or "red"
    reasons: list[str]

    @property
    def words(self) -> str:
        words = {"green": "Going well", "amber": "Needs a look", "red": "Needs attention"}
        return words[self.light]


def health_of(pair: Pair, today: dt.date, weeks: int | None = None) -> Health:
    """The traffic light of one pair annotated by ``board_pairs`` (``weeks``: the programme's
    quiet weeks, looked up when not given)."""
    reasons = []
    if weeks is None:
        weeks = quiet_weeks(pair.programme_id)
    last = pair.last_held or pair.state_since  # type: ignore[attr-defined]
    quiet_for = (today - last.date()).days // 7
    red = False
    if pair.state == Pair.State.ACTIVE and quiet_for >= weeks:
        reasons.append(
            f"No meeting for {quiet_for} weeks"
            if pair.last_held  # type: ignore[attr-defined]
            else f"No meeting yet, {quiet_for} weeks after it became active"
        )
        red = quiet_for >= 2 * weeks
    unanswered = pair.unanswered or 0  # type: ignore[attr-defined]
    if unanswered:
        reasons.append(f"{unanswered} check-in{'s' if unanswered != 1 else ''} unanswered")
    if pair.low_fit:  # type: ignore[attr-defined]
        reasons.append("A low fit was reported after the first meeting")
        red = True
    overdue = pair.overdue_goals or 0  # type: ignore[attr-defined]
    if overdue:
        reasons.append(f"{overdue} goal{'s' if overdue != 1 else ''} overdue")
    light = "red" if red or len(reasons) >= 3 else "amber" if reasons else "green"
    return Health(light, reasons)


QUIET_LISTED = 50


def quiet_pairs(programme: Any, weeks: int | None = None) -> list[Pair]:
    """Active pairs of the programme with no meeting held for its quiet weeks (at most 50,
    the longest quiet first)."""
    if weeks is None:
        weeks = quiet_weeks(programme)
    cutoff = timezone.now() - dt.timedelta(weeks=weeks)
    # Correlated look-ups on the meetings' (pair, state, starts_at) index, rather than grouping
    # every meeting of the programme: no held meeting since the cutoff, and either one before
    # it or a pair active since before it. The fifty are chosen on the pairs alone, then only
    # they are joined with their people's names (in the same query).
    held = Meeting.objects.filter(pair=OuterRef("pk"), state=HELD)
    last = Subquery(held.order_by("-starts_at").values("starts_at")[:1])
    longest = (
        Pair.objects.filter(programme=programme, state=Pair.State.ACTIVE)
        .filter(~Exists(held.filter(starts_at__gte=cutoff)))
        .filter(Exists(held) | Q(state_since__lt=cutoff))
        .annotate(last=last)
        .order_by(Coalesce("last", "state_since"), "pk")
        .values("pk")[:QUIET_LISTED]
    )
    return list(
        Pair.objects.filter(pk__in=longest)
        .annotate(last=last)
        .select_related("leader__person", "mentor__person")
        .only(*BOARD_FIELDS)
        .order_by(Coalesce("last", "state_since"), "pk")
    )


@dataclass(frozen=True)
class SharedAnswer:
    name: str
    kind: str
    comment: str


def shared_answers(pair_ids: list[int]) -> dict[int, list[SharedAnswer]]:
    """The check-in comments their people chose to share with the coordinator, for the given
    pairs: never one that was not shared. One query."""
    found: dict[int, list[SharedAnswer]] = {}
    rows = (
        CheckIn.objects.filter(pair_id__in=pair_ids, shared=True, answered_at__isnull=False)
        .select_related("pair__leader__person", "pair__mentor__person")
        .order_by("pair_id", "answered_at", "pk")
    )
    for item in rows:
        if not item.comment:
            continue
        pair = item.pair
        name = (
            pair.leader.person.name
            if pair.leader.user_id == item.user_id
            else pair.mentor.person.name
        )
        found.setdefault(item.pair_id, []).append(
            SharedAnswer(name, item.get_kind_display(), item.comment)
        )
    return found
