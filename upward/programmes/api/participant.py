"""A participant's own application: the form, applying, changing, withdrawing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from upward.consent.models import Channel
from upward.core.api_base import ErrorOut

from .. import identity, selectors, services
from .. import working_style as ws
from ..errors import RuleBroken
from ..forms import IdentityForm
from ..models import (
    Application,
    Programme,
)
from ..questions import SLOTS, AnswersForm, data_from_api
from ..services.applications import EDITABLE
from ._common import (
    AnswerOut,
    SideLiteral,
    answers_out,
)

router = Router(tags=["applying"])

# --- participants ---------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    kind: str
    label: str
    help_text: str
    required: bool
    options: list[str]
    topics: list[dict[str, Any]]
    min_value: int | None
    max_value: int | None
    min_label: str
    max_label: str
    max_choices: int | None
    slots: list[dict[str, str]]


class DimensionOut(Schema):
    code: str
    label: str
    question: str
    purpose: str
    options: list[dict[str, str]]
    consent_wording: str
    wording_version: str


class FormOut(Schema):
    side: str
    intro: str
    questions: list[QuestionOut]
    identity: list[DimensionOut]


@router.get(
    "/{slug}/form/{side}",
    response=FormOut,
    summary="The application form for one side, with the optional identity questions",
)
def get_form(request: HttpRequest, slug: str, side: SideLiteral) -> Any:
    programme = Programme.objects.filter(slug=slug).first()
    allowed = programme is not None and (
        selectors.coordinated_programmes(request.user).filter(pk=programme.pk).exists()
        or _participant_or_none(request, slug) is not None
    )
    if programme is None or not allowed:
        raise Http404("No such programme")
    topics = [{"id": t.pk, "name": t.name} for t in programme.topics.all()]
    form_obj = programme.forms.filter(side=side).first()
    questions = []
    for q in selectors.form_questions(programme, side):
        questions.append(
            {
                "id": q.pk,
                "kind": q.kind,
                "label": q.label,
                "help_text": q.help_text,
                "required": q.required,
                "options": q.choices,
                "topics": topics if q.kind == "topics" else [],
                "min_value": q.min_value if q.kind == "scale" else None,
                "max_value": q.max_value if q.kind == "scale" else None,
                "min_label": q.min_label,
                "max_label": q.max_label,
                "max_choices": q.max_choices,
                "slots": [{"code": c, "label": label} for c, label in SLOTS]
                if q.kind == "availability"
                else [],
            }
        )
    return {
        "side": side,
        "intro": form_obj.intro if form_obj else "",
        "questions": questions,
        "identity": [
            {
                "code": d.code,
                "label": d.label,
                "question": d.question,
                "purpose": d.purpose,
                "options": [{"value": v, "label": label} for v, label in d.options],
                "consent_wording": identity.WORDING.format(scope=programme.name),
                "wording_version": identity.WORDING_VERSION,
            }
            for d in identity.dimensions_for(programme.identity_dimensions)
        ],
    }


def _participant_or_none(request: HttpRequest, slug: str) -> selectors.ParticipantView | None:
    try:
        return selectors.participant_programme_or_404(request.user, slug)
    except Http404:
        return None


class SharedOut(Schema):
    dimension: str
    label: str
    value: str


class ProgrammesTraitScoreOut(Schema):
    trait: str
    label: str
    score: float
    high: str
    low: str


class MyApplicationOut(Schema):
    id: int
    side: str
    status: str
    submitted_at: dt.datetime
    can_edit: bool
    eligible: bool
    eligibility_reasons: list[str]
    answers: list[AnswerOut]
    identity_shared: list[SharedOut]
    working_style: list[ProgrammesTraitScoreOut] = Field(
        default_factory=list, description="Your own working-style scores; nobody else sees them."
    )


def _mine(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "side": application.side,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "can_edit": application.status in EDITABLE and application.programme.applications_open,
        "eligible": application.eligible,
        "eligibility_reasons": application.eligibility_reasons,
        "answers": answers_out(application, include_sensitive=True),
        "identity_shared": [
            {
                "dimension": code,
                "label": identity.BY_CODE[code].label,
                "value": identity.BY_CODE[code].option_label(value),
            }
            for code, value in sorted(selectors.consented_identity(application).items())
            if code in identity.BY_CODE
        ],
        "working_style": ws.own_scores(application),
    }


@router.get("/{slug}/application", response=MyApplicationOut, summary="Your application")
def my_application(request: HttpRequest, slug: str) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise HttpError(404, "You have not applied to this programme.")
    return _mine(view.application)


class ApplyIn(Schema):
    side: SideLiteral
    answers: dict[str, Any] = Field(..., description="Answers keyed by question id.")
    identity: dict[str, str] = Field(
        default_factory=dict, description="Optional identity answers keyed by dimension code."
    )
    consent: list[str] = Field(
        default_factory=list,
        description="Dimensions whose answer you consent to Upward keeping, in the wording of "
        "'wording_version'.",
    )
    wording_version: str | None = None
    working_style: list[Annotated[int, Field(ge=1, le=7)]] | None = Field(
        default=None,
        min_length=10,
        max_length=10,
        description="The ten working-style answers (1 to 7), when the programme asks for them; "
        "kept only with 'working_style_consent'. Leave out to keep what you gave; send "
        "'working_style_consent': false to withdraw and delete it.",
    )
    working_style_consent: bool | None = None


# The API's one error shape: {"detail": ..., "errors": {"<question id>": [...]}}.
ProblemsOut = ErrorOut


@router.put(
    "/{slug}/application",
    response={200: MyApplicationOut, 201: MyApplicationOut, 422: ProblemsOut},
    summary="Apply, or change your answers until the deadline",
)
def apply(request: HttpRequest, slug: str, payload: ApplyIn) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    programme = view.programme
    if payload.identity and payload.wording_version != identity.WORDING_VERSION:
        raise HttpError(
            400,
            "The consent wording has changed, or no version was given. Read the current wording "
            "and send its version with your consent.",
        )
    questions = selectors.form_questions(programme, payload.side)
    topics = list(programme.topics.all())
    data, problems = data_from_api(questions, payload.answers)
    answers_form = AnswersForm(data=data, questions=questions, topics=topics)
    identity_data: dict[str, Any] = {
        f"identity_{code}": value for code, value in payload.identity.items()
    }
    identity_data.update({f"consent_{code}": "on" for code in payload.consent})
    dimensions = identity.dimensions_for(programme.identity_dimensions)
    offered = {d.code for d in dimensions}
    for code in [*payload.identity, *payload.consent]:
        if code not in offered:
            problems[f"identity.{code}"] = "This programme does not ask about that."
    identity_form = IdentityForm(
        data=identity_data, dimensions=dimensions, scope_label=programme.name
    )
    style: list[int] | Literal[False] | None = False
    if payload.working_style is not None or payload.working_style_consent is not None:
        if not ws.asked(programme):
            problems["working_style"] = "This programme does not ask about working style."
        elif payload.working_style_consent and payload.working_style is None:
            problems["working_style"] = "Give the ten answers, or leave the consent out."
        elif payload.working_style is not None and not payload.working_style_consent:
            problems["working_style"] = (
                "Your working-style answers can only be kept with your consent: send "
                "'working_style_consent': true, or leave the answers out."
            )
        else:
            given = payload.working_style
            style = list(given) if given is not None and payload.working_style_consent else None
    valid = answers_form.is_valid() & identity_form.is_valid()
    # What the form cannot see (an unknown question, a list for a text) comes first.
    errors: dict[str, list[str]] = {
        key.removeprefix("q"): [message] for key, message in problems.items()
    }
    for name, messages in answers_form.errors.items():
        key = name.removeprefix("q") if name != "__all__" else "form"
        if key not in errors:
            errors[key] = [str(m) for m in messages]
    for name, messages in identity_form.errors.items():
        key = "identity." + name.split("_", 1)[1] if "_" in name else name
        errors.setdefault(key, []).extend(str(m) for m in messages)
    if not valid or errors:
        return Status(
            422, {"detail": "Some answers need attention; nothing was saved.", "errors": errors}
        )
    existed = view.application is not None and view.application.status != "withdrawn"
    application = services.application_submit(
        programme=programme,
        user=request.user,
        side=payload.side,
        answers=answers_form.answers(),
        identity_values=identity_form.values(),
        identity_consents=identity_form.consents(),
        channel=Channel.API,
        working_style=style,
    )
    return Status(200 if existed else 201, _mine(application))


@router.post(
    "/{slug}/application/withdraw",
    response=MyApplicationOut,
    summary="Withdraw your application; identity answers for the programme are deleted",
)
def withdraw(request: HttpRequest, slug: str) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise HttpError(404, "You have not applied to this programme.")
    application = services.application_withdraw(application=view.application, channel=Channel.API)
    return _mine(application)


@router.delete(
    "/{slug}/application/identity/{dimension}",
    response={204: None},
    summary="Stop sharing one identity answer: its consent is withdrawn and the answer deleted",
)
def stop_sharing(request: HttpRequest, slug: str, dimension: str) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise HttpError(404, "You have not applied to this programme.")
    try:
        services.application_identity_stop(
            application=view.application, dimension=dimension, channel=Channel.API
        )
    except RuleBroken as exc:
        raise HttpError(404, str(exc)) from exc
    return Status(204, None)
