"""The pairs board, waivers and the agreement."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from upward.accounts.permissions import can_coordinate
from upward.core.bounds import BoundedDate
from upward.pairs import selectors as pair_selectors
from upward.pairs.api import Detail, RelationshipOut, pair_out

from .. import selectors, services
from ..models import Agreement
from ._common import ERRORS, Cadence, Version, coordinated

router = Router(tags=["preparation"])


class BoardRowOut(Schema):
    pair: RelationshipOut
    waits_for: list[str] = Field(..., description="Requirement codes, e.g. 'training:leader'.")
    waits_for_words: list[str]
    waived: dict[str, str] = Field(..., description="Requirement code: the reason given.")
    training_done: dict[str, list[int]] = Field(
        ..., description="By side: [modules done, modules required]."
    )
    agreement_version: int | None


@router.get(
    "/programmes/{slug}/pairs",
    response={200: list[BoardRowOut], 404: Detail},
    summary="Every pair of the programme, its state and what it waits for",
)
def board(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    rows = selectors.board(pair_selectors.programme_pairs(coordinated(request, slug)))
    return [
        {
            "pair": pair_out(r.pair, request.user),
            "waits_for": r.status.waits_for if r.pair.state == "preparing" else [],
            "waits_for_words": r.waits_words,
            "waived": r.status.waived,
            "training_done": {k: list(v) for k, v in r.status.modules_done.items()},
            "agreement_version": r.status.agreement.number if r.status.agreement else None,
        }
        for r in rows
    ]


class WaiverIn(Schema):
    requirement: Literal[
        "training:leader", "training:mentor", "signature:leader", "signature:mentor"
    ]
    reason: str = Field(..., min_length=1, max_length=1000)
    version: int = Version


@router.post(
    "/pairs/{int:pair_id}/waivers",
    response={200: RelationshipOut, **ERRORS},
    summary="Waive one requirement of activation, with a reason (coordinators)",
)
def waive(request: HttpRequest, pair_id: int, body: WaiverIn) -> dict[str, Any]:
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    if not can_coordinate(request.user, pair.programme):
        raise HttpError(404, "Not found.")
    services.requirement_waive(
        pair=pair,
        requirement=body.requirement,
        reason=body.reason,
        by=request.user,
        version=body.version,
    )
    return pair_out(pair_selectors.pair_or_404(request.user, pair_id), request.user)


# --- the agreement --------------------------------------------------------------------------------


class AgreementOut(Schema):
    number: int
    revision: int
    current: bool
    topics: str
    cadence: str
    meeting_minutes: int
    meeting_format: str
    confidentiality: str
    boundaries: str
    leader_gains: str
    mentor_gains: str
    pause_and_end: str
    first_review_on: dt.date | None
    final_review_on: dt.date | None
    leader_signed_name: str
    leader_signed_at: dt.datetime | None
    mentor_signed_name: str
    mentor_signed_at: dt.datetime | None
    pdf_url: str


class AgreementsOut(Schema):
    current: AgreementOut
    versions: list[int]


def agreement_out(a: Agreement, latest: int) -> dict[str, Any]:
    out = {f: getattr(a, f) for f in AgreementOut.model_fields if hasattr(a, f)}
    out["current"] = a.number == latest
    out["pdf_url"] = reverse("preparation:agreement_pdf", args=[a.pair_id, a.number])
    return out


def _member_pair(request: HttpRequest, pair_id: int) -> Any:
    """Only the pair's two people change or sign its agreement; coordinators read it."""
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    if pair.side_of(request.user) is None:
        raise HttpError(404, "Not found.")
    return pair


def _current(pair: Any) -> Agreement:
    found = Agreement.objects.filter(pair=pair).order_by("-number").first()
    return found or services.agreement_start_for(pair)


@router.get(
    "/pairs/{int:pair_id}/agreement",
    response={200: AgreementsOut, 404: Detail},
    summary="The pair's current agreement and the numbers of all its versions",
)
def agreement(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    current = _current(pair)
    versions = [a.number for a in selectors.agreements_of(pair)]
    return {"current": agreement_out(current, current.number), "versions": versions}


@router.get(
    "/pairs/{int:pair_id}/agreement/versions/{int:version_number}",
    response={200: AgreementOut, 404: Detail},
    summary="One version of the agreement, as it was",
)
def agreement_version(request: HttpRequest, pair_id: int, version_number: int) -> dict[str, Any]:
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    latest = _current(pair).number
    return agreement_out(selectors.agreement_version(pair, version_number), latest)


class AgreementIn(Schema):
    revision: int = Version
    topics: str | None = Field(None, min_length=1, max_length=4000)
    cadence: Cadence | None = None
    meeting_minutes: int | None = Field(None, ge=15, le=240)
    meeting_format: Literal["in_person", "video", "mixed"] | None = None
    confidentiality: str | None = Field(None, min_length=1, max_length=4000)
    boundaries: str | None = Field(None, max_length=4000)
    leader_gains: str | None = Field(None, max_length=4000)
    mentor_gains: str | None = Field(None, max_length=4000)
    pause_and_end: str | None = Field(None, min_length=1, max_length=4000)
    first_review_on: BoundedDate | None = None
    final_review_on: BoundedDate | None = None


@router.patch(
    "/pairs/{int:pair_id}/agreement",
    response={200: AgreementOut, **ERRORS},
    summary="Change the agreement (the two people). After a signature this makes a new version "
    "that both sign again",
)
def agreement_edit(request: HttpRequest, pair_id: int, body: AgreementIn) -> dict[str, Any]:
    pair = _member_pair(request, pair_id)
    changes = body.model_dump(exclude_unset=True)
    revision = changes.pop("revision")
    saved = services.agreement_edit(pair=pair, by=request.user, revision=revision, changes=changes)
    return agreement_out(saved, saved.number)


class SignIn(Schema):
    number: int = Version
    revision: int = Version
    typed_name: str = Field(..., min_length=1, max_length=200)


@router.post(
    "/pairs/{int:pair_id}/agreement/sign",
    response={200: AgreementOut, **ERRORS},
    summary="Sign the current version by typing your full name",
)
def agreement_sign(request: HttpRequest, pair_id: int, body: SignIn) -> dict[str, Any]:
    pair = _member_pair(request, pair_id)
    signed = services.agreement_sign(
        pair=pair,
        user=request.user,
        number=body.number,
        revision=body.revision,
        typed_name=body.typed_name,
    )
    return agreement_out(signed, signed.number)
