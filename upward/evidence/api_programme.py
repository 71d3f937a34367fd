"""Evidence API, programme pages' operations: the programme's own instruments, notes on results
(stories and lessons), safeguarding alerts for wellbeing leads, the historical baseline import
(preview, then apply) and the programme report (PDF and CSV bundle). Added to ``api.router``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Schema, Status

from upward.core.api_base import ErrorOut
from upward.programmes.models import Programme
from upward.programmes.selectors import coordinated_programme_or_404

from . import catalogue, notes, report, selectors
from .api import ERRORS, InstrumentOut, _instrument, router
from .baseline import MAX_BYTES, ImportRefused, baseline_import, baseline_preview
from .errors import EvidenceRuleBroken
from .models import ResultNote, SafeguardingAlert
from .permissions import can_read_alerts

# --- the programme's own instruments --------------------------------------------------------


class EvidenceItemIn(Schema):
    key: str = Field(..., max_length=40)
    text: str = Field(..., max_length=500)
    kind: Literal["likert", "number", "choice", "text"]
    reverse: bool = False
    labels: list[str] = Field(default_factory=list, max_length=11)
    choices: list[str] = Field(default_factory=list, max_length=30)
    minimum: float | None = Field(None, ge=-1_000_000, le=1_000_000)
    maximum: float | None = Field(None, ge=-1_000_000, le=1_000_000)


class EvidenceInstrumentIn(Schema):
    key: str = Field(..., min_length=1, max_length=40)
    title: str = Field(..., min_length=1, max_length=200)
    purpose: str = Field("", max_length=500)
    items: list[EvidenceItemIn] = Field(..., max_length=60)


@router.get("/programmes/{slug}/instruments", response={200: list[InstrumentOut], **ERRORS})
def programme_instrument_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The library and the programme's own instruments (its coordinators)."""
    programme = coordinated_programme_or_404(request.user, slug)
    return [_instrument(i) for i in catalogue.available_for(programme)]


@router.post("/programmes/{slug}/instruments", response={201: InstrumentOut, **ERRORS})
def programme_instrument_add(request: HttpRequest, slug: str, body: EvidenceInstrumentIn) -> Any:
    programme = coordinated_programme_or_404(request.user, slug)
    custom = catalogue.custom_instrument_create(
        programme=programme,
        by=request.user,
        key=body.key,
        title=body.title,
        purpose=body.purpose,
        items=[i.dict() for i in body.items],
    )
    return Status(201, _instrument(catalogue.definition_of(custom.key)))


# --- notes on results -------------------------------------------------------------------------


class EvidenceNoteIn(Schema):
    kind: Literal["story", "lesson"]
    anchor: str = Field("", max_length=60)
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=10_000)


class EvidenceNoteEditIn(EvidenceNoteIn):
    version: int = Field(..., ge=1, le=2**31 - 1)


class EvidenceNoteOut(Schema):
    id: int
    kind: str
    anchor: str
    title: str
    body: str
    version: int
    updated_at: dt.datetime


def _note(n: ResultNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "anchor": n.anchor,
        "title": n.title,
        "body": n.body,
        "version": n.version,
        "updated_at": n.updated_at,
    }


def _programme_level_or_404(request: HttpRequest, slug: str) -> Programme:
    """Coordinators and sponsors: the programme level, never an organisation admin's slice."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme.")
    level, _names = selectors.dashboard_level_or_404(request.user, programme)
    if level is selectors.Level.ORGANISATION:
        raise Http404("No such programme.")
    return programme


@router.get("/programmes/{slug}/result-notes", response={200: list[EvidenceNoteOut], **ERRORS})
def result_note_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Stories (beside a chart or instrument; ``anchor``) and lessons of the programme."""
    programme = _programme_level_or_404(request, slug)
    return [_note(n) for n in notes.notes_of(programme)]


@router.post("/programmes/{slug}/result-notes", response={201: EvidenceNoteOut, **ERRORS})
def result_note_add(request: HttpRequest, slug: str, body: EvidenceNoteIn) -> Any:
    programme = coordinated_programme_or_404(request.user, slug)
    note = notes.result_note_save(programme=programme, by=request.user, **body.dict())
    return Status(201, _note(note))


