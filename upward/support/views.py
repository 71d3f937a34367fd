"""Support pages: a participant's support page (resources, concerns, pause or end), raising a
concern, one concern's thread, and the handler's inbox with deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict
from upward.pairs import selectors as pair_selectors
from upward.privacy.audit import request_route
from upward.programmes.selectors import coordinated_programme_or_404

from . import selectors, services
from .emails import raiser_words
from .errors import SupportRuleBroken
from .forms import CloseForm, ConcernForm, MessageForm, TriageForm
from .permissions import is_handler


def _refused(request: HttpRequest, exc: Exception) -> int:
    messages.error(request, str(exc))
    return 409 if isinstance(exc, VersionConflict) else 400


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    pairs = list(pair_selectors.pairs_of_user(request.user))
    concerns = list(selectors.concerns_raised_by(request.user))
    return render(request, "support/mine.html", {"pairs": pairs, "concerns": concerns})


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
    return render(request, "support/inbox.html", {"rows": rows})


@login_required
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's view: reasons people gave for pausing or ending, never who gave them,
    and the strain flags of the programme's mentors."""
    prog = coordinated_programme_or_404(request.user, slug)
    return render(
        request,
        "support/programme.html",
        {"programme": prog, "reasons": list(selectors.exit_reasons_of(prog))},
    )
