"""Pages of idea sessions, leaders' commitments, nominations for sponsorship and the sponsor's
programme page. Views validate and render; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from upward.accounts.models import User
from upward.accounts.permissions import can_coordinate
from upward.core.versioning import VersionConflict
from upward.evidence.sections import sections_for

from . import selectors, services
from .errors import AccountabilityRuleBroken
from .forms import (
    AnswerForm,
    EditForm,
    GroupForm,
    IdeaForm,
    NominationForm,
    OutcomeForm,
    SessionForm,
    TermsForm,
    UpdateForm,
)
from .models import Nomination
from .permissions import can_see_programme_commitments, can_take_part, can_update_commitment


def _status(error: Exception) -> int:
    return 409 if isinstance(error, VersionConflict) else 400


def _form_problems(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _owner_of(pk: int | None) -> Any:
    return User.objects.filter(pk=pk).first() if pk else None


# --- idea sessions ---------------------------------------------------------------------------


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """Where ideas and commitments start: each programme the person may open, its open
    sessions, and (for coordinators and sponsors) the programme page."""
    return render(
        request, "accountability/hub.html", {"rows": selectors.hub_programmes(request.user)}
    )


def _sessions_page(
    request: HttpRequest, slug: str, form: SessionForm | None = None, status: int = 200
) -> HttpResponse:
    programme = selectors.programme_or_404(slug)
    if not can_take_part(request.user, programme):
        raise Http404("No such programme.")
    coordinating = can_coordinate(request.user, programme)
    context = {
        "programme": programme,
        "sessions": list(selectors.sessions_of(programme)),
        "coordinating": coordinating,
        "form": (form or SessionForm()) if coordinating else None,
        "now": timezone.now(),
    }
    return render(request, "accountability/sessions.html", context, status=status)


@login_required
def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    return _sessions_page(request, slug)


@login_required
@require_POST
def session_open(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_or_404(slug)
    if not can_coordinate(request.user, programme):
        raise Http404("No such programme.")
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _sessions_page(request, slug, form, status=400)
    try:
        session = services.idea_session_open(
            programme=programme, by=request.user, **form.cleaned_data
        )
    except AccountabilityRuleBroken as exc:
        form.add_error(None, str(exc))
        return _sessions_page(request, slug, form, status=400)
    messages.success(request, "The idea session is set up.")
    return redirect("accountability:session", pk=session.pk)


def _session_page(
    request: HttpRequest,
    pk: int,
    *,
    idea_form: IdeaForm | None = None,
    group_form: GroupForm | None = None,
    status: int = 200,
) -> HttpResponse:
    session = selectors.session_or_404(request.user, pk)
    coordinating = can_coordinate(request.user, session.programme)
    ideas = selectors.ideas_of(session, request.user)
    context: dict[str, Any] = {
        "session": session,
        "programme": session.programme,
        "ideas": ideas,
        "is_open": session.is_open(),
        "participant": not coordinating or can_take_part(request.user, session.programme),
        "votes_left": selectors.votes_left(session, request.user),
        "idea_form": idea_form or IdeaForm(),
        "coordinating": coordinating,
    }
    if coordinating:
        context["groups"] = list(selectors.groups_of(session))
        context["suggested"] = selectors.suggested_groups(session)
        context["group_form"] = group_form or GroupForm(
            ideas=ideas, initial={"version": session.version}
        )
    return render(request, "accountability/session.html", context, status=status)


@login_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, pk)


@login_required
@require_POST
def idea_submit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_or_404(request.user, pk)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        return _session_page(request, pk, idea_form=form, status=400)
    try:
        idea = services.idea_submit(session=session, by=request.user, **form.cleaned_data)
    except AccountabilityRuleBroken as exc:
        form.add_error(None, str(exc))
        return _session_page(request, pk, idea_form=form, status=400)
    messages.success(
        request,
        "Your idea is in, anonymously: it is not linked to you."
        if idea.anonymous
        else "Your idea is in.",
    )
    return redirect("accountability:session", pk=session.pk)


def _vote(request: HttpRequest, pk: int, call: Any, success: str) -> HttpResponse:
    idea = selectors.idea_or_404(request.user, pk)
    try:
        call(idea=idea, by=request.user)
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _session_page(request, idea.session_id, status=400)
    messages.success(request, success)
    return redirect("accountability:session", pk=idea.session_id)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _vote(request, pk, services.idea_vote, "Your vote is counted.")


@login_required
@require_POST
def unvote(request: HttpRequest, pk: int) -> HttpResponse:
    return _vote(request, pk, services.idea_unvote, "Your vote is withdrawn and free to use again.")


@login_required
@require_POST
def group(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_or_404(request.user, pk)
    if not can_coordinate(request.user, session.programme):
        raise Http404("No such idea session.")
    form = GroupForm(request.POST, ideas=selectors.ideas_of(session, request.user))
    if not form.is_valid():
        _form_problems(request, form)
        return _session_page(request, pk, group_form=form, status=400)
    try:
        services.ideas_group(
            session=session,
            by=request.user,
            title=form.cleaned_data["title"],
            ideas=form.cleaned_data["ideas"],
            version=form.cleaned_data["version"],
        )
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _session_page(request, pk, group_form=form, status=_status(exc))
    messages.success(request, "The ideas are grouped.")
    return redirect("accountability:session", pk=session.pk)


@login_required
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_or_404(request.user, pk)
    programme = idea.session.programme
    if not can_coordinate(request.user, programme):
        raise Http404("No such idea.")
    leaders = selectors.programme_leaders(programme)
    status = 200
    if request.method == "POST":
        form = TermsForm(request.POST, leaders=leaders)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["owner"] = _owner_of(data.pop("owner"))
            try:
                commitment = services.idea_adopt(idea=idea, by=request.user, **data)
            except AccountabilityRuleBroken as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Adopted: the leader's commitment is made.")
                return redirect("accountability:commitment", pk=commitment.pk)
        status = 400
    else:
        form = TermsForm(leaders=leaders, initial={"change": idea.text})
    context = {"idea": idea, "programme": programme, "form": form}
    return render(request, "accountability/adopt.html", context, status=status)


# --- commitments -----------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.commitments_owned(request.user).prefetch_related("updates"))
    context = {"rows": [(c, selectors.standing(c)) for c in rows]}
    return render(request, "accountability/mine.html", context)


def _commitment_page(
    request: HttpRequest,
    pk: int,
    *,
    update_form: UpdateForm | None = None,
    edit_form: EditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    commitment = selectors.commitment_or_404(request.user, pk)
    may_update = can_update_commitment(request.user, commitment)
    context: dict[str, Any] = {
        "commitment": commitment,
        "programme": commitment.programme,
        "standing": selectors.standing(commitment),
        "owner": selectors.owner_shown(commitment, request.user),
        "updates": list(commitment.updates.all()),
        "may_update": may_update and not commitment.finished,
        "may_edit": may_update,
    }
    if may_update:
        context["update_form"] = update_form or UpdateForm(
            initial={"status": commitment.status, "version": commitment.version}
        )
        leaders = selectors.programme_leaders(commitment.programme)
        context["edit_form"] = edit_form or EditForm(
            leaders=leaders,
            initial={
                "owner": commitment.owner_id,
                "change": commitment.change,
                "measure": commitment.measure,
                "baseline": commitment.baseline,
                "target": commitment.target,
                "due_on": commitment.due_on,
                "version": commitment.version,
            },
        )
    return render(request, "accountability/commitment.html", context, status=status)


@login_required
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_page(request, pk)


@login_required
@require_POST
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.commitment_to_update_or_404(request.user, pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        _form_problems(request, form)
        return _commitment_page(request, pk, update_form=form, status=400)
    try:
        services.commitment_update(commitment=item, by=request.user, **form.cleaned_data)
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _commitment_page(request, pk, update_form=form, status=_status(exc))
    messages.success(request, "Your update is posted.")
    return redirect("accountability:commitment", pk=item.pk)


@login_required
@require_POST
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.commitment_to_update_or_404(request.user, pk)
    leaders = selectors.programme_leaders(item.programme)
    form = EditForm(request.POST, leaders=leaders)
    if not form.is_valid():
        _form_problems(request, form)
        return _commitment_page(request, pk, edit_form=form, status=400)
    data = dict(form.cleaned_data)
    data["owner"] = _owner_of(data.pop("owner"))
    try:
        services.commitment_edit(commitment=item, by=request.user, **data)
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _commitment_page(request, pk, edit_form=form, status=_status(exc))
    messages.success(request, "The commitment is changed; its earlier terms are kept.")
    return redirect("accountability:commitment", pk=item.pk)


@login_required
def programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The sponsor's programme page: commitments and their follow-through, sponsorship counts,
    cohort events held and their attendance."""
    programme = selectors.programme_or_404(slug)
    if not can_see_programme_commitments(request.user, programme):
        raise Http404("No such programme.")
    rows = list(selectors.programme_commitments(programme))
    coordinating = can_coordinate(request.user, programme)
    context = {
        "programme": programme,
        "coordinating": coordinating,
        "agreed": list(selectors.agreed_nominations(programme)) if coordinating else [],
        "outcomes": Nomination.Outcome.choices,
        "rows": [(c, selectors.standing(c)) for c in rows],
        "follow": selectors.follow_through(rows),
        "sponsorship": selectors.sponsorship_counts(programme),
        "summary": selectors.programme_summary(programme),
        # Events held and attendance come from the cohort app, through evidence's sections hook.
        "events": next(
            (data for section, data in sections_for(programme) if section.key == "cohort_events"),
            None,
        ),
    }
    return render(request, "accountability/programme.html", context)


