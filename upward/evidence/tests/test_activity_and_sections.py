"""Meetings per month and goals progress on the programme dashboards (counts only, goals shown
only from n goals up), other apps' sections through the hook, on the dashboard and in the
report (PDF text and the CSV bundle)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from upward.evidence import activity, sections
from upward.evidence.sections import (
    COMMITMENTS,
    Section,
    SectionData,
    register_section,
    sections_for,
)
from upward.pairs.models import Pair
from upward.preparation.tests.factory import colleague, make_pair
from upward.running.models import Goal, GoalUpdate, Meeting

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def running(programme_a: Any, leader: Any, mentor: Any) -> Pair:
    """One active pair: 3 meetings held in January 2026 and 1 in March (none in February), one
    cancelled; 6 goals at 0, 20, 60, 100, 100, 40 percent, with 2 progress updates."""
    pair = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    when = [
        (dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), Meeting.State.HELD),
        (dt.datetime(2026, 1, 19, 9, tzinfo=dt.UTC), Meeting.State.HELD),
        (dt.datetime(2026, 1, 30, 9, tzinfo=dt.UTC), Meeting.State.HELD),
        (dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), Meeting.State.HELD),
        (dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC), Meeting.State.CANCELLED),
    ]
    for starts_at, state in when:
        Meeting.objects.create(pair=pair, starts_at=starts_at, state=state)
    for i, progress in enumerate([0, 20, 60, 100, 100, 40]):
        Goal.objects.create(
            pair=pair, owner=leader if i % 2 else mentor, statement=f"Goal {i}", progress=progress
        )
    for g in Goal.objects.filter(progress=100)[:2]:
        GoalUpdate.objects.create(goal=g, percent=100, by=leader)
    return pair


def test_meetings_per_month_counts_held_meetings_with_gaps(running: Pair, programme_a: Any) -> None:
    assert activity.meetings_per_month(programme_a, programme_level=False).months == [
        ("Jan 2026", 3),
        ("Feb 2026", 0),
        ("Mar 2026", 1),
    ]
    # At the programme level alone (a sponsor), one pair's meetings are not the programme's.
    hidden = activity.meetings_per_month(programme_a, programme_level=True)
    assert (hidden.months, hidden.hidden_because) == ([], "fewer than 5 pairs")


def test_goals_progress_in_bands_and_hidden_below_n(running: Pair, programme_a: Any) -> None:
    g = activity.goals_progress(programme_a, programme_level=False)
    assert (g.goals, g.updates, g.shown) == (6, 2, True)
    assert g.bands == [
        ("Not started (0%)", 1),
        ("Under way (1 to 49%)", 2),
        ("Past halfway (50 to 99%)", 1),
        ("Done (100%)", 2),
    ]
    one_pair = activity.goals_progress(programme_a, programme_level=True)
    assert (one_pair.bands, one_pair.hidden_because) == ([], "fewer than 5 pairs")
    Goal.objects.filter(progress__in=[0, 20]).delete()
    small = activity.goals_progress(programme_a, programme_level=False)
    assert (small.goals, small.bands, small.hidden_because) == (4, [], "fewer than 5 goals")


def test_dashboard_charts_and_tables_for_coordinator_and_sponsor_not_org_admins(
    running: Pair, programme_a: Any, org_a: Any, coordinator: Any, sponsor: Any, org_admin: Any
) -> None:
    def page(user: Any) -> str:
        url = reverse("evidence:dashboard", args=[programme_a.slug])
        return str(client_for(user).get(url).content.decode())

    def chart(user: Any, name: str) -> Any:
        return client_for(user).get(reverse("evidence:chart", args=[programme_a.slug, name]))

    text = page(coordinator)
    assert '<th scope="row">Jan 2026</th><td>3</td>' in text
    assert '<th scope="row">Done (100%)</th><td>2</td>' in text
    for name in ("meetings", "goals"):
        svg = chart(coordinator, name)
        assert svg.status_code == 200 and b"<svg" in svg.content
    # The sponsor: one pair is not enough to stand for the programme.
    text = page(sponsor)
    assert text.count("Hidden: fewer than 5 pairs.") == 2 and "Jan 2026" not in text
    assert chart(sponsor, "meetings").status_code == 404
    # With four more pairs, each with a meeting in January and a goal, the sponsor sees both.
    for i in range(4):
        pair = make_pair(
            programme_a,
            colleague(org_a, f"l{i}@northwind.test", 2 * i),
            colleague(org_a, f"m{i}@northwind.test", 2 * i + 1),
        )
        Meeting.objects.create(
            pair=pair, starts_at=dt.datetime(2026, 1, 9, tzinfo=dt.UTC), state=Meeting.State.HELD
        )
        Goal.objects.create(pair=pair, owner=pair.leader.user, statement="G", progress=100)
    text = page(sponsor)
    assert '<th scope="row">Jan 2026</th><td>7</td>' in text
    assert '<th scope="row">Done (100%)</th><td>6</td>' in text
    assert chart(sponsor, "goals").status_code == 200
    # An organisation admin never sees the programme's counts.
    assert "Meetings held" not in page(org_admin)
    for name in ("meetings", "goals"):
        assert chart(org_admin, name).status_code == 404
    # Below n goals, the goals chart is not drawn at all.
    Goal.objects.all().delete()
    assert chart(coordinator, "goals").status_code == 404


@pytest.fixture
def registered() -> Iterator[None]:
    # Only this test's sections while it runs; the apps' own come back afterwards.
    saved = dict(sections._SECTIONS)
    sections._SECTIONS.clear()

    def commitments(programme: Any) -> SectionData | None:
        return SectionData(
            rows=[("Commitments made", "9"), ("Commitments on time", "4")],
            paragraphs=["Leaders kept most of what they promised."],
        )

    register_section(Section(COMMITMENTS, "Commitments and follow-through", 10, commitments))
    register_section(
        Section(
            "stories",
            "Success stories",
            20,
            lambda p: SectionData(rows=[("Stories published", "2")]),
        )
    )
    register_section(Section("empty", "Nothing here", 30, lambda p: None))
    yield
    sections._SECTIONS.clear()
    sections._SECTIONS.update(saved)


def test_sections_hook_on_dashboard_and_report(
    registered: None, programme_a: Any, coordinator: Any, sponsor: Any
) -> None:
    assert [s.key for s, _ in sections_for(programme_a)] == [COMMITMENTS, "stories"]
    html = client_for(sponsor).get(reverse("evidence:dashboard", args=[programme_a.slug]))
    text = html.content.decode()
    assert '<th scope="row">Commitments on time</th><td>4</td>' in text
    assert "Leaders kept most of what they promised." in text
    assert "Nothing here" not in text
    pdf = client_for(coordinator).get(reverse("evidence:report_pdf", args=[programme_a.slug]))
    words = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Commitments and follow-through Commitments made 9 Commitments on time 4" in words
    assert "Success stories Stories published 2" in words
    bundle = client_for(sponsor).get(reverse("evidence:report_csv", args=[programme_a.slug]))
    z = zipfile.ZipFile(io.BytesIO(bundle.content))
    rows = list(csv.reader(io.StringIO(z.read("sections.csv").decode())))
    assert rows == [
        ["section", "label", "value"],
        ["Commitments and follow-through", "Commitments made", "9"],
        ["Commitments and follow-through", "Commitments on time", "4"],
        ["Success stories", "Stories published", "2"],
    ]


def test_report_without_commitments_says_so(programme_a: Any, coordinator: Any) -> None:
    pdf = client_for(coordinator).get(reverse("evidence:report_pdf", args=[programme_a.slug]))
    words = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Commitments and follow-through No commitments were recorded." in words
    assert "Lessons No lessons were written down." in words
