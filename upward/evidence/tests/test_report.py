"""The programme report: the PDF renders with its charts and holds the headline figures; the
CSV bundle holds aggregates only; neither shows a group below the threshold."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from upward.evidence import services

from .conftest import close, open_campaign, ps_answers

pytestmark = pytest.mark.django_db


def _run(programme: Any, users: list[Any], stage: str, levels: list[int], title: str) -> None:
    c = open_campaign(programme, stage=stage, title=title)
    for u, level in zip(users, levels, strict=True):
        services.response_submit(campaign=c, by=u, answers=ps_answers(level))
    close(c)


@pytest.fixture
def surveyed(programme_a: Any, people: Any) -> Any:
    leaders = people.leaders[:6]
    _run(programme_a, leaders, "pre", [3, 3, 4, 4, 5, 2], "Before")
    _run(programme_a, leaders, "post", [5, 4, 6, 5, 6, 4], "After")
    _run(programme_a, people.spring_mentors, "pulse", [1, 2, 1], "Mentor pulse")  # 3 < 5
    return programme_a


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_report_pdf_renders_with_charts_and_headline_figures(
    surveyed: Any, coordinator: Any
) -> None:
    r = client_for(coordinator).get(reverse("evidence:report_pdf", args=[surveyed.slug]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(r.content))
    words = " ".join((p.extract_text() or "") for p in pdf.pages)
    flat = " ".join(words.split())
    assert "Programme report" in flat
    assert "rose from 3.50 to 5.00 (+1.50" in flat
    assert "Applied 18" in flat
    assert "Hidden: too few respondents" in flat  # the mentor pulse
    images = sum(len(p.images) for p in pdf.pages) + sum(
        1 for p in pdf.pages if "/XObject" in (p.get("/Resources") or {})
    )
    assert images >= 1  # the charts are drawn in


def test_csv_bundle_holds_aggregates_only(surveyed: Any, sponsor: Any) -> None:
    r = client_for(sponsor).get(reverse("evidence:report_csv", args=[surveyed.slug]))
    assert r.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(z.namelist()) == [
        "activity.csv",
        "lessons.csv",
        "participation.csv",
        "pre_post.csv",
        "sections.csv",
        "surveys.csv",
    ]
    surveys = list(csv.DictReader(io.StringIO(z.read("surveys.csv").decode())))
    assert [(s["survey"], s["people"], s["mean_score"], s["note"]) for s in surveys] == [
        ("Before", "6", "3.5000", ""),
        ("After", "6", "5.0000", ""),
        ("Mentor pulse", "", "", "hidden: too few respondents"),
    ]
    [pp] = list(csv.DictReader(io.StringIO(z.read("pre_post.csv").decode())))
    assert (pp["people"], pp["before"], pp["after"], pp["change"]) == (
        "6",
        "3.5000",
        "5.0000",
        "1.5000",
    )
    # The mentors' own scores (1, 2, 1 -> mean 1.3333) appear nowhere.
    for name in z.namelist():
        assert "1.3333" not in z.read(name).decode()


def test_report_is_programme_level(surveyed: Any, org_admin: Any, people: Any) -> None:
    for name in ("evidence:report_pdf", "evidence:report_csv"):
        url = reverse(name, args=[surveyed.slug])
        assert client_for(org_admin).get(url).status_code == 404
        assert client_for(people.leaders[0]).get(url).status_code == 404
