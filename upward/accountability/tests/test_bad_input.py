"""Bad input gets a clear message and changes nothing, through the API and the pages; no input
causes a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from upward.accountability import services
from upward.accountability.models import Commitment, Idea, IdeaSession, IdeaVote, Nomination

from .conftest import client_of

pytestmark = pytest.mark.django_db


def test_the_api_refuses_malformed_bodies_without_changing_anything(
    session: IdeaSession, leader: Any, mentor: Any, coordinator: Any, pair: Any
) -> None:
    idea = services.idea_submit(session=session, by=leader, text="Open pay bands", anonymous=False)
    them, boss = client_of(mentor), client_of(coordinator)
    calls = [
        (them, f"/api/v1/idea-sessions/{session.pk}/ideas", {"text": "x" * 2001}),
        (them, f"/api/v1/idea-sessions/{session.pk}/ideas", {"anonymous": True}),
        (boss, f"/api/v1/ideas/{idea.pk}/adopt", {"change": "x", "due_on": "10000-01-01"}),
        (
            boss,
            f"/api/v1/ideas/{idea.pk}/adopt",
            {"change": "x", "due_on": "2999-01-01", "owner_id": 0},
        ),
        (
            boss,
            f"/api/v1/programmes/{session.programme.slug}/idea-sessions",
            {"title": "T", "opens_at": "x", "closes_at": "y"},
        ),
        (
            boss,
            f"/api/v1/programmes/{session.programme.slug}/idea-sessions",
            {
                "title": "T",
                "opens_at": "2030-01-01T00:00:00Z",
                "closes_at": "2030-01-02T00:00:00Z",
                "votes_per_person": 21,
            },
        ),
        (
            client_of(leader),
            f"/api/v1/pairs/{pair.pk}/nominations",
            {"kind": "trip", "title": "T", "description": "D"},
        ),
    ]
    for client, url, body in calls:
        answer = client.post(url, body, content_type="application/json")
        assert answer.status_code in (400, 422), (url, body, answer.status_code)
        assert answer.json()["detail"]
    assert Idea.objects.count() == 1 and not Commitment.objects.exists()
    assert IdeaSession.objects.count() == 1 and not Nomination.objects.exists()
    assert not IdeaVote.objects.exists()
    assert them.post(f"/api/v1/ideas/{2**53 - 1}/vote").status_code == 404
    assert them.post(f"/api/v1/ideas/{2**53 + 1}/vote").status_code in (400, 404, 422)


def test_the_pages_refuse_bad_input_with_a_message(
    session: IdeaSession, leader: Any, coordinator: Any
) -> None:
    idea = services.idea_submit(session=session, by=leader, text="Open pay bands", anonymous=False)
    page = client_of(coordinator).post(
        reverse("accountability:adopt", args=[idea.pk]),
        {
            "owner": leader.pk,
            "change": "Bands",
            "measure": "",
            "baseline": "0",
            "target": "1",
            "due_on": "2999-01-01",
        },
    )
    assert page.status_code == 400 and "Measure or KPI" in page.content.decode()
    opened = client_of(coordinator).post(
        reverse("accountability:session_open", args=[session.programme.slug]),
        {
            "title": "T",
            "opens_at": "2030-01-02T09:00",
            "closes_at": "2030-01-01T09:00",
            "votes_per_person": 3,
        },
    )
    assert opened.status_code == 400 and "close after it opens" in opened.content.decode()
    assert not Commitment.objects.exists() and IdeaSession.objects.count() == 1
