"""What matching holds about a person goes into their export, is erased with them, and goes
at the end of the programme's retention."""

from __future__ import annotations

from upward.matches import services
from upward.matches.models import MatchingRun, PairLock, Proposal, ProposedPair, RunChange
from upward.matches.privacy import export_matching, purge_matching
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data

from .conftest import Cast, finish


def test_the_export_holds_the_persons_proposals_pairs_and_reasons(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    proposal = Proposal.objects.select_related("leader__person", "mentor__person").first()
    assert proposal is not None
    person = proposal.mentor.person
    data = export_matching(DataSubject.of_person(person))
    [mine] = data["proposals"]
    assert mine["as"] == "mentor" and mine["partner"] == proposal.leader.person.name
    assert mine["introduction"] == proposal.introduction_for_mentor
    assert data["proposed_pairs"][0]["run"] == run.number
    services.proposal_decline(proposal=proposal, user=proposal.leader.user)
    after = export_matching(DataSubject.of_person(person))["proposals"][0]
    assert after["status"] == "Will not go ahead" and after["partner"] is None
    assert "matching" in subject_export_data(DataSubject.of_person(person))["sections"]


def test_erasing_a_person_removes_their_pairs_and_their_name_from_the_record(
    cast: Cast,
) -> None:
    from upward.privacy.services import person_erase

    run = finish(cast.programme, cast.coordinator)
    pair = ProposedPair.objects.select_related("leader__person").first()
    assert pair is not None
    services.pair_lock(run=run, leader_id=pair.leader_id, by=cast.coordinator, version=1)
    person = pair.leader.person
    name = person.name
    person_erase(person=person, by=cast.coordinator, reason="Asked to be forgotten.")
    assert not ProposedPair.objects.filter(leader_id=pair.leader_id).exists()
    assert not PairLock.objects.exists()
    change = RunChange.objects.get(action="locked")
    assert change.leader is None and name not in change.summary
    assert name not in str(MatchingRun.objects.get(pk=run.pk).notes)


def test_retention_removes_everything_matching_held_for_the_programme(cast: Cast) -> None:
    run = finish(cast.programme, cast.coordinator)
    services.run_publish(run=run, by=cast.coordinator, version=1, notify=False)
    counts = purge_matching(cast.programme)
    assert counts["runs_deleted"] == 1 and counts["proposals_deleted"] > 0
    assert not MatchingRun.objects.exists() and not Proposal.objects.exists()
    assert not RunChange.objects.exists()
