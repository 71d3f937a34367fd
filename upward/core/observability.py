"""What operators see of a running site: JSON log lines with a request id, readiness, metrics.

Log lines carry the request id, method, route pattern, status and duration, never a name, an
email, a query string or a request body: the route pattern (``programmes/<slug:slug>/``) stands
in for the path, whose parts or query could hold what someone typed.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

request_logger = structlog.get_logger("upward.request")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
REQUEST_ID_HEADER = "X-Request-ID"

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def json_formatter() -> logging.Formatter:
    """The formatter of every log line (settings.LOGGING): one JSON object per line."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "(unresolved)"
    return "/" + str(match.route or "")


class RequestLog:
    """First middleware: gives each request an id (the caller's X-Request-ID when it is a plain
    token, else a new one), echoes it in the response and writes one log line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            request_logger.exception(
                "request", method=request.method, route=_route(request), status=500
            )
            raise
        finally:
            elapsed = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        if response.status_code >= 500:
            log = request_logger.error
        elif _route(request) in {"/healthz", "/readyz", "/metrics"}:
            log = request_logger.debug
        else:
            log = request_logger.info
        log(
            "request",
            method=request.method,
            route=_route(request),
            status=response.status_code,
            duration_ms=elapsed,
        )
        # The id stays bound until the next request: Django logs a 4xx/5xx after the
        # middleware has returned, and that line should carry it too.
        return response


# --- readiness ------------------------------------------------------------------------------


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _queue() -> None:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_rq."):
        import django_rq

        for name in settings.TASKS["default"].get("QUEUES", ["default"]):
            django_rq.get_connection(name).ping()
    elif backend.startswith("django_tasks_db."):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("id").first()


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache, "queue": _queue}


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database, the shared cache and the task queue all answer."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logging.getLogger("upward.readyz").warning("readiness check failed: %s", name)
            results[name] = "down"
        else:
            results[name] = "ok"
    failed = [name for name, state in results.items() if state != "ok"]
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed, **results}, status=503)
    return JsonResponse({"status": "ok", **results})


# --- metrics --------------------------------------------------------------------------------


@require_GET
@never_cache
def metrics(request: HttpRequest) -> Any:
    """Prometheus metrics for whoever holds UPWARD_METRICS_TOKEN (``Authorization: Bearer``).

    Without a token configured the endpoint does not exist (404); a wrong or missing token
    is refused (403).
    """
    token = getattr(settings, "UPWARD_METRICS_TOKEN", "")
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"detail": "A valid metrics token is required."}, status=403)
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
