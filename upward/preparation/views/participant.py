"""Participants' pages: my pair, the agreement (edit, sign, versions, PDF), my training and
workshops. The agreement pages are for the two people and the programme's coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.accounts.permissions import can_coordinate
from upward.core.ics import zone
from upward.pairs import selectors as pair_selectors
from upward.pairs.models import Pair
from upward.pairs.services import pair_state_change

from .. import gate, selectors, services
from ..content import content_type_of, render_markdown
from ..emails import person_zone, workshop_ics
from ..errors import PreparationRuleBroken
from ..forms import AgreementForm, SignForm
from ..models import Agreement
from ..pdf import agreement_pdf
from ._common import report, site_url, version_of


def _pair_context(request: HttpRequest, pair: Pair) -> dict[str, object]:
    side = pair.side_of(request.user)
    status = gate.status_of(pair)
    return {
        "pair": pair,
        "side": side,
        "partner": (pair.mentor if side == "leader" else pair.leader).person if side else None,
        "status": status,
        "waits_words": [gate.requirement_words(pair, r) for r in status.waits_for],
        "waived_words": [
            (gate.requirement_words(pair, r), reason) for r, reason in status.waived.items()
        ],
        "leader_role": pair.role_words("leader"),
        "mentor_role": pair.role_words("mentor"),
        "coordinator": can_coordinate(request.user, pair.programme),
    }


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    pairs = list(pair_selectors.pairs_of_user(request.user))
    statuses = gate.statuses(pairs)
    rows = [(p, [gate.requirement_words(p, r) for r in statuses[p.pk].waits_for]) for p in pairs]
    return render(request, "preparation/mine.html", {"rows": rows})


@login_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = pair_selectors.pair_or_404(request.user, pk)
    context = _pair_context(request, pair)
    context["events"] = list(pair.events.all())
    return render(request, "preparation/pair.html", context)


@login_required
@require_POST
def pair_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause, resume or end (either person, without fault), or complete (coordinators)."""
    pair = pair_selectors.pair_or_404(request.user, pk)
    action = request.POST.get("action", "")[:10]
    try:
        pair_state_change(
            pair=pair,
            action=action,
            by=request.user,
            version=version_of(request),
            note=request.POST.get("note", "")[:1000],
        )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"Done: the pair is now {pair.get_state_display().lower()}.")
    return redirect("preparation:pair", pk=pair.pk)


def _agreement(pair: Pair) -> Agreement:
    current = Agreement.objects.filter(pair=pair).order_by("-number").first()
    return current or services.agreement_start_for(pair)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    pair = pair_selectors.pair_or_404(request.user, pk)
    current = _agreement(pair)
    context = _pair_context(request, pair)
    status = 200
    form = AgreementForm(
        initial={f: getattr(current, f) for f in services.agreement.EDITABLE}
        | {"revision": current.revision}
    )
    if request.method == "POST":
        if context["side"] is None:
            raise Http404("Only the two people of the pair can change the agreement.")
        form = AgreementForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop("revision")
            try:
                saved = services.agreement_edit(
                    pair=pair, by=request.user, revision=revision, changes=data
                )
            except PreparationRuleBroken as exc:
                status = report(request, exc)
            else:
                if saved.number != current.number:
                    messages.success(
                        request,
                        f"Saved as version {saved.number}. It changed after signing, so you both "
                        "sign again.",
                    )
                else:
                    messages.success(request, "Saved.")
                return redirect("preparation:agreement", pk=pair.pk)
        else:
            status = 400
    if pair.reciprocal:
        form.fields["leader_gains"].label = f"What {pair.leader.person.name} hopes to gain"
        form.fields["mentor_gains"].label = f"What {pair.mentor.person.name} hopes to gain"
    context.update(
        {
            "agreement": current,
            "form": form,
            "sign_form": SignForm(initial={"number": current.number, "revision": current.revision}),
            "versions": selectors.agreements_of(pair),
            "topics_html": render_markdown(current.topics),
            "my_signature": getattr(current, f"{context['side']}_signed_at")
            if context["side"]
            else None,
        }
    )
    return render(request, "preparation/agreement.html", context, status=status)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    pair = pair_selectors.pair_or_404(request.user, pk)
    if pair.side_of(request.user) is None:
        raise Http404("Only the two people of the pair sign the agreement.")
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type your full name to sign.")
        return redirect("preparation:agreement", pk=pair.pk)
    try:
        services.agreement_sign(
            pair=pair,
            user=request.user,
            number=form.cleaned_data["number"],
            revision=form.cleaned_data["revision"],
            typed_name=form.cleaned_data["typed_name"],
        )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        pair.refresh_from_db()
        if pair.state == Pair.State.ACTIVE:
            messages.success(request, "Signed. You are both ready: your pair is now active.")
        else:
            messages.success(request, "Signed. Your signature and the time are recorded.")
    return redirect("preparation:agreement", pk=pair.pk)


