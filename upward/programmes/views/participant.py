"""The participant's pages: programmes open to them, applying, changing answers until the
deadline, seeing their status, withdrawing, and stopping sharing an identity answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.consent.models import Channel

from .. import identity, selectors, services
from .. import working_style as ws
from ..eligibility import eligibility_reasons
from ..errors import RuleBroken
from ..forms import IdentityForm, SideChoiceForm
from ..models import Application, Side
from ..questions import AnswersForm, answers_for_display, initial_from
from ..services.applications import EDITABLE
from ._common import report

STATUS_WORDS: dict[str, str] = {
    Application.Status.SUBMITTED: "Your application is in. The coordinator will be in touch.",
    Application.Status.ACCEPTED: "You have a place. The coordinator will be in touch about "
    "training and your match.",
    Application.Status.WAITLISTED: "You are on the waiting list. If a place opens up, the "
    "coordinator will be in touch.",
    Application.Status.DECLINED: "There is no place for you this time. Thank you for applying.",
    Application.Status.WITHDRAWN: "You withdrew your application.",
}


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/participant/mine.html",
        {
            "views": selectors.participant_programmes(request.user),
            "person": selectors.person_of(request.user),
            "status_words": STATUS_WORDS,
        },
    )


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    view = selectors.participant_programme_or_404(request.user, slug)
    application = view.application
    if application is not None and application.status != Application.Status.WITHDRAWN:
        return redirect("programmes:my_application", slug=slug)
    if not view.can_apply:
        return render(
            request,
            "programmes/participant/closed.html",
            {"programme": view.programme, "view": view},
        )
    if len(view.sides) == 1:
        return redirect("programmes:apply_side", slug=slug, side=view.sides[0])
    form = SideChoiceForm(request.POST or None, sides=view.sides)
    if request.method == "POST" and form.is_valid():
        return redirect("programmes:apply_side", slug=slug, side=form.cleaned_data["side"])
    return render(
        request,
        "programmes/participant/choose_side.html",
        {"programme": view.programme, "form": form, "view": view},
    )


@login_required
def application_form(request: HttpRequest, slug: str, side: str) -> HttpResponse:
    """Apply on one side, or change the answers of an application not yet decided."""
    if side not in Side.values:
        raise Http404("No such side")
    view = selectors.participant_programme_or_404(request.user, slug)
    programme = view.programme
    existing = view.application
    editing = existing is not None and existing.status in EDITABLE
    if editing and existing is not None and existing.side != side:
        return redirect("programmes:apply_side", slug=slug, side=existing.side)
    if not editing and (side not in view.sides or not view.can_apply):
        if existing is not None and existing.status != Application.Status.WITHDRAWN:
            return redirect("programmes:my_application", slug=slug)
        raise Http404("Not open to you")
    if editing and not programme.applications_open:
        messages.info(request, "The deadline has passed, so your answers can no longer be changed.")
        return redirect("programmes:my_application", slug=slug)
    questions = selectors.form_questions(programme, side)
    topics = list(programme.topics.all())
    answers_initial = initial_from(questions, existing.answers or {}) if existing else {}
    identity_initial: dict[str, object] = {}
    if editing and existing is not None:
        for code, value in selectors.consented_identity(existing).items():
            identity_initial[f"identity_{code}"] = value
            identity_initial[f"consent_{code}"] = True
    answers_form = AnswersForm(
        request.POST or None,
        questions=questions,
        topics=topics,
        initial=answers_initial,
    )
    identity_form = IdentityForm(
        request.POST or None,
        dimensions=identity.dimensions_for(programme.identity_dimensions),
        scope_label=programme.name,
        initial=identity_initial,
    )
    style_form = (
        ws.WorkingStyleForm(
            request.POST or None,
            scope_label=programme.name,
            initial=ws.initial_for(existing) if editing else {},
        )
        if ws.asked(programme)
        else None
    )
    errors = False
    if request.method == "POST":
        style_ok = style_form is None or style_form.is_valid()
        if answers_form.is_valid() & identity_form.is_valid() & style_ok:
            try:
                application = services.application_submit(
                    programme=programme,
                    user=request.user,
                    side=side,
                    answers=answers_form.answers(),
                    identity_values=identity_form.values(),
                    identity_consents=identity_form.consents(),
                    channel=Channel.WEB,
                    working_style=style_form.answers() if style_form is not None else False,
                )
            except RuleBroken as exc:
                answers_form.add_error(None, str(exc))
                errors = True
            else:
                messages.success(
                    request,
                    "Your changes are saved." if editing else "Thank you: your application is in.",
                )
                return redirect("programmes:my_application", slug=application.programme.slug)
        else:
            errors = True
    form_obj = programme.forms.filter(side=side).first()
    return render(
        request,
        "programmes/participant/apply.html",
        {
            "programme": programme,
            "side": side,
            "side_label": Side(side).label,
            "intro": form_obj.intro if form_obj else "",
            "answers_form": answers_form,
            "identity_form": identity_form,
            "style_form": style_form,
            "editing": editing,
            "errors": errors,
            "error_count": len(answers_form.errors)
            + len(identity_form.errors)
            + (len(style_form.errors) if style_form is not None else 0),
            "view": view,
            "ineligible_reasons": eligibility_reasons(
                programme=programme, side=side, person=view.person
            ),
        },
        status=400 if errors else 200,
    )


@login_required
def my_application(request: HttpRequest, slug: str) -> HttpResponse:
    view = selectors.participant_programme_or_404(request.user, slug)
    application = view.application
    if application is None:
        return redirect("programmes:apply", slug=slug)
    programme = view.programme
    shared = [
        {"dimension": identity.BY_CODE[code], "value": identity.BY_CODE[code].option_label(value)}
        for code, value in sorted(selectors.consented_identity(application).items())
        if code in identity.BY_CODE
    ]
    return render(
        request,
        "programmes/participant/my_application.html",
        {
            "programme": programme,
            "application": application,
            "view": view,
            "status_words": STATUS_WORDS.get(application.status, ""),
            "answers": answers_for_display(
                selectors.form_questions(programme, application.side),
                application.answers or {},
                programme.topics.all(),
                include_sensitive=True,
            ),
            "shared": shared,
            "working_style": ws.own_scores(application),
            "can_edit": application.status in EDITABLE and programme.applications_open,
            "can_withdraw": application.status != Application.Status.WITHDRAWN,
        },
    )


@login_required
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    view = selectors.participant_programme_or_404(request.user, slug)
    application = view.application
    if application is None or application.status == Application.Status.WITHDRAWN:
        return redirect("programmes:my_application", slug=slug)
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, channel=Channel.WEB)
        except RuleBroken as exc:
            report(request, exc)
        else:
            messages.success(
                request,
                "You have withdrawn. Any identity answers you shared for this programme have been "
                "deleted. Thank you for considering it.",
            )
        return redirect("programmes:my_application", slug=slug)
    return render(
        request,
        "programmes/participant/withdraw.html",
        {"programme": view.programme, "application": application},
    )


@login_required
@require_POST
def identity_stop(request: HttpRequest, slug: str, dimension: str) -> HttpResponse:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise Http404("No application")
    try:
        services.application_identity_stop(
            application=view.application, dimension=dimension, channel=Channel.WEB
        )
    except RuleBroken as exc:
        report(request, exc)
    else:
        label = identity.BY_CODE[dimension].label.lower()
        messages.success(
            request, f"You have stopped sharing your {label}. Your answer has been deleted."
        )
    return redirect("programmes:my_application", slug=slug)
