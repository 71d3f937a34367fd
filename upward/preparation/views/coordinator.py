"""Coordinators' pages: the pairs board with waivers, training admin with who is behind and
reminders, workshops with attendance."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from upward.core.ics import zone
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from .. import selectors, services
from ..emails import person_zone
from ..errors import PreparationRuleBroken
from ..forms import BoardFilterForm, ModuleForm, TrackForm, WaiverForm, WorkshopForm
from ..models import Module, PreparationSettings, Track, Workshop
from ..services.training import questions_text
from ._common import coordinator_page, report, site_url, version_of

BOARD_PAGE = 50


@coordinator_page
def board(request: HttpRequest, programme: Programme) -> HttpResponse:
    """The programme's pairs, fifty a page, with what each waits for; found by state and by a
    person's name, the filters kept from page to page."""
    filters = BoardFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    ids = selectors.board_pair_ids(
        programme, state=chosen.get("state", ""), query=chosen.get("q", "")
    )
    page = Paginator(ids, BOARD_PAGE).get_page(request.GET.get("page", "1")[:7])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "preparation/board.html",
        {
            "programme": programme,
            "tab": "pairs",
            "filters": filters,
            "page": page,
            "rows": selectors.board(selectors.board_pairs(page.object_list)),
            "counts": selectors.board_counts(programme),
            "querystring": query.urlencode(),
            "here": request.get_full_path(),
        },
    )


