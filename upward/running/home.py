"""The participant's home follows the phase: while preparing, the agreement to sign and the
training due; once running, the next meeting, goals and check-ins; always one obvious next step.
A fixed number of queries whatever the programme's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.urls import reverse

from upward.pairs.models import Pair
from upward.pairs.selectors import has_pairs
from upward.preparation import gate
from upward.programmes.selectors import page_person_of

from . import selectors
from .models import Goal, Meeting
from .zones import shown_in

LIVE = (Pair.State.PREPARING, Pair.State.ACTIVE, Pair.State.PAUSED)
HOME_FIELDS = (
    "programme_id",
    "leader_id",
    "mentor_id",
    "reciprocal",
    "state",
    "since",
    "leader__user_id",
    "leader__person__name",
    "mentor__user_id",
    "mentor__person__name",
)


@dataclass(frozen=True)
class Task:
    words: str
    url: str


@dataclass
class Home:
    pairs: list[tuple[Pair, str]] = field(default_factory=list)  # each pair and one's role in it
    next_meeting: Meeting | None = None
    next_meeting_text: str = ""
    goal_count: int = 0
    goal_progress: int = 0
    tasks: list[Task] = field(default_factory=list)

    @property
    def next_step(self) -> Task | None:
        return self.tasks[0] if self.tasks else None


def home_of(user: Any) -> Home:
    home = Home()
    if not has_pairs(user):  # the menu's answer (core.navigation): nothing more to read
        return home
    # Only what the section shows and the preparation gate reads: not the programme's many
    # columns, nor the applications' answers (encrypted, so decrypted row by row).
    # Each pair carries, in the same query, the count and sum of the user's goals in it.
    goals = Goal.objects.filter(owner_id=user.pk, pair=OuterRef("pk")).order_by().values("pair")
    mine = (
        selectors.own_pairs(user)
        .select_related(None)
        .select_related("leader__person", "mentor__person")
        .only(*HOME_FIELDS)
        .annotate(
            goal_n=Subquery(goals.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            goal_sum=Subquery(
                goals.annotate(s=Sum("progress")).values("s"), output_field=IntegerField()
            ),
        )
    )
    pairs = [p for p in mine[:20] if p.state in LIVE]
    if not pairs:
        return home
    home.pairs = [(p, p.role_words(p.side_of(user) or "leader")) for p in pairs]
    for item in selectors.open_checkins(user).select_related(None).only("pk", "kind"):
        home.tasks.append(
            Task(
                f"Answer your {item.get_kind_display().lower()}",
                reverse("running:checkin", args=[item.pk]),
            )
        )
    preparing = [p for p in pairs if p.state == Pair.State.PREPARING]
    statuses = gate.statuses(preparing)
    for pair in preparing:
        side = pair.side_of(user)
        waits = statuses[pair.pk].waits_for
        if f"signature:{side}" in waits:
            home.tasks.append(
                Task(
                    "Read and sign your mentoring agreement",
                    reverse("preparation:agreement", args=[pair.pk]),
                )
            )
        if f"training:{side}" in waits:
            home.tasks.append(Task("Finish your training", reverse("preparation:training")))
    # A query of its own, on the meetings' pair index: as a subquery of the pairs' query,
    # PostgreSQL would scan every meeting of the programme for the few proposed ones.
    to_pick = (
        Meeting.objects.filter(pair__in=[p.pk for p in pairs], state=Meeting.State.PROPOSED)
        .exclude(proposed_by_id=user.pk)
        .values_list("pair_id", flat=True)
        .first()
    )
    if to_pick is not None:
        home.tasks.append(
            Task("Pick a time for your next meeting", reverse("running:pair", args=[to_pick]))
        )
    home.next_meeting = selectors.next_meeting(user, [p.pk for p in pairs])
    if home.next_meeting is not None and home.next_meeting.starts_at is not None:
        person = page_person_of(user)
        zone = person.time_zone if person is not None else "UTC"
        home.next_meeting_text = shown_in(home.next_meeting.starts_at, zone)
    if home.next_meeting is None:
        active = next(
            (p for p in pairs if p.state in (Pair.State.ACTIVE, Pair.State.PREPARING)), None
        )
        if active is not None and to_pick is None:
            home.tasks.append(
                Task(
                    "Propose times for your next meeting", reverse("running:pair", args=[active.pk])
                )
            )
    home.goal_count = sum(p.goal_n or 0 for p in pairs)
    total = sum(p.goal_sum or 0 for p in pairs)
    home.goal_progress = round(total / home.goal_count) if home.goal_count else 0
    if home.goal_count == 0 and any(p.state == Pair.State.ACTIVE for p in pairs):
        first = next(p for p in pairs if p.state == Pair.State.ACTIVE)
        home.tasks.append(Task("Set your first goal", reverse("running:goals", args=[first.pk])))
    return home
