"""Application forms per side (questions, order, preview), the topic taxonomy and the
eligibility rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict, conflict_form

from .. import identity, selectors, services
from ..errors import RuleBroken
from ..forms import EligibilityForm, FormIntroForm, IdentityForm, QuestionForm, TopicForm
from ..models import Application, ApplicationForm, EligibilityRule, Programme, Question, Side, Topic
from ..questions import AnswersForm
from ._common import coordinator_page, report


def _side(side: str) -> str:
    if side not in Side.values:
        raise Http404("No such side")
    return side


def _form(programme: Programme, side: str) -> ApplicationForm:
    form, _ = ApplicationForm.objects.get_or_create(programme=programme, side=_side(side))
    return form


@coordinator_page
def form_page(request: HttpRequest, programme: Programme, side: str) -> HttpResponse:
    form = _form(programme, side)
    intro_form = FormIntroForm(request.POST or None, instance=form)
    status = 200
    if request.method == "POST" and intro_form.is_valid():
        try:
            services.form_intro_set(
                form=ApplicationForm.objects.get(pk=form.pk),
                by=request.user,
                version=intro_form.expected_version,
                intro=intro_form.cleaned_data["intro"],
            )
        except VersionConflict as exc:
            form = ApplicationForm.objects.get(pk=form.pk)
            intro_form = conflict_form(intro_form, FormIntroForm(instance=form), exc)
            status = 409
        else:
            messages.success(request, "Introduction saved.")
            return redirect("programmes:form", slug=programme.slug, side=side)
    return render(
        request,
        "programmes/builder/form.html",
        {
            "programme": programme,
            "tab": "forms",
            "side": side,
            "side_label": Side(side).label,
            "form_obj": form,
            "questions": form.questions.all(),
            "intro_form": intro_form,
            "applied": Application.objects.filter(programme=programme, side=side).count(),
        },
        status=status,
    )


def _question_form(question: Question | None, data: object) -> QuestionForm:
    if question is None:
        return QuestionForm(data)
    return QuestionForm(data, initial=QuestionForm.initial_for(question), version=question.version)


def _question_page(
    request: HttpRequest, programme: Programme, side: str, question: Question | None
) -> HttpResponse:
    form_obj = _form(programme, side)
    form = _question_form(question, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                form=form_obj,
                by=request.user,
                question=question,
                version=form.expected_version if question else None,
                **form.service_kwargs(),
            )
        except VersionConflict as exc:
            if question is None:  # only a change to a question can be stale
                raise
            question = Question.objects.get(pk=question.pk)
            form = conflict_form(form, _question_form(question, None), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Question saved.")
            return redirect("programmes:form", slug=programme.slug, side=side)
    return render(
        request,
        "programmes/builder/question.html",
        {
            "programme": programme,
            "tab": "forms",
            "side": side,
            "side_label": Side(side).label,
            "form": form,
            "question": question,
        },
        status=status,
    )


@coordinator_page
def question_new(request: HttpRequest, programme: Programme, side: str) -> HttpResponse:
    return _question_page(request, programme, _side(side), None)


@coordinator_page
def question_edit(request: HttpRequest, programme: Programme, side: str, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk, form__programme=programme, form__side=_side(side))
    return _question_page(request, programme, side, question)


@coordinator_page
@require_POST
def question_remove(request: HttpRequest, programme: Programme, side: str, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk, form__programme=programme, form__side=_side(side))
    services.question_remove(question=question, by=request.user)
    messages.success(request, "Question removed. Answers already given are kept but not shown.")
    return redirect("programmes:form", slug=programme.slug, side=side)


@coordinator_page
@require_POST
def question_move(request: HttpRequest, programme: Programme, side: str, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk, form__programme=programme, form__side=_side(side))
    try:
        services.question_move(
            question=question, by=request.user, direction=request.POST.get("direction", "")
        )
    except RuleBroken as exc:
        report(request, exc)
    return redirect("programmes:form", slug=programme.slug, side=side)


@coordinator_page
@require_POST
def form_reset(request: HttpRequest, programme: Programme, side: str) -> HttpResponse:
    try:
        services.form_reset(programme=programme, side=_side(side), by=request.user)
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, "The form is back to the default questions for the objectives.")
    return redirect("programmes:form", slug=programme.slug, side=side)


@coordinator_page
def form_preview(request: HttpRequest, programme: Programme, side: str) -> HttpResponse:
    """The form exactly as applicants see it; submitting it checks the answers, saves nothing."""
    questions = selectors.form_questions(programme, _side(side))
    topics = list(programme.topics.all())
    answers = AnswersForm(request.POST or None, questions=questions, topics=topics)
    identity_form = IdentityForm(
        request.POST or None,
        dimensions=identity.dimensions_for(programme.identity_dimensions),
        scope_label=programme.name,
    )
    checked = request.method == "POST" and answers.is_valid() & identity_form.is_valid()
    return render(
        request,
        "programmes/builder/preview.html",
        {
            "programme": programme,
            "tab": "forms",
            "side": side,
            "side_label": Side(side).label,
            "form_obj": _form(programme, side),
            "answers_form": answers,
            "identity_form": identity_form,
            "checked": checked,
        },
    )


@coordinator_page
def topics(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_save(
                programme=programme,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except RuleBroken as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"“{topic.name}” added.")
            return redirect("programmes:topics", slug=programme.slug)
    return render(
        request,
        "programmes/builder/topics.html",
        {"programme": programme, "tab": "forms", "topics": programme.topics.all(), "form": form},
    )


@coordinator_page
@require_POST
def topic_remove(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, programme=programme)
    services.topic_remove(topic=topic, by=request.user)
    messages.success(request, f"“{topic.name}” removed from the taxonomy.")
    return redirect("programmes:topics", slug=programme.slug)


def _eligibility_form(programme: Programme, side: str, data: object) -> EligibilityForm:
    rule = EligibilityRule.objects.filter(programme=programme, side=side).first()
    initial = (
        {
            "grade_min": rule.grade_min,
            "grade_max": rule.grade_max,
            "min_tenure_months": rule.min_tenure_months,
            "organisations": list(rule.organisations.all()),
            "respect_mentor_load": rule.respect_mentor_load,
        }
        if rule
        else {"respect_mentor_load": True}
    )
    return EligibilityForm(
        data,
        programme=programme,
        side=side,
        initial=initial,
        version=rule.version if rule else None,
    )


@coordinator_page
def eligibility(request: HttpRequest, programme: Programme) -> HttpResponse:
    forms_by_side: dict[str, EligibilityForm] = {}
    for side in (Side.LEADER, Side.MENTOR):
        bound = (
            request.POST if request.method == "POST" and request.POST.get("side") == side else None
        )
        forms_by_side[side] = _eligibility_form(programme, side, bound)
    status = 200
    if request.method == "POST":
        posted = request.POST.get("side", "")
        form = forms_by_side.get(posted)
        if form is None:
            raise Http404("No such side")
        if form.is_valid():
            data = form.cleaned_data
            try:
                _, changed = services.eligibility_rule_set(
                    programme=programme,
                    side=posted,
                    by=request.user,
                    version=data.get("version"),
                    grade_min=data["grade_min"],
                    grade_max=data["grade_max"],
                    min_tenure_months=data["min_tenure_months"],
                    organisations=data["organisations"],
                    respect_mentor_load=data.get("respect_mentor_load", False),
                )
            except VersionConflict as exc:
                fresh = _eligibility_form(programme, posted, None)
                forms_by_side[posted] = conflict_form(form, fresh, exc)
                status = 409
            except RuleBroken as exc:
                form.add_error(None, str(exc))
            else:
                note = (
                    f" {changed} undecided application{'s' if changed != 1 else ''} changed "
                    "eligibility."
                    if changed
                    else ""
                )
                plural = "leaders" if posted == Side.LEADER else "mentors"
                messages.success(request, f"Rules for {plural} saved.{note}")
                return redirect("programmes:eligibility", slug=programme.slug)
    return render(
        request,
        "programmes/builder/eligibility.html",
        {
            "programme": programme,
            "tab": "forms",
            "sides": [(side, Side(side).label, forms_by_side[side]) for side in forms_by_side],
        },
        status=status,
    )
