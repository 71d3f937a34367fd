"""Fixtures for the privacy tests: a world with a programme in full swing, and a signed-in
client per persona of the access matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from upward.accounts.models import Role, RoleGrant
from upward.consent.models import Consent
from upward.directory.models import DirectoryImport, Organisation, Person
from upward.programmes.models import Application, Cohort, Programme, Side, StakeholderInterview
from upward.programmes.services import invitation_token
from upward.programmes.tests.conftest import _apply, _invite, complete_readiness

from . import access_matrix as matrix


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    programme_a: Programme
    programme_b: Programme
    person: Person
    directory_import: DirectoryImport
    coordinator_grant: RoleGrant
    readiness_item: Any
    interview: StakeholderInterview
    cohort: Cohort
    topic: Any
    question: Any
    leader_application: Application
    mentor_application: Application
    mentor_consent: Consent
    invitation_token: str


@pytest.fixture
def world(
    org_a: Organisation,
    org_b: Organisation,
    programme_a: Programme,
    programme_b: Programme,
    coordinator: Any,
    coordinator_b: Any,
    org_admin: Any,
    org_admin_b: Any,
    leader: Any,
    mentor: Any,
    sponsor: Any,
    wellbeing_lead: Any,
) -> World:
    from upward.programmes import defaults, services
    from upward.programmes.models import Challenge

    defaults.seed_programme(programme_a)
    services.programme_objectives_set(
        programme=programme_a,
        by=coordinator,
        version=programme_a.version,
        challenges=[Challenge.INCLUSIVE_LEADERSHIP],
        details={},
        others=[],
    )
    programme_a.identity_dimensions = ["ethnicity", "age_band"]
    programme_a.save(update_fields=["identity_dimensions"])
    complete_readiness(programme_a, coordinator)
    services.programme_applications_open(programme=programme_a, by=coordinator)
    programme_a.refresh_from_db()
    leader_invitation = _invite(programme_a, leader, Side.LEADER)
    _invite(programme_a, mentor, Side.MENTOR)
    leader_application = _apply(programme_a, leader, Side.LEADER)
    mentor_application = _apply(programme_a, mentor, Side.MENTOR, {"ethnicity": "black"})
    form = programme_a.forms.get(side=Side.LEADER)
    return World(
        org_a=org_a,
        org_b=org_b,
        programme_a=programme_a,
        programme_b=programme_b,
        person=leader.person,
        directory_import=DirectoryImport.objects.create(
            organisation=org_a,
            uploaded_by=org_admin,
            filename="people.csv",
            content=b"",
            status=DirectoryImport.Status.DONE,
        ),
        coordinator_grant=RoleGrant.objects.get(
            user=coordinator, role=Role.COORDINATOR, programme=programme_a
        ),
        readiness_item=programme_a.readiness_items.first(),
        interview=StakeholderInterview.objects.create(
            programme=programme_a,
            interviewee="Chief People Officer",
            role="Sponsor",
            held_on="2027-01-05",
            problems="Leaders rarely hear from junior staff.",
        ),
        cohort=Cohort.objects.create(programme=programme_a, name="Spring"),
        topic=programme_a.topics.first(),
        question=form.questions.first(),
        leader_application=leader_application,
        mentor_application=mentor_application,
        mentor_consent=Consent.objects.filter(user=mentor, withdrawn_at__isnull=True).first(),
        invitation_token=invitation_token(leader_invitation),
    )


@pytest.fixture
def clients(request: Any, world: World) -> dict[str, Client]:
    users = {
        p: request.getfixturevalue(p) for p in matrix.PERSONAS if p not in {"anonymous", "partner"}
    }
    users["partner"] = users["mentor"]  # the pair's partner, until pairs exist
    clients = {}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        clients[persona] = client
    clients["anonymous"] = Client()
    return clients


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Files the world uploads (a training module's file) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
