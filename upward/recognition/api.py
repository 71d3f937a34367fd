"""Recognition API: completion rules and status (coordinators), certificates (holders and
coordinators), public verification (rate-limited, no sign-in) and stories (the pair's two
people). A broken rule answers 400, a stale version 409, anyone without access 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from upward.accounts.permissions import can_coordinate
from upward.core.api_base import ErrorOut
from upward.core.bounds import Id
from upward.pairs.selectors import pair_or_404
from upward.programmes.models import Programme

from . import selectors, services
from .models import Certificate, Story
from .pdf import certificate_pdf
from .throttling import verify_retry_after

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Version = Field(..., ge=1, le=2**31 - 1)
Reason = Field(..., min_length=1, max_length=services.MAX_REASON)


def _coordinated(request: HttpRequest, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug[:80]).first()
    if programme is None or not can_coordinate(request.user, programme):
        raise Http404("No such programme.")
    return programme


class RecognitionRulesOut(Schema):
    agreement_signed: bool
    training_done: bool
    min_meetings: int
    final_checkin: bool
    version: int


class RecognitionRulesIn(Schema):
    agreement_signed: bool
    training_done: bool
    min_meetings: int = Field(..., ge=0, le=52)
    final_checkin: bool
    version: int = Version


class RecognitionPersonOut(Schema):
    application_id: int
    name: str
    role: str
    completes: bool
    met: bool
    unmet: list[str]
    granted: bool
    certificate_id: int | None


class RecognitionGrantIn(Schema):
    application_id: Id
    reason: str = Reason


class RecognitionIssueIn(Schema):
    application_id: Id


class RecognitionReasonIn(Schema):
    reason: str = Reason


class RecognitionCertificateOut(Schema):
    id: int
    programme: str
    holder_name: str
    role: str
    starts_on: dt.date | None
    completed_on: dt.date
    code: str
    revoked: bool
    download_url: str


class RecognitionVerifyIn(Schema):
    code: str = Field(..., min_length=1, max_length=64)


class RecognitionVerifyOut(Schema):
    status: Literal["valid", "withdrawn", "not_valid"]
    name: str = ""
    programme: str = ""
    completed_on: dt.date | None = None


class RecognitionStoryIn(Schema):
    title: str = Field(..., min_length=1, max_length=services.MAX_TITLE)
    body: str = Field(..., min_length=1, max_length=services.MAX_STORY)
    anonymised: bool = False


class RecognitionStoryEditIn(RecognitionStoryIn):
    version: int = Version


class RecognitionVersionIn(Schema):
    version: int = Version


class RecognitionStoryOut(Schema):
    id: int
    pair_id: int
    title: str
    body: str
    anonymised: bool
    published: bool
    you_agreed: bool
    they_agreed: bool
    version: int


class RecognitionPublishedOut(Schema):
    title: str
    body: str


def _rules_out(programme: Programme) -> dict[str, Any]:
    r = selectors.rules_of(programme)
    return {
        "agreement_signed": r.agreement_signed,
        "training_done": r.training_done,
        "min_meetings": r.min_meetings,
        "final_checkin": r.final_checkin,
        "version": r.version,
    }


def _person_out(row: selectors.PersonStatus) -> dict[str, Any]:
    return {
        "application_id": row.application.pk,
        "name": row.name,
        "role": row.role,
        "completes": row.completes,
        "met": row.met,
        "unmet": row.unmet,
        "granted": row.grant is not None,
        "certificate_id": row.certificate.pk if row.certificate else None,
    }


def _certificate_out(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "programme": c.programme.name,
        "holder_name": c.holder_name,
        "role": c.role,
        "starts_on": c.starts_on,
        "completed_on": c.completed_on,
        "code": c.grouped_code,
        "revoked": c.revoked,
        "download_url": f"/api/v1/certificates/{c.pk}/pdf",
    }


def _story_out(story: Story, user: Any) -> dict[str, Any]:
    side = story.pair.side_of(user) or "leader"
    other = "mentor" if side == "leader" else "leader"
    return {
        "id": story.pk,
        "pair_id": story.pair_id,
        "title": story.title,
        "body": story.body,
        "anonymised": story.anonymised,
        "published": story.published,
        "you_agreed": story.consent_of(side),
        "they_agreed": story.consent_of(other),
        "version": story.version,
    }


# --- completion ------------------------------------------------------------------------------


@router.get(
    "/programmes/{slug}/completion/rules",
    response={200: RecognitionRulesOut, 404: ErrorOut},
    summary="The programme's completion rules",
)
def rules_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _rules_out(_coordinated(request, slug))


@router.put(
    "/programmes/{slug}/completion/rules",
    response={200: RecognitionRulesOut, **ERRORS},
    summary="Choose the programme's completion rules",
)
def rules_put(request: HttpRequest, slug: str, body: RecognitionRulesIn) -> dict[str, Any]:
    programme = _coordinated(request, slug)
    services.rules_set(programme=programme, by=request.user, **body.dict())
    return _rules_out(programme)


@router.get(
    "/programmes/{slug}/completion",
    response={200: list[RecognitionPersonOut], 404: ErrorOut},
    summary="Who completes the programme, and the rules each other person has not met",
)
def completion(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = _coordinated(request, slug)
    return [_person_out(r) for r in selectors.completion_status(programme)]


@router.post(
    "/programmes/{slug}/completion/grants",
    response={201: RecognitionPersonOut, **ERRORS},
    summary="Grant completion to someone who does not meet the rules, with the reason",
)
def grant(request: HttpRequest, slug: str, body: RecognitionGrantIn) -> tuple[int, dict[str, Any]]:
    programme = _coordinated(request, slug)
    application = selectors.application_in(programme, body.application_id)
    services.completion_grant(
        programme=programme, application=application, by=request.user, reason=body.reason
    )
    row = selectors.status_of(programme, application)
    assert row is not None
    return 201, _person_out(row)


# --- certificates ----------------------------------------------------------------------------


@router.post(
    "/programmes/{slug}/certificates",
    response={201: RecognitionCertificateOut, **ERRORS},
    summary="Issue the certificate of someone who completed",
)
def issue(request: HttpRequest, slug: str, body: RecognitionIssueIn) -> tuple[int, dict[str, Any]]:
    programme = _coordinated(request, slug)
    application = selectors.application_in(programme, body.application_id)
    certificate = services.certificate_issue(
        programme=programme, application=application, by=request.user
    )
    return 201, _certificate_out(certificate)


@router.post(
    "/programmes/{slug}/certificates/{certificate_id}/revoke",
    response={200: RecognitionCertificateOut, **ERRORS},
    summary="Withdraw a certificate, with the reason (never shown publicly)",
)
def revoke(
    request: HttpRequest, slug: str, certificate_id: Id, body: RecognitionReasonIn
) -> dict[str, Any]:
    programme = _coordinated(request, slug)
    certificate = selectors.certificate_of_coordinator(request.user, programme, certificate_id)
    return _certificate_out(
        services.certificate_revoke(certificate=certificate, by=request.user, reason=body.reason)
    )


@router.get(
    "/certificates",
    response=list[RecognitionCertificateOut],
    summary="Your certificates",
)
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [_certificate_out(c) for c in selectors.certificates_of(request.user)]


@router.get(
    "/certificates/{certificate_id}/pdf",
    response={200: None, 404: ErrorOut},
    summary="Download one of your certificates as a PDF",
)
def download(request: HttpRequest, certificate_id: Id) -> HttpResponse:
    certificate = selectors.certificate_of_holder(request.user, certificate_id)
    if certificate.revoked:
        raise Http404("This certificate was withdrawn.")
    url = request.build_absolute_uri("/verify/")
    response = HttpResponse(certificate_pdf(certificate, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.pk}.pdf"'
    return response


@router.post(
    "/verify",
    auth=None,
    response={200: RecognitionVerifyOut, 429: ErrorOut},
    summary="Check a certificate's code (no sign-in; limited per address)",
)
def verify(request: HttpRequest, body: RecognitionVerifyIn) -> Any:
    from upward.api import api

    wait = verify_retry_after(request)
    if wait is not None:
        response = api.error_response(
            request, 429, f"Too many checks from your address: wait {wait} seconds."
        )
        response["Retry-After"] = str(wait)
        return response
    result = selectors.verify(body.code)
    return {
        "status": result.state,
        "name": result.name,
        "programme": result.programme,
        "completed_on": result.completed_on,
    }


# --- stories ---------------------------------------------------------------------------------


@router.get(
    "/pairs/{pair_id}/stories",
    response={200: list[RecognitionStoryOut], 404: ErrorOut},
    summary="Your pair's stories, published or not",
)
def pair_stories(request: HttpRequest, pair_id: Id) -> list[dict[str, Any]]:
    pair = pair_or_404(request.user, pair_id)
    if pair.side_of(request.user) is None:
        raise Http404("No such pair.")
    return [_story_out(s, request.user) for s in selectors.stories_of_pair(pair)]


@router.post(
    "/pairs/{pair_id}/stories",
    response={201: RecognitionStoryOut, **ERRORS},
    summary="Draft a story of your pair",
)
def story_draft(
    request: HttpRequest, pair_id: Id, body: RecognitionStoryIn
) -> tuple[int, dict[str, Any]]:
    pair = pair_or_404(request.user, pair_id)
    if pair.side_of(request.user) is None:
        raise Http404("No such pair.")
    story = services.story_draft(pair=pair, by=request.user, **body.dict())
    return 201, _story_out(story, request.user)


@router.put(
    "/stories/{story_id}",
    response={200: RecognitionStoryOut, **ERRORS},
    summary="Edit a story: both agreements are cleared",
)
def story_edit(request: HttpRequest, story_id: Id, body: RecognitionStoryEditIn) -> dict[str, Any]:
    story = selectors.story_for(request.user, story_id)
    services.story_edit(story=story, by=request.user, **body.dict())
    return _story_out(story, request.user)


@router.post(
    "/stories/{story_id}/consent",
    response={200: RecognitionStoryOut, **ERRORS},
    summary="Agree to publishing the story's exact text (the version you read)",
)
def story_consent(request: HttpRequest, story_id: Id, body: RecognitionVersionIn) -> dict[str, Any]:
    story = selectors.story_for(request.user, story_id)
    services.story_consent(story=story, by=request.user, version=body.version)
    return _story_out(story, request.user)


@router.post(
    "/stories/{story_id}/withdraw",
    response={200: RecognitionStoryOut, 404: ErrorOut},
    summary="Withdraw your agreement: the story is unpublished at once",
)
def story_withdraw(request: HttpRequest, story_id: Id) -> dict[str, Any]:
    story = selectors.story_for(request.user, story_id)
    services.story_withdraw(story=story, by=request.user)
    return _story_out(story, request.user)


@router.get(
    "/programmes/{slug}/stories",
    response={200: list[RecognitionPublishedOut], 404: ErrorOut},
    summary="The programme's published stories",
)
def published(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = get_object_or_404(Programme, slug=slug[:80])
    if not selectors.may_read_stories(request.user, programme):
        raise Http404("No such programme.")
    return [{"title": s.title, "body": s.body} for s in selectors.published(programme)]
