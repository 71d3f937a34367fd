"""Programme set-up: the wizard (basics, objectives, schedule, matching policy), the overview,
coordinators, phase changes and the programme's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.accounts.models import Role, RoleGrant
from upward.core.versioning import VersionConflict, conflict_form

from .. import identity, phases, selectors, services
from ..defaults import DEFAULT_LENGTH_MONTHS
from ..errors import RuleBroken
from ..forms import (
    CoordinatorAddForm,
    ObjectivesForm,
    OpenApplicationsForm,
    OpenCallForm,
    PhaseForm,
    PolicyForm,
    ProgrammeBasicsForm,
    ScheduleForm,
)
from ..models import Challenge, PhaseWindow, Programme
from ..policy import CRITERIA, MatchingPolicy, describe, policy_of
from ._common import coordinator_page, report

WIZARD_STEPS = (
    ("basics", "Basics"),
    ("objectives", "Objectives"),
    ("schedule", "Schedule"),
    ("policy", "Matching policy"),
    ("review", "Review"),
)


def _wizard(step: str) -> dict[str, object]:
    keys = [k for k, _ in WIZARD_STEPS]
    return {
        "steps": WIZARD_STEPS,
        "current": step,
        "number": keys.index(step) + 1,
        "total": len(keys),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    programmes = selectors.coordinated_programmes(request.user).prefetch_related("organisations")
    can_set_up = selectors.can_set_up_programmes(request.user)
    if not programmes.exists() and not can_set_up:
        raise Http404("No programmes")
    return render(
        request,
        "programmes/index.html",
        {"programmes": programmes, "can_set_up": can_set_up},
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_set_up_programmes(request.user):
        raise Http404("No such page")
    organisations = selectors.organisations_for_setup(request.user)
    form = ProgrammeBasicsForm(
        request.POST or None,
        organisations=organisations,
        initial={"kind": Programme.Kind.REVERSE, "organisations": list(organisations[:1])},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                name=data["name"],
                kind=data["kind"],
                organisations=data["organisations"],
                starts_on=data["starts_on"],
                length_months=data["length_months"],
                description=data["description"],
                meeting_cadence=data["meeting_cadence"],
                meeting_minutes=data["meeting_minutes"],
                hours_per_month=data["hours_per_month"],
                anonymity_threshold=data["anonymity_threshold"],
                by=request.user,
            )
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{programme.name} is set up. Next, its objectives.")
            return redirect("programmes:objectives", slug=programme.slug)
    return render(
        request,
        "programmes/setup/basics.html",
        {"form": form, "wizard": _wizard("basics"), "programme": None},
    )


def _basics_form(request: HttpRequest, programme: Programme, data: object) -> ProgrammeBasicsForm:
    organisations = (
        selectors.organisations_for_setup(request.user) | programme.organisations.all()
    ).distinct()
    return ProgrammeBasicsForm(
        data,
        organisations=organisations,
        editing=True,
        version=programme.version,
        initial={
            "name": programme.name,
            "kind": programme.kind,
            "organisations": list(programme.organisations.all()),
            "description": programme.description,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "meeting_cadence": programme.meeting_cadence,
            "meeting_minutes": programme.meeting_minutes,
            "hours_per_month": programme.hours_per_month,
            "anonymity_threshold": programme.anonymity_threshold,
        },
    )


@coordinator_page
def edit(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = _basics_form(request, programme, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.programme_update(
                programme=programme,
                by=request.user,
                version=form.expected_version,
                name=data["name"],
                kind=data["kind"],
                organisations=data["organisations"],
                description=data["description"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                meeting_cadence=data["meeting_cadence"],
                meeting_minutes=data["meeting_minutes"],
                hours_per_month=data["hours_per_month"],
                anonymity_threshold=data["anonymity_threshold"],
            )
        except VersionConflict as exc:
            programme.refresh_from_db()
            form = conflict_form(form, _basics_form(request, programme, None), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("programmes:review", slug=programme.slug)
    return render(
        request,
        "programmes/setup/basics.html",
        {"form": form, "wizard": _wizard("basics"), "programme": programme, "tab": "settings"},
        status=status,
    )


def _objectives_form(programme: Programme, data: object) -> ObjectivesForm:
    current = list(programme.objectives.all())
    initial: dict[str, object] = {
        "challenges": [o.challenge for o in current if o.challenge != Challenge.OTHER],
        "other": "\n".join(o.detail for o in current if o.challenge == Challenge.OTHER),
    }
    for objective in current:
        if objective.challenge != Challenge.OTHER:
            initial[f"detail_{objective.challenge}"] = objective.detail
    return ObjectivesForm(data, initial=initial, version=programme.version)


@coordinator_page
def objectives(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = _objectives_form(programme, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.programme_objectives_set(
                programme=programme,
                by=request.user,
                version=form.expected_version,
                challenges=data["challenges"],
                details={
                    value: data.get(f"detail_{value}", "")
                    for value in Challenge.values
                    if value != Challenge.OTHER
                },
                others=data["other"].splitlines(),
            )
        except VersionConflict as exc:
            programme.refresh_from_db()
            form = conflict_form(form, _objectives_form(programme, None), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Objectives saved. Application forms nobody has changed yet now follow them.",
            )
            return redirect("programmes:schedule", slug=programme.slug)
    return render(
        request,
        "programmes/setup/objectives.html",
        {"form": form, "programme": programme, "wizard": _wizard("objectives"), "tab": "settings"},
        status=status,
    )


def _schedule_form(programme: Programme, data: object) -> ScheduleForm:
    initial = {}
    for window in PhaseWindow.objects.filter(programme=programme):
        initial[f"{window.phase}_start"] = window.starts_on
        initial[f"{window.phase}_end"] = window.ends_on
    return ScheduleForm(data, initial=initial, version=programme.version)


@coordinator_page
def schedule(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = _schedule_form(programme, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_schedule_set(
                programme=programme,
                by=request.user,
                version=form.expected_version,
                windows=form.windows(),
            )
        except VersionConflict as exc:
            programme.refresh_from_db()
            form = conflict_form(form, _schedule_form(programme, None), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Schedule saved.")
            return redirect("programmes:policy", slug=programme.slug)
    return render(
        request,
        "programmes/setup/schedule.html",
        {
            "form": form,
            "programme": programme,
            "wizard": _wizard("schedule"),
            "tab": "settings",
            "default_months": DEFAULT_LENGTH_MONTHS,
        },
        status=status,
    )


BLIND_WORDS = (
    "Proposals are blind: each person sees the other's explanation, topics and role level, "
    "but no name, job title, organisation or contact details until both accept."
)


def _policy_form(programme: Programme, data: object) -> PolicyForm:
    current = policy_of(programme.matching_policy)
    initial: dict[str, object] = {
        "min_grade_gap": current.min_grade_gap,
        "ban_same_department": current.ban_same_department,
        "ban_same_organisation": current.ban_same_organisation,
        "min_availability_overlap": current.min_availability_overlap,
        "require_shared_language": current.require_shared_language,
        "algorithm": current.algorithm,
        "identity_dimensions": programme.identity_dimensions,
        "blind_proposals": programme.blind_proposals,
        "complementary_traits": current.complementary_traits,
    }
    for key, _ in CRITERIA:
        initial[f"weight_{key}"] = current.weights[key]
    return PolicyForm(data, initial=initial, version=programme.version)


@coordinator_page
def policy(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = _policy_form(programme, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = MatchingPolicy(
            min_grade_gap=data["min_grade_gap"],
            ban_same_department=data["ban_same_department"],
            ban_same_organisation=data["ban_same_organisation"],
            min_availability_overlap=data["min_availability_overlap"],
            require_shared_language=data["require_shared_language"],
            algorithm=data["algorithm"],
            weights={key: data[f"weight_{key}"] for key, _ in CRITERIA},
            complementary_traits=list(data["complementary_traits"]),
        )
        try:
            services.programme_policy_set(
                programme=programme,
                by=request.user,
                version=form.expected_version,
                policy=new,
                identity_dimensions=data["identity_dimensions"],
                blind_proposals=data["blind_proposals"],
            )
        except VersionConflict as exc:
            programme.refresh_from_db()
            form = conflict_form(form, _policy_form(programme, None), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Matching policy saved.")
            return redirect("programmes:review", slug=programme.slug)
    return render(
        request,
        "programmes/setup/policy.html",
        {
            "form": form,
            "programme": programme,
            "wizard": _wizard("policy"),
            "tab": "settings",
            "words": _policy_words(programme),
        },
        status=status,
    )


def _policy_words(programme: Programme) -> dict[str, list[str]]:
    words = describe(
        policy_of(programme.matching_policy),
        difference=[d.label for d in identity.dimensions_for(programme.identity_dimensions)],
    )
    if programme.blind_proposals:
        words.setdefault("rules", []).append(BLIND_WORDS)
    return words


@coordinator_page
def review(request: HttpRequest, programme: Programme) -> HttpResponse:
    return render(
        request,
        "programmes/setup/review.html",
        {
            "programme": programme,
            "wizard": _wizard("review"),
            "tab": "settings",
            "objectives": programme.objectives.all(),
            "windows": PhaseWindow.objects.filter(programme=programme),
            "words": _policy_words(programme),
            "dimensions": identity.dimensions_for(programme.identity_dimensions),
            "readiness": selectors.readiness_of(programme),
        },
    )


@coordinator_page
def detail(request: HttpRequest, programme: Programme) -> HttpResponse:
    readiness = selectors.readiness_of(programme)
    totals, _ = selectors.invitation_counts(programme)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "tab": "overview",
            "readiness": readiness,
            "invitations": totals,
            "counts": selectors.application_counts(programme),
            "objectives": programme.objectives.all(),
            "windows": PhaseWindow.objects.filter(programme=programme),
            "cohorts": selectors.cohorts_with_counts(programme),
            "phase_form": PhaseForm(initial={"phase": programme.phase}),
            "open_form": OpenApplicationsForm(
                initial={"deadline": programme.applications_deadline}
            ),
            "open_call_form": OpenCallForm(
                initial={
                    "leaders": programme.open_call_leaders,
                    "mentors": programme.open_call_mentors,
                },
                version=programme.version,
            ),
            "coordinators": RoleGrant.objects.filter(
                programme=programme, role=Role.COORDINATOR
            ).select_related("user"),
        },
    )


@coordinator_page
def phase(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Ask to confirm a move to another phase, saying what changes and for whom, or why the
    move contradicts the programme; the confirmed form moves it."""
    form = PhaseForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, "Choose one of the programme's phases.")
        return redirect("programmes:detail", slug=programme.slug)
    chosen = form.cleaned_data["phase"]
    if request.method == "POST":
        try:
            services.programme_phase_set(programme=programme, by=request.user, phase=chosen)
        except RuleBroken as exc:
            report(request, exc)
        else:
            messages.success(request, f"The programme is now in {Programme.Phase(chosen).label}.")
            return redirect("programmes:detail", slug=programme.slug)
    return render(
        request,
        "programmes/phase.html",
        {"programme": programme, "move": phases.phase_move(programme, chosen), "tab": "overview"},
    )


