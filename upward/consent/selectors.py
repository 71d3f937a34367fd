"""Reads of the consent ledger."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .models import Consent


def has_consent(*, user: Any, purpose: str, scope: str = "") -> bool:
    """True when the person has an active (not withdrawn) consent for the purpose and scope."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return Consent.objects.filter(
        user=user, purpose=purpose, scope=scope, withdrawn_at__isnull=True
    ).exists()


def active_consent_ids(*, consent_ids: Iterable[int]) -> set[int]:
    """Which of these consents are still active (one query, for building bulk inputs)."""
    ids = list(consent_ids)
    if not ids:
        return set()
    return set(
        Consent.objects.filter(pk__in=ids, withdrawn_at__isnull=True).values_list("pk", flat=True)
    )


def consents_of(user: Any) -> QuerySet[Consent]:
    """Every consent the person has given, newest first, active and withdrawn."""
    return Consent.objects.filter(user=user).order_by("-given_at", "-id")


def consent_of(user: Any, pk: int) -> Consent | None:
    """One of the person's own consents (never someone else's)."""
    return Consent.objects.filter(user=user, pk=pk).first()