# --- nominations -----------------------------------------------------------------------------


def _nominations_page(
    request: HttpRequest, form: NominationForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "made": list(selectors.nominations_made(request.user)),
        "received": list(selectors.nominations_received(request.user)),
        "pairs": list(selectors.leader_pairs(request.user)),
        "form": form or NominationForm(),
        "outcomes": Nomination.Outcome.choices,
    }
    return render(request, "accountability/nominations.html", context, status=status)


@login_required
def nominations(request: HttpRequest) -> HttpResponse:
    return _nominations_page(request)


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.leader_pair_or_404(request.user, pk)
    form = NominationForm(request.POST)
    if not form.is_valid():
        _form_problems(request, form)
        return _nominations_page(request, form, status=400)
    try:
        services.nomination_make(pair=pair, by=request.user, **form.cleaned_data)
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _nominations_page(request, form, status=400)
    messages.success(request, "Your mentor is asked, privately. You will see their answer here.")
    return redirect("accountability:nominations")


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_to_answer_or_404(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _form_problems(request, form)
        return _nominations_page(request, status=400)
    try:
        services.nomination_answer(
            nomination=nomination,
            by=request.user,
            agree=form.cleaned_data["answer"] == "agree",
            version=form.cleaned_data["version"],
        )
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _nominations_page(request, status=_status(exc))
    messages.success(request, "Thank you: your answer is saved.")
    return redirect("accountability:nominations")


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_to_close_or_404(request.user, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        _form_problems(request, form)
        return _nominations_page(request, status=400)
    try:
        services.nomination_outcome(
            nomination=nomination,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            version=form.cleaned_data["version"],
        )
    except AccountabilityRuleBroken as exc:
        messages.error(request, str(exc))
        return _nominations_page(request, status=_status(exc))
    messages.success(request, "The outcome is recorded.")
    if nomination.pair.leader.user_id == request.user.pk:
        return redirect("accountability:nominations")
    return redirect("accountability:programme", slug=nomination.pair.programme.slug)
