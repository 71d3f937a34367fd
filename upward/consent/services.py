"""Writes to the consent ledger. Giving and withdrawing consent go through these functions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from . import purposes
from .errors import ConsentError
from .models import Channel, Consent


def consent_give(
    *,
    user: Any,
    purpose: str,
    channel: str,
    scope: str = "",
    scope_label: str = "",
    wording_version: str | None = None,
    recorded_by: Any = None,
) -> Consent:
    """Record that ``user`` agrees to ``purpose`` within ``scope``, in the current wording.

    Giving the same consent again returns the active record. When the wording has a newer
    version, the old record is closed and a new one stores the new words. A caller that showed
    the person a particular version passes it; if it is no longer current nothing is saved.
    """
    try:
        spec = purposes.get(purpose)
    except purposes.UnknownPurpose:
        raise ConsentError(f"There is no consent purpose called '{purpose}'.") from None
    if channel not in Channel.values:
        raise ConsentError(f"'{channel}' is not a way of giving consent.")
    if wording_version is not None and wording_version != spec.version:
        raise ConsentError(
            "The wording of this consent has changed since it was shown. Read the current "
            "wording and agree again."
        )
    if channel == Channel.PAPER and recorded_by is None:
        raise ConsentError("A paper consent must say who recorded it.")
    with transaction.atomic():
        current = (
            Consent.objects.select_for_update()
            .filter(user=user, purpose=purpose, scope=scope, withdrawn_at__isnull=True)
            .first()
        )
        if current is not None:
            if current.wording_version == spec.version:
                return current
            # The person agreed to new words: the old record closes, the data it covers stays.
            current.withdrawn_at = timezone.now()
            current.withdrawn_channel = channel
            current.save(update_fields=["withdrawn_at", "withdrawn_channel"])
        return Consent.objects.create(
            user=user,
            person=getattr(user, "person", None),
            purpose=purpose,
            scope=scope,
            scope_label=scope_label,
            wording_version=spec.version,
            wording=spec.wording_for(scope_label),
            channel=channel,
            recorded_by=recorded_by,
        )


def consent_withdraw(*, consent: Consent, channel: str) -> Consent:
    """Withdraw a consent and remove the data held under it, in one transaction."""
    if channel not in Channel.values:
        raise ConsentError(f"'{channel}' is not a way of withdrawing consent.")
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise ConsentError(
                f"This consent was already withdrawn on {locked.withdrawn_at:%d %B %Y}."
            )
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_channel = channel
        locked.save(update_fields=["withdrawn_at", "withdrawn_channel"])
        for handler in purposes.withdrawal_handlers(locked.purpose):
            handler(locked)
    consent.withdrawn_at = locked.withdrawn_at
    consent.withdrawn_channel = locked.withdrawn_channel
    return locked


def consent_withdraw_purpose(
    *, user: Any, purpose: str, channel: str, scope: str = ""
) -> Consent | None:
    """Withdraw the active consent for a purpose, if there is one."""
    current = Consent.objects.filter(
        user=user, purpose=purpose, scope=scope, withdrawn_at__isnull=True
    ).first()
    if current is None:
        return None
    return consent_withdraw(consent=current, channel=channel)