@coordinator_page
def coordinators(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = CoordinatorAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.programme_coordinator_add(
                programme=programme, by=request.user, email=form.cleaned_data["email"]
            )
        except RuleBroken as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"{user} now coordinates {programme.name}.")
            return redirect("programmes:coordinators", slug=programme.slug)
    grants = RoleGrant.objects.filter(programme=programme, role=Role.COORDINATOR).select_related(
        "user"
    )
    return render(
        request,
        "programmes/coordinators.html",
        {"programme": programme, "form": form, "grants": grants, "tab": "settings"},
    )


@coordinator_page
@require_POST
def coordinator_remove(request: HttpRequest, programme: Programme, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant, pk=grant_id, programme=programme, role=Role.COORDINATOR)
    try:
        services.programme_coordinator_remove(programme=programme, by=request.user, user=grant.user)
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"{grant.user} no longer coordinates {programme.name}.")
        if grant.user_id == request.user.pk:
            return redirect("programmes:index")
    return redirect("programmes:coordinators", slug=programme.slug)


@coordinator_page
def record(request: HttpRequest, programme: Programme) -> HttpResponse:
    entries = Paginator(programme.log.select_related("actor", "application__person"), 50).get_page(
        request.GET.get("page")
    )
    accesses = Paginator(
        programme.sensitive_accesses.select_related("viewer", "application__person"), 50
    ).get_page(request.GET.get("access_page"))
    return render(
        request,
        "programmes/record.html",
        {"programme": programme, "page": entries, "accesses": accesses, "tab": "record"},
    )
