"""Blind proposals: nobody learns who the other person is before both accept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.urls import reverse

from upward.matches.models import Proposal
from upward.programmes.models import Application, Programme

from .conftest import Cast, client_for
from .test_publish import _everything_the_partner_can_load, _published


def _blind(cast: Cast) -> None:
    Programme.objects.filter(pk=cast.programme.pk).update(blind_proposals=True)
    cast.programme.refresh_from_db()


def _secrets(other: Application) -> list[str]:
    person = other.person
    return [person.name, person.email, person.job_title, other.user.email]


def _seen_by(reader: Application, proposal: Proposal) -> str:
    """Every page and API answer the reader can load about the proposal, and their emails."""
    seen = _everything_the_partner_can_load(client_for(reader.user), proposal)
    for message in mail.outbox:
        if reader.user.email in message.to:
            seen += "\n" + message.subject + "\n" + message.body
    return seen


def test_blind_proposals_show_no_name_email_or_job_title_before_both_accept(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    _blind(cast)
    _run, [proposal, *_] = _published(cast, committed)
    pairs = ((proposal.leader, proposal.mentor), (proposal.mentor, proposal.leader))
    for reader, other in pairs:
        seen = _seen_by(reader, proposal)
        for secret in _secrets(other):
            assert secret and secret.lower() not in seen.lower(), secret
        # What a blind proposal does show: the explanation, the topics and the role level.
        api = client_for(reader.user).get(f"/api/v1/proposals/{proposal.pk}").json()
        partner = api["partner"]
        assert partner["blind"] is True
        assert partner["name"] == partner["job_title"] == partner["organisation"] == ""
        assert partner["level"] == f"grade {other.person.grade_level}"
        assert f"Grade {other.person.grade_level}" in seen
        assert api["introduction"] and all(line in seen for line in api["introduction"])
        assert "blind proposals" in seen

    # One accepts: still nobody is named, to either of them.
    with committed():
        client_for(proposal.leader.user).post(reverse("matches:accept", args=[proposal.pk]))
    for reader, other in pairs:
        seen = _seen_by(reader, proposal)
        assert all(s.lower() not in seen.lower() for s in _secrets(other))

    # Both accept: now each learns who the other is.
    mail.outbox.clear()
    with committed():
        client_for(proposal.mentor.user).post(reverse("matches:accept", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CONFIRMED
    for reader, other in pairs:
        page = client_for(reader.user).get(reverse("matches:proposal", args=[proposal.pk]))
        assert f"Meet {other.person.name}" in page.content.decode()
        email = next(m for m in mail.outbox if reader.user.email in m.to)
        assert other.person.name in email.body


def test_a_declined_blind_proposal_reveals_nothing_at_all(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    _blind(cast)
    _run, [proposal, *_] = _published(cast, committed)
    with committed():
        client_for(proposal.mentor.user).post(reverse("matches:decline", args=[proposal.pk]))
    for reader, other in ((proposal.leader, proposal.mentor), (proposal.mentor, proposal.leader)):
        seen = _seen_by(reader, proposal)
        assert "will not go ahead" in seen
        assert all(s.lower() not in seen.lower() for s in _secrets(other))
        api = client_for(reader.user).get(f"/api/v1/proposals/{proposal.pk}").json()
        assert api["partner"] is None and api["introduction"] == []


def test_coordinator_pages_say_the_programme_uses_blind_proposals(cast: Cast) -> None:
    coordinator = client_for(cast.coordinator)
    review = reverse("programmes:review", args=[cast.programme.slug])
    listing = [reverse("programmes:index"), cast.programme.get_absolute_url()]
    assert "Proposals are blind" not in coordinator.get(review).content.decode()
    assert all("blind proposals" not in coordinator.get(u).content.decode() for u in listing)
    policy_url = reverse("programmes:policy", args=[cast.programme.slug])
    form = coordinator.get(policy_url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "identity_dimensions"}
    data["blind_proposals"] = "on"
    response = coordinator.post(policy_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.programme.refresh_from_db()
    assert cast.programme.blind_proposals is True
    assert "Proposals are blind" in coordinator.get(review).content.decode()
    assert all("blind proposals" in coordinator.get(u).content.decode() for u in listing)
    assert 'name="blind_proposals"' in coordinator.get(policy_url).content.decode()
