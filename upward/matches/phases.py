"""Matching's part in the programme's phase rules: once proposals are out the programme cannot
go back to sourcing, and it cannot prepare pairs before any are confirmed."""

from __future__ import annotations

from upward.programmes.models import Programme
from upward.programmes.phases import ORDER, Refusal

from .models import Proposal

Phase = Programme.Phase


def phase_refusals(programme: Programme, phase: str) -> list[Refusal]:
    refusals: list[Refusal] = []
    proposals = Proposal.objects.filter(programme=programme)
    if ORDER.index(phase) < ORDER.index(Phase.MATCHING) and proposals.exists():
        refusals.append(
            Refusal(
                "Proposed matches have already been sent to participants.",
                "Stay in Matching: declined matches are rematched there, and the pairs already "
                "confirmed keep their partner.",
            )
        )
    if (
        ORDER.index(phase) > ORDER.index(Phase.MATCHING)
        and not proposals.filter(status=Proposal.Status.CONFIRMED).exists()
    ):
        refusals.append(
            Refusal(
                "No pair has been confirmed yet, so there is nobody to prepare.",
                "Publish a matching run and wait for both people of a pair to accept.",
            )
        )
    return refusals
