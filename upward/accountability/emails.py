"""Emails of accountability, in plain words. The ask to a mentor goes to the mentor only; the
leader hears of an agreement, and of nothing else: a decline sends no email at all."""

from __future__ import annotations

from django.core.mail import send_mail

from .models import ANSWER_DAYS, Commitment, Nomination


def _name(application: object) -> str:
    person = getattr(application, "person", None)
    return getattr(person, "name", "") or "your pair"


def commitment_adopted(commitment: Commitment) -> None:
    if not commitment.owner.email:
        return
    send_mail(
        f"A commitment for you in {commitment.programme.name}",
        "An idea from the programme's idea session was adopted as your commitment.\n\n"
        f"What will change: {commitment.change}\n"
        f"Measure: {commitment.measure} (from {commitment.baseline} to {commitment.target})\n"
        f"Due: {commitment.due_on:%d %B %Y}\n\n"
        "Sign in to Upward and open Commitments to post updates.",
        None,
        [commitment.owner.email],
    )


def nomination_asked(nomination: Nomination) -> None:
    mentor = nomination.pair.mentor.user
    if not mentor.email:
        return
    send_mail(
        "Would you like to be put forward for an opportunity?",
        f"{_name(nomination.pair.leader)} would like to put you forward for "
        f"{nomination.get_kind_display().lower()}: {nomination.title}.\n\n"
        f"{nomination.description}\n\n"
        f"It is your choice. Sign in to Upward and open Sponsorship to answer within "
        f"{ANSWER_DAYS} days. If you decline, you give no reason, and they are told only "
        "that it was not taken forward.",
        None,
        [mentor.email],
    )


def nomination_agreed(nomination: Nomination) -> None:
    leader = nomination.pair.leader.user
    if not leader.email:
        return
    send_mail(
        "Your mentor agreed to be put forward",
        f"{_name(nomination.pair.mentor)} agreed to be put forward for {nomination.title}.\n\n"
        "When you know what came of it, record the outcome in Upward under Sponsorship.",
        None,
        [leader.email],
    )
