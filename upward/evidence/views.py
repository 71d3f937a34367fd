"""Evidence pages: a person's surveys and the survey itself; coordinators' campaigns; results
for coordinators, sponsors and organisation admins, always through the anonymity engine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.programmes.models import Programme
from upward.programmes.selectors import coordinated_programme_or_404

from . import activity, anonymity, catalogue, charts, notes, report, selectors, services
from .baseline import COLUMNS, ImportRefused
from .baseline import baseline_import as import_baseline
from .errors import AnswersInvalid, EvidenceRuleBroken
from .forms import CampaignForm
from .instruments import Kind
from .models import Campaign, SafeguardingAlert
from .permissions import can_read_alerts
from .sections import sections_for


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    return render(
        request, "evidence/surveys.html", {"campaigns": selectors.open_surveys_for(request.user)}
    )


def _questions(
    campaign: selectors.Campaign, given: dict[str, str], errors: dict[str, str]
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in campaign.definition.items:
        options: list[tuple[str, str]] = []
        if item.kind is Kind.LIKERT:
            options = [(str(i + 1), label) for i, label in enumerate(item.labels)]
        elif item.kind is Kind.CHOICE:
            options = [(c, c) for c in item.choices]
        out.append(
            {
                "item": item,
                "options": options,
                "value": given.get(item.key, ""),
                "error": errors.get(item.key, ""),
            }
        )
    return out


@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.survey_or_404(request.user, pk)
    errors: dict[str, str] = {}
    given: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        keys = {i.key for i in campaign.definition.items}
        given = {k: request.POST.get(k, "")[:2100] for k in keys}
        try:
            services.response_submit(campaign=campaign, by=request.user, answers=given)
        except AnswersInvalid as e:
            errors, status = e.errors, 400
            messages.error(request, "Some answers need attention; nothing was saved.")
        except EvidenceRuleBroken as e:
            messages.error(request, str(e))
            status = 400
        else:
            messages.success(request, "Thank you: your answers are saved, without your name.")
            return redirect("evidence:surveys")
    context = {
        "campaign": campaign,
        "questions": _questions(campaign, given, errors),
        "open": selectors.is_open(campaign),
        "answered": selectors.has_responded(campaign, request.user),
    }
    return render(request, "evidence/respond.html", context, status=status)


@login_required
def campaigns(request: HttpRequest, slug: str) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    form = CampaignForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.campaign_create(programme=programme, by=request.user, **data)
            except EvidenceRuleBroken as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, "The survey is set up.")
                return redirect("evidence:campaigns", slug=programme.slug)
        status = 400
    context = {
        "programme": programme,
        "campaigns": list(programme.campaigns.all()),
        "form": form,
    }
    return render(request, "evidence/campaigns.html", context, status=status)


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    r = selectors.results(request.user, pk)
    return render(request, "evidence/results.html", {"r": r})


def _programme_for_dashboard(
    request: HttpRequest, slug: str
) -> tuple[Programme, selectors.Level, set[str]]:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme.")
    level, names = selectors.dashboard_level_or_404(request.user, programme)
    return programme, level, names


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme, level, names = _programme_for_dashboard(request, slug)
    programme_wide = level is not selectors.Level.ORGANISATION
    context = {
        "programme": programme,
        "level": level,
        "org_names": sorted(names),
        "safety": selectors.safety_over_time(programme, level, names),
        "pre_post": selectors.pre_post(programme) if programme_wide else [],
        "funnel": selectors.funnel(programme) if programme_wide else [],
        "programme_wide": programme_wide,
        "campaigns": list(programme.campaigns.all()),
        "historical": selectors.historical(programme, level, names),
        "may_write": level is selectors.Level.ALL,
    }
    if programme_wide:
        # Programme-level only: counts of how pairs run, other apps' sections, the stories.
        stories = notes.stories_by_anchor(programme)
        sponsor_level = level is selectors.Level.PROGRAMME
        context |= {
            "meetings": activity.meetings_per_month(programme, programme_level=sponsor_level),
            "goals": activity.goals_progress(programme, programme_level=sponsor_level),
            "sections": sections_for(programme),
            # By chart, with names a template can use ("pre-post" becomes "pre_post").
            "beside": {k.replace("-", "_") or "overall": v for k, v in stories.items()},
            "instrument_stories": [
                (i, stories.get(f"instrument:{i.key}", []))
                for i in catalogue.available_for(programme)
                if stories.get(f"instrument:{i.key}")
            ],
            "lessons": notes.notes_of(programme, "lesson"),
        }
    return render(request, "evidence/dashboard.html", context)


CHARTS = ("safety", "pre-post", "funnel", "meetings", "goals")


@login_required
def chart(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    programme, level, names = _programme_for_dashboard(request, slug)
    if name not in CHARTS:
        raise Http404("No such chart.")
    programme_wide = level is not selectors.Level.ORGANISATION
    if name == "safety":
        points = [
            (c.title, r.mean)
            for c, r in selectors.safety_over_time(programme, level, names)
            if isinstance(r, anonymity.Aggregate)
        ]
        svg = charts.line_over_time("Psychological safety over time", points, (1, 7))
    elif name == "pre-post" and programme_wide:
        rows = [
            (p.title, p.change.mean_before, p.change.mean_after, p.change.ci_low, p.change.ci_high)
            for p in selectors.pre_post(programme)
            if p.change is not None
        ]
        svg = charts.before_after("Change from before to after", rows)
    elif name == "funnel" and programme_wide:
        svg = charts.funnel("Participation", selectors.funnel(programme))
    elif (
        name == "meetings"
        and programme_wide
        and (
            meetings := activity.meetings_per_month(
                programme, programme_level=level is selectors.Level.PROGRAMME
            )
        ).shown
    ):
        svg = charts.columns("Meetings held per month", meetings.months, "Meetings")
    elif (
        name == "goals"
        and programme_wide
        and (
            goals := activity.goals_progress(
                programme, programme_level=level is selectors.Level.PROGRAMME
            )
        ).shown
    ):
        svg = charts.bands("Goals progress", goals.bands, "Goals")
    else:
        raise Http404("No such chart.")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    # matplotlib styles its shapes inline. The chart gets its own, stricter policy: no script,
    # no fetch of anything, only those inline styles (the site's policy is left to pages).
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
def alerts(request: HttpRequest, slug: str) -> HttpResponse:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not can_read_alerts(request.user, programme):
        raise Http404("No such programme.")
    found = SafeguardingAlert.objects.filter(campaign__programme=programme).select_related(
        "campaign"
    )[:200]
    return render(request, "evidence/alerts.html", {"programme": programme, "alerts": found})


def _programme_level_or_404(request: HttpRequest, slug: str) -> Programme:
    programme, level, _names = _programme_for_dashboard(request, slug)
    if level is selectors.Level.ORGANISATION:
        raise Http404("The report is at programme level.")
    return programme


@login_required
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_level_or_404(request, slug)
    response = HttpResponse(report.report_pdf(programme), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-{programme.slug}.pdf"'
    return response


@login_required
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_level_or_404(request, slug)
    response = HttpResponse(report.report_csv_bundle(programme), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="report-{programme.slug}-csv.zip"'
    return response


MAX_UPLOAD = 2_000_000


@login_required
def baseline(request: HttpRequest, slug: str) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems, status = ["Choose a CSV or XLSX file."], 400
        elif upload.size is not None and upload.size > MAX_UPLOAD:
            problems, status = ["The file is larger than 2 MB."], 400
        else:
            try:
                count = import_baseline(
                    programme=programme,
                    by=request.user,
                    filename=upload.name or "",
                    data=upload.read(),
                )
            except ImportRefused as e:
                problems, status = e.problems, 400
                messages.error(request, str(e))
            except EvidenceRuleBroken as e:
                problems, status = [str(e)], 400
            else:
                messages.success(request, f"{count} rows imported.")
                return redirect("evidence:baseline", slug=programme.slug)
    context = {
        "programme": programme,
        "problems": problems,
        "rows": selectors.historical(programme, selectors.Level.ALL, set()),
        "columns": COLUMNS,
    }
    return render(request, "evidence/baseline.html", context, status=status)


@login_required
@require_POST
def reminders(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    campaign = get_object_or_404(Campaign, pk=pk, programme=programme)
    if not selectors.is_open(campaign):
        messages.error(request, "Reminders go only while a survey is open.")
        return redirect("evidence:campaigns", slug=programme.slug)
    sent = services.campaign_reminders_send(campaign=campaign)
    if sent:
        messages.success(request, f"Reminders sent to {sent} people who have not answered yet.")
    else:
        messages.info(
            request,
            "No reminders sent: everyone has answered, or the last reminders went out less "
            f"than {campaign.reminder_every_days} days ago.",
        )
    return redirect("evidence:campaigns", slug=programme.slug)
