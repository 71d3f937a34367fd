"""A coordinator's edits to a finished run: locks that survive re-runs, exclusions, partner
changes with their score change, hard rules that cannot be broken, and optimistic locking."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from upward.matches import selectors, services
from upward.matches.change import plan_change
from upward.matches.errors import MatchRuleBroken, VersionConflict
from upward.matches.models import MatchingRun, PairExclusion, PairLock, ProposedPair
from upward.matches.models import UnmatchedPerson as Unmatched

from .conftest import Cast, client_for, finish


def _pairs(run: MatchingRun) -> dict[int, int]:
    return dict(ProposedPair.objects.filter(run=run).values_list("leader_id", "mentor_id"))


def _allowed_other_mentor(run: MatchingRun, leader_id: int, *, free: bool) -> int:
    """An allowed mentor for the leader other than their current one (with a free place or
    full, as asked)."""
    current = _pairs(run).get(leader_id)
    _leader, ranked = selectors.ranked_mentors(run, leader_id=leader_id, limit=50)
    for row in ranked:
        if row.mentor.pk != current and row.full != free:
            return row.mentor.pk
    raise AssertionError("no such mentor in the test programme")


def test_a_lock_survives_re_runs_even_against_the_weights(cast: Cast) -> None:
    first = finish(cast.programme, cast.coordinator)
    leader_id = next(iter(_pairs(first)))
    other = _allowed_other_mentor(first, leader_id, free=True)
    services.pair_change(
        run=first,
        leader_id=leader_id,
        mentor_id=other,
        displace_id=None,
        by=cast.coordinator,
        version=first.version,
    )
    assert PairLock.objects.get(leader_id=leader_id).mentor_id == other
    first.refresh_from_db()
    again = finish(cast.programme, cast.coordinator, based_on=first)
    assert again.purpose == MatchingRun.Purpose.RERUN
    assert _pairs(again)[leader_id] == other
    assert [leader_id, other] in again.locked_pairs
    weights = finish(
        cast.programme,
        cast.coordinator,
        based_on=again,
        weights={"topics": 0, "text": 0, "availability": 5, "seniority_gap": 5},
    )
    assert weights.purpose == MatchingRun.Purpose.WEIGHTS
    assert weights.policy["settings"]["weights"]["availability"] == 5
    assert weights.policy["settings"]["weights_adjusted"] is True
    assert _pairs(weights)[leader_id] == other
    locked = selectors.run_pairs(weights, show="locked")
    assert [(p.leader_id, p.mentor_id) for p in locked] == [(leader_id, other)]


def test_lock_and_unlock_record_who_and_bump_the_version(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    leader_id, mentor_id = next(iter(_pairs(run).items()))
    services.pair_lock(run=run, leader_id=leader_id, by=cast.coordinator, version=1)
    run.refresh_from_db()
    assert run.version == 2
    lock = PairLock.objects.get(programme=cast.programme)
    assert (lock.leader_id, lock.mentor_id, lock.created_by) == (
        leader_id,
        mentor_id,
        cast.coordinator,
    )
    services.pair_unlock(run=run, leader_id=leader_id, by=cast.coordinator, version=2)
    assert not PairLock.objects.exists()
    with pytest.raises(MatchRuleBroken, match="is not locked"):
        services.pair_unlock(run=run, leader_id=leader_id, by=cast.coordinator, version=3)
    changes = list(selectors.changes_of(cast.programme, run).values_list("action", flat=True))
    assert changes[:2] == ["unlocked", "locked"]


def test_an_excluded_pair_leaves_the_run_and_is_never_proposed_again(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    leader_id, mentor_id = next(iter(_pairs(run).items()))
    services.pair_exclude(run=run, leader_id=leader_id, by=cast.coordinator, version=1)
    assert leader_id not in _pairs(run)
    reason = Unmatched.objects.get(run=run, application_id=leader_id).reason
    assert reason == "their pair was set aside by a coordinator; re-run to find a new partner"
    exclusion = PairExclusion.objects.get()
    assert (exclusion.leader_id, exclusion.mentor_id, exclusion.reason) == (
        leader_id,
        mentor_id,
        "coordinator",
    )
    run.refresh_from_db()
    again = finish(cast.programme, cast.coordinator, based_on=run)
    assert _pairs(again).get(leader_id) != mentor_id
    assert [leader_id, mentor_id] in again.excluded_pairs
    services.exclusion_remove(
        programme=cast.programme, exclusion_id=exclusion.pk, by=cast.coordinator
    )
    assert not PairExclusion.objects.exists()
    with pytest.raises(MatchRuleBroken, match="already been removed"):
        services.exclusion_remove(
            programme=cast.programme, exclusion_id=exclusion.pk, by=cast.coordinator
        )


def test_moving_a_leader_shows_the_score_change_and_saves_it_locked(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    before = ProposedPair.objects.filter(run=run).first()
    assert before is not None
    target = _allowed_other_mentor(run, before.leader_id, free=True)
    plan = plan_change(run, leader_id=before.leader_id, mentor_id=target)
    assert plan.kind == "move" and plan.allowed and plan.breaches == []
    [row] = plan.rows
    assert row.score_before == before.score
    assert plan.delta == pytest.approx(row.score_after - before.score)
    services.pair_change(
        run=run,
        leader_id=before.leader_id,
        mentor_id=target,
        displace_id=None,
        by=cast.coordinator,
        version=run.version,
    )
    after = ProposedPair.objects.get(run=run, leader_id=before.leader_id)
    assert after.mentor_id == target and after.source == "manual"
    assert after.score == pytest.approx(row.score_after, abs=1e-4)
    assert after.explanation == row.criteria
    assert PairLock.objects.filter(leader_id=before.leader_id, mentor_id=target).exists()
    if not ProposedPair.objects.filter(run=run, mentor_id=before.mentor_id).exists():
        assert Unmatched.objects.get(run=run, application_id=before.mentor_id).code == "moved"


def test_swapping_two_leaders_mentors(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    pairs = _pairs(run)
    for leader_id in pairs:
        _leader, ranked = selectors.ranked_mentors(run, leader_id=leader_id, limit=50)
        for row in ranked:
            if not row.full or row.mentor.pk == pairs[leader_id]:
                continue
            other = next(lead for lead, m in pairs.items() if m == row.mentor.pk)
            plan = plan_change(run, leader_id=leader_id, mentor_id=row.mentor.pk, displace_id=other)
            if plan.allowed:
                break
        else:
            continue
        break
    else:
        pytest.skip("no allowed swap in the test programme")
    assert plan.kind == "swap" and len(plan.rows) == 2
    services.pair_change(
        run=run,
        leader_id=leader_id,
        mentor_id=row.mentor.pk,
        displace_id=other,
        by=cast.coordinator,
        version=run.version,
    )
    after = _pairs(run)
    assert after[leader_id] == pairs[other] and after[other] == pairs[leader_id]
    assert len(after) == len(pairs)


def test_a_full_mentor_needs_a_choice_of_whose_place(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    leader_id = next(iter(_pairs(run)))
    full = _allowed_other_mentor(run, leader_id, free=False)
    plan = plan_change(run, leader_id=leader_id, mentor_id=full)
    assert not plan.allowed and plan.options
    assert "has no free place: choose whose place" in plan.problems[0]
    with pytest.raises(MatchRuleBroken, match="has no free place"):
        services.pair_change(
            run=run,
            leader_id=leader_id,
            mentor_id=full,
            displace_id=None,
            by=cast.coordinator,
            version=run.version,
        )


def test_hard_rules_cannot_be_broken_by_a_change(cast: Cast) -> None:
    """The leader persona manages the mentor persona's line: a manual pairing is refused."""
    run = finish(cast.programme, cast.coordinator)
    pairs_before = _pairs(run)
    assert pairs_before.get(cast.leader.pk) != cast.mentor.pk
    plan = plan_change(run, leader_id=cast.leader.pk, mentor_id=cast.mentor.pk)
    line = [b for b in plan.breaches if "report" in b or "reporting line" in b]
    assert line and not plan.allowed
    with pytest.raises(MatchRuleBroken, match="breaks a rule that is never broken"):
        services.pair_change(
            run=run,
            leader_id=cast.leader.pk,
            mentor_id=cast.mentor.pk,
            displace_id=plan.options[0].leader_id if plan.options else None,
            by=cast.coordinator,
            version=run.version,
        )
    run.refresh_from_db()
    assert run.version == 1 and _pairs(run) == pairs_before
    assert not PairLock.objects.exists()


