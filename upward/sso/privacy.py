"""What single sign-on holds about a person: the identities linked to their account (the
identity provider's id for them and the claims it last sent), for export and erasure."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialAccount

from upward.privacy.registry import DataSubject


def export_sso(subject: DataSubject) -> dict[str, Any]:
    if subject.user is None:
        return {"linked_identities": []}
    return {
        "linked_identities": [
            {
                "identity_provider": account.provider,
                "identity_id": account.uid,
                "linked_at": account.date_joined,
                "last_sign_in": account.last_login,
                "claims": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=subject.user).order_by("pk")
        ]
    }


def erase_sso(subject: DataSubject) -> dict[str, int]:
    if subject.user is None:
        return {"linked_identities_deleted": 0}
    deleted, _ = SocialAccount.objects.filter(user=subject.user).delete()
    return {"linked_identities_deleted": deleted}
