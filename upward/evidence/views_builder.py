"""Coordinators' writing pages of evidence: notes on results (stories beside the data, lessons
for the report) and the instrument builder."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from upward.core.versioning import VersionConflict, conflict_form
from upward.programmes.selectors import coordinated_programme_or_404

from . import catalogue, notes
from .errors import EvidenceRuleBroken
from .forms import InstrumentForm, ItemFormSet, ResultNoteForm
from .models import CustomInstrument, ResultNote


@login_required
def note_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    anchors = notes.anchors_for(programme)
    form = ResultNoteForm(request.POST or None, anchors=anchors)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                notes.result_note_save(
                    programme=programme,
                    by=request.user,
                    kind=d["kind"],
                    anchor=d.get("anchor") or "",
                    title=d["title"],
                    body=d["body"],
                )
            except EvidenceRuleBroken as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, "The note is saved.")
                return redirect("evidence:notes", slug=programme.slug)
        status = 400
    context = {
        "programme": programme,
        "form": form,
        "notes": [(n, anchors.get(n.anchor, n.anchor)) for n in notes.notes_of(programme)],
    }
    return render(request, "evidence/notes.html", context, status=status)


@login_required
def note_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    note = get_object_or_404(ResultNote, pk=pk, programme=programme)
    anchors = notes.anchors_for(programme)

    def fresh() -> ResultNoteForm:
        return ResultNoteForm(
            anchors=anchors,
            version=note.version,
            initial={
                "kind": note.kind,
                "anchor": note.anchor,
                "title": note.title,
                "body": note.body,
            },
        )

    form = (
        ResultNoteForm(request.POST, anchors=anchors, version=note.version)
        if (request.method == "POST")
        else fresh()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                notes.result_note_save(
                    programme=programme,
                    by=request.user,
                    kind=d["kind"],
                    anchor=d.get("anchor") or "",
                    title=d["title"],
                    body=d["body"],
                    note=note,
                    version=form.expected_version,
                )
            except VersionConflict as e:
                note.refresh_from_db()
                form = conflict_form(form, fresh(), e)
                status = 409
            except EvidenceRuleBroken as e:
                form.add_error(None, str(e))
                status = 400
            else:
                messages.success(request, "The note is saved.")
                return redirect("evidence:notes", slug=programme.slug)
        else:
            status = 400
    context: dict[str, Any] = {
        "programme": programme,
        "note": note,
        "form": form,
        "conflict": form.conflict,
        "revisions": list(note.revisions.all()),
    }
    return render(request, "evidence/note_edit.html", context, status=status)


@login_required
def instrument_builder(request: HttpRequest, slug: str) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    form = InstrumentForm(request.POST or None)
    items = ItemFormSet(request.POST or None, prefix="items")
    status = 200
    if request.method == "POST":
        if form.is_valid() and items.is_valid():
            data = [d for f in items.forms if (d := f.item_data()) is not None]
            try:
                catalogue.custom_instrument_create(
                    programme=programme,
                    by=request.user,
                    key=form.cleaned_data["key"],
                    title=form.cleaned_data["title"],
                    purpose=form.cleaned_data.get("purpose") or "",
                    items=data,
                )
            except EvidenceRuleBroken as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, "The instrument is saved: surveys can use it now.")
                return redirect("evidence:instruments", slug=programme.slug)
        status = 400
    context = {
        "programme": programme,
        "form": form,
        "items": items,
        "own": [
            (c, catalogue.definition_of(c.key))
            for c in CustomInstrument.objects.filter(programme=programme)
        ],
    }
    return render(request, "evidence/instruments.html", context, status=status)