@router.put("/result-notes/{result_note_id}", response={200: EvidenceNoteOut, **ERRORS})
def result_note_edit(request: HttpRequest, result_note_id: int, body: EvidenceNoteEditIn) -> Any:
    note = ResultNote.objects.select_related("programme").filter(pk=result_note_id).first()
    if note is None:
        raise Http404("No such note.")
    programme = coordinated_programme_or_404(request.user, note.programme.slug)
    data = body.dict()
    version = data.pop("version")
    saved = notes.result_note_save(
        programme=programme, by=request.user, note=note, version=version, **data
    )
    return _note(saved)


# --- safeguarding alerts -----------------------------------------------------------------


class EvidenceAlertOut(Schema):
    survey: str
    question: str
    comment: str
    terms: list[str]
    received_on: dt.date


@router.get(
    "/programmes/{slug}/safeguarding-alerts", response={200: list[EvidenceAlertOut], **ERRORS}
)
def alert_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The programme's wellbeing leads only. An alert never says who wrote the comment."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not can_read_alerts(request.user, programme):
        raise Http404("No such programme.")
    found = SafeguardingAlert.objects.filter(campaign__programme=programme).select_related(
        "campaign"
    )[:200]
    return [
        {
            "survey": a.campaign.title,
            "question": str(a.comment.get("question", "")),
            "comment": str(a.comment.get("comment", "")),
            "terms": [str(t) for t in a.terms],
            "received_on": a.received_on,
        }
        for a in found
    ]


# --- the historical baseline -------------------------------------------------------------


class EvidenceBaselineIn(Schema):
    filename: str = Field(..., min_length=1, max_length=200, description="Ends .csv or .xlsx.")
    content_base64: str = Field(..., max_length=MAX_BYTES * 4 // 3 + 8)


class EvidenceBaselineRowOut(Schema):
    measure: str
    period: str
    period_end: dt.date
    dimension: str
    value: str
    respondents: int
    mean: float
    scale_max: int


class EvidenceBaselinePreviewOut(Schema):
    ok: bool
    problems: list[str]
    rows: list[EvidenceBaselineRowOut]


class EvidenceBaselineImportedOut(Schema):
    imported: int


def _file(body: EvidenceBaselineIn) -> bytes:
    try:
        return base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceRuleBroken("content_base64 is not valid base64.") from None


@router.post(
    "/programmes/{slug}/baseline/preview",
    response={200: EvidenceBaselinePreviewOut, **ERRORS},
)
def baseline_check(request: HttpRequest, slug: str, body: EvidenceBaselineIn) -> dict[str, Any]:
    """Check a file of earlier results without importing anything: every problem by row."""
    programme = coordinated_programme_or_404(request.user, slug)
    try:
        rows = baseline_preview(
            programme=programme, by=request.user, filename=body.filename, data=_file(body)
        )
    except ImportRefused as e:
        return {"ok": False, "problems": e.problems, "rows": []}
    return {"ok": True, "problems": [], "rows": rows}


@router.post(
    "/programmes/{slug}/baseline",
    response={201: EvidenceBaselineImportedOut, 400: ErrorOut, 404: ErrorOut},
)
def baseline_apply(request: HttpRequest, slug: str, body: EvidenceBaselineIn) -> Any:
    """Import every row or none; a refusal lists every problem under ``errors.file``."""
    programme = coordinated_programme_or_404(request.user, slug)
    try:
        count = baseline_import(
            programme=programme, by=request.user, filename=body.filename, data=_file(body)
        )
    except ImportRefused as e:
        return Status(400, {"detail": str(e), "errors": {"file": e.problems}})
    return Status(201, {"imported": count})


# --- the programme report ---------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _binary(media_type: str) -> dict[str, Any]:
    """An OpenAPI response body of the type the operation really sends."""
    return {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}


@router.get(
    "/programmes/{slug}/report.pdf",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {200: {"description": "The report as PDF", **_binary("application/pdf")}}
    },
)
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme report (programme level: coordinators and sponsors)."""
    programme = _programme_level_or_404(request, slug)
    return _download(report.report_pdf(programme), "application/pdf", f"report-{slug}.pdf")


@router.get(
    "/programmes/{slug}/report-csv.zip",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV files of aggregates",
                **_binary("application/zip"),
            }
        }
    },
)
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_level_or_404(request, slug)
    return _download(
        report.report_csv_bundle(programme), "application/zip", f"report-{slug}-csv.zip"
    )
