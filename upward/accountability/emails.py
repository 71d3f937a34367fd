"""Emails of accountability, in plain words. The ask to a mentor goes to the mentor only; the
leader hears of an agreement, and of nothing else: a decline sends no email at all."""

from __future__ import annotations

from upward.notifications.services import notify

from .models import ANSWER_DAYS, Commitment, Nomination


def _name(application: object) -> str:
    person = getattr(application, "person", None)
    return getattr(person, "name", "") or "your pair"


def commitment_adopted(commitment: Commitment) -> None:
    if not commitment.owner.email:
        return
    notify(
        to=commitment.owner,
        event="commitment_adopted",
        subject=f"A commitment for you in {commitment.programme.name}",
        context={"commitment": commitment},
        programme=commitment.programme,
    )


def nomination_asked(nomination: Nomination) -> None:
    mentor = nomination.pair.mentor.user
    if not mentor.email:
        return
    notify(
        to=mentor,
        event="nomination_asked",
        subject="Would you like to be put forward for an opportunity?",
        context={
            "leader": _name(nomination.pair.leader),
            "kind": nomination.get_kind_display().lower(),
            "nomination": nomination,
            "answer_days": ANSWER_DAYS,
        },
        programme=nomination.pair.programme,
        pair=nomination.pair,
    )


def nomination_agreed(nomination: Nomination) -> None:
    leader = nomination.pair.leader.user
    if not leader.email:
        return
    notify(
        to=leader,
        event="nomination_agreed",
        subject="Your mentor agreed to be put forward",
        context={"mentor": _name(nomination.pair.mentor), "nomination": nomination},
        programme=nomination.pair.programme,
        pair=nomination.pair,
    )
