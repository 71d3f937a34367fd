"""Training: each person's tracks and progress; coordinators' tracks, modules and reminders."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from upward.core.bounds import Id
from upward.pairs.api import Detail

from .. import selectors, services
from ..models import Module, Track
from ._common import ERRORS, AudienceIn, Version, coordinated

router = Router(tags=["preparation"])


class CheckQuestionOut(Schema):
    id: int
    prompt: str
    choices: list[str]


class ModuleOut(Schema):
    id: int
    title: str
    body: str
    link_url: str
    link_label: str
    file_url: str | None
    pass_mark: int | None
    questions: list[CheckQuestionOut]
    version: int
    done: bool | None = None


class TrackOut(Schema):
    id: int
    programme_slug: str
    title: str
    audience: str
    summary: str
    required: bool
    version: int
    modules: list[ModuleOut]


def module_out(m: Module, done: bool | None = None) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "body": m.body,
        "link_url": m.link_url,
        "link_label": m.link_label,
        "file_url": reverse("preparation:attachment", args=[m.pk]) if m.attachment else None,
        "pass_mark": m.pass_mark,
        "questions": [
            {"id": q.pk, "prompt": q.prompt, "choices": q.choices} for q in m.questions.all()
        ],
        "version": m.version,
        "done": done,
    }


def track_out(t: Track, done: dict[int, bool] | None = None) -> dict[str, Any]:
    return {
        "id": t.pk,
        "programme_slug": t.programme.slug,
        "title": t.title,
        "audience": t.audience,
        "summary": t.summary,
        "required": t.required,
        "version": t.version,
        "modules": [
            module_out(m, None if done is None else done.get(m.pk, False)) for m in t.modules.all()
        ],
    }


@router.get("/training", response=list[TrackOut], summary="Your training and your progress")
def my_training(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for _prog, tracks in selectors.my_training(request.user):
        for progress in tracks:
            out.append(track_out(progress.track, {m.pk: d for m, d in progress.modules}))
    return out


class CompleteIn(Schema):
    answers: dict[Id, Annotated[int, Field(ge=0, le=100)]] = Field(
        default_factory=dict, description="Question id: index of the chosen answer.", max_length=50
    )


@router.post(
    "/training/modules/{int:module_id}/complete",
    response={200: ModuleOut, **ERRORS},
    summary="Finish a module (with the knowledge check's answers, if it has one)",
)
def module_complete(request: HttpRequest, module_id: int, body: CompleteIn) -> dict[str, Any]:
    module, _done = selectors.module_for(request.user, module_id)
    services.module_complete(module=module, user=request.user, answers=body.answers)
    return module_out(module, True)


@router.get(
    "/programmes/{slug}/training",
    response={200: list[TrackOut], 404: Detail},
    summary="The programme's training tracks and modules (coordinators)",
)
def tracks(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = coordinated(request, slug)
    return [
        track_out(t)
        for t in Track.objects.filter(programme=programme)
        .select_related("programme")
        .prefetch_related("modules__questions")
    ]


class TrackIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    audience: AudienceIn
    summary: str = Field("", max_length=2000)
    required: bool = True


@router.post(
    "/programmes/{slug}/training/tracks",
    response={201: TrackOut, **ERRORS},
    summary="Add a training track",
)
def track_create(request: HttpRequest, slug: str, body: TrackIn) -> Any:
    programme = coordinated(request, slug)
    track = services.track_save(programme=programme, by=request.user, **body.model_dump())
    return Status(201, track_out(track))


class ModuleIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=20000)
    link_url: str = Field("", max_length=500)
    link_label: str = Field("", max_length=200)
    pass_mark: int | None = Field(
        None, ge=1, le=100, description="1 to 100, with a knowledge check."
    )
    questions: str | None = Field(
        None,
        max_length=10000,
        description="Blocks separated by a blank line: the question, then '- choice' lines with "
        "the right one as '* choice'.",
    )


class ModuleChangeIn(ModuleIn):
    version: int = Version


@router.post(
    "/programmes/{slug}/training/tracks/{int:track_id}/modules",
    response={201: ModuleOut, **ERRORS},
    summary="Add a module to a track (files are uploaded on the page)",
)
def module_create(request: HttpRequest, slug: str, track_id: int, body: ModuleIn) -> Any:
    track = get_object_or_404(Track, programme=coordinated(request, slug), pk=track_id)
    data = body.model_dump()
    return Status(201, module_out(services.module_save(track=track, by=request.user, **data)))


@router.put(
    "/programmes/{slug}/training/modules/{int:module_id}",
    response={200: ModuleOut, **ERRORS},
    summary="Change a module (with the version you read)",
)
def module_update(
    request: HttpRequest, slug: str, module_id: int, body: ModuleChangeIn
) -> dict[str, Any]:
    module = get_object_or_404(
        Module.objects.select_related("track__programme"),
        track__programme=coordinated(request, slug),
        pk=module_id,
    )
    data = body.model_dump(exclude={"version"})
    saved = services.module_save(
        track=module.track, by=request.user, module=module, version=body.version, **data
    )
    return module_out(saved)


class BehindOut(Schema):
    name: str
    modules_done: int
    modules_required: int


@router.get(
    "/programmes/{slug}/training/behind",
    response={200: list[BehindOut], 404: Detail},
    summary="People in preparing pairs who have not finished their training",
)
def behind(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [
        {"name": b.name, "modules_done": b.done, "modules_required": b.of}
        for b in selectors.people_behind(coordinated(request, slug))
    ]


class RemindIn(Schema):
    reminder_every_days: int | None = Field(None, ge=1, le=60)


@router.post(
    "/programmes/{slug}/training/reminders",
    response={202: Detail, **ERRORS},
    summary="Remind everyone behind, at most once per period (sent in the background)",
)
def remind(request: HttpRequest, slug: str, body: RemindIn) -> Any:
    programme = coordinated(request, slug)
    if body.reminder_every_days is not None:
        services.preparation_settings_save(
            programme=programme, by=request.user, reminder_every_days=body.reminder_every_days
        )
    services.training_reminders_request(
        programme=programme, by=request.user, base_url=request.build_absolute_uri("/")
    )
    return Status(
        202, {"detail": "Reminders are on their way, except to people reminded recently."}
    )
