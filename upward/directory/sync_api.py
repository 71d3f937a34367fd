"""The HRIS sync in the API: upload a file, read its diff, approve it, and the setting."""

import base64
import binascii
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from upward.accounts import permissions
from upward.core.api_base import ErrorOut
from upward.core.bounds import BoundedPageNumberPagination

from . import sync as hris
from .models import HrisSync, Organisation

router = Router(tags=["directory"])
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
_BASE = "/organisations/{slug}/directory/sync"


class DirectorySyncOut(Schema):
    id: int
    source: str
    filename: str
    status: str
    counts: dict[str, int]
    errors: list[dict[str, Any]]
    reporting_line_pairs: list[dict[str, Any]]
    leaver_pairs: list[dict[str, Any]]
    created_at: str
    applied_at: str | None


class DirectorySyncUploadIn(Schema):
    filename: str = Field(..., max_length=255, description="Ends in .csv or .xlsx.")
    content_base64: str = Field(
        ..., max_length=70_000_000, description="The file's bytes, base64-encoded."
    )


class DirectorySyncEntryOut(Schema):
    employee_id: str
    name: str
    fields: dict[str, list[Any]] = Field(
        default_factory=dict, description="For a change: each field's [before, after]."
    )


class DirectorySyncSettingIn(Schema):
    auto_apply: bool


class DirectorySyncSettingOut(Schema):
    auto_apply: bool
    drop_folder: str


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_admin_organisation(request.user, organisation):
        raise Http404("No such organisation")
    return organisation


def _sync(request: HttpRequest, slug: str, sync_id: int) -> HrisSync:
    return get_object_or_404(HrisSync, pk=sync_id, organisation=_organisation(request, slug))


def _out(sync: HrisSync) -> dict[str, Any]:
    diff = sync.diff or {}
    return {
        "id": sync.pk,
        "source": sync.source,
        "filename": sync.filename,
        "status": sync.status,
        "counts": diff.get("counts", {}),
        "errors": list(sync.errors or [])[:1000],
        "reporting_line_pairs": diff.get("reporting_line_pairs", [])[:1000],
        "leaver_pairs": diff.get("leaver_pairs", [])[:1000],
        "created_at": sync.created_at.isoformat(),
        "applied_at": sync.applied_at.isoformat() if sync.applied_at else None,
    }


@router.get(_BASE, response=list[DirectorySyncOut], summary="Recent HRIS files and their diffs")
def list_syncs(request: HttpRequest, slug: str) -> Any:
    organisation = _organisation(request, slug)
    return [_out(s) for s in organisation.hris_syncs.all()[:50]]


@router.post(
    _BASE,
    response={201: DirectorySyncOut, **ERRORS},
    summary="Send a directory file from the HR system (checked and previewed; applied at once"
    " only when the organisation applies HRIS changes automatically)",
)
def upload_sync(request: HttpRequest, slug: str, body: DirectorySyncUploadIn) -> Any:
    organisation = _organisation(request, slug)
    try:
        data = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise hris.HrisSyncRefused("content_base64 is not valid base64.") from None
    sync = hris.sync_stage(
        organisation=organisation, filename=body.filename, data=data, by=request.user
    )
    if sync.status == HrisSync.Status.REJECTED:
        rows = "; ".join(f"row {e['row']}: {e['reason']}" for e in sync.errors[:10])
        more = f" (and {len(sync.errors) - 10} more)" if len(sync.errors) > 10 else ""
        raise hris.HrisSyncRefused(
            f"Nothing was changed: {len(sync.errors)} row(s) have errors: {rows}{more}"
            f" (file {sync.pk})."
        )
    return 201, _out(sync)


@router.get(
    _BASE + "/settings", response=DirectorySyncSettingOut, summary="The organisation's HRIS setting"
)
def get_settings(request: HttpRequest, slug: str) -> Any:
    organisation = _organisation(request, slug)
    setting = hris.setting_for(organisation)
    return {"auto_apply": setting.auto_apply, "drop_folder": str(hris.drop_folder(organisation))}


@router.put(
    _BASE + "/settings",
    response={200: DirectorySyncSettingOut, **ERRORS},
    summary="Whether HRIS changes are applied automatically",
)
def put_settings(request: HttpRequest, slug: str, body: DirectorySyncSettingIn) -> Any:
    organisation = _organisation(request, slug)
    setting = hris.setting_update(organisation=organisation, auto_apply=body.auto_apply)
    return {"auto_apply": setting.auto_apply, "drop_folder": str(hris.drop_folder(organisation))}


@router.get(
    _BASE + "/{int:sync_id}", response=DirectorySyncOut, summary="One HRIS file and its diff"
)
def get_sync(request: HttpRequest, slug: str, sync_id: int) -> Any:
    return _out(_sync(request, slug, sync_id))


@router.get(
    _BASE + "/{int:sync_id}/entries",
    response=list[DirectorySyncEntryOut],
    summary="The new people, changes or leavers of one HRIS file, a page at a time",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def sync_entries(
    request: HttpRequest,
    slug: str,
    sync_id: int,
    kind: Literal["new", "changes", "leavers"] = "changes",
) -> Any:
    return hris.entries(_sync(request, slug, sync_id), kind)


@router.post(
    _BASE + "/{int:sync_id}/apply",
    response={200: DirectorySyncOut, **ERRORS},
    summary="Approve an HRIS file: the directory changes all at once, or not at all",
)
def apply_sync(request: HttpRequest, slug: str, sync_id: int) -> Any:
    return _out(hris.sync_apply(sync=_sync(request, slug, sync_id), by=request.user))


@router.post(
    _BASE + "/{int:sync_id}/dismiss",
    response={200: DirectorySyncOut, **ERRORS},
    summary="Dismiss an HRIS file waiting for approval: nothing in the directory changes",
)
def dismiss_sync(request: HttpRequest, slug: str, sync_id: int) -> Any:
    return _out(hris.sync_dismiss(sync=_sync(request, slug, sync_id)))
