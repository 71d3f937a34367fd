"""The API's common ground: what every operation refuses, and the one error shape it answers.

``UpwardAPI`` is the NinjaAPI the site mounts at /api/v1. Whatever an operation declares, it:

- refuses a JSON body that is not an object with 422 (an operation without a body accepts an
  empty body or an object, whose fields it ignores), and a body that is not JSON with 400;
- refuses NUL characters (``\\u0000``) in the path, the query string and every string of the
  body, keys included, with 422 (PostgreSQL cannot store them in text);
- answers every error as ``ErrorOut``: ``{"detail": "...", "errors": {"<field>": ["..."]}}``,
  ``errors`` only when particular fields are at fault;
- documents in its OpenAPI entry every error it can answer (400/401/403/404/409/422/503 as
  applicable), so new operations are covered without saying so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema
from pydantic import Field

from .busy import API_MESSAGE, RETRY_AFTER_SECONDS, is_database_busy

NUL = "\x00"
NUL_MESSAGE = "Remove the NUL character (\\u0000): it cannot be stored."


class ErrorOut(Schema):
    """Every error of the API has this shape."""

    detail: str = Field(description="What went wrong, in plain words.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Problems with particular fields, by field name (only when there are any).",
    )


class InputRefused(Exception):
    """The input does not have the shape the operation takes: 422, nothing changed."""

    def __init__(self, detail: str, errors: dict[str, list[str]]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class BodyNotJson(Exception):
    """The body cannot be parsed at all: 400."""


def _strings_with_nul(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield where.replace(NUL, "\\u0000")
            else:
                yield from _strings_with_nul(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_with_nul(item, f"{path}.{index}" if path else str(index))


def check_input_shape(request: HttpRequest) -> None:
    """Refuse what no operation takes, before any operation reads the request."""
    problems: dict[str, list[str]] = {}
    if NUL in request.path:
        problems["path"] = [NUL_MESSAGE]
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in v for v in values):
            problems[key.replace(NUL, "\\u0000")] = [NUL_MESSAGE]
    content_type = request.content_type or ""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not content_type.startswith(
        "multipart/"
    ):
        raw = request.body
        if raw.strip():
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise BodyNotJson("The request body is not valid JSON.") from exc
            if not isinstance(body, dict):
                raise InputRefused(
                    "The request body must be a JSON object.",
                    {"body": ["Send a JSON object, such as {}."]},
                )
            for where in _strings_with_nul(body, ""):
                problems[where] = [NUL_MESSAGE]
    if problems:
        raise InputRefused("Some values cannot be accepted; nothing was changed.", problems)


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "<parameter>", "field", ...) and ("query", "field"): name the field alone.
        inner = loc[2:] if loc[:1] == ["body"] else loc[1:]
        key = ".".join(inner) or (loc[0] if loc else "body")
        found.setdefault(key, []).append(str(error.get("msg", "Invalid value.")))
    return found


# What each error means, for the OpenAPI document.
ERROR_DESCRIPTIONS = {
    400: "The request breaks a rule, or its body is not JSON; nothing was changed.",
    401: "Not signed in, the session has ended, or the bearer token is unknown, revoked or "
    "expired.",
    403: "Signed in but not allowed: the role does not allow it, the CSRF token is missing, "
    "the account needs two-factor authentication, or the token lacks the operation's scope.",
    404: "No such object, or not one this account may see.",
    409: "Someone else changed it first (stale version) or its state does not allow it now; "
    "reload and try again.",
    422: "The input does not have the shape the operation takes; nothing was changed.",
    429: "Too many requests with this token; try again after the seconds in Retry-After.",
    503: "The database is busy; try again after the number of seconds in Retry-After.",
}


class UpwardAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Functions that add to the OpenAPI document once it is built (e.g. each operation's
        # token scope), called with the document.
        self.schema_hooks: list[Callable[[dict[str, Any]], None]] = []
        self.add_exception_handler(InputRefused, self._input_refused)
        self.add_exception_handler(BodyNotJson, self._body_not_json)
        self.add_exception_handler(ValidationError, self._validation_error)
        # A body Django cannot read (a multipart body without a boundary, too many fields):
        # the caller's to fix.
        for unreadable in (MultiPartParserError, SuspiciousOperation, BadRequest):
            self.add_exception_handler(unreadable, self._unreadable)
        self.add_exception_handler(OperationalError, self._database_error)

    def error_response(
        self,
        request: HttpRequest,
        status: int,
        detail: str,
        errors: dict[str, list[str]] | None = None,
    ) -> HttpResponse:
        data: dict[str, Any] = {"detail": detail}
        if errors:
            data["errors"] = errors
        return self.create_response(request, data, status=status)

    def _input_refused(self, request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, InputRefused)
        return self.error_response(request, 422, exc.detail, exc.errors)

    def _database_error(self, request: HttpRequest, exc: Any) -> HttpResponse:
        if not is_database_busy(exc):
            raise exc
        response = self.error_response(request, 503, API_MESSAGE)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def _unreadable(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.error_response(request, 400, "The request body could not be read.")

    def _body_not_json(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.error_response(request, 400, str(exc))

    def _validation_error(self, request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        return self.error_response(
            request,
            422,
            "Some values need attention; nothing was changed.",
            _field_errors(exc.errors),
        )

    # Called by every operation after authentication and before its parameters are read,
    # which makes it the one place to refuse what no operation takes.
    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        check_input_shape(request)
        return super().create_temporal_response(request)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for entries in schema["paths"].values():
            for method, operation in entries.items():
                document_errors(method.upper(), operation)
        for hook in self.schema_hooks:
            hook(schema)
        return schema


def errors_of(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer."""
    parameters = operation.get("parameters", [])
    takes_input = "requestBody" in operation or any(p.get("in") == "query" for p in parameters)
    statuses = [401, 403, 422, 429, 503]
    if method != "GET" or takes_input:
        statuses.append(400)
    if any(p.get("in") == "path" for p in parameters):
        statuses.append(404)
    if method != "GET":
        statuses.append(409)
    return sorted(statuses)


def document_errors(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status in errors_of(method, operation):
        entry: dict[str, Any] = {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        if status in (429, 503):
            entry["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            }
        existing = responses.get(status) or responses.get(str(status))
        if existing is not None:
            # An operation's own entry for this status keeps its wording; the shape is ours.
            entry["description"] = existing.get("description") or entry["description"]
            responses.pop(str(status), None)
        responses[status] = entry
    # Errors an operation declares beyond these (a 404 without a path argument, say) have the
    # one shape too, whatever schema the router named.
    for key, existing in list(responses.items()):
        if int(key) >= 400 and int(key) not in errors_of(method, operation):
            existing["content"] = {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
            }


class AnyRestConverter:
    """The rest of an address, whatever it holds (newlines too, which <path:> does not match)."""

    regex = "(?s:.+)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Exempt from CSRF: it changes nothing, and a token client sends no CSRF token, so a POST to a
# wrong address must get this 404 in the API's shape rather than the CSRF failure's HTML page.
@csrf_exempt
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any address under the API that matches no operation (or a path argument of the wrong
    type, such as a word where a number goes) answers in the API's error shape, not HTML."""
    return JsonResponse({"detail": "Not Found"}, status=404)
