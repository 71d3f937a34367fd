"""Editing a finished run: lock, unlock and exclude pairs, change a partner (with a preview of
the score change and any rule broken), manual matching, and publishing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.core.bounds import id_param
from upward.programmes.models import Application

from .. import selectors, services
from ..change import plan_change
from ..errors import MatchRuleBroken, VersionConflict
from ..forms import ChangeForm, LeaderPickForm, MentorSearchForm, PairActionForm, VersionForm
from ..models import MatchingRun, ProposedPair, UnmatchedPerson
from ._common import back_to, conflict, report, report_form, run_page, run_url, site_url


def _pair_action(request: HttpRequest, run: MatchingRun, action: str) -> HttpResponse:
    form = PairActionForm(request.POST)
    if not form.is_valid():
        report_form(request, form)
        return back_to(request, run)
    kwargs = {
        "run": run,
        "leader_id": form.cleaned_data["leader"],
        "by": request.user,
        "version": form.cleaned_data["version"],
    }
    try:
        if action == "lock":
            services.pair_lock(**kwargs)
            messages.success(request, "Locked: every later run keeps this pair.")
        elif action == "unlock":
            services.pair_unlock(**kwargs)
            messages.success(request, "Unlocked: the next run may pair them differently.")
        else:
            services.pair_exclude(**kwargs)
            messages.success(
                request,
                "Set aside: this pair will not be proposed again. Both people are shown as "
                "without a partner until you change a partner by hand or re-run.",
            )
    except VersionConflict as exc:
        return conflict(request, run, exc)
    except MatchRuleBroken as exc:
        report(request, exc)
    return back_to(request, run)


@run_page
@require_POST
def lock(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    return _pair_action(request, run, "lock")


@run_page
@require_POST
def unlock(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    return _pair_action(request, run, "unlock")


@run_page
@require_POST
def exclude(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    return _pair_action(request, run, "exclude")


@run_page
def change(request: HttpRequest, run: MatchingRun, leader_id: int) -> HttpResponse:
    """Choose another mentor for a leader: ranked allowed mentors, any mentor by name, then a
    preview of what the change does before it is saved."""
    context: dict[str, object] = {"programme": run.programme, "tab": "matching", "run": run}
    status = 200
    if request.method == "POST":
        form = ChangeForm(request.POST)
        if not form.is_valid():
            report_form(request, form)
            return redirect(
                "matches:change", slug=run.programme.slug, number=run.number, leader_id=leader_id
            )
        mentor_id, displace_id = form.cleaned_data["mentor"], form.cleaned_data["displace"]
        try:
            plan = services.pair_change(
                run=run,
                leader_id=leader_id,
                mentor_id=mentor_id,
                displace_id=displace_id,
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except VersionConflict as exc:
            return conflict(request, run, exc)
        except MatchRuleBroken as exc:
            context["error"] = str(exc)
            status = 400
        else:
            words = "; ".join(
                f"{row.leader.person.name} is now with "
                + (row.after.person.name if row.after else "nobody")
                for row in plan.rows
            )
            messages.success(request, f"Saved and locked: {words}.")
            return redirect(run_url(run))
    else:
        mentor_id = id_param(request.GET.get("mentor"))
        displace_id = id_param(request.GET.get("displace"))
    if request.method != "POST" and not run.editable:
        report(
            request,
            MatchRuleBroken(
                "This run has been published or has not finished, so partners cannot be "
                "changed here."
            ),
        )
        return redirect(run_url(run))
    try:
        leader, ranked = selectors.ranked_mentors(run, leader_id=leader_id, limit=15)
        context.update({"leader": leader, "ranked": ranked})
        current = (
            ProposedPair.objects.filter(run=run, leader=leader)
            .select_related("mentor__person")
            .first()
        )
        context["current"] = current
        search = MentorSearchForm(request.GET or None)
        context["search"] = search
        context["found"] = None
        if search.is_valid() and search.cleaned_data["q"]:
            context["found"] = _mentors_named(run, search.cleaned_data["q"])
        if mentor_id is not None:
            context["plan"] = plan_change(
                run, leader_id=leader_id, mentor_id=mentor_id, displace_id=displace_id
            )
            context["form"] = ChangeForm(
                initial={"version": run.version, "mentor": mentor_id, "displace": displace_id}
            )
    except MatchRuleBroken as exc:
        context["problem"] = str(exc)
        status = 400
    return render(request, "matches/change.html", context, status=status)


def _mentors_named(run: MatchingRun, query: str) -> list[Application]:
    ids = set(ProposedPair.objects.filter(run=run).values_list("mentor_id", flat=True)) | set(
        UnmatchedPerson.objects.filter(run=run, side="mentor").values_list(
            "application_id", flat=True
        )
    )
    return list(
        Application.objects.filter(pk__in=ids, person__name__icontains=query)
        .select_related("person")
        .order_by("person__name")[:20]
    )


@run_page
def manual(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    """Manual matching: pick a leader and see the mentors the rules allow, best first."""
    leaders = selectors.run_leaders(run) if run.status == MatchingRun.Status.DONE else []
    form = LeaderPickForm(request.GET or None, leaders=leaders)
    context: dict[str, object] = {
        "programme": run.programme,
        "tab": "matching",
        "run": run,
        "form": form,
    }
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                leader, ranked = selectors.ranked_mentors(
                    run, leader_id=form.cleaned_data["leader"], limit=25
                )
            except MatchRuleBroken as exc:
                form.add_error("leader", str(exc))
                status = 400
            else:
                context.update({"leader": leader, "ranked": ranked})
        else:
            status = 400
    return render(request, "matches/manual.html", context, status=status)


@run_page
def publish(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    """Check what will be sent, then send the proposals."""
    if request.method == "POST":
        form = VersionForm(request.POST)
        if not form.is_valid():
            report_form(request, form)
            return redirect("matches:publish", slug=run.programme.slug, number=run.number)
        try:
            sent = services.run_publish(
                run=run,
                by=request.user,
                version=form.cleaned_data["version"],
                base_url=site_url(request),
            )
        except VersionConflict as exc:
            return conflict(request, run, exc)
        except MatchRuleBroken as exc:
            report(request, exc)
            return redirect(run_url(run))
        messages.success(
            request,
            f"Published: {len(sent)} proposal{'s' if len(sent) != 1 else ''} sent. Each person "
            "can now accept or decline privately.",
        )
        return redirect("matches:matching", slug=run.programme.slug)
    new = selectors.run_pairs(run, show="new")
    return render(
        request,
        "matches/publish.html",
        {
            "programme": run.programme,
            "tab": "matching",
            "run": run,
            "new": new.count(),
            "kept": selectors.run_pairs(run, show="published").count(),
            "unmatched": run.unmatched.count(),
            "form": VersionForm(initial={"version": run.version}),
        },
    )
