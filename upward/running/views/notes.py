"""Shared pair notes and one's own private reflections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.preparation.views._common import report, version_of

from .. import selectors, services
from ..errors import RunningRuleBroken


def _notes_page(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    return render(
        request,
        "running/notes.html",
        {
            "pair": pair,
            "notes": selectors.notes_of(pair),
            "reflections": list(selectors.reflections_of(request.user, pair)[:100]),
            "draft": request.POST if status != 200 else {},
        },
        status=status,
    )


@login_required
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    return _notes_page(request, pk)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    try:
        services.note_save(
            pair=pair,
            by=request.user,
            title=request.POST.get("title", "")[:1000],
            body=request.POST.get("body", "")[:40000],
        )
    except RunningRuleBroken as exc:
        return _notes_page(request, pk, status=report(request, exc))
    messages.success(request, "Note saved. You can both read and change it.")
    return redirect("running:notes", pk=pair.pk)


@login_required
@require_POST
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.note_or_404(request.user, pk)
    try:
        services.note_save(
            pair=note.pair,
            by=request.user,
            note=note,
            version=version_of(request),
            title=request.POST.get("title", "")[:1000],
            body=request.POST.get("body", "")[:40000],
        )
    except RunningRuleBroken as exc:
        return _notes_page(request, note.pair_id, status=report(request, exc))
    messages.success(request, "Note saved; the earlier text is kept in its history.")
    return redirect("running:notes", pk=note.pair_id)


@login_required
@require_POST
def reflection_add(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    try:
        services.reflection_write(
            pair=pair, by=request.user, body=request.POST.get("body", "")[:40000]
        )
    except RunningRuleBroken as exc:
        return _notes_page(request, pk, status=report(request, exc))
    messages.success(request, "Reflection saved. Only you can read it.")
    return redirect("running:notes", pk=pair.pk)


@login_required
@require_POST
def reflection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = selectors.own_reflection_or_404(request.user, pk)
    services.reflection_delete(reflection=reflection, by=request.user)
    messages.success(request, "Reflection deleted.")
    return redirect("running:notes", pk=reflection.pair_id)
