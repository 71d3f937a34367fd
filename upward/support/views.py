"""Support pages: a participant's support page (resources, concerns, pause or end), raising a
concern, one concern's thread, and the handler's inbox with deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict
from upward.matches.errors import MatchRuleBroken
from upward.pairs import selectors as pair_selectors
from upward.pairs.models import Pair
from upward.privacy.audit import request_route
from upward.programmes.models import Programme
from upward.programmes.selectors import coordinated_programme_or_404

from . import selectors, services
from .emails import raiser_words
from .errors import SupportRuleBroken
from .forms import CloseForm, ConcernForm, MessageForm, PulseForm, ResourceForm, TriageForm
from .permissions import can_manage_organisation_resources, is_handler


def _refused(request: HttpRequest, exc: Exception) -> int:
    messages.error(request, str(exc))
    return 409 if isinstance(exc, VersionConflict) else 400


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    pairs = list(pair_selectors.pairs_of_user(request.user))
    concerns = list(selectors.concerns_raised_by(request.user))
    programmes = list({p.programme_id: p.programme for p in pairs}.values())
    found = list(selectors.resources_for_programmes(programmes)) if programmes else []
    mentoring = _mentoring(request, pairs)
    return render(
        request,
        "support/mine.html",
        {
            "pairs": pairs,
            "concerns": concerns,
            "resources": found,
            "pulse_form": PulseForm(pairs=mentoring) if mentoring else None,
            "load": selectors.mentor_load(request.user) if mentoring else None,
        },
    )


def _mentoring(request: HttpRequest, pairs: list[Pair]) -> list[Pair]:
    """Live pairs in which the user is the mentor (or either side, when reciprocal)."""
    return [p for p in pairs if p.live and (p.side_of(request.user) == "mentor" or p.reciprocal)]


@login_required
@require_POST
def pulse(request: HttpRequest) -> HttpResponse:
    mentoring = _mentoring(request, list(pair_selectors.pairs_of_user(request.user)))
    if not mentoring:
        raise Http404("The pulse is for mentors in a pair.")
    form = PulseForm(request.POST, pairs=mentoring)
    if not form.is_valid():
        messages.error(request, "Choose the relationship, the day, your energy and the strain.")
        return redirect("support:mine")
    data = form.cleaned_data
    try:
        services.pulse_record(
            pair=next(p for p in mentoring if p.pk == data["pair"]),
            by=request.user,
            on=data["on"],
            energy=data["energy"],
            strain=data["strain"],
        )
    except SupportRuleBroken as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you. Only you see your answers.")
    return redirect("support:mine")


@login_required
def concern_raise(request: HttpRequest) -> HttpResponse:
    pairs = [p for p in pair_selectors.pairs_of_user(request.user)]
    if not pairs:
        raise Http404("You can raise a concern once you are in a pair.")
    status = 200
    form = ConcernForm(request.POST or None, pairs=pairs, initial={"pair": request.GET.get("pair")})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            pair = next(p for p in pairs if p.pk == data["pair"])
            try:
                concern = services.concern_raise(
                    by=request.user,
                    pair=pair,
                    about=data["about"],
                    route_to=data["route_to"],
                    anonymous=data["anonymous"],
                    body=data["body"],
                )
            except SupportRuleBroken as exc:
                status = _refused(request, exc)
            else:
                messages.success(request, "Your concern was sent. Only its handler reads it.")
                if concern.routing_note:
                    messages.info(request, concern.routing_note)
                return redirect("support:concern", pk=concern.pk)
        else:
            status = 400
    return render(request, "support/raise.html", {"form": form}, status=status)


def _concern_page(
    request: HttpRequest, pk: int, status: int = 200, **forms: object
) -> HttpResponse:
    concern = selectors.concern_or_404(request.user, pk, route=request_route(request))
    handler = is_handler(request.user, concern)
    context = {
        "concern": concern,
        "thread": list(concern.messages.all()),
        "handler": handler,
        "who": raiser_words(concern) if handler else "you",
        "overdue": selectors.is_overdue(concern),
        "message_form": forms.get("message_form") or MessageForm(),
        "triage_form": forms.get("triage_form")
        or TriageForm(initial={"version": concern.version, "state": concern.state}),
        "close_form": forms.get("close_form") or CloseForm(initial={"version": concern.version}),
    }
    return render(request, "support/concern.html", context, status=status)


@login_required
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _concern_page(request, pk)


@login_required
@require_POST
def concern_reply(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_or_404(request.user, pk, route=request_route(request))
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your message first: it is empty.")
        return _concern_page(request, pk, status=400, message_form=form)
    try:
        services.concern_reply(concern=concern, by=request.user, body=form.cleaned_data["body"])
    except SupportRuleBroken as exc:
        return _concern_page(request, pk, status=_refused(request, exc), message_form=form)
    messages.success(request, "Sent.")
    return redirect("support:concern", pk=pk)


@login_required
@require_POST
def concern_triage(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_or_404(request.user, pk, route=request_route(request))
    if not is_handler(request.user, concern):
        raise Http404("No such concern.")
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose triaged or in progress.")
        return _concern_page(request, pk, status=400, triage_form=form)
    try:
        services.concern_triage(
            concern=concern,
            by=request.user,
            state=form.cleaned_data["state"],
            version=form.cleaned_data["version"],
        )
    except (SupportRuleBroken, VersionConflict) as exc:
        return _concern_page(request, pk, status=_refused(request, exc))
    messages.success(request, "Saved.")
    return redirect("support:concern", pk=pk)


@login_required
@require_POST
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_or_404(request.user, pk, route=request_route(request))
    if not is_handler(request.user, concern):
        raise Http404("No such concern.")
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the outcome first: the raiser reads it.")
        return _concern_page(request, pk, status=400, close_form=form)
    try:
        services.concern_close(
            concern=concern,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            version=form.cleaned_data["version"],
        )
    except (SupportRuleBroken, VersionConflict) as exc:
        return _concern_page(request, pk, status=_refused(request, exc), close_form=form)
    messages.success(request, "Closed. The raiser can read the outcome.")
    return redirect("support:concern", pk=pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = [
        (c, raiser_words(c), selectors.is_overdue(c))
        for c in selectors.concerns_for_handler(request.user)
    ]
    flags = list(selectors.strain_flags_for_wellbeing_lead(request.user))
    return render(request, "support/inbox.html", {"rows": rows, "flags": flags})


@login_required
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's view: reasons people gave for pausing or ending, never who gave them,
    and the strain flags of the programme's mentors."""
    prog = coordinated_programme_or_404(request.user, slug)
    return render(
        request,
        "support/programme.html",
        {
            "programme": prog,
            "reasons": list(selectors.exit_reasons_of(prog)),
            "flags": list(selectors.strain_flags_of(prog)),
            "ended": list(pair_selectors.programme_pairs(prog).filter(state=Pair.State.ENDED)),
        },
    )


