"""Privacy in the browser: a participant takes their data away; another organisation is kept out.

- A mentor who applied, was accepted and was proposed a match downloads their data: a zip with a readable page and the same data as JSON, holding their
  own records and nobody else's.
- The org admin of another organisation tries every coordinator page of the programme, and
  the programme's objects by id: each answers 404 (or 403), and says nothing about them.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

from personas import PASSWORD
from upward.matches import services
from upward.matches.models import Proposal
from upward.matches.tests.conftest import Cast, finish
from upward.programmes.models import ReadinessItem, StakeholderInterview


def test_a_participant_downloads_their_data(journey: Any, cast: Cast, tmp_path: Path) -> None:
    programme = cast.programme
    mentor = cast.mentor
    run = finish(programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=run.version)
    proposal = Proposal.objects.filter(mentor=mentor).select_related("leader__person").first()

    me = journey()
    me.sign_in(mentor.user.email, PASSWORD)
    me.visit("/")
    me.follow("My profile")
    me.follow("Download my data")
    assert me.path() == "/privacy/my-data/"
    me.shot("my-data")
    saved = me.download("Download my data", tmp_path)
    assert saved.suffix == ".zip"
    with zipfile.ZipFile(saved) as archive:
        names = set(archive.namelist())
        assert {"index.html", "data.json"} <= names, names
        data = json.loads(archive.read("data.json"))
        page = archive.read("index.html").decode()
    raw = json.dumps(data)
    person = mentor.person
    for own in (person.name, mentor.user.email, person.employee_id):
        assert own in raw, f"{own} missing from data.json"
        assert own in page, f"{own} missing from index.html"
    assert programme.name in raw
    assert proposal is not None and proposal.leader.person.name in raw, "their proposal is missing"
    # Nobody else's records: not the other applicants, not the coordinator's interview notes.
    others = [a.person.name for a in cast.leaders + cast.mentors if a.pk != mentor.pk]
    partner = proposal.leader.person.name
    for name in others:
        if name != partner:  # their proposed partner's name is part of their own proposal
            assert name not in raw, f"{name} appears in someone else's export"
    # The download is on the record the person can read.
    me.visit("/privacy/my-data/")


def test_an_admin_of_another_organisation_is_refused_the_coordinators_pages(
    journey: Any, cast: Cast, org_admin_b: Any
) -> None:
    programme = cast.programme
    run = finish(programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=run.version)
    interview = StakeholderInterview.objects.create(
        programme=programme,
        interviewee="Dana Whitfield",
        role="Chief People Officer",
        held_on=dt.date.today(),
        problems="Graduates leave because nobody listens.",
    )
    item = ReadinessItem.objects.filter(programme=programme).first()
    assert item is not None
    proposal = Proposal.objects.filter(run=run).first()
    assert proposal is not None
    slug = programme.slug
    base = f"/programmes/{slug}"
    paths = [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/objectives/",
        f"{base}/schedule/",
        f"{base}/policy/",
        f"{base}/review/",
        f"{base}/coordinators/",
        f"{base}/record/",
        f"{base}/readiness/",
        f"{base}/readiness/items/{item.pk}/",
        f"{base}/readiness/interviews/new/",
        f"{base}/readiness/interviews/{interview.pk}/",
        f"{base}/cohorts/",
        f"{base}/invitations/",
        f"{base}/invitations/new/",
        f"{base}/topics/",
        f"{base}/eligibility/",
        f"{base}/forms/leader/",
        f"{base}/forms/mentor/preview/",
        f"{base}/applications/",
        f"{base}/applications/{cast.leader.pk}/",
        f"{base}/matching/",
        f"{base}/matching/compare/",
        f"{base}/matching/runs/{run.number}/",
        f"{base}/matching/runs/{run.number}/weights/",
        f"{base}/matching/runs/{run.number}/manual/",
        f"{base}/matching/runs/{run.number}/publish/",
        f"{base}/matching/runs/{run.number}/leaders/{cast.leader.pk}/change/",
        f"/my-match/{proposal.pk}/",
        f"/api/v1/programmes/{slug}",
        f"/api/v1/programmes/{slug}/readiness",
    ]
    other = journey()
    other.sign_in(org_admin_b.email, PASSWORD, totp_secret=org_admin_b.totp_secret)
    secrets = [a.person.name for a in cast.leaders + cast.mentors] + ["Dana Whitfield"]
    for path in paths:
        response = other.goto(path)
        assert response is not None and response.status in (403, 404), (
            f"{path} answered {response and response.status}"
        )
        body = response.text()
        for secret in secrets:
            assert secret not in body, f"{path} shows {secret}"
    # The refusal is an ordinary, accessible page.
    other.goto(paths[0])
    other.check_accessibility()
    other.shot("refused-other-organisation")
    # Their own pages show only their own organisation.
    other.visit("/programmes/mine/")
    assert programme.name not in other.text()