@login_required
def agreement_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    pair = pair_selectors.pair_or_404(request.user, pk)
    version = selectors.agreement_version(pair, number)
    context = _pair_context(request, pair)
    context.update(
        {
            "agreement": version,
            "latest": _agreement(pair).number,
            "topics_html": render_markdown(version.topics),
        }
    )
    return render(request, "preparation/agreement_version.html", context)


@login_required
def agreement_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    pair = pair_selectors.pair_or_404(request.user, pk)
    version = selectors.agreement_version(pair, number)
    pdf = agreement_pdf(pair, version, _agreement(pair).number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{pair.pk}-v{number}.pdf"'
    return response


# --- training --------------------------------------------------------------------------------


@login_required
def training(request: HttpRequest) -> HttpResponse:
    tz = zone(person_zone(request.user))
    workshops = [
        (w, place, w.starts_at.astimezone(tz)) for w, place in selectors.my_workshops(request.user)
    ]
    return render(
        request,
        "preparation/training.html",
        {
            "programmes": selectors.my_training(request.user),
            "workshops": workshops,
            "zone": str(tz),
        },
    )


@login_required
def module(request: HttpRequest, pk: int) -> HttpResponse:
    item, done = selectors.module_for(request.user, pk)
    questions = list(item.questions.all())
    status = 200
    if request.method == "POST":
        answers: dict[int, int] = {}
        for q in questions:
            raw = request.POST.get(f"q{q.pk}", "")
            if raw.isdigit() and int(raw) < len(q.choices):
                answers[q.pk] = int(raw)
        try:
            services.module_complete(
                module=item, user=request.user, answers=answers, base_url=site_url(request)
            )
        except PreparationRuleBroken as exc:
            status = report(request, exc)
        else:
            messages.success(request, f"You finished “{item.title}”.")
            return redirect("preparation:training")
    return render(
        request,
        "preparation/module.html",
        {
            "module": item,
            "done": done,
            "questions": questions,
            "body_html": render_markdown(item.body),
        },
        status=status,
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.module_readable(request.user, pk)
    if not item.attachment:
        raise Http404("This module has no file.")
    name = item.attachment_name or "file"
    return FileResponse(
        item.attachment.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type_of(name),
    )


@login_required
@require_POST
def workshop_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.workshop_for_user(request.user, pk)
    try:
        seat = services.workshop_sign_up(
            workshop=workshop, user=request.user, base_url=site_url(request)
        )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        if seat.status == seat.Status.BOOKED:
            messages.success(request, "You have a place. The calendar invitation is on its way.")
        else:
            messages.success(request, "The workshop is full: you are on the waiting list.")
    return redirect("preparation:training")


@login_required
@require_POST
def workshop_leave(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.workshop_for_user(request.user, pk)
    try:
        services.workshop_leave(workshop=workshop, user=request.user, base_url=site_url(request))
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, "You have left the workshop.")
    return redirect("preparation:training")


@login_required
def workshop_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.workshop_for_user(request.user, pk)
    response = HttpResponse(
        workshop_ics(workshop, request.user, site_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.ics"'
    return response