@coordinator_page
@require_POST
def waive(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    pair = Pair.objects.filter(programme=programme, pk=pk).select_related("programme").first()
    if pair is None:
        raise Http404("No such pair.")
    # Back to the page and filters the coordinator waived from.
    back = reverse("preparation:board", args=[programme.slug])
    if request.POST.get("back", "").startswith(back):
        back = request.POST["back"]
    form = WaiverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the requirement and give a reason.")
        return redirect(back)
    try:
        services.requirement_waive(
            pair=pair,
            requirement=form.cleaned_data["requirement"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            version=form.cleaned_data["version"],
            base_url=site_url(request),
        )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        pair.refresh_from_db()
        extra = " The pair is now active." if pair.state == Pair.State.ACTIVE else ""
        messages.success(request, "Waived; the reason is in the pair's history." + extra)
    return redirect(back)


@coordinator_page
def training_admin(request: HttpRequest, programme: Programme) -> HttpResponse:
    status = 200
    form = TrackForm()
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                services.track_save(programme=programme, by=request.user, **form.cleaned_data)
            except PreparationRuleBroken as exc:
                status = report(request, exc)
            else:
                messages.success(request, "Track added.")
                return redirect("preparation:training_admin", slug=programme.slug)
        else:
            status = 400
    settings = PreparationSettings.objects.filter(programme=programme).first()
    return render(
        request,
        "preparation/training_admin.html",
        {
            "programme": programme,
            "tab": "training",
            "tracks": selectors.tracks_of(programme),
            "behind": selectors.people_behind(programme),
            "form": form,
            "reminder_every_days": settings.reminder_every_days if settings else 7,
        },
        status=status,
    )


@coordinator_page
@require_POST
def defaults_add(request: HttpRequest, programme: Programme) -> HttpResponse:
    try:
        tracks = services.default_tracks_add(programme=programme, by=request.user)
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"Added {len(tracks)} ready-made tracks. Edit them as you like.")
    return redirect("preparation:training_admin", slug=programme.slug)


@coordinator_page
@require_POST
def reminders(request: HttpRequest, programme: Programme) -> HttpResponse:
    raw = request.POST.get("reminder_every_days", "")
    try:
        if raw:
            if not raw.isdigit():
                raise PreparationRuleBroken("Give the number of days between reminders.")
            services.preparation_settings_save(
                programme=programme, by=request.user, reminder_every_days=int(raw)
            )
        if request.POST.get("send"):
            services.training_reminders_request(
                programme=programme, by=request.user, base_url=site_url(request)
            )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(
            request,
            "Reminders are on their way to people behind, except those reminded recently."
            if request.POST.get("send")
            else "Saved.",
        )
    return redirect("preparation:training_admin", slug=programme.slug)


@coordinator_page
def track(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = Track.objects.filter(programme=programme, pk=pk).first()
    if item is None:
        raise Http404("No such track.")
    status = 200
    form = TrackForm(
        initial={
            "title": item.title,
            "audience": item.audience,
            "summary": item.summary,
            "required": item.required,
        }
    )
    module_form = ModuleForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "module":
                module_form = ModuleForm(request.POST, request.FILES)
                if not module_form.is_valid():
                    raise PreparationRuleBroken("Check the module's fields below.")
                data = module_form.cleaned_data
                services.module_save(
                    track=item,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    link_url=data["link_url"],
                    link_label=data["link_label"],
                    pass_mark=data["pass_mark"],
                    questions=data["questions"],
                    upload=data["attachment"] or None,
                )
                messages.success(request, "Module added.")
            else:
                form = TrackForm(request.POST)
                if not form.is_valid():
                    raise PreparationRuleBroken("Check the track's fields below.")
                services.track_save(
                    programme=programme,
                    by=request.user,
                    track=item,
                    version=version_of(request),
                    **form.cleaned_data,
                )
                messages.success(request, "Saved.")
        except PreparationRuleBroken as exc:
            status = report(request, exc)
        else:
            return redirect("preparation:track", slug=programme.slug, pk=item.pk)
    return render(
        request,
        "preparation/track.html",
        {
            "programme": programme,
            "tab": "training",
            "track": item,
            "form": form,
            "module_form": module_form,
            "modules": list(item.modules.all()),
        },
        status=status,
    )


@coordinator_page
def module_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = Module.objects.filter(track__programme=programme, pk=pk).select_related("track").first()
    if item is None:
        raise Http404("No such module.")
    status = 200
    form = ModuleForm(
        initial={
            "title": item.title,
            "body": item.body,
            "link_url": item.link_url,
            "link_label": item.link_label,
            "pass_mark": item.pass_mark,
            "questions": questions_text(item),
        }
    )
    if request.method == "POST":
        form = ModuleForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise PreparationRuleBroken("Check the module's fields below.")
            data = form.cleaned_data
            services.module_save(
                track=item.track,
                by=request.user,
                module=item,
                version=version_of(request),
                title=data["title"],
                body=data["body"],
                link_url=data["link_url"],
                link_label=data["link_label"],
                pass_mark=data["pass_mark"],
                questions=data["questions"],
                upload=data["attachment"] or None,
                remove_attachment=data["remove_attachment"],
            )
        except PreparationRuleBroken as exc:
            status = report(request, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("preparation:track", slug=programme.slug, pk=item.track_id)
    return render(
        request,
        "preparation/module_edit.html",
        {"programme": programme, "tab": "training", "module": item, "form": form},
        status=status,
    )


def _workshop_values(
    request: HttpRequest, programme: Programme, form: WorkshopForm
) -> dict[str, object]:
    data = dict(form.cleaned_data)
    tz = zone(person_zone(request.user))
    data["starts_at"] = data["starts_at"].replace(tzinfo=None).replace(tzinfo=tz)
    cohort_id = data.pop("cohort")
    data["cohort"] = programme.cohorts.filter(pk=cohort_id).first() if cohort_id else None
    return data


def _cohorts(programme: Programme) -> list[tuple[int, str]]:
    return [(c.pk, c.name) for c in programme.cohorts.all()]


@coordinator_page
def workshops(request: HttpRequest, programme: Programme) -> HttpResponse:
    status = 200
    form = WorkshopForm(cohorts=_cohorts(programme))
    if request.method == "POST":
        form = WorkshopForm(request.POST, cohorts=_cohorts(programme))
        if form.is_valid():
            try:
                services.workshop_save(
                    programme=programme,
                    by=request.user,
                    values=_workshop_values(request, programme, form),
                )
            except PreparationRuleBroken as exc:
                status = report(request, exc)
            else:
                messages.success(request, "Workshop scheduled.")
                return redirect("preparation:workshops", slug=programme.slug)
        else:
            status = 400
    tz = zone(person_zone(request.user))
    rows = [(w, w.starts_at.astimezone(tz)) for w in selectors.workshops_of(programme)]
    return render(
        request,
        "preparation/workshops.html",
        {"programme": programme, "tab": "workshops", "rows": rows, "form": form, "zone": str(tz)},
        status=status,
    )


@coordinator_page
def workshop(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = Workshop.objects.filter(programme=programme, pk=pk).select_related("cohort").first()
    if item is None:
        raise Http404("No such workshop.")
    tz = zone(person_zone(request.user))
    status = 200
    form = WorkshopForm(
        cohorts=_cohorts(programme),
        initial={
            "title": item.title,
            "kind": item.kind,
            "audience": item.audience,
            "cohort": item.cohort_id,
            "starts_at": item.starts_at.astimezone(tz)
            .replace(tzinfo=None)
            .isoformat(timespec="minutes"),
            "minutes": item.minutes,
            "place": item.place,
            "video_url": item.video_url,
            "capacity": item.capacity,
            "description": item.description,
        },
    )
    if request.method == "POST":
        form = WorkshopForm(request.POST, cohorts=_cohorts(programme))
        if form.is_valid():
            try:
                services.workshop_save(
                    programme=programme,
                    by=request.user,
                    workshop=item,
                    version=version_of(request),
                    values=_workshop_values(request, programme, form),
                    base_url=site_url(request),
                )
            except PreparationRuleBroken as exc:
                status = report(request, exc)
            else:
                messages.success(request, "Saved. Everyone booked gets the updated invitation.")
                return redirect("preparation:workshop", slug=programme.slug, pk=item.pk)
        else:
            status = 400
    return render(
        request,
        "preparation/workshop.html",
        {
            "programme": programme,
            "tab": "workshops",
            "workshop": item,
            "local_start": item.starts_at.astimezone(tz),
            "zone": str(tz),
            "form": form,
            "seats": selectors.seats_of(item),
        },
        status=status,
    )


@coordinator_page
@require_POST
def workshop_cancel(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = Workshop.objects.filter(programme=programme, pk=pk).first()
    if item is None:
        raise Http404("No such workshop.")
    try:
        services.workshop_cancel(
            workshop=item, by=request.user, version=version_of(request), base_url=site_url(request)
        )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(
            request, "Cancelled. Everyone booked gets a cancellation for their calendar."
        )
    return redirect("preparation:workshop", slug=programme.slug, pk=pk)


@coordinator_page
@require_POST
def attendance(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    item = Workshop.objects.filter(programme=programme, pk=pk).first()
    if item is None:
        raise Http404("No such workshop.")
    present = {
        int(v) for v in request.POST.getlist("present")[:1000] if v.isdigit() and len(v) < 12
    }
    try:
        came = services.attendance_take(
            workshop=item, by=request.user, attended_user_ids=present, version=version_of(request)
        )
    except PreparationRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"Attendance saved: {came} came.")
    return redirect("preparation:workshop", slug=programme.slug, pk=pk)
