from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from personas import make_user
from upward.directory.models import Person
from upward.evidence.models import Campaign
from upward.programmes.models import Application, Cohort, Programme


def applicants(
    programme: Programme, organisation: Any, count: int, side: str, cohort: Any = None
) -> list[Any]:
    """``count`` people of ``organisation`` who applied to ``programme`` on ``side``."""
    taken = Application.objects.values_list("person_id", flat=True)
    people = (
        Person.objects.filter(organisation=organisation, user__isnull=True)
        .exclude(pk__in=taken)
        .order_by("employee_id")[:count]
    )
    users = []
    for p in people:
        u = make_user(f"{p.employee_id.lower()}@{organisation.slug}.test", person=p)
        Application.objects.create(
            programme=programme,
            person=p,
            user=u,
            side=side,
            cohort=cohort,
            status=Application.Status.ACCEPTED,
        )
        users.append(u)
    return users


@pytest.fixture
def people(programme_a: Programme, org_a: Any) -> SimpleNamespace:
    """Programme A: 9 leaders and 3 mentors in cohort Spring, 6 mentors in cohort Autumn."""
    spring = Cohort.objects.create(programme=programme_a, name="Spring")
    autumn = Cohort.objects.create(programme=programme_a, name="Autumn")
    return SimpleNamespace(
        leaders=applicants(programme_a, org_a, 9, "leader", spring),
        spring_mentors=applicants(programme_a, org_a, 3, "mentor", spring),
        autumn_mentors=applicants(programme_a, org_a, 6, "mentor", autumn),
        spring=spring,
        autumn=autumn,
    )


def open_campaign(
    programme: Programme, instrument: str = "psychological_safety", **kw: Any
) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        programme=programme,
        title=kw.pop("title", "Mid-point pulse"),
        instrument=instrument,
        stage=kw.pop("stage", Campaign.Stage.MID),
        opens_on=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=5),
        **kw,
    )


def close(campaign: Campaign) -> None:
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=today - dt.timedelta(days=20), closes_on=today - dt.timedelta(days=1)
    )
    campaign.refresh_from_db()


def ps_answers(level: int) -> dict[str, int]:
    """Psychological-safety answers whose score is ``level`` (1..7), reverse items turned."""
    return {
        "ps1": 8 - level,
        "ps2": level,
        "ps3": 8 - level,
        "ps4": level,
        "ps5": 8 - level,
        "ps6": level,
        "ps7": level,
    }
