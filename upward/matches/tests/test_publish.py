"""Publishing proposals, each person's private answer, and the rematch after a decline."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from upward.matches import selectors, services
from upward.matches.errors import MatchRuleBroken
from upward.matches.models import (
    MatchingRun,
    PairExclusion,
    Proposal,
    ProposedPair,
    RunChange,
)
from upward.programmes.models import Application

from .conftest import Cast, client_for, finish


def _published(cast: Cast, committed: Callable[[], Any]) -> tuple[MatchingRun, list[Proposal]]:
    run = finish(cast.programme, cast.coordinator)
    with committed():
        response = client_for(cast.coordinator).post(
            reverse("matches:publish", args=[cast.programme.slug, run.number]),
            {"version": run.version},
        )
    assert response.status_code == 302
    run.refresh_from_db()
    return run, list(Proposal.objects.filter(run=run).select_related("leader", "mentor"))


def test_publishing_sends_each_person_an_introduction(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    run, proposals = _published(cast, committed)
    assert run.published_at is not None and run.published_by == cast.coordinator
    assert run.version == 2
    assert len(proposals) == run.pairs.count() > 0
    assert len(mail.outbox) == 2 * len(proposals)
    proposal = proposals[0]
    to_leader = next(m for m in mail.outbox if m.to == [proposal.leader.user.email])
    mentor = proposal.mentor.person
    assert to_leader.subject == "Your proposed mentoring match in Reverse Mentoring A"
    assert mentor.name in to_leader.body and "Why you were matched:" in to_leader.body
    for line in proposal.introduction_for_leader:
        assert line in to_leader.body
    assert f"/my-match/{proposal.pk}/" in to_leader.body
    assert "never who declined or why" in to_leader.body
    page = client_for(proposal.leader.user).get(reverse("matches:proposal", args=[proposal.pk]))
    html = page.content.decode()
    assert f"Meet {mentor.name}, your mentor" in html and "Accept this match" in html
    assert all(line.replace("'", "&#x27;") in html for line in proposal.introduction_for_leader)
    # Nothing is sent twice: the run is now published and cannot be published again.
    with pytest.raises(MatchRuleBroken, match="has been published"):
        services.run_publish(run=run, by=cast.coordinator, version=run.version)


def test_both_accepting_confirms_the_match(cast: Cast, committed: Callable[[], Any]) -> None:
    _run, [proposal, *_] = _published(cast, committed)
    mail.outbox.clear()
    leader, mentor = client_for(proposal.leader.user), client_for(proposal.mentor.user)
    accept = reverse("matches:accept", args=[proposal.pk])
    with committed():
        leader.post(accept)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING and proposal.leader_accepted_at
    # The mentor is not told that the leader accepted: they still see their own question.
    assert selectors.proposal_for(proposal.mentor.user, proposal.pk).state == "awaiting_you"
    assert selectors.proposal_for(proposal.leader.user, proposal.pk).state == "waiting"
    with committed():
        mentor.post(accept)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CONFIRMED and proposal.closed_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [proposal.leader.user.email, proposal.mentor.user.email]
    )
    assert all("is confirmed" in m.subject for m in mail.outbox)
    again = mentor.post(accept)
    assert "You have both accepted already" in mentor.get(again["Location"]).content.decode()


def _everything_the_partner_can_load(client: Client, proposal: Proposal) -> str:
    pages = [
        reverse("home"),
        reverse("matches:mine"),
        reverse("matches:proposal", args=[proposal.pk]),
        reverse("matches:decline", args=[proposal.pk]),
        "/api/v1/proposals",
        f"/api/v1/proposals/{proposal.pk}",
    ]
    out = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        out.append(response.content.decode())
    return "\n".join(out)


def test_a_decline_is_private_the_partner_never_learns_who_or_why(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    _run, [proposal, *_] = _published(cast, committed)
    leader_user, mentor_user = proposal.leader.user, proposal.mentor.user
    decliner = proposal.mentor.person
    partner = client_for(leader_user)
    partner.post(reverse("matches:accept", args=[proposal.pk]))  # the partner had said yes
    mail.outbox.clear()
    reason = "I find this leader intimidating"
    with committed():
        response = client_for(mentor_user).post(
            reverse("matches:decline", args=[proposal.pk]), {"reason": reason}
        )
    assert response.status_code == 302

    seen = _everything_the_partner_can_load(partner, proposal)
    emails = [m for m in mail.outbox if leader_user.email in m.to]
    assert len(emails) == 1
    seen += "\n" + emails[0].subject + "\n" + emails[0].body
    assert "will not go ahead" in seen
    for secret in (
        decliner.name,
        decliner.email,
        decliner.job_title,
        mentor_user.email,
        reason,
        "declined by",
        "your mentor declined",
    ):
        assert secret and secret.lower() not in seen.lower(), secret
    api = partner.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert api["state"] == "not_going_ahead" and api["partner"] is None
    assert api["introduction"] == [] and api["you_accepted"] is False

    # The decliner sees exactly the same: nothing marks who declined.
    mine = client_for(mentor_user).get(f"/api/v1/proposals/{proposal.pk}").json()
    assert {k: v for k, v in mine.items() if k != "side"} == {
        k: v for k, v in api.items() if k != "side"
    }
    # Nothing recorded against the decliner: no acceptance left, no author of the exclusion.
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert proposal.leader_accepted_at is None and proposal.mentor_accepted_at is None
    exclusion = PairExclusion.objects.get(leader=proposal.leader, mentor=proposal.mentor)
    assert exclusion.reason == "declined" and exclusion.created_by is None
    change = RunChange.objects.get(action="declined")
    assert change.actor is None and change.summary == "A proposed match will not go ahead"
    assert reason not in json.dumps(list(Proposal.objects.values()), default=str)
    # Both get the same neutral notice (above the footer, whose unsubscribe link is each one's).
    notices = [m.body.split("\n--\n")[0] for m in mail.outbox]
    assert len(notices) == 2 and notices[0].replace(proposal.mentor.person.name, "X").replace(
        proposal.leader.person.name, "X"
    ) == notices[1].replace(proposal.mentor.person.name, "X").replace(
        proposal.leader.person.name, "X"
    )


def test_a_decline_through_the_api_is_just_as_private(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    _run, [proposal, *_] = _published(cast, committed)
    with committed():
        response = client_for(proposal.leader.user).post(
            f"/api/v1/proposals/{proposal.pk}/decline",
            data=json.dumps({"reason": "too senior for me"}),
            content_type="application/json",
        )
    assert response.status_code == 200 and response.json()["state"] == "not_going_ahead"
    seen = _everything_the_partner_can_load(client_for(proposal.mentor.user), proposal)
    assert proposal.leader.person.name not in seen and "too senior" not in seen
    again = client_for(proposal.leader.user).post(f"/api/v1/proposals/{proposal.pk}/accept")
    assert again.status_code == 400
    assert "will not go ahead, so it can no longer be accepted" in again.json()["detail"]


def test_a_decline_leads_to_a_rematch_without_the_declined_pair(
    cast: Cast, committed: Callable[[], Any]
) -> None:
    run, proposals = _published(cast, committed)
    confirmed, declined = proposals[0], proposals[1]
    for user in (confirmed.leader.user, confirmed.mentor.user):
        services.proposal_accept(proposal=confirmed, user=user)
    services.proposal_decline(proposal=declined, user=declined.mentor.user)
    counts = selectors.proposal_counts(cast.programme)
    assert (counts.confirmed, counts.declined, counts.pending) == (1, 1, len(proposals) - 2)
    assert counts.awaiting_rematch == 2
    page = client_for(cast.coordinator).get(reverse("matches:matching", args=[cast.programme.slug]))
    assert "2 people are waiting for a new partner" in page.content.decode()

    with committed():
        response = client_for(cast.coordinator).post(
            reverse("matches:rematch", args=[cast.programme.slug])
        )
    rematch = MatchingRun.objects.get(purpose=MatchingRun.Purpose.REMATCH)
    assert response["Location"] == reverse("matches:run", args=[cast.programme.slug, 2])
    assert rematch.status == MatchingRun.Status.DONE and rematch.parent == run
    pairs = dict(ProposedPair.objects.filter(run=rematch).values_list("leader_id", "mentor_id"))
    # Every other proposal is kept, the declined pair is never proposed again.
    for p in proposals:
        if p.pk != declined.pk:
            assert pairs[p.leader_id] == p.mentor_id
    assert pairs.get(declined.leader_id) != declined.mentor_id
    assert [declined.leader_id, declined.mentor_id] in rematch.excluded_pairs
    if declined.leader_id not in pairs:
        assert rematch.unmatched.filter(application_id=declined.leader_id).exists()

    new_pairs = len(pairs) - (len(proposals) - 1)
    if new_pairs:
        sent = services.run_publish(
            run=rematch, by=cast.coordinator, version=rematch.version, notify=False
        )
        assert len(sent) == new_pairs
        assert all(
            (p.leader_id, p.mentor_id) != (declined.leader_id, declined.mentor_id) for p in sent
        )
    confirmed.refresh_from_db()
    assert confirmed.status == Proposal.Status.CONFIRMED


def test_publishing_refuses_a_run_that_no_longer_fits(cast: Cast) -> None:
    older = finish(cast.programme, cast.coordinator)
    newer = finish(cast.programme, cast.coordinator)
    services.run_publish(run=newer, by=cast.coordinator, version=1, notify=False)
    proposal = Proposal.objects.filter(run=newer).first()
    assert proposal is not None
    services.proposal_decline(proposal=proposal, user=proposal.leader.user)
    with pytest.raises(MatchRuleBroken, match="excluded or declined since it ran"):
        services.run_publish(run=older, by=cast.coordinator, version=1, notify=False)
    # A rematch works, and a run made before it was published is then out of date.
    rematch = finish(cast.programme, cast.coordinator, based_on=newer)
    services.run_publish(run=rematch, by=cast.coordinator, version=1, notify=False)
    stale = MatchingRun.objects.get(pk=older.pk)
    ProposedPair.objects.filter(
        run=stale, leader_id=proposal.leader_id, mentor_id=proposal.mentor_id
    ).delete()
    with pytest.raises(MatchRuleBroken, match="made before some of the current proposals"):
        services.run_publish(run=stale, by=cast.coordinator, version=1, notify=False)


def test_publishing_refuses_people_no_longer_accepted(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    pair = run.pairs.select_related("mentor__person").first()
    assert pair is not None
    Application.objects.filter(pk=pair.mentor_id).update(status="withdrawn")
    with pytest.raises(
        MatchRuleBroken, match=f"no longer accepted applicants: {pair.mentor.person.name}"
    ):
        services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    assert not Proposal.objects.exists()


def test_only_the_two_people_may_see_or_answer_a_proposal(
    cast: Cast, committed: Callable[[], Any], outsider: Any, sponsor: Any
) -> None:
    _run, [proposal, other, *_] = _published(cast, committed)
    someone_else = other.leader.user
    for user in (outsider, sponsor, someone_else, cast.coordinator):
        client = client_for(user)
        assert client.get(reverse("matches:proposal", args=[proposal.pk])).status_code == 404
        assert client.post(reverse("matches:accept", args=[proposal.pk])).status_code == 404
        assert client.post(reverse("matches:decline", args=[proposal.pk])).status_code == 404
        assert client.get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
        assert client.post(f"/api/v1/proposals/{proposal.pk}/decline").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert client_for(outsider).get("/api/v1/proposals").json() == []
