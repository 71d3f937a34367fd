"""Areas of the API and the scopes a token may hold: the one mapping table.

Every API operation belongs to one area, found from its OpenAPI tag (``AREA_BY_TAG``). A token
holds ``<area>:read`` and/or ``<area>:write``; GET and HEAD need the first, every other method
the second. ``ACCOUNT`` (tokens and webhooks themselves, and each person's notification choices)
is no scope a token can hold: managing them takes a signed-in session.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

AREAS = {
    "directory": "Directory (organisations, people, roles)",
    "programmes": "Programmes (set-up, invitations, applications, consent)",
    "matching": "Matching (runs, proposals)",
    "pairs": "Pairs (pairs, preparation, meetings, goals, check-ins)",
    "surveys": "Surveys and results",
    "concerns": "Concerns (support)",
    "cohort": "Cohort life (events, cohort space, pair messages, ideas, commitments, nominations)",
    "recognition": "Recognition (completion, certificates, success stories)",
}
ACCOUNT = "account"

AREA_BY_TAG = {
    "directory": "directory",
    "programmes": "programmes",
    "invitations": "programmes",
    "screening": "programmes",
    "applying": "programmes",
    "consent": "programmes",
    "matching": "matching",
    "pairs": "pairs",
    "preparation": "pairs",
    "meetings": "pairs",
    "support": "concerns",
    "evidence": "surveys",
    "cohort": "cohort",
    "accountability": "cohort",
    "recognition": "recognition",
    "integrations": ACCOUNT,
    # Each person's own choice of emails: personal settings, changed in a signed-in session.
    "notifications": ACCOUNT,
}

SCOPES = tuple(f"{area}:{mode}" for area in AREAS for mode in ("read", "write"))
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def scope_label(scope: str) -> str:
    area, _, mode = scope.partition(":")
    return f"{AREAS.get(area, area)}: {'read' if mode == 'read' else 'read and write'}"


def needed_scope(area: str, method: str) -> str:
    return f"{area}:{'read' if method.upper() in READ_METHODS else 'write'}"


def area_of_tags(tags: list[str] | None) -> str | None:
    areas = {AREA_BY_TAG.get(tag) for tag in tags or []}
    if len(areas) != 1 or None in areas:
        return None
    return areas.pop()


def allows(scopes: list[str], area: str, method: str) -> bool:
    needed = needed_scope(area, method)
    # Write access includes reading the same area.
    return needed in scopes or (needed.endswith(":read") and f"{area}:write" in scopes)


_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@cache
def _operation_areas() -> dict[tuple[str, str], str | None]:
    from upward.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found: dict[tuple[str, str], str | None] = {}
    for path, entries in schema["paths"].items():
        for method, operation in entries.items():
            found[(method.upper(), path)] = area_of_tags(operation.get("tags"))
    return found


def area_of_request(request: Any) -> str | None:
    """The area of the operation a request calls, or None when it maps to none."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    path = "/" + _PARAM.sub(r"{\1}", match.route)
    method = "GET" if request.method == "HEAD" else request.method
    return _operation_areas().get((method, path))


def document_scopes(schema: dict[str, Any]) -> None:
    """Write each operation's scope into its OpenAPI entry (``x-scopes`` and its description)."""
    for entries in schema["paths"].values():
        for method, operation in entries.items():
            area = area_of_tags(operation.get("tags"))
            if area is None:
                continue
            if "security" not in operation:
                operation["x-scopes"] = []
                note = "Open to everyone: no session or token is needed."
            elif area == ACCOUNT:
                operation["x-scopes"] = []
                note = (
                    "Needs a signed-in session: a token cannot manage tokens, webhooks or "
                    "notification choices."
                )
            else:
                scope = needed_scope(area, method)
                operation["x-scopes"] = [scope]
                note = f"Token scope: `{scope}`."
            described = operation.get("description") or ""
            operation["description"] = f"{described}\n\n{note}".strip()
