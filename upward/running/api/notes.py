"""Shared notes and one's own reflections through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from upward.pairs.api import Detail

from .. import selectors, services
from ..models import PairNote, Reflection
from ._common import ERRORS, Version, router


class RevisionOut(Schema):
    number: int
    title: str
    body: str
    saved_at: dt.datetime


class NoteOut(Schema):
    id: int
    pair_id: int
    title: str
    body: str
    updated_at: dt.datetime
    version: int
    history: list[RevisionOut]


def note_out(note: PairNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "pair_id": note.pair_id,
        "title": note.title,
        "body": note.body,
        "updated_at": note.updated_at,
        "version": note.version,
        "history": [
            {"number": r.number, "title": r.title, "body": r.body, "saved_at": r.saved_at}
            for r in note.revisions.all()
        ],
    }


class NoteIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=20000)


class NoteEditIn(NoteIn):
    version: int = Version


class ReflectionOut(Schema):
    id: int
    pair_id: int
    body: str
    created_at: dt.datetime


class ReflectionIn(Schema):
    body: str = Field(..., max_length=20000)


@router.get(
    "/pairs/{int:pair_id}/notes",
    response={200: list[NoteOut], 404: Detail},
    summary="Your pair's shared notes with their history",
)
def notes(request: HttpRequest, pair_id: int) -> list[dict[str, Any]]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return [note_out(n) for n in selectors.notes_of(pair)]


@router.post(
    "/pairs/{int:pair_id}/notes", response={201: NoteOut, **ERRORS}, summary="Add a shared note"
)
def note_add(request: HttpRequest, pair_id: int, body: NoteIn) -> tuple[int, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    note = services.note_save(pair=pair, by=request.user, title=body.title, body=body.body)
    return 201, note_out(selectors.note_or_404(request.user, note.pk))


@router.put(
    "/notes/{int:note_id}", response={200: NoteOut, **ERRORS}, summary="Change a shared note"
)
def note_edit(request: HttpRequest, note_id: int, body: NoteEditIn) -> dict[str, Any]:
    note = selectors.note_or_404(request.user, note_id)
    services.note_save(
        pair=note.pair,
        by=request.user,
        note=note,
        version=body.version,
        title=body.title,
        body=body.body,
    )
    return note_out(selectors.note_or_404(request.user, note_id))


@router.get(
    "/pairs/{int:pair_id}/reflections",
    response={200: list[ReflectionOut], 404: Detail},
    summary="Your own private reflections on the pair (nobody else's, whoever asks)",
)
def reflections(request: HttpRequest, pair_id: int) -> list[Reflection]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return list(selectors.reflections_of(request.user, pair)[:200])


@router.post(
    "/pairs/{int:pair_id}/reflections",
    response={201: ReflectionOut, **ERRORS},
    summary="Write a private reflection only you can read",
)
def reflection_add(request: HttpRequest, pair_id: int, body: ReflectionIn) -> tuple[int, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return 201, services.reflection_write(pair=pair, by=request.user, body=body.body)
