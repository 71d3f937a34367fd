"""Idea sessions: who submits, the window, duplicates, and votes limited per person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from upward.accountability import services
from upward.accountability.errors import AccountabilityRuleBroken
from upward.accountability.models import Idea, IdeaSession, IdeaVote

from .conftest import client_of

pytestmark = pytest.mark.django_db


def test_a_participant_submits_named_and_anonymous_ideas(
    session: IdeaSession, leader: Any, mentor: Any
) -> None:
    named = services.idea_submit(
        session=session, by=leader, text="Publish pay bands", anonymous=False
    )
    hidden = services.idea_submit(session=session, by=mentor, text="Flexible hours", anonymous=True)
    assert named.author == leader and not named.anonymous
    assert hidden.author is None and hidden.anonymous
    assert hidden.submitted_on == timezone.localdate()


def test_the_same_idea_twice_is_refused_whoever_writes_it(
    session: IdeaSession, leader: Any, mentor: Any
) -> None:
    services.idea_submit(session=session, by=leader, text="Publish pay bands.", anonymous=True)
    with pytest.raises(AccountabilityRuleBroken, match="already in the session"):
        services.idea_submit(
            session=session, by=mentor, text="  publish PAY bands ", anonymous=False
        )
    assert Idea.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "!!!", "x" * 2001])
def test_empty_or_long_ideas_are_refused(session: IdeaSession, leader: Any, text: str) -> None:
    with pytest.raises(AccountabilityRuleBroken):
        services.idea_submit(session=session, by=leader, text=text, anonymous=False)
    assert not Idea.objects.exists()


def test_only_participants_submit_and_only_while_open(
    session: IdeaSession, sponsor: Any, coordinator: Any, leader: Any
) -> None:
    for person in (sponsor, coordinator):
        with pytest.raises(AccountabilityRuleBroken, match="participants"):
            services.idea_submit(session=session, by=person, text="An idea", anonymous=False)
    IdeaSession.objects.filter(pk=session.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    session.refresh_from_db()
    with pytest.raises(AccountabilityRuleBroken, match="not open"):
        services.idea_submit(session=session, by=leader, text="An idea", anonymous=False)
    assert not Idea.objects.exists()


def test_a_session_must_close_after_it_opens_and_give_votes(
    programme_a: Any, coordinator: Any, leader: Any
) -> None:
    now = timezone.now()
    with pytest.raises(AccountabilityRuleBroken, match="close after"):
        services.idea_session_open(
            programme=programme_a,
            by=coordinator,
            title="T",
            opens_at=now,
            closes_at=now,
            votes_per_person=3,
        )
    with pytest.raises(AccountabilityRuleBroken, match="between 1 and 20"):
        services.idea_session_open(
            programme=programme_a,
            by=coordinator,
            title="T",
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            votes_per_person=0,
        )
    with pytest.raises(AccountabilityRuleBroken, match="coordinators"):
        services.idea_session_open(
            programme=programme_a,
            by=leader,
            title="T",
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            votes_per_person=3,
        )
    assert not IdeaSession.objects.exists()


def _three_ideas(session: IdeaSession, leader: Any) -> list[Idea]:
    return [
        services.idea_submit(session=session, by=leader, text=t, anonymous=False)
        for t in ("Publish pay bands", "Flexible hours", "Open the board meetings")
    ]


def test_votes_are_limited_per_person_and_withdrawing_frees_one(
    session: IdeaSession, leader: Any, mentor: Any
) -> None:
    a, b, c = _three_ideas(session, leader)
    services.idea_vote(idea=a, by=mentor)
    services.idea_vote(idea=b, by=mentor)
    with pytest.raises(AccountabilityRuleBroken, match="used all 2 of your votes"):
        services.idea_vote(idea=c, by=mentor)
    assert IdeaVote.objects.filter(voter=mentor).count() == 2
    with pytest.raises(AccountabilityRuleBroken, match="already voted"):
        services.idea_vote(idea=a, by=mentor)
    services.idea_unvote(idea=a, by=mentor)
    services.idea_vote(idea=c, by=mentor)
    assert set(IdeaVote.objects.filter(voter=mentor).values_list("idea_id", flat=True)) == {
        b.pk,
        c.pk,
    }
    # Another person's limit is their own.
    services.idea_vote(idea=a, by=leader)
    with pytest.raises(AccountabilityRuleBroken, match="not voted"):
        services.idea_unvote(idea=c, by=leader)


def test_a_vote_over_the_limit_is_refused_plainly_by_page_and_api(
    session: IdeaSession, leader: Any, mentor: Any
) -> None:
    a, b, c = _three_ideas(session, leader)
    client = client_of(mentor)
    for idea in (a, b):
        assert client.post(reverse("accountability:vote", args=[idea.pk])).status_code == 302
    page = client.post(reverse("accountability:vote", args=[c.pk]))
    assert page.status_code == 400 and "used all 2 of your votes" in page.content.decode()
    answer = client.post(f"/api/v1/ideas/{c.pk}/vote")
    assert answer.status_code == 400 and "used all 2" in answer.json()["detail"]
    assert client.delete(f"/api/v1/ideas/{a.pk}/vote").json() == {
        "idea_id": a.pk,
        "voted": False,
        "votes_left": 1,
    }
    assert client.post(f"/api/v1/ideas/{c.pk}/vote").json()["votes_left"] == 0
    assert IdeaVote.objects.filter(voter=mentor).count() == 2


def test_voting_closes_with_the_session(session: IdeaSession, leader: Any, mentor: Any) -> None:
    (a, *_rest) = _three_ideas(session, leader)
    IdeaSession.objects.filter(pk=session.pk).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    a.session.refresh_from_db()
    with pytest.raises(AccountabilityRuleBroken, match="closed"):
        services.idea_vote(idea=a, by=mentor)


def test_outsiders_see_no_session(session: IdeaSession, outsider: Any, sponsor: Any) -> None:
    for person in (outsider, sponsor):
        client = client_of(person)
        assert client.get(reverse("accountability:session", args=[session.pk])).status_code == 404
        assert client.get(f"/api/v1/idea-sessions/{session.pk}").status_code == 404


def test_the_api_submits_and_lists_with_votes_left(session: IdeaSession, leader: Any) -> None:
    client = client_of(leader)
    made = client.post(
        f"/api/v1/idea-sessions/{session.pk}/ideas",
        {"text": "Open the board", "anonymous": False},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["mine"] is True
    body = client.get(f"/api/v1/idea-sessions/{session.pk}").json()
    assert body["votes_left"] == 2 and [i["text"] for i in body["ideas"]] == ["Open the board"]
    bad = client.post(
        f"/api/v1/idea-sessions/{session.pk}/ideas", {"text": " "}, content_type="application/json"
    )
    assert bad.status_code == 400 and "Write your idea" in bad.json()["detail"]


def test_the_coordinator_groups_ideas_with_suggestions(
    session: IdeaSession, leader: Any, mentor: Any, coordinator: Any
) -> None:
    a = services.idea_submit(
        session=session, by=leader, text="Publish the pay bands for every role", anonymous=False
    )
    b = services.idea_submit(
        session=session, by=mentor, text="Open pay bands to everyone", anonymous=True
    )
    c = services.idea_submit(
        session=session, by=mentor, text="Flexible working hours", anonymous=False
    )
    client = client_of(coordinator)
    suggested = client.get(f"/api/v1/idea-sessions/{session.pk}/groups").json()
    assert suggested == [{"id": None, "title": "Suggested", "idea_ids": [a.pk, b.pk]}]
    made = client.post(
        f"/api/v1/idea-sessions/{session.pk}/groups",
        {"title": "Pay bands", "idea_ids": [a.pk, b.pk], "version": session.version},
        content_type="application/json",
    )
    assert made.status_code == 201
    stale = client.post(
        f"/api/v1/idea-sessions/{session.pk}/groups",
        {"title": "Again", "idea_ids": [a.pk, c.pk], "version": session.version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    one = client.post(
        f"/api/v1/idea-sessions/{session.pk}/groups",
        {"title": "One", "idea_ids": [c.pk], "version": session.version + 1},
        content_type="application/json",
    )
    assert one.status_code == 400 and "two ideas" in one.json()["detail"]
    assert set(Idea.objects.filter(group__title="Pay bands").values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
    }
    assert client_of(leader).get(f"/api/v1/idea-sessions/{session.pk}/groups").status_code == 404


def test_the_hub_lists_only_the_persons_own_programmes(
    session: IdeaSession, mentor: Any, sponsor: Any, outsider: Any, coordinator_b: Any
) -> None:
    page = client_of(mentor).get(reverse("accountability:hub")).content.decode()
    assert "What should change here?" in page and "Idea sessions of" in page
    assert "Commitments and sponsorship of" not in page
    sponsor_page = client_of(sponsor).get(reverse("accountability:hub")).content.decode()
    assert (
        "Commitments and sponsorship of" in sponsor_page and "Idea sessions of" not in sponsor_page
    )
    for person in (outsider, coordinator_b):
        assert (
            session.programme.name
            not in client_of(person).get(reverse("accountability:hub")).content.decode()
        )
