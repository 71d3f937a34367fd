"""The coordinator follows up published proposals: who answered, who is waiting and since
when, and a reminder for whoever has not answered, at most once a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from upward.matches import services
from upward.matches.errors import MatchRuleBroken
from upward.matches.models import Proposal, RunChange
from upward.matches.services.reminders import REMINDER_PERIOD

from .conftest import Cast, client_for, finish


def _published(cast: Cast) -> list[Proposal]:
    run = finish(cast.programme, cast.coordinator)
    return services.run_publish(run=run, by=cast.coordinator, version=run.version, notify=False)


def test_the_list_says_who_answered_and_who_is_waiting(cast: Cast) -> None:
    proposals = _published(cast)
    first, second = proposals[0], proposals[1]
    services.proposal_accept(proposal=first, user=first.leader.user)
    for user in (second.leader.user, second.mentor.user):
        services.proposal_accept(proposal=second, user=user)
    url = reverse("matches:proposals", args=[cast.programme.slug])
    client = client_for(cast.coordinator)
    html = client.get(url).content.decode()
    assert f"Waiting for replies ({len(proposals) - 1})" in html and "Confirmed (1)" in html
    first.refresh_from_db()
    row = f'<td data-label="Waiting for">{first.mentor.person.name}</td>'
    assert row in html
    assert html.count('<span class="badge badge--ok">Accepted</span>') == 1
    assert html.count(">Send a reminder<") == len(proposals) - 1
    confirmed = client.get(url, {"state": "confirmed"}).content.decode()
    assert second.leader.person.name in confirmed and "Confirmed on" in confirmed
    assert client.get(url, {"state": "everything"}).status_code == 302
    assert client.get(url, {"page": "0"}).status_code == 302


def test_a_reminder_goes_to_whoever_has_not_answered_once_a_period(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    [first, *_] = _published(cast)
    services.proposal_accept(proposal=first, user=first.leader.user)
    mail.outbox.clear()
    url = reverse("matches:remind", args=[cast.programme.slug, first.pk])
    with committed():
        done = client_for(cast.coordinator).post(url, follow=True)
    assert "Reminder sent to whoever has not answered yet." in done.content.decode()
    assert [m.to for m in mail.outbox] == [[first.mentor.user.email]]
    assert mail.outbox[0].subject.startswith("Reminder: your proposed mentoring match")
    assert "still waiting for your answer" in mail.outbox[0].body
    assert RunChange.objects.filter(action="reminded", leader_id=first.leader_id).count() == 1

    again = client_for(cast.coordinator).post(url, follow=True).content.decode()
    assert "The next one can go from" in again
    assert len(mail.outbox) == 1
    Proposal.objects.filter(pk=first.pk).update(
        reminded_at=timezone.now() - REMINDER_PERIOD - dt.timedelta(minutes=1)
    )
    services.proposal_remind(programme=cast.programme, proposal_id=first.pk, by=cast.coordinator)

    services.proposal_accept(proposal=first, user=first.mentor.user)
    with pytest.raises(MatchRuleBroken, match="no longer waiting"):
        services.proposal_remind(
            programme=cast.programme, proposal_id=first.pk, by=cast.coordinator
        )


def test_the_api_lists_and_reminds(cast: Cast) -> None:
    [first, *_] = _published(cast)
    client = client_for(cast.coordinator)
    base = f"/api/v1/programmes/{cast.programme.slug}/matching/proposals"
    listed = client.get(base, {"state": "pending", "limit": 2}).json()
    assert len(listed) == 2 and listed[0]["leader_answered"] is False
    assert client.get(base, {"limit": 500}).status_code == 422
    reminded = client.post(f"{base}/{first.pk}/remind").json()
    assert reminded["id"] == first.pk and reminded["next_reminder_at"] is not None
    assert client.post(f"{base}/{first.pk}/remind").status_code in (400, 409)
    outsider = client_for(first.leader.user)
    assert outsider.get(base).status_code in (403, 404)


def test_a_participant_can_step_back_from_a_confirmed_match_privately(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    [first, *_] = _published(cast)
    for user in (first.leader.user, first.mentor.user):
        services.proposal_accept(proposal=first, user=user)
    client = client_for(first.mentor.user)
    page = client.get(reverse("matches:decline", args=[first.pk])).content.decode()
    assert "Step back from this match" in page
    mail.outbox.clear()
    with committed():
        client.post(reverse("matches:decline", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == "declined" and first.leader_accepted_at is None
    assert first.mentor_accepted_at is None
    assert len(mail.outbox) == 2 and all("will not go ahead" in m.subject for m in mail.outbox)
