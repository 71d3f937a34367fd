"""The pair: formed when both accept (the hook in matching), its lifecycle with versions, the
migration from confirmed proposals, who may see it."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from upward.matches.models import Proposal
from upward.pairs import selectors
from upward.pairs.errors import PairRuleBroken, PairVersionConflict
from upward.pairs.models import Pair, PairEvent
from upward.pairs.permissions import can_see
from upward.pairs.services import pair_state_change
from upward.preparation.models import Agreement
from upward.programmes.models import Programme

from .factory import make_pair, proposal

pytestmark = pytest.mark.django_db


def test_pair_forms_when_both_accept_with_a_drafted_agreement(
    programme_a: Any, leader: Any, mentor: Any
) -> None:
    p = proposal(programme_a, leader, mentor)
    from upward.matches import services

    services.proposal_accept(proposal=p, user=leader)
    assert not Pair.objects.exists()
    services.proposal_accept(proposal=p, user=mentor)
    pair = Pair.objects.get()
    assert (pair.programme, pair.proposal_id, pair.state) == (programme_a, p.pk, "preparing")
    assert pair.leader.user == leader and pair.mentor.user == mentor
    assert pair.reciprocal is False
    assert [e.action for e in pair.events.all()] == ["created"]
    agreement = Agreement.objects.get(pair=pair)
    assert agreement.number == 1 and agreement.cadence == programme_a.meeting_cadence
    assert "safety" in agreement.confidentiality


def test_reciprocal_programme_makes_both_mentor_and_mentee(
    programme_a: Any, leader: Any, mentor: Any
) -> None:
    programme_a.kind = Programme.Kind.RECIPROCAL
    programme_a.save(update_fields=["kind"])
    pair = make_pair(programme_a, leader, mentor)
    assert pair.reciprocal is True
    assert pair.role_words("leader") == pair.role_words("mentor") == "mentor and mentee"


def test_lifecycle_with_versions(pair: Pair, leader: Any, mentor: Any, coordinator: Any) -> None:
    with pytest.raises(PairRuleBroken, match="becomes active by itself"):
        pair_state_change(pair=pair, action="activate", by=coordinator, version=pair.version)
    with pytest.raises(PairRuleBroken, match="Only an active pair can be paused"):
        pair_state_change(pair=pair, action="pause", by=leader, version=pair.version)
    Pair.objects.filter(pk=pair.pk).update(state="active")
    pair.refresh_from_db()
    pair_state_change(pair=pair, action="pause", by=mentor, version=pair.version, note="exams")
    assert pair.state == "paused" and pair.version == 2
    with pytest.raises(PairVersionConflict):
        pair_state_change(pair=pair, action="resume", by=leader, version=1)
    with pytest.raises(PairRuleBroken, match="Only a coordinator"):
        pair_state_change(pair=pair, action="complete", by=leader, version=2)
    pair_state_change(pair=pair, action="complete", by=coordinator, version=2)
    pair.refresh_from_db()
    assert pair.state == "completed"
    assert list(pair.events.values_list("action", "note")) == [
        ("created", ""),
        ("paused", ""),  # a person's reason goes to the coordinators only, not the history
        ("completed", ""),
    ]


def test_only_the_two_people_and_coordinators_see_it(
    pair: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    coordinator_b: Any,
    sponsor: Any,
    outsider: Any,
) -> None:
    assert [can_see(u, pair) for u in (leader, mentor, coordinator)] == [True, True, True]
    assert [can_see(u, pair) for u in (coordinator_b, sponsor, outsider)] == [False, False, False]
    assert list(selectors.pairs_of_user(leader)) == [pair]
    assert list(selectors.pairs_of_user(sponsor)) == []


def test_migration_turns_confirmed_proposals_into_pairs(
    programme_a: Any, leader: Any, mentor: Any
) -> None:
    p = proposal(programme_a, leader, mentor)
    Proposal.objects.filter(pk=p.pk).update(status="confirmed", closed_at=timezone.now())
    migration = importlib.import_module(
        "upward.pairs.migrations.0002_pairs_from_confirmed_proposals"
    )
    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)  # running twice changes nothing
    pair = Pair.objects.get()
    assert (pair.proposal_id, pair.state, pair.leader_id) == (p.pk, "preparing", p.leader_id)
    assert PairEvent.objects.filter(pair=pair, action="created").count() == 1
