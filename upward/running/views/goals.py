"""SMART goals and their progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import RunningRuleBroken
from ..forms import GoalForm, ProgressForm
from ._common import _done


def _objectives(pair: Any) -> list[tuple[int, str]]:
    return [(o.pk, o.get_challenge_display()) for o in pair.programme.objectives.all()]


def _goals_page(
    request: HttpRequest, pk: int, form: GoalForm | None = None, status: int = 200
) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    goals = selectors.goals_of(pair)
    return render(
        request,
        "running/goals.html",
        {
            "pair": pair,
            "goals": goals,
            "form": form or GoalForm(objectives=_objectives(pair)),
            "problems": getattr(form, "problems", []),
        },
        status=status,
    )


@login_required
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    return _goals_page(request, pk)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.member_pair_or_404(request.user, pk)
    form = GoalForm(request.POST, objectives=_objectives(pair))
    if not form.is_valid():
        return _goals_page(request, pk, form, status=400)
    data = form.cleaned_data
    try:
        services.goal_save(
            pair=pair,
            by=request.user,
            statement=data["statement"],
            measure=data["measure"],
            target=data["target"],
            due_on=data["due_on"],
            objective_id=data["objective"],
            kept_because=data["kept_because"],
        )
    except services.GoalNotSmart as exc:
        form.problems = exc.problems  # type: ignore[attr-defined]
        return _goals_page(request, pk, form, status=400)
    except RunningRuleBroken as exc:
        form.add_error(None, str(exc))
        return _goals_page(request, pk, form, status=400)
    messages.success(request, "Goal saved. Only the two of you see it.")
    return redirect("running:goals", pk=pair.pk)


@login_required
@require_POST
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_or_404(request.user, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the progress as a percentage from 0 to 100.")
        return redirect("running:goals", pk=goal.pair_id)
    data = form.cleaned_data
    return _done(
        request,
        goal,  # type: ignore[arg-type]
        lambda: services.goal_progress(
            goal=goal,
            by=request.user,
            percent=data["percent"],
            comment=data["comment"],
            version=data["version"],
        ),
        "Progress saved.",
        target="running:goals",
    )
