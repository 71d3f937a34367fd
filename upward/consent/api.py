"""Consent API: a person lists their own consents and withdraws any of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from . import purposes, selectors, services
from .errors import ConsentError
from .models import Channel

router = Router(tags=["consent"])


class ConsentOut(Schema):
    id: int
    purpose: str
    purpose_label: str
    scope: str
    scope_label: str
    wording_version: str
    wording: str
    channel: str
    given_at: datetime
    withdrawn_at: datetime | None
    active: bool


class PurposeOut(Schema):
    code: str
    label: str
    statement: str
    version: str
    wording: str


@router.get("/consents", response=list[ConsentOut], summary="Your consents, newest first")
def list_consents(request: HttpRequest) -> Any:
    return list(selectors.consents_of(request.user))


@router.get(
    "/consents/purposes", response=list[PurposeOut], summary="What Upward may ask consent for"
)
def list_purposes(request: HttpRequest) -> Any:
    return [
        {
            "code": p.code,
            "label": p.label,
            "statement": p.statement,
            "version": p.version,
            "wording": p.wording,
        }
        for p in purposes.all_purposes()
    ]


@router.post(
    "/consents/{int:consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw one of your consents; the data held under it is deleted",
)
def withdraw_consent(request: HttpRequest, consent_id: int) -> Any:
    consent = selectors.consent_of(request.user, consent_id)
    if consent is None:
        raise Http404("No such consent")
    try:
        return services.consent_withdraw(consent=consent, channel=Channel.API)
    except ConsentError as exc:
        raise HttpError(409, str(exc)) from exc
