"""Invitation waves, the personal link in each email, reminders, and replies."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import User
from upward.directory.models import Person
from upward.notifications.services import QUEUED, SENT, notify

from ..errors import RuleBroken
from ..models import Invitation, InvitationWave, Programme, ProgrammeLog, Side
from ._log import log

_SALT = "upward.programmes.invitation"
REMINDER_GAP = dt.timedelta(days=3)
MAX_REMINDERS = 2
MAX_WAVE_SIZE = 5000


def invitation_token(invitation: Invitation) -> str:
    """The personal part of the invitation link: signed, so it cannot be guessed or altered."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pk = data.get("i")
    if not isinstance(pk, int):
        return None
    invitation = (
        Invitation.objects.filter(pk=pk)
        .select_related("programme", "person__organisation", "person__user")
        .first()
    )
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(data.get("n", ""))):
        return None
    return invitation


def invitation_url(invitation: Invitation, base_url: str) -> str:
    path = reverse("programmes:invitation", args=[invitation_token(invitation)])
    return base_url.rstrip("/") + path


def _send(invitation: Invitation, *, base_url: str, reminder: bool) -> str:
    programme = invitation.programme
    context = {
        "invitation": invitation,
        "programme": programme,
        "person": invitation.person,
        "wave": invitation.wave,
        "link": invitation_url(invitation, base_url),
        "reminder": reminder,
        "leader": invitation.side == Side.LEADER,
        "deadline": programme.applications_deadline,
    }
    subject = (
        f"Reminder: your invitation to {programme.name}"
        if reminder
        else f"You're invited to take part in {programme.name}"
    )
    return notify(
        to=invitation.email,
        user_id=invitation.person.user_id,
        event="invitation",
        subject=subject,
        context=context,
        base_url=base_url,
        programme=programme,
    )


def invitation_emails_send(
    *, invitation_ids: Sequence[int], base_url: str, reminder: bool = False
) -> int:
    """Send the emails for these invitations (run in the background). Returns how many went."""
    sent = 0
    invitations = Invitation.objects.filter(pk__in=list(invitation_ids)).select_related(
        "programme", "person", "wave"
    )
    for invitation in invitations:
        if invitation.status in (Invitation.Status.APPLIED, Invitation.Status.DECLINED):
            continue
        if _send(invitation, base_url=base_url, reminder=reminder) not in (SENT, QUEUED):
            continue  # no address, or they chose no invitations by email: not marked sent
        now = timezone.now()
        if reminder:
            Invitation.objects.filter(pk=invitation.pk).update(last_reminded_at=now)
        else:
            # Only a pending invitation becomes 'sent'; an opened one keeps its status.
            Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
                status=Invitation.Status.SENT, sent_at=now
            )
        sent += 1
    return sent


def _enqueue_emails(ids: list[int], base_url: str, *, reminder: bool) -> None:
    from ..tasks import send_invitation_emails

    transaction.on_commit(
        lambda: send_invitation_emails.enqueue(
            invitation_ids=ids, base_url=base_url, reminder=reminder
        )
    )


def invitation_wave_send(
    *,
    programme: Programme,
    by: Any,
    side: str,
    people: Sequence[Person],
    criteria: dict[str, Any],
    base_url: str,
    message: str = "",
) -> InvitationWave:
    """Invite these people as one wave and send their emails in the background."""
    if side not in Side.values:
        raise RuleBroken("Choose whether this wave invites leaders or mentors.")
    if not programme.applications_open:
        raise RuleBroken(
            "Invitations can be sent once applications are open, so people can act on them."
        )
    if not people:
        raise RuleBroken("Nobody matches: everyone picked was already invited, or has no email.")
    if len(people) > MAX_WAVE_SIZE:
        raise RuleBroken(f"A wave can invite at most {MAX_WAVE_SIZE:,} people.")
    participating = set(programme.organisations.values_list("pk", flat=True))
    if any(p.organisation_id not in participating for p in people):
        raise RuleBroken("Everyone invited must belong to one of the programme's organisations.")
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        already = set(
            Invitation.objects.filter(programme=programme, person__in=people).values_list(
                "person_id", flat=True
            )
        )
        fresh = [p for p in people if p.pk not in already]
        if not fresh:
            raise RuleBroken("Everyone picked has already been invited.")
        number = (programme.waves.aggregate(n=Max("number"))["n"] or 0) + 1
        wave = InvitationWave.objects.create(
            programme=programme,
            number=number,
            side=side,
            criteria=criteria,
            message=message.strip(),
            created_by=by,
        )
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(
                    programme=programme,
                    wave=wave,
                    person=person,
                    side=side,
                    email=person.email,
                    nonce=secrets.token_hex(16),
                )
                for person in fresh
            ]
        )
        log(
            programme,
            by,
            ProgrammeLog.Action.WAVE_SENT,
            f"Wave {number}: invited {len(invitations)} "
            f"{'leaders' if side == Side.LEADER else 'mentors'}",
        )
        ids = list(wave.invitations.values_list("pk", flat=True))
        _enqueue_emails(ids, base_url, reminder=False)
    return wave