def test_concurrent_edits_give_a_conflict_not_a_lost_update(
    cast: Cast, coordinator_b: object
) -> None:
    run = finish(cast.programme, cast.coordinator)
    first, second = list(_pairs(run).items())[:2]
    seen = run.version  # both coordinators loaded the page at this version
    services.pair_lock(run=run, leader_id=first[0], by=cast.coordinator, version=seen)
    with pytest.raises(VersionConflict) as conflict:
        services.pair_exclude(run=run, leader_id=second[0], by=cast.coordinator, version=seen)
    assert conflict.value.current == seen + 1
    assert "Someone else changed this matching run" in str(conflict.value)
    # The first edit stands and the second changed nothing.
    assert PairLock.objects.filter(leader_id=first[0]).exists()
    assert not PairExclusion.objects.exists()
    assert _pairs(run)[second[0]] == second[1]

    # The same through a page (409 with a clear page) and through the API (409 JSON).
    client = client_for(cast.coordinator)
    slug = cast.programme.slug
    page = client.post(
        reverse("matches:exclude", args=[slug, run.number]),
        {"leader": second[0], "version": seen},
    )
    assert page.status_code == 409
    html = page.content.decode()
    assert "Your change was not saved" in html and "now at version 2" in html
    api = client.post(
        f"/api/v1/programmes/{slug}/matching/runs/{run.number}/exclusions",
        data=json.dumps({"version": seen, "leader_application_id": second[0]}),
        content_type="application/json",
    )
    assert api.status_code == 409
    assert "Someone else changed this matching run" in api.json()["detail"]
    assert not PairExclusion.objects.exists()


