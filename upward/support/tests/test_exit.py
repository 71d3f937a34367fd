"""Pause and no-fault exit: one step by either person; the reason reaches the coordinators
only; the other person is told the neutral line and nothing more; ending twice is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.pairs.models import Pair, PairEvent
from upward.pairs.services import pair_move
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data
from upward.support.models import ExitReason

pytestmark = pytest.mark.django_db
REASON = "He talks over me in every meeting."


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def active(pair: Pair) -> Pair:
    return pair_move(pair=pair, action="activate", by=None, version=None)


def test_the_reason_goes_to_the_coordinator_and_the_partner_sees_the_neutral_line(
    active: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mentor).post(
            reverse("preparation:pair_state", args=[active.pk]),
            {"action": "end", "version": active.version, "note": REASON},
        )
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.state == "ended"
    ended = PairEvent.objects.get(pair=active, action="ended")
    assert (ended.actor, ended.note) == (None, "")  # nothing held against either person
    assert [(r.action, r.reason) for r in ExitReason.objects.all()] == [("end", REASON)]

    to_leader = [m for m in mail.outbox if m.to == [leader.email]]
    assert [m.subject for m in to_leader] == [
        f"Your mentoring relationship has ended ({active.programme.name})"
    ]
    assert to_leader[0].body == (
        f"Your mentoring relationship in {active.programme.name} has ended.\n\nIf you would like "
        "to talk about what happens next, your programme's coordinator is there to help.\n"
    )
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_coordinator) == 1 and REASON in to_coordinator[0].body
    assert len(mail.outbox) == 2

    for url in (reverse("preparation:pair", args=[active.pk]), f"/api/v1/pairs/{active.pk}"):
        body = client_for(leader).get(url).content.decode()
        assert REASON not in body, url
    assert (
        "Ended"
        in client_for(leader).get(reverse("preparation:pair", args=[active.pk])).content.decode()
    )
    assert REASON not in str(subject_export_data(DataSubject.of_user(leader)))
    page = client_for(coordinator).get(reverse("support:programme", args=[active.programme.slug]))
    assert page.status_code == 200 and REASON in page.content.decode()


def test_a_pause_through_the_api_tells_the_partner_it_is_paused(
    active: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            f"/api/v1/pairs/{active.pk}/state",
            {"action": "pause", "version": active.version, "note": ""},
            content_type="application/json",
        )
    assert response.status_code == 200
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([mentor.email], f"Your mentoring relationship is paused ({active.programme.name})")
    ]
    assert ExitReason.objects.count() == 0


def test_ending_twice_is_refused_and_changes_nothing(
    active: Pair, leader: Any, mentor: Any
) -> None:
    client = client_for(mentor)
    client.post(
        f"/api/v1/pairs/{active.pk}/state",
        {"action": "end", "version": active.version, "note": REASON},
        content_type="application/json",
    )
    active.refresh_from_db()
    again = client_for(leader).post(
        f"/api/v1/pairs/{active.pk}/state",
        {"action": "end", "version": active.version, "note": "Me too"},
        content_type="application/json",
    )
    assert (again.status_code, again.json()) == (400, {"detail": "This pair has already finished."})
    assert ExitReason.objects.count() == 1
    assert PairEvent.objects.filter(pair=active, action="ended").count() == 1


def test_the_coordinator_offers_a_rematch_that_excludes_the_ended_pair(
    active: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    from upward.matches.models import MatchingRun, PairExclusion, Proposal

    url = reverse("support:rematch", args=[active.programme.slug, active.pk])
    early = client_for(coordinator).post(url, follow=True)
    assert "A rematch is offered once the relationship has ended." in early.content.decode()
    assert not PairExclusion.objects.exists()
    assert client_for(leader).post(url).status_code == 404
    client_for(mentor).post(
        f"/api/v1/pairs/{active.pk}/state",
        {"action": "end", "version": active.version},
        content_type="application/json",
    )
    MatchingRun.objects.filter(programme=active.programme).update(published_at=timezone.now())
    done = client_for(coordinator).post(url, follow=True)
    assert "Rematch run 2 started for the remaining pool" in done.content.decode()
    exclusion = PairExclusion.objects.get()
    assert (exclusion.leader_id, exclusion.mentor_id, exclusion.reason) == (
        active.leader_id,
        active.mentor_id,
        "coordinator",
    )
    assert Proposal.objects.get(pk=active.proposal_id).status == "declined"
    run = MatchingRun.objects.get(number=2)
    assert (run.purpose, run.programme) == ("rematch", active.programme)
