"""When SQLite's write lock cannot be had in time: 503 with Retry-After, not a server error.

SQLite lets one process write at a time; another writer waits up to the connection's timeout
and then fails with "database is locked". That is the site being busy, not broken: pages and
the API answer 503 and say when to try again. Every other database error stays an error.
"""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5
API_MESSAGE = "The database is busy with other work. Try again in a few seconds."


def is_database_busy(exc: BaseException | None) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message


def busy_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": API_MESSAGE}, status=503)
    else:
        # Rendered without the request's context: its context processors read the database.
        response = HttpResponse(
            render_to_string("core/busy.html", {"seconds": RETRY_AFTER_SECONDS}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