def test_page_edits_keep_the_coordinators_filters(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    leader_id = next(iter(_pairs(run)))
    client = client_for(cast.coordinator)
    base = reverse("matches:run", args=[cast.programme.slug, run.number])
    response = client.post(
        reverse("matches:lock", args=[cast.programme.slug, run.number]),
        {"leader": leader_id, "version": 1, "next": base + "?order=score&page=1"},
    )
    assert response.status_code == 302 and response["Location"] == base + "?order=score&page=1"
    evil = client.post(
        reverse("matches:unlock", args=[cast.programme.slug, run.number]),
        {"leader": leader_id, "version": 2, "next": "https://elsewhere.example/"},
    )
    assert evil["Location"] == base
    missing = client.post(
        reverse("matches:lock", args=[cast.programme.slug, run.number]), {"leader": leader_id}
    )
    assert missing.status_code == 302
    follow = client.get(missing["Location"]).content.decode()
    assert "Reload the page: the version of the run you saw is missing." in follow


def test_a_published_run_cannot_be_edited(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    run.refresh_from_db()
    leader_id = next(iter(_pairs(run)))
    with pytest.raises(MatchRuleBroken, match="has been published"):
        services.pair_lock(run=run, leader_id=leader_id, by=cast.coordinator, version=run.version)
    page = client_for(cast.coordinator).get(
        reverse("matches:run", args=[cast.programme.slug, run.number])
    )
    html = page.content.decode()
    assert "its pairs were sent as proposals" in html and "Set aside" not in html
