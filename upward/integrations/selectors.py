"""Reads of integrations: the tokens and webhooks a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from upward.accounts import permissions

from .models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def tokens_for(user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens and the service tokens of organisations they administer."""
    query = Q(owner=user, kind=ApiToken.Kind.PERSONAL)
    query |= Q(
        kind=ApiToken.Kind.SERVICE,
        organisation_id__in=permissions.administered_organisation_ids(user),
    )
    if getattr(user, "is_superuser", False):
        query |= Q(kind=ApiToken.Kind.SERVICE)
    return ApiToken.objects.filter(query).select_related("organisation", "owner")


def token_for(user: Any, pk: int) -> ApiToken | None:
    return tokens_for(user).filter(pk=pk).first()


def endpoints_of(organisation: Any) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation=organisation)


def deliveries_of(endpoint: WebhookEndpoint, limit: int = 100) -> list[WebhookDelivery]:
    return list(
        endpoint.deliveries.prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )[:limit]
    )
