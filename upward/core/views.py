from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upward.accounts import permissions
from upward.directory import selectors as directory_selectors
from upward.directory.models import Person

from . import selectors
from .busy import busy_response, is_database_busy


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard_for(request.user)
    return render(request, "core/dashboard.html", context)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=request.user).select_related("organisation").first()  # type: ignore[misc]
    chain = directory_selectors.reporting_chain_above(person) if person else []
    return render(
        request,
        "core/me.html",
        {
            "person": person,
            "managers": chain,
            "roles": sorted(permissions.roles_of(request.user)),
        },
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database busy with another writer is 503, anything else the usual 500."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
