from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..errors import RuleBroken


def coordinator_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load the programme from the slug for a coordinator of it; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        programme = selectors.coordinated_programme_or_404(request.user, slug)
        return view(request, programme, *args, **kwargs)

    return wrapper


def site_url(request: HttpRequest) -> str:
    """The site's address as the person sees it, for links in emails."""
    return request.build_absolute_uri("/")


def report(request: HttpRequest, error: RuleBroken) -> None:
    messages.error(request, str(error))
