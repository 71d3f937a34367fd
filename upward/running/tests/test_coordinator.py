"""The coordinator's tools on the running board: the no-fault rematch after a low fit, check-in
comments people chose to share (and never those they did not), and each programme's own quiet
weeks; and times shown in each person's own zone on the Meetings page and in reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from upward.matches.models import PairExclusion, Proposal, RunChange
from upward.matches.selectors import proposal_counts
from upward.pairs.models import Pair, PairEvent
from upward.running import selectors, services
from upward.running.errors import RunningRuleBroken
from upward.running.models import CheckIn, Meeting, RunningSettings
from upward.running.nudges import nudges_send
from upward.running.programme_settings import running_settings_save
from upward.running.rematch import rematch_offer

pytestmark = pytest.mark.django_db
SHARED = "We keep running out of time; could you help us plan?"
PRIVATE = "I find the leader dismissive."


def fit(pair: Pair, user: Any, score: int | None = None) -> CheckIn:
    return CheckIn.objects.create(
        pair=pair,
        user=user,
        kind=CheckIn.Kind.FIT,
        due_on=timezone.localdate(),
        score=score,
        answered_at=timezone.now() if score else None,
    )


def board(client: Any, pair: Pair) -> Any:
    return client.get(reverse("running:board", args=[pair.programme.slug]))


# --- the no-fault rematch -----------------------------------------------------------------------


def test_a_rematch_is_refused_without_a_low_fit_and_for_anyone_but_a_coordinator(
    pair: Pair, coordinator: Any, leader: Any
) -> None:
    fit(pair, leader, 4)
    with pytest.raises(RunningRuleBroken, match="after a low fit check"):
        rematch_offer(pair=pair, by=coordinator, version=pair.version)
    fit(pair, pair.mentor.user, 1)
    with pytest.raises(RunningRuleBroken, match="Only the programme's coordinators"):
        rematch_offer(pair=pair, by=leader, version=pair.version)
    with pytest.raises(RunningRuleBroken, match="version of the pair"):
        rematch_offer(pair=pair, by=coordinator, version=None)
    with pytest.raises(RunningRuleBroken, match="Someone else"):
        rematch_offer(pair=pair, by=coordinator, version=pair.version + 5)
    pair.refresh_from_db()
    assert pair.state == Pair.State.ACTIVE
    assert not PairExclusion.objects.exists()
    assert mail.outbox == []


def test_the_rematch_ends_the_pair_tells_both_privately_and_frees_both_for_matching(
    client: Any,
    pair: Pair,
    coordinator: Any,
    leader: Any,
    mentor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    fit(pair, leader, 4)
    fit(pair, mentor, 2)
    client.force_login(coordinator)
    page = board(client, pair).content.decode()
    assert "Offer a no-fault rematch" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("running:rematch", args=[pair.programme.slug, pair.pk]),
            {"version": pair.version},
            follow=True,
        )
    assert "has ended without fault" in answer.content.decode()
    pair.refresh_from_db()
    assert pair.state == Pair.State.ENDED
    # Through the pairs' own lifecycle, logged against the coordinator, with no one's answer.
    event = PairEvent.objects.filter(pair=pair).last()
    assert event is not None
    assert (event.action, event.actor, event.note) == (
        "ended",
        coordinator,
        "Ended for a no-fault rematch",
    )
    # The way a declined match is: the proposal closed, the two set apart, both waiting.
    proposal = Proposal.objects.get(pk=pair.proposal_id)
    assert proposal.status == Proposal.Status.DECLINED
    assert (proposal.leader_accepted_at, proposal.mentor_accepted_at) == (None, None)
    assert PairExclusion.objects.filter(
        leader=pair.leader, mentor=pair.mentor, reason=PairExclusion.Reason.DECLINED
    ).exists()
    assert proposal_counts(pair.programme).awaiting_rematch == 2
    change = RunChange.objects.filter(action=RunChange.Action.DECLINED).last()
    assert change is not None and change.actor == coordinator
    # Each person gets their own email, which says nothing of who reported the low fit.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, mentor.email])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "nobody's fault" in message.body
        assert "fit check" not in message.body and "2" not in message.body.split("\n\n")[1]
    # Done once: a second offer is refused and changes nothing.
    again = client.post(
        reverse("running:rematch", args=[pair.programme.slug, pair.pk]),
        {"version": pair.version},
        follow=True,
    )
    assert "already finished" in again.content.decode()
    assert len(mail.outbox) == 2
    assert "Offer a no-fault rematch" not in board(client, pair).content.decode()


def test_the_rematch_through_the_api(
    client: Any, pair: Pair, coordinator: Any, mentor: Any
) -> None:
    client.force_login(coordinator)
    url = f"/api/v1/programmes/{pair.programme.slug}/running/pairs/{pair.pk}/rematch"
    refused = client.post(url, {"version": pair.version}, content_type="application/json")
    assert refused.status_code == 400
    assert "after a low fit check" in refused.json()["detail"]
    fit(pair, mentor, 1)
    stale = client.post(url, {"version": pair.version + 3}, content_type="application/json")
    assert stale.status_code == 409
    done = client.post(url, {"version": pair.version}, content_type="application/json")
    assert done.status_code == 200 and done.json() == {"pair_id": pair.pk, "state": "ended"}
    client.force_login(mentor)
    assert client.post(url, {"version": 2}, content_type="application/json").status_code == 404


# --- check-in comments shared by choice ---------------------------------------------------------


def test_only_shared_comments_reach_the_coordinator(
    client: Any, pair: Pair, coordinator: Any, leader: Any, mentor: Any
) -> None:
    mine = fit(pair, leader)
    theirs = fit(pair, mentor)
    client.force_login(leader)
    page = client.get(reverse("running:checkin", args=[mine.pk])).content.decode()
    assert 'name="share"' in page and "checked" not in page.split('name="share"')[1][:40]
    # Sharing needs something to share: refused, nothing saved.
    refused = client.post(
        reverse("running:checkin", args=[mine.pk]), {"score": "3", "share": "yes"}
    )
    assert refused.status_code == 400
    assert "There is no comment to share" in refused.content.decode()
    mine.refresh_from_db()
    assert mine.answered_at is None
    client.post(
        reverse("running:checkin", args=[mine.pk]),
        {"score": "3", "comment": SHARED, "share": "yes"},
    )
    mine.refresh_from_db()
    assert (mine.score, mine.shared) == (3, True)
    # The mentor answers through the API without sharing (the default).
    client.force_login(mentor)
    answer = client.post(
        f"/api/v1/checkins/{theirs.pk}/answer",
        {"score": 2, "comment": PRIVATE},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["shared"] is False

    client.force_login(coordinator)
    page = board(client, pair).content.decode()
    assert SHARED in page
    assert PRIVATE not in page
    assert selectors.shared_answers([pair.pk])[pair.pk][0].name == leader.person.name


def test_sharing_through_the_api_and_bad_input(client: Any, pair: Pair, mentor: Any) -> None:
    item = fit(pair, mentor)
    client.force_login(mentor)
    url = f"/api/v1/checkins/{item.pk}/answer"
    bad = client.post(url, {"score": 4, "share": "perhaps"}, content_type="application/json")
    assert bad.status_code in (400, 422)
    empty = client.post(url, {"score": 4, "share": True}, content_type="application/json")
    assert empty.status_code == 400
    assert "no comment to share" in empty.json()["detail"]
    item.refresh_from_db()
    assert item.answered_at is None
    ok = client.post(
        url, {"score": 4, "comment": SHARED, "share": True}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["shared"] is True
    with pytest.raises(RunningRuleBroken, match="already answered"):
        services.checkin_answer(checkin=item, by=mentor, score=2, comment="x", share=False)
    item.refresh_from_db()
    assert (item.shared, item.comment) == (True, SHARED)


# --- quiet weeks per programme ------------------------------------------------------------------


def test_quiet_weeks_default_to_the_site_and_are_set_per_programme(
    settings: Any, client: Any, pair: Pair, coordinator: Any, leader: Any
) -> None:
    settings.RUNNING_QUIET_WEEKS = 4
    Pair.objects.filter(pk=pair.pk).update(state_since=timezone.now() - dt.timedelta(weeks=3))
    assert selectors.quiet_weeks(pair.programme) == 4
    assert selectors.quiet_pairs(pair.programme) == []

    client.force_login(coordinator)
    url = reverse("running:settings", args=[pair.programme.slug])
    page = client.get(url).content.decode()
    assert "site's default of 4 weeks" in page and 'name="version" value="0"' in page
    # Bad input: a clear message, nothing saved.
    for bad in ("0", "53", "two", ""):
        answer = client.post(url, {"quiet_weeks": bad, "version": "0"})
        assert answer.status_code == 400
        assert "whole number from 1 to 52" in answer.content.decode()
    assert not RunningSettings.objects.exists()
    client.post(url, {"quiet_weeks": "2", "version": "0"})
    found = RunningSettings.objects.get(programme=pair.programme)
    assert (found.quiet_weeks, found.version) == (2, 1)
    # A stale edit is refused.
    stale = client.post(url, {"quiet_weeks": "6", "version": "0"})
    assert stale.status_code == 409
    found.refresh_from_db()
    assert found.quiet_weeks == 2

    # Health and the quiet list follow the programme's own number.
    assert [p.pk for p in selectors.quiet_pairs(pair.programme)] == [pair.pk]
    row = selectors.board_pairs(pair.programme).get(pk=pair.pk)
    assert selectors.health_of(row, timezone.localdate()).reasons == [
        "No meeting yet, 3 weeks after it became active"
    ]
    assert "quiet after 2 weeks" in board(client, pair).content.decode()

    # And so do the reminders.
    assert nudges_send() == 2
    assert "2 weeks or more" in mail.outbox[0].body


def test_quiet_weeks_through_the_api(
    client: Any, pair: Pair, coordinator: Any, leader: Any
) -> None:
    url = f"/api/v1/programmes/{pair.programme.slug}/running/settings"
    client.force_login(coordinator)
    first = client.get(url).json()
    assert first["own"] is False and first["version"] == 0
    assert first["quiet_weeks"] == first["site_default"]
    assert client.put(url, {"quiet_weeks": 60, "version": 0}, content_type="application/json")
    assert not RunningSettings.objects.exists()
    saved = client.put(url, {"quiet_weeks": 6, "version": 0}, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json() == {
        "quiet_weeks": 6,
        "own": True,
        "site_default": first["site_default"],
        "version": 1,
    }
    stale = client.put(url, {"quiet_weeks": 8, "version": 0}, content_type="application/json")
    assert stale.status_code == 409
    again = client.put(url, {"quiet_weeks": 8, "version": 1}, content_type="application/json")
    assert again.json()["version"] == 2
    with pytest.raises(RunningRuleBroken, match="Only the programme's coordinators"):
        running_settings_save(programme=pair.programme, by=leader, quiet_weeks=3, version=2)
    client.force_login(leader)
    assert client.get(url).status_code == 404


# --- times in each person's own zone ------------------------------------------------------------


def test_the_meetings_page_and_reminders_show_times_in_the_persons_zone(
    client: Any, pair: Pair, leader: Any, mentor: Any
) -> None:
    # 14:00 UTC on 20 March 2030: 14:00 GMT in London, 10:00 EDT in New York (after the
    # American clocks changed on 10 March, before the British ones on 31 March).
    at = dt.datetime(2030, 3, 20, 14, 0, tzinfo=dt.UTC)
    Meeting.objects.create(
        pair=pair, proposed_by=leader, state=Meeting.State.SCHEDULED, starts_at=at
    )
    client.force_login(leader)
    assert "Wed 20 March 2030, 14:00 (GMT)" in client.get(reverse("running:mine")).content.decode()
    client.force_login(mentor)
    page = client.get(reverse("running:mine")).content.decode()
    assert "Wed 20 March 2030, 10:00 (EDT)" in page
    assert "UTC" not in page.split("Your next meeting")[1].split("</section>")[0]

    # A reminder names the last meeting in each person's own zone.
    last = dt.datetime(2030, 3, 25, 15, 30, tzinfo=dt.UTC)  # 15:30 GMT, 11:30 EDT
    Meeting.objects.filter(pair=pair).update(state=Meeting.State.HELD, starts_at=last)
    assert nudges_send(now=last + dt.timedelta(weeks=6)) == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "not met since Mon 25 March 2030, 15:30 (GMT)" in by_person[leader.person.email]
    assert "not met since Mon 25 March 2030, 11:30 (EDT)" in by_person[mentor.person.email]


def test_ones_own_check_in_answers_are_in_ones_export_only(
    pair: Pair, leader: Any, mentor: Any
) -> None:
    from upward.privacy.registry import DataSubject
    from upward.running.privacy import export_running

    mine = fit(pair, leader)
    services.checkin_answer(checkin=mine, by=leader, score=3, comment=SHARED, share=True)
    theirs = fit(pair, mentor)
    services.checkin_answer(checkin=theirs, by=mentor, score=2, comment=PRIVATE)
    exported = export_running(DataSubject(user=leader, person=leader.person))
    assert [
        (c["comment"], c["comment_shared_with_the_coordinator"]) for c in exported["check_ins"]
    ] == [(SHARED, True)]
    assert PRIVATE not in str(exported)
