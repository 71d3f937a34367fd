"""Demo data for preparation: in the demo's matched programme, pairs stand at each step
(waiting for training, waiting for a signature, active) and the demo leader's agreement is
ready to sign."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder
from upward.matches.models import Proposal
from upward.pairs.models import Pair
from upward.pairs.services import pair_create_from_proposal
from upward.programmes.models import Programme

from . import gate
from .models import Agreement, Module, ModuleCompletion, Track
from .services import agreement_sign, default_tracks_add

logger = logging.getLogger(__name__)

GAINS = {
    "leader_gains": "To hear honestly what it is like to work here earlier in a career, and "
    "to change one thing in how I lead because of it.",
    "mentor_gains": "To understand how senior decisions are made, to practise speaking up, "
    "and to build a contact I can learn from.",
}


def _finish_training(pair: Pair, side: str) -> None:
    application = pair.leader if side == "leader" else pair.mentor
    audiences = gate.audiences_for(side, pair.reciprocal)
    modules = Module.objects.filter(
        track__programme_id=pair.programme_id, track__audience__in=audiences, track__required=True
    )
    ModuleCompletion.objects.bulk_create(
        [ModuleCompletion(module=m, user_id=application.user_id) for m in modules],
        ignore_conflicts=True,
    )


def _gains(pair: Pair) -> Agreement:
    agreement = Agreement.objects.filter(pair=pair).order_by("-number").first()
    assert agreement is not None
    if not agreement.signed_by_anyone and not agreement.leader_gains:
        Agreement.objects.filter(pk=agreement.pk).update(**GAINS)
        agreement.refresh_from_db()
    return agreement


def _sign(pair: Pair, side: str) -> None:
    agreement = _gains(pair)
    if getattr(agreement, f"{side}_signed_at"):
        return
    application = pair.leader if side == "leader" else pair.mentor
    agreement_sign(
        pair=pair,
        user=application.user,
        number=agreement.number,
        revision=agreement.revision,
        typed_name=application.person.name,
    )


def _confirm(proposal: Proposal) -> Pair:
    if proposal.status != Proposal.Status.CONFIRMED:
        now = timezone.now()
        proposal.status = Proposal.Status.CONFIRMED
        proposal.leader_accepted_at = proposal.leader_accepted_at or now
        proposal.mentor_accepted_at = proposal.mentor_accepted_at or now
        proposal.closed_at = now
        proposal.save(
            update_fields=["status", "leader_accepted_at", "mentor_accepted_at", "closed_at"]
        )
    return pair_create_from_proposal(proposal=proposal)


def stage_pairs(
    programme: Programme, *, coordinator: Any, demo_leader: Any, demo_mentor: Any
) -> list[Pair]:
    """Put the pairs of confirmed matches at each step of preparation: the demo leader's
    agreement ready to sign (their partner has trained), and three others waiting for training,
    waiting for a signature, and active. Matches still waiting for a reply stay as they are.
    Idempotent."""
    if not Track.objects.filter(programme=programme).exists():
        default_tracks_add(programme=programme, by=coordinator)
    live = Proposal.objects.filter(programme=programme, status="confirmed").select_related(
        "programme", "leader", "mentor"
    )
    demo_users = [u.pk for u in (demo_leader, demo_mentor) if u is not None]
    demo = list(live.filter(Q(leader__user_id__in=demo_users) | Q(mentor__user_id__in=demo_users)))
    others = list(
        live.exclude(leader__user_id__in=demo_users)
        .exclude(mentor__user_id__in=demo_users)
        .order_by("pk")[:3]
    )
    if not demo and not others:
        logger.warning("Demo preparation: the programme has no confirmed matches.")
        return []
    demo_pairs = [_confirm(p) for p in demo]
    other_pairs = [_confirm(p) for p in others]
    # Every confirmed match has its pair, also those the demo confirmed without the pages.
    for proposal in live.exclude(pk__in=[p.pk for p in [*demo, *others]]):
        pair_create_from_proposal(proposal=proposal)
    for pair in demo_pairs:
        if pair.leader.user_id == demo_leader.pk and pair.state == Pair.State.PREPARING:
            _finish_training(pair, "mentor")
            _gains(pair)  # ready to sign: the demo leader reads, trains and signs
    for pair, step in zip(other_pairs, ("training", "signature", "active"), strict=False):
        if pair.state != Pair.State.PREPARING:
            continue
        _finish_training(pair, "mentor")
        if step != "training":
            _finish_training(pair, "leader")
        _sign(pair, "mentor")
        if step == "active":
            _sign(pair, "leader")
    return [*demo_pairs, *other_pairs]


@register_seeder
def seed_preparation(context: DemoContext) -> None:
    stage_pairs(
        context.programme,
        coordinator=context.users["coordinator"],
        demo_leader=context.users["leader"],
        demo_mentor=context.users.get("mentor"),
    )
