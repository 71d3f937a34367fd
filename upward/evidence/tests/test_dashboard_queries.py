"""The evidence dashboard reads a fixed number of queries whatever the programme's size: goals
are counted by band in the database, the closed campaigns read once, the funnel's pairs in one
count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from upward.evidence import activity
from upward.running.models import Goal
from upward.running.seed import seed_running_pairs

from .conftest import close, open_campaign

pytestmark = pytest.mark.django_db


def count(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_dashboard_does_not_grow_with_the_programme(
    programme_a: Any, org_a: Any, coordinator: Any, settings: Any
) -> None:
    # The page as built afresh: kept pages and the menu's kept facts would hide its queries.
    settings.UPWARD_PAGE_CACHE = False
    for stage in ("pre", "post", "mid"):
        close(open_campaign(programme_a, stage=stage, title=f"Safety {stage}"))
    seed_running_pairs(programme_a, org_a, 6)
    client = Client()
    client.force_login(coordinator)
    url = reverse("evidence:dashboard", args=[programme_a.slug])
    client.get(url)
    small, _ = count(client, url)
    seed_running_pairs(programme_a, org_a, 60, tag="more")
    Goal.objects.filter(pk__in=Goal.objects.order_by("pk").values("pk")[:30]).update(progress=100)
    large, _ = count(client, url)
    assert large <= small <= 32, (small, large)
    figures = activity.goals_progress(programme_a, programme_level=False)
    assert figures.goals == Goal.objects.filter(pair__programme=programme_a).count() == 132
    progress = list(Goal.objects.filter(pair__programme=programme_a).values_list("progress"))
    assert figures.bands == [
        (label, sum(1 for (p,) in progress if lo <= p <= hi))
        for label, lo, hi in activity.GOAL_BANDS
    ]
    assert dict(figures.bands)["Done (100%)"] >= 30
