"""Invitations: waves picked by grade, department, organisation or a list; counts; reminders;
and the invited person's landing page behind their personal link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from upward.accounts.models import User
from upward.directory.models import Person
from upward.support import selectors as support_selectors

from .. import selectors, services
from ..errors import RuleBroken
from ..forms import InvitationAccountForm, OpenCallForm, WaveForm
from ..models import EligibilityRule, Invitation, Programme, Side
from ._common import coordinator_page, report, site_url

PREVIEW_ROWS = 50


@coordinator_page
def invitations(request: HttpRequest, programme: Programme) -> HttpResponse:
    totals, per_wave = selectors.invitation_counts(programme)
    status = request.GET.get("status", "")
    listed = programme.invitations.select_related("person__organisation", "wave")
    if status in Invitation.Status.values:
        listed = listed.filter(status=status)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    waves = [(wave, per_wave.get(wave.pk)) for wave in selectors.waves_of(programme)]
    return render(
        request,
        "programmes/invitations/list.html",
        {
            "programme": programme,
            "tab": "invitations",
            "totals": totals,
            "waves": waves,
            "page": page,
            "status": status,
            "statuses": Invitation.Status.choices,
            "open_call_form": OpenCallForm(
                initial={
                    "leaders": programme.open_call_leaders,
                    "mentors": programme.open_call_mentors,
                },
                version=programme.version,
            ),
        },
    )


def _first_wave_defaults(programme: Programme) -> dict[str, object]:
    """The first wave goes to the most senior people; later ones default to mentors."""
    has_leader_wave = programme.waves.filter(side=Side.LEADER).exists()
    side = Side.MENTOR if has_leader_wave else Side.LEADER
    rule = EligibilityRule.objects.filter(programme=programme, side=side).first()
    initial: dict[str, object] = {
        "side": side,
        "order": "senior" if side == Side.LEADER else "junior",
    }
    if rule is not None:
        initial["grade_min"] = rule.grade_min
        initial["grade_max"] = rule.grade_max
    return initial


@coordinator_page
def wave_new(request: HttpRequest, programme: Programme) -> HttpResponse:
    departments = selectors.departments_of(programme)
    form = WaveForm(
        request.POST or None,
        programme=programme,
        departments=departments,
        initial=_first_wave_defaults(programme),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        criteria = form.criteria()
        unmatched = (
            selectors.unmatched_identifiers(programme, criteria["identifiers"])
            if criteria["identifiers"]
            else []
        )
        candidates = selectors.invitation_candidates(
            programme=programme,
            organisation_ids=criteria["organisation_ids"],
            departments=criteria["departments"],
            grade_min=criteria["grade_min"],
            grade_max=criteria["grade_max"],
            identifiers=criteria["identifiers"],
            order=criteria["order"],
        )
        limit = form.cleaned_data.get("limit")
        people = list(candidates[:limit] if limit else candidates)
        if request.POST.get("action") == "send":
            try:
                wave = services.invitation_wave_send(
                    programme=programme,
                    by=request.user,
                    side=form.cleaned_data["side"],
                    people=people,
                    criteria={**criteria, "limit": limit},
                    message=form.cleaned_data["message"],
                    base_url=site_url(request),
                )
            except RuleBroken as exc:
                form.add_error(None, str(exc))
            else:
                count = wave.invitations.count()
                messages.success(
                    request,
                    f"Wave {wave.number}: {count} invitation{'s' if count != 1 else ''} on "
                    "their way.",
                )
                return redirect("programmes:invitations", slug=programme.slug)
        preview = {
            "count": len(people),
            "people": people[:PREVIEW_ROWS],
            "more": max(0, len(people) - PREVIEW_ROWS),
            "unmatched": unmatched,
            "asked_again": support_selectors.asked_again(people),
        }
    return render(
        request,
        "programmes/invitations/wave.html",
        {
            "programme": programme,
            "tab": "invitations",
            "form": form,
            "preview": preview,
            "applications_open": programme.applications_open,
        },
    )


@coordinator_page
@require_POST
def remind(request: HttpRequest, programme: Programme) -> HttpResponse:
    try:
        count = services.invitation_reminders_send(
            programme=programme, by=request.user, base_url=site_url(request)
        )
    except RuleBroken as exc:
        report(request, exc)
    else:
        if count:
            messages.success(request, f"Reminders on their way to {count} people.")
        else:
            messages.info(
                request,
                "Nobody is due a reminder: people are reminded at most twice, three days apart, "
                "and only if they have not replied.",
            )
    return redirect("programmes:invitations", slug=programme.slug)


def _can_set_password(person: Person) -> bool:
    """The link may set a password: the person has no account yet, or one without a password."""
    if person.user_id is not None:
        return not person.user.has_usable_password()  # type: ignore[union-attr]
    return not User.objects.filter(email__iexact=person.email).exists()


def landing(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the personal link in an invitation email. Works before sign-in."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "programmes/invitations/invalid.html", status=404)
    programme = invitation.programme
    person = invitation.person
    user = request.user if request.user.is_authenticated else None
    is_them = user is not None and person.user_id == user.pk
    account_form = InvitationAccountForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decline":
                services.invitation_decline(invitation=invitation)
                messages.success(
                    request,
                    "Thank you for letting us know. Nothing more will be sent about this "
                    "programme. If you change your mind, this link still works.",
                )
                return redirect(request.path)
            if action == "account" and user is None:
                account_form = InvitationAccountForm(request.POST)
                if account_form.is_valid():
                    new_user = services.invitation_account_create(
                        invitation=invitation, password=account_form.cleaned_data["password1"]
                    )
                    login(request, new_user, backend="upward.accounts.backends.ModelBackend")
                    messages.success(request, "Your account is ready. You can now apply.")
                    return redirect("programmes:apply", slug=programme.slug)
            if action == "link" and user is not None:
                services.invitation_link_account(invitation=invitation, user=user)
                return redirect("programmes:apply", slug=programme.slug)
        except RuleBroken as exc:
            if action == "account" and _can_set_password(person):
                account_form.add_error(None, str(exc))
            else:
                report(request, exc)
                return redirect(request.path)
    else:
        services.invitation_mark_opened(invitation=invitation)
    someone_else = (
        user is not None
        and not is_them
        and not (person.user_id is None and user.email.lower() == person.email.lower())
    )
    can_link = user is not None and not is_them and not someone_else
    return render(
        request,
        "programmes/invitations/landing.html",
        {
            "invitation": invitation,
            "programme": programme,
            "person": person,
            "is_them": is_them,
            "someone_else": someone_else,
            "can_link": can_link,
            "needs_account": user is None and _can_set_password(person),
            "login_url": reverse("account_login") + "?" + urlencode({"next": request.path}),
            "account_form": account_form,
            "objectives": programme.objectives.all(),
        },
    )
