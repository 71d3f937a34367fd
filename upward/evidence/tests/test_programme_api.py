"""The programme operations of the evidence API (safeguarding alerts for wellbeing leads only,
the baseline's preview and import, the report's downloads), the campaign's cohort and
organisation audience on the page and the API, and the daily reminder task."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.evidence import services, tasks
from upward.evidence.models import Campaign, HistoricalScore, Participation

from .conftest import open_campaign, ps_answers
from .test_baseline import GOOD

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def test_alerts_for_the_wellbeing_lead_only_and_never_the_writer(
    programme_a: Any, people: Any, wellbeing_lead: Any, coordinator: Any, sponsor: Any
) -> None:
    campaign = open_campaign(programme_a, instrument="relationship_quality")
    answers = {"rq1": 2, "rq2": 2, "rq3": 2, "rq4": 4, "rq5": 2}
    services.response_submit(
        campaign=campaign,
        by=people.leaders[0],
        answers={**answers, "rq_comment": "I was harassed"},
    )
    url = f"/api/v1/programmes/{programme_a.slug}/safeguarding-alerts"
    r = client_for(wellbeing_lead).get(url)
    assert r.status_code == 200
    [alert] = r.json()
    assert alert["comment"] == "I was harassed" and alert["terms"] == ["harassed"]
    assert set(alert) == {"survey", "question", "comment", "terms", "received_on"}
    assert people.leaders[0].email not in r.content.decode()
    for other in (coordinator, sponsor, people.leaders[0]):
        assert client_for(other).get(url).status_code == 404


def test_baseline_preview_shows_every_problem_and_imports_nothing(
    programme_a: Any, coordinator: Any, sponsor: Any
) -> None:
    c = client_for(coordinator)
    base = f"/api/v1/programmes/{programme_a.slug}/baseline"
    bad = GOOD + "Engagement,2025,31/12/2025,team=Blue,40,5.1\n"
    body = {"filename": "h.csv", "content_base64": base64.b64encode(bad.encode()).decode()}
    preview = post(c, base + "/preview", body)
    assert preview.status_code == 200
    assert preview.json()["ok"] is False
    assert preview.json()["problems"][0] == "Row 8: period_end must be a date like 2026-03-31."
    refused = post(c, base, body)
    assert refused.status_code == 400
    assert refused.json()["errors"]["file"] == preview.json()["problems"]
    assert HistoricalScore.objects.count() == 0
    garbled = post(c, base, {"filename": "h.csv", "content_base64": "%%%"})
    assert garbled.status_code == 400 and "base64" in garbled.json()["detail"]
    good = {"filename": "h.csv", "content_base64": base64.b64encode(GOOD.encode()).decode()}
    ok = post(c, base + "/preview", good).json()
    assert ok["ok"] is True and len(ok["rows"]) == 6 and HistoricalScore.objects.count() == 0
    assert post(client_for(sponsor), base, good).status_code == 404
    done = post(c, base, good)
    assert done.status_code == 201 and done.json() == {"imported": 6}
    assert HistoricalScore.objects.count() == 6


def test_an_imported_file_whose_groups_overflow_everyone_is_refused(
    programme_a: Any, coordinator: Any
) -> None:
    overflow = GOOD + "Engagement,2025,2025-12-31,department=Ops,5,5.0\n"
    body = {"filename": "h.csv", "content_base64": base64.b64encode(overflow.encode()).decode()}
    r = post(client_for(coordinator), f"/api/v1/programmes/{programme_a.slug}/baseline", body)
    assert r.status_code == 400
    assert r.json()["errors"]["file"] == [
        "Engagement 2025: the department groups hold 45 people, more than the 40 of everyone."
    ]


def test_report_downloads(programme_a: Any, coordinator: Any, sponsor: Any, org_admin: Any) -> None:
    pdf = client_for(sponsor).get(f"/api/v1/programmes/{programme_a.slug}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="report-programme-a.pdf"'
    z = client_for(coordinator).get(f"/api/v1/programmes/{programme_a.slug}/report-csv.zip")
    assert z.status_code == 200 and z.content.startswith(b"PK")
    assert (
        client_for(org_admin).get(f"/api/v1/programmes/{programme_a.slug}/report.pdf").status_code
        == 404
    )


def test_cohort_and_organisation_audience_on_the_page_and_the_api(
    programme_a: Any, programme_b: Any, people: Any, coordinator: Any, org_a: Any, org_b: Any
) -> None:
    c = client_for(coordinator)
    page = reverse("evidence:campaigns", args=[programme_a.slug])
    form = {
        "title": "Spring pulse",
        "instrument": "psychological_safety",
        "stage": "pulse",
        "audience": "participants",
        "side": "",
        "cohort": people.spring.pk,
        "organisation": org_a.pk,
        "opens_on": "2030-01-01",
        "closes_on": "2030-01-10",
        "reminder_every_days": 7,
    }
    assert c.post(page, form).status_code == 302
    made = Campaign.objects.get()
    assert (made.cohort_id, made.organisation_id) == (people.spring.pk, org_a.pk)
    other_cohort = programme_b.cohorts.create(name="Other")
    assert c.post(page, {**form, "cohort": other_cohort.pk}).status_code == 400
    assert c.post(page, {**form, "organisation": org_b.pk}).status_code == 400
    api = f"/api/v1/programmes/{programme_a.slug}/campaigns"
    body = {
        "title": "Autumn pulse",
        "instrument": "psychological_safety",
        "stage": "pulse",
        "cohort_id": people.autumn.pk,
        "opens_on": "2030-01-01",
        "closes_on": "2030-01-10",
    }
    r = post(c, api, body)
    assert r.status_code == 201 and r.json()["cohort_id"] == people.autumn.pk
    assert post(c, api, {**body, "cohort_id": other_cohort.pk}).status_code == 400
    refused = post(c, api, {**body, "organisation_id": org_b.pk})
    assert refused.status_code == 400 and "does not take part" in refused.json()["detail"]
    wider = post(c, api, {**body, "audience": "wider"})
    assert wider.status_code == 400 and "wider organisation" in wider.json()["detail"]
    assert Campaign.objects.count() == 2


def test_the_daily_task_reminds_who_has_not_answered_once_per_period(
    programme_a: Any, people: Any
) -> None:
    campaign = open_campaign(programme_a, side="mentor")  # 9 mentors asked
    services.response_submit(campaign=campaign, by=people.autumn_mentors[0], answers=ps_answers(4))
    closed = open_campaign(programme_a, side="leader", title="Closed")
    Campaign.objects.filter(pk=closed.pk).update(closes_on=timezone.localdate() - dt.timedelta(1))
    assert tasks.send_survey_reminders.call() == 8
    assert people.autumn_mentors[0].email not in {m.to[0] for m in mail.outbox}
    assert tasks.send_survey_reminders.call() == 0  # at most once per the period
    later = timezone.localdate() + dt.timedelta(days=7)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=later)
    assert services.reminders_due_send(today=later) == 8
    call_command("survey_reminders")  # nothing due today: runs, sends none
    assert len(mail.outbox) == 16
    assert Participation.objects.count() == 1
