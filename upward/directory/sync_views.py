"""Pages of the HRIS sync: the organisation's admin sees each file's diff and approves it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import sync as hris
from .forms import DirectoryUploadForm
from .models import HrisFlag, HrisSync
from .views import _organisation_for_admin

_PAGE = 50


class HrisSettingForm(forms.Form):
    auto_apply = forms.BooleanField(
        required=False,
        label="Apply HRIS changes automatically",
        help_text=(
            "When off, each file from the HR system waits here for your approval. Pairs that a"
            " change would put inside one reporting line are flagged to coordinators either way."
        ),
    )


class HrisUploadForm(DirectoryUploadForm):
    deactivate_missing = None  # type: ignore[assignment]  # a sync always covers leavers


@login_required
def sync_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    setting = hris.setting_for(organisation)
    form = HrisUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sync = hris.sync_stage(
                organisation=organisation,
                filename=upload.name,
                data=upload.read(),
                by=request.user,
            )
        except hris.HrisSyncRefused as exc:
            messages.error(request, str(exc))
        else:
            return redirect("directory:sync_detail", slug=slug, pk=sync.pk)
    return render(
        request,
        "directory/sync.html",
        {
            "organisation": organisation,
            "form": form,
            "setting_form": HrisSettingForm(initial={"auto_apply": setting.auto_apply}),
            "setting": setting,
            "folder": hris.drop_folder(organisation),
            "recent": organisation.hris_syncs.all()[:20],
            "flags": hris.flags_for(organisation)[:50],
        },
    )


@login_required
@require_POST
def sync_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    form = HrisSettingForm(request.POST)
    if form.is_valid():
        hris.setting_update(organisation=organisation, auto_apply=form.cleaned_data["auto_apply"])
        messages.success(request, "The HRIS setting is saved.")
    return redirect("directory:sync", slug=slug)


def _sync(request: HttpRequest, slug: str, pk: int) -> HrisSync:
    organisation = _organisation_for_admin(request, slug)
    return get_object_or_404(HrisSync, pk=pk, organisation=organisation)


@login_required
def sync_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    sync = _sync(request, slug, pk)
    kind = request.GET.get("list", "changes")
    if kind not in hris.ENTRY_KINDS:
        kind = "changes"
    page = Paginator(hris.entries(sync, kind), _PAGE).get_page(request.GET.get("page"))
    errors = Paginator(sync.errors or [], _PAGE).get_page(request.GET.get("errors_page"))
    return render(
        request,
        "directory/sync_detail.html",
        {
            "organisation": sync.organisation,
            "sync": sync,
            "counts": (sync.diff or {}).get("counts", {}),
            "kind": kind,
            "kinds": [("new", "New people"), ("changes", "Changes"), ("leavers", "Leavers")],
            "page": page,
            "errors": errors,
            "conflicts": (sync.diff or {}).get("reporting_line_pairs", [])[:200],
            "leaver_pairs": (sync.diff or {}).get("leaver_pairs", [])[:200],
        },
    )


@login_required
@require_POST
def sync_apply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    sync = _sync(request, slug, pk)
    try:
        hris.sync_apply(sync=sync, by=request.user)
    except hris.HrisSyncRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The directory is updated from the HR system's file.")
    return redirect("directory:sync_detail", slug=slug, pk=pk)


@login_required
@require_POST
def sync_dismiss(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    sync = _sync(request, slug, pk)
    try:
        hris.sync_dismiss(sync=sync)
    except hris.HrisSyncRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The file is dismissed; nothing was changed.")
    return redirect("directory:sync_detail", slug=slug, pk=pk)


@login_required
def programme_flags(request: HttpRequest, programme_slug: str) -> HttpResponse:
    """What HRIS files did, or would do, to a programme's pairs and applicants: for its
    coordinators."""
    from upward.accounts import permissions
    from upward.programmes.models import Programme

    programme = get_object_or_404(Programme, slug=programme_slug)
    if not permissions.can_coordinate(request.user, programme):
        raise Http404("No such programme")
    page = Paginator(
        HrisFlag.objects.filter(programme=programme).order_by("-created_at", "-id"), _PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "directory/programme_flags.html", {"programme": programme, "page": page})
