"""Historical baseline import: good files import whole, a bad row imports nothing and every
problem is reported; imported figures show only through the anonymity rules."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from upward.evidence import anonymity, selectors
from upward.evidence.baseline import ImportRefused, baseline_import
from upward.evidence.errors import EvidenceRuleBroken
from upward.evidence.models import HistoricalScore

pytestmark = pytest.mark.django_db

GOOD = (
    "measure,period,period_end,segment,respondents,mean_score\n"
    "Engagement,2025,2025-12-31,everyone,40,5.1\n"
    "Engagement,2025,2025-12-31,organisation=Northwind Group,37,5.2\n"
    "Engagement,2025,2025-12-31,organisation=Riverside Council,3,3.9\n"
    "Engagement,2025,2025-12-31,department=Sales,20,5.0\n"
    "Engagement,2025,2025-12-31,department=Finance,12,4.8\n"
    "Engagement,2025,2025-12-31,department=Legal,8,5.6\n"
)


def test_import_and_the_rules_on_imported_figures(programme_a: Any, coordinator: Any) -> None:
    n = baseline_import(programme=programme_a, by=coordinator, filename="h.csv", data=GOOD.encode())
    assert n == 6 and HistoricalScore.objects.count() == 6
    rows = selectors.historical(programme_a, selectors.Level.ALL, set())
    shown = {(s.dimension, s.value): h.reason if h else "shown" for s, h in rows}
    assert shown == {
        ("", ""): "shown",
        ("department", "Finance"): "shown",
        ("department", "Legal"): "shown",
        ("department", "Sales"): "shown",
        ("organisation", "Riverside Council"): anonymity.Reason.TOO_FEW,
        ("organisation", "Northwind Group"): anonymity.Reason.REMAINDER,
    }
    # A sponsor sees the programme level only; an org admin only their organisation (hidden).
    assert [
        s.dimension for s, _ in selectors.historical(programme_a, selectors.Level.PROGRAMME, set())
    ] == [""]
    [(row, hidden)] = selectors.historical(
        programme_a, selectors.Level.ORGANISATION, {"Northwind Group"}
    )
    assert row.value == "Northwind Group" and hidden is not None
    # Importing again replaces, never duplicates.
    baseline_import(programme=programme_a, by=coordinator, filename="h.csv", data=GOOD.encode())
    assert HistoricalScore.objects.count() == 6


def test_a_bad_row_imports_nothing_and_every_problem_is_reported(
    programme_a: Any, coordinator: Any
) -> None:
    bad = GOOD + ("Engagement,2025,31/12/2025,everyone,40,5.1\n,2026,2026-06-30,shoe=42,-1,9\n")
    with pytest.raises(ImportRefused) as e:
        baseline_import(programme=programme_a, by=coordinator, filename="h.csv", data=bad.encode())
    assert e.value.problems == [
        "Row 8: period_end must be a date like 2026-03-31.",
        "Row 9: give a measure of at most 120 characters.",
        "Row 9: segment must be 'everyone' or one of organisation, side, cohort, department, "
        "location, grade followed by = and a value.",
        "Row 9: respondents must be a whole number from 0.",
        "Row 9: mean_score must be a number from 1 to 7.",
    ]
    assert HistoricalScore.objects.count() == 0
    with pytest.raises(ImportRefused) as e:
        baseline_import(programme=programme_a, by=coordinator, filename="h.csv", data=b"a,b\n1,2\n")
    assert e.value.problems == [
        "Missing columns: measure, period, period_end, segment, respondents, mean_score."
    ]
    dup = GOOD + "Engagement,2025,2025-12-31,everyone,41,5.0\n"
    with pytest.raises(ImportRefused, match="1 problem"):
        baseline_import(programme=programme_a, by=coordinator, filename="h.csv", data=dup.encode())
    with pytest.raises(ImportRefused) as e:
        baseline_import(programme=programme_a, by=coordinator, filename="h.xlsx", data=b"not a zip")
    assert e.value.problems == ["The file is not a readable XLSX workbook."]
    assert HistoricalScore.objects.count() == 0


def test_xlsx_import_and_the_page(programme_a: Any, coordinator: Any, leader: Any) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for line in GOOD.strip().split("\n"):
        ws.append(line.split(","))
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(EvidenceRuleBroken, match="Only the programme's coordinators"):
        baseline_import(programme=programme_a, by=leader, filename="h.xlsx", data=out.getvalue())
    c = Client()
    c.force_login(coordinator)
    url = reverse("evidence:baseline", args=[programme_a.slug])
    bad = c.post(url, {"file": io.BytesIO(b"measure\n")})
    assert bad.status_code == 400 and "Nothing was imported" in bad.content.decode()
    upload = io.BytesIO(out.getvalue())
    upload.name = "history.xlsx"
    assert c.post(url, {"file": upload}).status_code == 302
    assert HistoricalScore.objects.count() == 6
    page = c.get(reverse("evidence:dashboard", args=[programme_a.slug])).content.decode()
    assert "Earlier engagement surveys" in page
    assert "3.90" not in page and "5.20" not in page  # the hidden organisations' means
    assert "5.10 of 7" in page


def test_imported_figures_pass_the_differencing_check(programme_a: Any, coordinator: Any) -> None:
    # Northwind 22 holds Sales 20 and 2 people in no department; Riverside 18 is Finance.
    # Shown together, Northwind - Sales would give those 2 people's mean; and Sales + Finance
    # leave the same 2 out of everyone.
    data = (
        "measure,period,period_end,segment,respondents,mean_score\n"
        "Engagement,2025,2025-12-31,everyone,40,5.0\n"
        "Engagement,2025,2025-12-31,organisation=Northwind Group,22,5.1\n"
        "Engagement,2025,2025-12-31,organisation=Riverside Council,18,4.9\n"
        "Engagement,2025,2025-12-31,department=Sales,20,5.3\n"
        "Engagement,2025,2025-12-31,department=Finance,18,4.9\n"
    )
    baseline_import(programme=programme_a, by=coordinator, filename="h.csv", data=data.encode())
    shown = {
        (s.dimension, s.value): h.reason if h else "shown"
        for s, h in selectors.historical(programme_a, selectors.Level.ALL, set())
    }
    assert shown == {
        ("", ""): "shown",
        ("department", "Finance"): anonymity.Reason.SIBLING,
        ("department", "Sales"): anonymity.Reason.DIFFERENCING,
        ("organisation", "Northwind Group"): "shown",
        ("organisation", "Riverside Council"): "shown",
    }
    page = Client()
    page.force_login(coordinator)
    html = page.get(reverse("evidence:dashboard", args=[programme_a.slug])).content.decode()
    assert "5.30" not in html and "5.10 of 7" in html
