from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from upward.accountability import services
from upward.accountability.models import IdeaSession
from upward.pairs.models import Pair
from upward.preparation.tests.factory import colleague, make_pair


@pytest.fixture
def pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    made = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
    made.refresh_from_db()
    return made


@pytest.fixture
def other_pair(programme_a: Any, org_a: Any, pair: Pair) -> Pair:
    """A second pair of the programme: another leader and another mentor."""
    made = make_pair(
        programme_a,
        colleague(org_a, "leader2@upward.test", 10),
        colleague(org_a, "mentor2@upward.test", 11),
    )
    Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
    made.refresh_from_db()
    return made


@pytest.fixture
def session(programme_a: Any, coordinator: Any, pair: Pair, other_pair: Pair) -> IdeaSession:
    now = timezone.now()
    return services.idea_session_open(
        programme=programme_a,
        by=coordinator,
        title="What should change here?",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        votes_per_person=2,
    )


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
