"""The consent ledger in a person's subject access export (every consent, withdrawn ones too),
and its erasure with the person."""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject
from upward.privacy.services import delete_with_history

from .models import Consent


def export_consent(subject: DataSubject) -> list[dict[str, Any]]:
    """The consent ledger: every consent, withdrawn ones too."""
    if subject.user is None:
        return []
    return [
        {
            "purpose": getattr(c, "purpose_label", c.purpose),
            "scope": c.scope_label or c.scope or "all of Upward",
            "wording_version": c.wording_version,
            "wording": c.wording,
            "given_at": c.given_at,
            "given_through": c.get_channel_display(),
            "recorded_by": (
                None
                if c.recorded_by_id is None
                else "you"
                if c.recorded_by_id == subject.user.pk
                else f"staff user #{c.recorded_by_id}"
            ),
            "withdrawn_at": c.withdrawn_at,
            "withdrawn_through": c.get_withdrawn_channel_display() if c.withdrawn_at else None,
        }
        for c in Consent._base_manager.filter(user=subject.user).order_by("given_at", "pk")
    ]


def erase_consent(subject: DataSubject) -> dict[str, int]:
    """Every consent the person gave or withdrew goes (before their account does)."""
    if subject.user is None:
        return {"consents_deleted": 0}
    return {
        "consents_deleted": delete_with_history(Consent._base_manager.filter(user=subject.user))
    }
