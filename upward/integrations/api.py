"""Integrations API: your tokens and an organisation's webhooks. These operations take a
signed-in session: a token cannot create, list or revoke tokens, nor manage webhooks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from upward.accounts import permissions
from upward.accounts.second_factor import passed_second_factor
from upward.core.api_base import ErrorOut
from upward.core.bounds import BoundedDate, Id
from upward.directory.models import Organisation

from . import selectors, tokens, webhooks
from .models import ApiToken, WebhookEndpoint

router = Router(tags=["integrations"])
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut}


class IntegrationsTokenOut(Schema):
    id: int
    name: str
    kind: str
    organisation: str | None
    prefix: str = Field(..., description="The first characters of the secret.")
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    state: str


class IntegrationsTokenCreatedOut(IntegrationsTokenOut):
    secret: str = Field(..., description="The token itself: shown this once, never again.")


class IntegrationsTokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    scopes: list[str] = Field(..., min_length=1, max_length=20)
    expires_on: BoundedDate
    organisation: str | None = Field(
        None, max_length=100, description="An organisation's slug, for a service token."
    )


class IntegrationsWebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    format: str
    created_at: dt.datetime


class IntegrationsWebhookCreatedOut(IntegrationsWebhookOut):
    secret: str = Field(..., description="The signing secret: shown this once, never again.")


class IntegrationsWebhookIn(Schema):
    url: str = Field(..., min_length=1, max_length=500)
    events: list[str] = Field(..., min_length=1, max_length=20)
    format: str = Field("json", max_length=10)


class IntegrationsAttemptOut(Schema):
    number: int
    at: dt.datetime
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int


class IntegrationsDeliveryOut(Schema):
    id: int
    event: str
    state: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    attempts: list[IntegrationsAttemptOut]


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "kind": token.kind,
        "organisation": token.organisation.slug if token.organisation else None,
        "prefix": token.prefix,
        "scopes": token.scopes,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "state": token.status.lower(),
    }


@router.get("/tokens", response=list[IntegrationsTokenOut])
def token_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Your tokens, and the service tokens of the organisations you administer."""
    return [_token_out(t) for t in selectors.tokens_for(request.user)]


@router.post("/tokens", response={201: IntegrationsTokenCreatedOut, **ERRORS})
def token_create(request: HttpRequest, body: IntegrationsTokenIn) -> tuple[int, dict[str, Any]]:
    """Create a token; its secret is in this answer only."""
    organisation = None
    if body.organisation:
        organisation = Organisation.objects.filter(slug=body.organisation).first()
        if organisation is None or not permissions.can_admin_organisation(
            request.user, organisation
        ):
            raise Http404("No such organisation")
    token, secret = tokens.token_create(
        owner=request.user,
        name=body.name,
        scopes=body.scopes,
        expires_on=body.expires_on,
        organisation=organisation,
        second_factor_passed=passed_second_factor(request),
    )
    return 201, {**_token_out(token), "secret": secret}


@router.post("/tokens/{token_id}/revoke", response={200: IntegrationsTokenOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: Id) -> dict[str, Any]:
    token = selectors.token_for(request.user, token_id)
    if token is None:
        raise Http404("No such token")
    return _token_out(tokens.token_revoke(token=token, by=request.user))


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_admin_organisation(request.user, organisation):
        raise Http404("No such organisation")
    return organisation


def _webhook_out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": endpoint.events,
        "format": endpoint.format,
        "created_at": endpoint.created_at,
    }


@router.get(
    "/organisations/{slug}/webhooks", response={200: list[IntegrationsWebhookOut], **ERRORS}
)
def webhook_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = _organisation(request, slug)
    return [_webhook_out(e) for e in selectors.endpoints_of(organisation)]


@router.post(
    "/organisations/{slug}/webhooks", response={201: IntegrationsWebhookCreatedOut, **ERRORS}
)
def webhook_create(
    request: HttpRequest, slug: str, body: IntegrationsWebhookIn
) -> tuple[int, dict[str, Any]]:
    """Register an https address for some events; the signing secret is in this answer only."""
    organisation = _organisation(request, slug)
    endpoint, secret = webhooks.endpoint_create(
        organisation=organisation,
        url=body.url,
        events=body.events,
        format=body.format,
        by=request.user,
    )
    return 201, {**_webhook_out(endpoint), "secret": secret}


@router.post("/organisations/{slug}/webhooks/{endpoint_id}/remove", response={204: None, **ERRORS})
def webhook_remove(request: HttpRequest, slug: str, endpoint_id: Id) -> tuple[int, None]:
    organisation = _organisation(request, slug)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, organisation=organisation)
    webhooks.endpoint_remove(endpoint=endpoint, by=request.user)
    return 204, None


@router.get(
    "/organisations/{slug}/webhooks/{endpoint_id}/deliveries",
    response={200: list[IntegrationsDeliveryOut], **ERRORS},
)
def webhook_deliveries(request: HttpRequest, slug: str, endpoint_id: Id) -> list[dict[str, Any]]:
    """The latest deliveries to the address, each try with its status code (never a body)."""
    organisation = _organisation(request, slug)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, organisation=organisation)
    return [
        {
            "id": d.pk,
            "event": d.event,
            "state": d.state,
            "created_at": d.created_at,
            "next_attempt_at": d.next_attempt_at,
            "attempts": [
                {
                    "number": a.number,
                    "at": a.at,
                    "ok": a.ok,
                    "status_code": a.status_code,
                    "error": a.error,
                    "duration_ms": a.duration_ms,
                }
                for a in d.attempt_log.all()
            ],
        }
        for d in selectors.deliveries_of(endpoint)
    ]
