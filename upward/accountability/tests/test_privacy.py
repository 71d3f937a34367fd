"""A person's export, erasure and the programme's retention for accountability."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from upward.accountability import privacy, services
from upward.accountability.models import (
    Commitment,
    Idea,
    IdeaSession,
    IdeaVote,
    Nomination,
)
from upward.privacy.registry import DataSubject

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(session: IdeaSession, leader: Any, mentor: Any, coordinator: Any, pair: Any) -> Any:
    named = services.idea_submit(session=session, by=mentor, text="Open pay bands", anonymous=False)
    hidden = services.idea_submit(session=session, by=mentor, text="Quiet hours", anonymous=True)
    services.idea_vote(idea=named, by=mentor)
    commitment = services.idea_adopt(
        idea=named,
        by=coordinator,
        owner=leader,
        change="Publish bands",
        measure="Roles with a band",
        baseline="0%",
        target="100%",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    services.nomination_make(
        pair=pair, by=leader, kind="event", title="Panel", description="A panel"
    )
    return named, hidden, commitment


def test_the_export_holds_the_persons_own_records(story: Any, leader: Any, mentor: Any) -> None:
    mine = privacy.export_accountability(DataSubject.of_user(mentor))
    assert [i["idea"] for i in mine["ideas"]] == ["Open pay bands"]
    assert [v["idea"] for v in mine["votes"]] == ["Open pay bands"]
    assert mine["nominations"] == [
        {"as": "mentor", "title": "Panel", "kind": "event", "your_answer": "asked", "outcome": ""}
    ]
    theirs = privacy.export_accountability(DataSubject.of_user(leader))
    assert [c["change"] for c in theirs["commitments"]] == ["Publish bands"]
    assert theirs["nominations"][0]["shown"] == "Waiting for your mentor's answer"


def test_erasure_unlinks_named_ideas_and_removes_the_rest(
    story: Any, leader: Any, mentor: Any
) -> None:
    counts = privacy.erase_accountability(DataSubject.of_user(mentor))
    assert counts == {"votes": 1, "ideas_unlinked": 1, "commitments": 0, "nominations": 1}
    assert not Idea.objects.filter(author__isnull=False).exists()
    assert Idea.objects.count() == 2 and not IdeaVote.objects.exists()
    privacy.erase_accountability(DataSubject.of_user(leader))
    assert not Commitment.objects.exists()


def test_retention_removes_the_programmes_records(story: Any, programme_a: Any) -> None:
    counts = privacy.purge_accountability(programme_a)
    assert counts["commitments_deleted"] == 1 and counts["nominations_deleted"] == 1
    assert not IdeaSession.objects.exists() and not Idea.objects.exists()
    assert not Nomination.objects.exists()
