"""The other apps' programme sections reach the evidence dashboard and the report: commitments
and follow-through, cohort events and attendance, and success stories both people agreed to."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.test import Client, override_settings
from django.urls import reverse

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.evidence import report
from upward.evidence.sections import COMMITMENTS, sections_for
from upward.programmes.models import Programme
from upward.recognition.demo import SLUG as CLOSED_SLUG


def test_the_demo_programmes_show_commitments_events_and_stories(db: Any, tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=120)
    running = Programme.objects.get(name="Reverse Mentoring 2027")
    keys = {section.key: data for section, data in sections_for(running)}
    assert COMMITMENTS in keys and "cohort_events" in keys
    assert dict(keys[COMMITMENTS].rows)["Overdue"] == "1"
    assert int(dict(keys["cohort_events"].rows)["Cohort events held"]) >= 1
    closed = Programme.objects.get(slug=CLOSED_SLUG)
    [data] = [d for s, d in sections_for(closed) if s.key == "stories"]
    assert data.rows == [("Published success stories", "1")] and "listening" in data.paragraphs[0]
    # Nothing names a person: the rows are counts.
    for _section, data in sections_for(running) + sections_for(closed):
        assert all(value.isdigit() for _label, value in data.rows)

    sponsor = User.objects.get(email__startswith="sponsor@")
    client = Client()
    client.force_login(sponsor)
    page = client.get(reverse("evidence:dashboard", args=[running.slug]))
    assert page.status_code == 200
    assert "Commitments and follow-through" in page.content.decode()
    with zipfile.ZipFile(io.BytesIO(report.report_csv_bundle(running))) as bundle:
        sections_csv = bundle.read("sections.csv").decode()
    assert "Commitments and follow-through" in sections_csv and "Overdue" in sections_csv
