"""What integrations hold about a person (their tokens), for export and erasure, and what goes
with a programme's retention (its webhook deliveries)."""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject

from .models import ApiToken, WebhookDelivery, WebhookEndpoint


def export_integrations(subject: DataSubject) -> dict[str, Any]:
    if subject.user is None:
        return {"tokens": [], "webhooks_registered": 0}
    return {
        "tokens": [
            {
                "name": t.name,
                "kind": t.get_kind_display(),
                "scopes": t.scopes,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in ApiToken.objects.filter(owner=subject.user)
        ],
        "webhooks_registered": WebhookEndpoint.objects.filter(created_by=subject.user).count(),
    }


def erase_integrations(subject: DataSubject) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    if subject.user is None:
        return {"tokens_deleted": 0}
    return {"tokens_deleted": delete_with_history(ApiToken.objects.filter(owner=subject.user))}


def purge_integrations(programme: Any) -> dict[str, int]:
    deleted, _ = WebhookDelivery.objects.filter(programme=programme).delete()
    return {"webhook_deliveries_deleted": deleted}
