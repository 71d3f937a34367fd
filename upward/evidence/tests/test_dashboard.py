"""The evidence dashboard and its SVG charts: psychological safety over time, the paired
pre/post change, the participation funnel; each role's level, and nothing below the threshold."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.evidence import selectors, services
from upward.evidence.models import Campaign, Response

from .conftest import close, open_campaign, ps_answers

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _run(programme: Any, users: list[Any], stage: str, levels: list[int], title: str) -> Campaign:
    c = open_campaign(programme, stage=stage, title=title)
    for u, level in zip(users, levels, strict=True):
        services.response_submit(campaign=c, by=u, answers=ps_answers(level))
    close(c)
    return c


def test_paired_change_links_the_same_people_and_shows_above_n(
    programme_a: Any, people: Any, coordinator: Any, sponsor: Any, org_admin: Any
) -> None:
    leaders = people.leaders[:6]
    _run(programme_a, leaders, "pre", [3, 3, 4, 4, 5, 2], "Before")
    _run(programme_a, leaders, "post", [5, 4, 6, 5, 6, 4], "After")
    tokens = set(Response.objects.values_list("pair_token", flat=True))
    assert len(tokens) == 6 and "" not in tokens  # one token per person, same before and after
    [pp] = selectors.pre_post(programme_a)
    assert pp.change is not None
    assert (pp.change.pairs, pp.change.mean_before, pp.change.mean_after) == (6, 3.5, 5.0)
    assert pp.change.mean_change == 1.5
    page = client_for(sponsor).get(reverse("evidence:dashboard", args=[programme_a.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "rose from 3.50 to 5.00 (+1.50" in html
    assert "<td>6</td><td>3.50</td><td>5.00</td>" in html
    assert 'style="' not in html and "<script>" not in html
    # Safety over time: both campaigns, 6 people each.
    assert "<td>6</td><td>3.50</td>" in html and "<td>6</td><td>5.00</td>" in html
    for name in ("safety", "pre-post", "funnel"):
        svg = client_for(coordinator).get(reverse("evidence:chart", args=[programme_a.slug, name]))
        assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
        assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content
        assert b"<script" not in svg.content
        assert svg["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    # An org admin sees their organisation's line only, never the programme-wide charts.
    admin = client_for(org_admin)
    assert (
        admin.get(reverse("evidence:chart", args=[programme_a.slug, "funnel"])).status_code == 404
    )
    assert admin.get(reverse("evidence:chart", args=[programme_a.slug, "bogus"])).status_code == 404
    admin_html = admin.get(reverse("evidence:dashboard", args=[programme_a.slug])).content.decode()
    assert "Northwind Group only" in admin_html and "Participation" not in admin_html


def test_paired_change_hidden_below_n_and_when_the_unpaired_rest_is_small(
    programme_a: Any, people: Any
) -> None:
    _run(programme_a, people.leaders[:4], "pre", [3, 3, 4, 4], "Before")
    _run(programme_a, people.leaders[:4], "post", [5, 4, 6, 5], "After")
    [pp] = selectors.pre_post(programme_a)
    assert (pp.change, pp.hidden_because) == (None, "too few respondents")
    Campaign.objects.all().delete()
    _run(programme_a, people.leaders[:7], "pre", [3] * 7, "Before")
    _run(programme_a, people.leaders[:6], "post", [5] * 6, "After")  # one answered only before
    [pp] = selectors.pre_post(programme_a)
    assert (pp.change, pp.hidden_because) == (None, "the rest of its group would be too small")


def test_safety_over_time_hides_a_small_campaign(
    programme_a: Any, people: Any, sponsor: Any
) -> None:
    _run(programme_a, people.leaders[:4], "pulse", [3, 3, 4, 4], "Small pulse")
    rows = selectors.safety_over_time(programme_a, selectors.Level.PROGRAMME, set())
    assert [(c.title, r.reason) for c, r in rows] == [("Small pulse", "too few respondents")]
    html = client_for(sponsor).get(reverse("evidence:dashboard", args=[programme_a.slug])).content
    assert b"Hidden: too few respondents" in html and b"3.50" not in html


def test_funnel_counts(programme_a: Any, people: Any) -> None:
    assert selectors.funnel(programme_a) == [
        ("Invited", 0),
        ("Applied", 18),
        ("Matched", 0),
        ("Active", 0),
        ("Completed", 0),
    ]


def test_dashboard_refuses_leaders_and_other_programmes(
    programme_a: Any, programme_b: Any, people: Any, coordinator: Any
) -> None:
    url = reverse("evidence:dashboard", args=[programme_a.slug])
    assert client_for(people.leaders[0]).get(url).status_code == 404
    other = reverse("evidence:dashboard", args=[programme_b.slug])
    assert client_for(coordinator).get(other).status_code == 404