def invitation_reminders_send(
    *, programme: Programme, by: Any, base_url: str, now: dt.datetime | None = None
) -> int:
    """Remind people who have not replied, at most twice and not more than every three days."""
    if not programme.applications_open:
        raise RuleBroken("Applications are closed, so there is nothing to remind people about.")
    now = now or timezone.now()
    due = Invitation.objects.filter(
        programme=programme,
        status__in=(Invitation.Status.SENT, Invitation.Status.OPENED),
        reminders_sent__lt=MAX_REMINDERS,
        sent_at__lte=now - REMINDER_GAP,
    ).filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_GAP))
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        for invitation in Invitation.objects.filter(pk__in=ids):
            invitation.reminders_sent += 1
            invitation.save(update_fields=["reminders_sent"])
        log(programme, by, ProgrammeLog.Action.REMINDERS_SENT, f"Reminded {len(ids)} people")
        _enqueue_emails(ids, base_url, reminder=True)
    return len(ids)


def invitation_mark_opened(*, invitation: Invitation) -> None:
    if invitation.status in (Invitation.Status.PENDING, Invitation.Status.SENT):
        invitation.status = Invitation.Status.OPENED
        invitation.opened_at = invitation.opened_at or timezone.now()
        invitation.save(update_fields=["status", "opened_at"])


def invitation_decline(*, invitation: Invitation) -> Invitation:
    """The person says no. Nobody asks why, and they can still change their mind."""
    if invitation.status == Invitation.Status.APPLIED:
        raise RuleBroken(
            "You have already applied. To step back, withdraw your application instead."
        )
    if invitation.status == Invitation.Status.DECLINED:
        return invitation
    invitation.status = Invitation.Status.DECLINED
    invitation.declined_at = timezone.now()
    invitation.opened_at = invitation.opened_at or invitation.declined_at
    invitation.save(update_fields=["status", "declined_at", "opened_at"])
    return invitation


def invitation_account_create(*, invitation: Invitation, password: str) -> User:
    """Give the invited person an account from their directory record, with their password.

    The link proves they receive email at the address the organisation holds. An account made
    for them earlier without a password (for example by an import) gets the password instead.
    """
    person = invitation.person
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        user = person.user
        if user is not None and user.has_usable_password():
            raise RuleBroken("You already have an account: sign in to continue.")
        if user is None:
            if User.objects.filter(email__iexact=person.email).exists():
                raise RuleBroken(
                    "An account with your email address already exists: sign in to continue."
                )
            user = User(email=person.email.lower(), display_name=person.name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise RuleBroken(" ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
    return user


def invitation_link_account(*, invitation: Invitation, user: Any) -> None:
    """Tie a signed-in account with the invited person's email to their directory record."""
    person = invitation.person
    if person.user_id == user.pk:
        return
    if person.user_id is not None or user.email.lower() != person.email.lower():
        raise RuleBroken("This invitation is for someone else.")
    if Person.objects.filter(user=user).exists():
        raise RuleBroken("Your account is already linked to another directory record.")
    person.user = user
    person.save(update_fields=["user"])
