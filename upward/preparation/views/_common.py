"""Shared pieces of the preparation pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from upward.programmes.selectors import coordinated_programme_or_404

from ..errors import PreparationRuleBroken, VersionConflict


def coordinator_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load the programme for one of its coordinators; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, coordinated_programme_or_404(request.user, slug), *args, **kwargs)

    return wrapper


def report(request: HttpRequest, error: PreparationRuleBroken) -> int:
    """Show the reason nothing changed; 409 for a stale version, else 400."""
    messages.error(request, str(error))
    return 409 if isinstance(error, VersionConflict) else 400


def version_of(request: HttpRequest, name: str = "version") -> int | None:
    try:
        value = int(request.POST.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value < 2**31 else None


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def parse_local(value: str, tz: dt.tzinfo) -> dt.datetime | None:
    try:
        naive = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return naive.replace(tzinfo=tz) if naive.tzinfo is None else naive


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)
