"""Shared pieces of the matching pages: access, messages and safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from upward.programmes.selectors import coordinated_programme_or_404

from ..errors import MatchRuleBroken, VersionConflict
from ..models import MatchingRun
from ..selectors import run_or_404


def coordinator_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load the programme for one of its coordinators; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        programme = coordinated_programme_or_404(request.user, slug)
        return view(request, programme, *args, **kwargs)

    return wrapper


def run_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load a run of a programme the user coordinates; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, slug: str, number: int, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        programme = coordinated_programme_or_404(request.user, slug)
        return view(request, run_or_404(programme, number), *args, **kwargs)

    return wrapper


def report(request: HttpRequest, error: MatchRuleBroken) -> None:
    messages.error(request, str(error))


def conflict(request: HttpRequest, run: MatchingRun, error: VersionConflict) -> HttpResponse:
    """Someone else changed the run first: say so, change nothing, link to the latest."""
    return render(
        request,
        "matches/conflict.html",
        {"programme": run.programme, "tab": "matching", "run": run, "error": error},
        status=409,
    )


def report_form(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def run_url(run: MatchingRun) -> str:
    return reverse("matches:run", args=[run.programme.slug, run.number])


def back_to(request: HttpRequest, run: MatchingRun) -> HttpResponse:
    """Back to the page the coordinator came from (the run's review page, with its filters)."""
    target = request.POST.get("next", "")
    base = run_url(run)
    if target.startswith(base) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect(base)


def site_url(request: HttpRequest) -> str:
    """The site's address as the person sees it, for links in emails."""
    return request.build_absolute_uri("/")
