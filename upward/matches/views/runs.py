"""The programme's matching page, starting and following a run, re-runs, adjusted weights,
comparing runs and the rematch."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.programmes.models import Application, Programme, Side

from .. import selectors, services
from ..errors import MatchRuleBroken, VersionConflict
from ..forms import CompareForm, PairFilterForm, StartRunForm, VersionForm, WeightsForm
from ..models import MatchingRun
from ._common import conflict, coordinator_page, report, report_form, run_page, run_url

PAGE_SIZE = 50
# The stages a working run goes through, in order, for the progress display.
STAGES = [
    (value, label)
    for value, label in MatchingRun.Stage.choices
    if value not in (MatchingRun.Stage.WAITING, MatchingRun.Stage.FINISHED)
]


def _accepted_counts(programme: Programme) -> dict[str, int]:
    apps = Application.objects.filter(programme=programme, status=Application.Status.ACCEPTED)
    return {
        "leaders": apps.filter(side=Side.LEADER).count(),
        "mentors": apps.filter(side=Side.MENTOR).count(),
    }


def _matching_context(programme: Programme, start_form: StartRunForm) -> dict[str, object]:
    runs = list(selectors.runs_of(programme))
    done = [r for r in runs if r.status == MatchingRun.Status.DONE]
    return {
        "programme": programme,
        "tab": "matching",
        "runs": runs,
        "active": selectors.active_run(programme),
        "start_form": start_form,
        "compare_form": CompareForm(
            programme=programme,
            initial={"a": done[1].number, "b": done[0].number} if len(done) > 1 else {},
        ),
        "can_compare": len(done) > 1,
        "accepted": _accepted_counts(programme),
        "proposals": selectors.proposal_counts(programme),
        "latest_published": selectors.latest_published(programme),
        "locks": selectors.locks_of(programme),
        "exclusions": selectors.exclusions_of(programme),
        "changes": selectors.changes_of(programme)[:15],
    }


@coordinator_page
def matching(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = StartRunForm(programme=programme)
    return render(request, "matches/matching.html", _matching_context(programme, form))


@coordinator_page
@require_POST
def start(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = StartRunForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            run = services.run_start(
                programme=programme, by=request.user, cohort=form.cleaned_data["cohort"]
            )
        except MatchRuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Run {run.number} has started.")
            return redirect(run_url(run))
    return render(request, "matches/matching.html", _matching_context(programme, form), status=400)


@run_page
def run_detail(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    """A working run shows its progress (the fragment is polled); a finished one its review."""
    if request.headers.get("HX-Request"):
        if run.active:
            return render(request, "matches/_progress.html", {"run": run, "stages": STAGES})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context: dict[str, object] = {
        "programme": run.programme,
        "tab": "matching",
        "run": run,
        "notes": selectors.run_notes(run),
        "stages": STAGES,
    }
    if run.status != MatchingRun.Status.DONE:
        return render(request, "matches/run_status.html", context)
    filters = PairFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    pairs = selectors.run_pairs(
        run,
        query=chosen.get("q", ""),
        show=chosen.get("show", ""),
        order=chosen.get("order") or "-score",
    )
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    unmatched = Paginator(selectors.unmatched_of(run), PAGE_SIZE).get_page(request.GET.get("upage"))
    query = request.GET.copy()
    query.pop("page", None)
    uquery = request.GET.copy()
    uquery.pop("upage", None)
    context.update(
        {
            "summary": selectors.run_summary(run),
            "filters": filters,
            "page": page,
            "querystring": query.urlencode(),
            "uquerystring": uquery.urlencode(),
            "here": request.get_full_path(),
            "unmatched": unmatched,
            "weights": selectors.weights_of(run),
            "changes": selectors.changes_of(run.programme, run)[:20],
            "parent_comparison": selectors.compare_runs(run.parent, run, limit=50)
            if run.parent and run.parent.status == MatchingRun.Status.DONE
            else None,
        }
    )
    return render(request, "matches/review.html", context)


@run_page
@require_POST
def cancel(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    try:
        run = services.run_cancel(run=run, by=request.user)
    except MatchRuleBroken as exc:
        report(request, exc)
    else:
        if run.status == MatchingRun.Status.CANCELLED:
            messages.success(request, f"Run {run.number} was cancelled.")
        else:
            messages.info(request, f"Run {run.number} will stop at its next step.")
    return redirect(run_url(run))


@run_page
@require_POST
def rerun(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    """A new run from this one's settings; locks, exclusions and proposals carry over."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        report_form(request, form)
        return redirect(run_url(run))
    if form.cleaned_data["version"] != run.version:
        return conflict(request, run, VersionConflict(run.version))
    try:
        new = services.run_start(programme=run.programme, by=request.user, based_on=run)
    except MatchRuleBroken as exc:
        report(request, exc)
        return redirect(run_url(run))
    messages.success(request, f"Run {new.number} has started, keeping the locked pairs.")
    return redirect(run_url(new))


@run_page
def weights(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    """Adjust the weights and preview their effect: a new run, compared with this one."""
    current = {key: value for key, _label, value in selectors.weights_of(run)}
    form = WeightsForm(
        request.POST or None, initial_weights=current, initial={"version": run.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["version"] != run.version:
                form.add_error(None, str(VersionConflict(run.version)))
            else:
                try:
                    new = services.run_start(
                        programme=run.programme,
                        by=request.user,
                        based_on=run,
                        weights=form.weights(),
                    )
                except MatchRuleBroken as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        f"Run {new.number} is trying the new weights. When it finishes, its "
                        f"page compares it with run {run.number}.",
                    )
                    return redirect(run_url(new))
        status = 400
    return render(
        request,
        "matches/weights.html",
        {"programme": run.programme, "tab": "matching", "run": run, "form": form},
        status=status,
    )


@coordinator_page
def compare(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = CompareForm(request.GET or None, programme=programme)
    comparison = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            comparison = selectors.compare_runs(form.cleaned_data["a"], form.cleaned_data["b"])
        else:
            status = 400
    return render(
        request,
        "matches/compare.html",
        {"programme": programme, "tab": "matching", "form": form, "comparison": comparison},
        status=status,
    )


@coordinator_page
@require_POST
def rematch(request: HttpRequest, programme: Programme) -> HttpResponse:
    try:
        run = services.rematch_start(programme=programme, by=request.user)
    except MatchRuleBroken as exc:
        report(request, exc)
        return redirect("matches:matching", slug=programme.slug)
    messages.success(
        request,
        f"Run {run.number} is finding new partners for the people whose proposals will not go "
        "ahead, keeping every other proposal.",
    )
    return redirect(run_url(run))


@coordinator_page
@require_POST
def exclusion_remove(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    try:
        services.exclusion_remove(programme=programme, exclusion_id=pk, by=request.user)
    except MatchRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, "That pair may be proposed again in the next run.")
    return redirect("matches:matching", slug=programme.slug)
