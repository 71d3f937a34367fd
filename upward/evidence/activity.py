"""Programme-level counts of how pairs are running, read from ``upward.running``: meetings held
per month and how far goals have got. Counts only: no pair, person, goal or comment is named,
and the goals' breakdown shows only when the programme has at least its anonymity threshold of
goals, so one person's progress cannot be read off a tiny programme's chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
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


def meetings_per_month(programme: Programme) -> list[tuple[str, int]]:
    """Meetings held in each month, from the first month with one to the last, gaps as 0
    (the latest ``MAX_MONTHS`` months at most)."""
    from upward.running.models import Meeting

    counts = {
        row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]: row["n"]
        for row in Meeting.objects.filter(
            pair__programme=programme, state=Meeting.State.HELD, starts_at__isnull=False
        )
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months: list[dt.date] = []
    month = first
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return [(f"{m:%b %Y}", counts.get(m, 0)) for m in months[-MAX_MONTHS:]]


@dataclass(frozen=True)
class GoalsProgress:
    goals: int
    bands: list[tuple[str, int]]  # empty when hidden
    updates: int  # progress updates recorded
    hidden_because: str

    @property
    def shown(self) -> bool:
        return not self.hidden_because


def goals_progress(programme: Programme) -> GoalsProgress:
    from upward.running.models import Goal, GoalUpdate

    n = anonymity.threshold_for(programme.anonymity_threshold)
    progress = list(
        Goal.objects.filter(pair__programme=programme).values_list("progress", flat=True)
    )
    updates = GoalUpdate.objects.filter(goal__pair__programme=programme).count()
    if not progress:
        return GoalsProgress(0, [], updates, "no goals yet")
    if len(progress) < n:
        return GoalsProgress(len(progress), [], updates, f"fewer than {n} goals")
    bands = [(label, sum(1 for p in progress if lo <= p <= hi)) for label, lo, hi in GOAL_BANDS]
    return GoalsProgress(len(progress), bands, updates, "")