def _scopes(request: HttpRequest, prog: Programme) -> list[tuple[int, str]]:
    """0 is the programme itself; an organisation's id for the whole organisation."""
    scopes = [(0, f"Participants of {prog.name}")]
    scopes += [
        (org.pk, f"Everyone of {org.name}, in any programme")
        for org in prog.organisations.all()
        if can_manage_organisation_resources(request.user, org.pk)
    ]
    return scopes


@login_required
def resources(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinators' and wellbeing leads' list of resources, and the form to add one."""
    prog = selectors.managed_programme_or_404(request.user, slug)
    scopes = _scopes(request, prog)
    form = ResourceForm(request.POST or None, scopes=scopes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.resource_save(
                    programme=prog,
                    by=request.user,
                    data=data,
                    organisation_id=data["scope"] or None,
                )
            except SupportRuleBroken as exc:
                status = _refused(request, exc)
            else:
                messages.success(request, "Added.")
                return redirect("support:resources", slug=prog.slug)
        else:
            status = 400
    context = {"programme": prog, "resources": list(selectors.resources_of(prog)), "form": form}
    return render(request, "support/resources.html", context, status=status)


@login_required
def resource_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    prog = selectors.managed_programme_or_404(request.user, slug)
    resource = selectors.resources_of(prog).filter(pk=pk).first()
    if resource is None:
        raise Http404("No such resource.")
    scope = resource.organisation_id or 0
    initial = {"version": resource.version, "scope": scope}
    form = ResourceForm(
        request.POST or None,
        instance=None,
        initial=initial | {f: getattr(resource, f) for f in services.RESOURCE_FIELDS},
        scopes=[s for s in _scopes(request, prog) if s[0] == scope]
        or [(scope, str(resource.organisation or prog))],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if "delete" in request.POST:
                    services.resource_delete(
                        programme=prog,
                        by=request.user,
                        resource=resource,
                        version=form.cleaned_data["version"] or 0,
                    )
                    messages.success(request, "Removed.")
                else:
                    services.resource_save(
                        programme=prog,
                        by=request.user,
                        data=form.cleaned_data,
                        resource=resource,
                        version=form.cleaned_data["version"],
                    )
                    messages.success(request, "Saved.")
            except (SupportRuleBroken, VersionConflict) as exc:
                status = _refused(request, exc)
            else:
                return redirect("support:resources", slug=prog.slug)
        else:
            status = 400
    context = {"programme": prog, "resource": resource, "form": form}
    return render(request, "support/resource_edit.html", context, status=status)


@login_required
@require_POST
def rematch(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    prog = coordinated_programme_or_404(request.user, slug)
    pair = pair_selectors.programme_pairs(prog).filter(pk=pk).first()
    if pair is None:
        raise Http404("No such pair.")
    try:
        run = services.pair_rematch_offer(pair=pair, by=request.user)
    except (SupportRuleBroken, MatchRuleBroken) as exc:
        messages.error(request, str(exc))
        return redirect("support:programme", slug=prog.slug)
    messages.success(
        request,
        f"Rematch run {run.number} started for the remaining pool; this pair is never proposed "
        "again. Review and publish it from the matching page.",
    )
    return redirect("support:programme", slug=prog.slug)
