"""Programme-level counts of how pairs are running, read from ``upward.running``: meetings held
per month and how far goals have got. Counts only: no pair, person, goal or comment is named.

The goals' breakdown shows only from the programme's anonymity threshold of goals up, so one
person's progress cannot be read off a tiny programme's chart. A viewer who may see the
programme level only (a sponsor, the report) sees either count only when at least that many
pairs stand behind it: with fewer, the programme's figure would be one pair's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from upward.programmes.models import Programme

from . import anonymity

# Goals by how far they have got: (label, lowest percent, highest percent).
GOAL_BANDS = (
    ("Not started (0%)", 0, 0),
    ("Under way (1 to 49%)", 1, 49),
    ("Past halfway (50 to 99%)", 50, 99),
    ("Done (100%)", 100, 100),
)
MAX_MONTHS = 36


@dataclass(frozen=True)
class MeetingsPerMonth:
    months: list[tuple[str, int]]  # empty when hidden or when none was held
    hidden_because: str

    @property
    def shown(self) -> bool:
        return bool(self.months) and not self.hidden_because


def _too_few_pairs(rows: QuerySet[Any], n: int) -> str:
    """Why counts over ``rows`` (meetings or goals) are hidden: fewer than n pairs behind them."""
    pairs = rows.order_by().values("pair_id").distinct().count()
    return f"fewer than {n} pairs" if pairs < n else ""


def meetings_per_month(programme: Programme, *, programme_level: bool) -> MeetingsPerMonth:
    """Meetings held in each month, from the first month with one to the last, gaps as 0
    (the latest ``MAX_MONTHS`` months at most). ``programme_level``: the viewer may see the
    programme level only, so fewer than n pairs with a held meeting hide the counts."""
    from upward.running.models import Meeting

    held = Meeting.objects.filter(
        pair__programme=programme, state=Meeting.State.HELD, starts_at__isnull=False
    )
    n = anonymity.threshold_for(programme.anonymity_threshold)
    if programme_level and held.exists() and (hidden := _too_few_pairs(held, n)):
        return MeetingsPerMonth([], hidden)
    counts = {
        row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]: row["n"]
        for row in held.annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    if not counts:
        return MeetingsPerMonth([], "")
    first, last = min(counts), max(counts)
    months: list[dt.date] = []
    month = first
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return MeetingsPerMonth([(f"{m:%b %Y}", counts.get(m, 0)) for m in months[-MAX_MONTHS:]], "")


@dataclass(frozen=True)
class GoalsProgress:
    goals: int
    bands: list[tuple[str, int]]  # empty when hidden
    updates: int  # progress updates recorded
    hidden_because: str

    @property
    def shown(self) -> bool:
        return not self.hidden_because


def goals_progress(programme: Programme, *, programme_level: bool) -> GoalsProgress:
    """Goals by band of progress, from n goals up (and n pairs with goals for a viewer of the
    programme level only)."""
    from upward.running.models import Goal, GoalUpdate

    n = anonymity.threshold_for(programme.anonymity_threshold)
    goals = Goal.objects.filter(pair__programme=programme)
    # Counted by the database, band by band: the goals themselves are never read.
    figures = goals.order_by().aggregate(
        total=Count("pk"),
        **{
            f"band_{i}": Count("pk", filter=Q(progress__gte=lo, progress__lte=hi))
            for i, (_label, lo, hi) in enumerate(GOAL_BANDS)
        },
    )
    total = figures["total"]
    updates = GoalUpdate.objects.filter(goal__pair__programme=programme).count()
    if not total:
        return GoalsProgress(0, [], updates, "no goals yet")
    if total < n:
        return GoalsProgress(total, [], updates, f"fewer than {n} goals")
    if programme_level and (hidden := _too_few_pairs(goals, n)):
        return GoalsProgress(total, [], updates, hidden)
    bands = [(label, figures[f"band_{i}"]) for i, (label, _lo, _hi) in enumerate(GOAL_BANDS)]
    return GoalsProgress(total, bands, updates, "")
