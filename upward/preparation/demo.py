"""Demo data for preparation: in the demo's matched programme, pairs stand at each step
(waiting for training, waiting for a signature, active) and the demo leader's agreement is
ready to sign."""

from __future__ import annotations

import logging

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


def stage_pairs(programme: Programme, *, coordinator: object, demo_leader: object) -> list[Pair]:
    """Confirm up to four published proposals (the demo leader's among them) and put their pairs
    at each step of preparation. Idempotent."""
    if not Track.objects.filter(programme=programme).exists():
        default_tracks_add(programme=programme, by=coordinator)
    proposals = list(
        Proposal.objects.filter(programme=programme, status__in=["pending", "confirmed"])
        .select_related("programme", "leader", "mentor")
        .order_by(~Q(leader__user=demo_leader), "pk")[:4]
    )
    now = timezone.now()
    pairs = []
    for proposal in proposals:
        if proposal.status != Proposal.Status.CONFIRMED:
            proposal.status = Proposal.Status.CONFIRMED
            proposal.leader_accepted_at = proposal.leader_accepted_at or now
            proposal.mentor_accepted_at = proposal.mentor_accepted_at or now
            proposal.closed_at = now
            proposal.save(
                update_fields=["status", "leader_accepted_at", "mentor_accepted_at", "closed_at"]
            )
        pairs.append(pair_create_from_proposal(proposal=proposal))
    if not pairs:
        logger.warning("Demo preparation: the programme has no published proposals.")
        return []
    mine, others = (pairs[0], pairs[1:]) if pairs[0].leader.user_id == getattr(
        demo_leader, "pk", None
    ) else (None, pairs)
    if mine is not None:
        _finish_training(mine, "mentor")
        _gains(mine)  # ready to sign: the demo leader reads, trains and signs
    steps = ["training", "signature", "active"]
    for pair, step in zip(others, steps, strict=False):
        if pair.state != Pair.State.PREPARING:
            continue
        if step == "training":
            _finish_training(pair, "mentor")
            _sign(pair, "mentor")
            continue
        _finish_training(pair, "leader")
        _finish_training(pair, "mentor")
        _sign(pair, "mentor")
        if step == "active":
            _sign(pair, "leader")
    return pairs


@register_seeder
def seed_preparation(context: DemoContext) -> None:
    stage_pairs(
        context.programme,
        coordinator=context.users["coordinator"],
        demo_leader=context.users["leader"],
    )
