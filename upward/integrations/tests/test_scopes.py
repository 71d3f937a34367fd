"""Every API operation belongs to one area, and each scope lets a token through to exactly the
operations of its area and mode: read for GET, write for the rest."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import resolve

from upward.api import api
from upward.integrations.scopes import (
    _PARAM,
    ACCOUNT,
    AREAS,
    SCOPES,
    area_of_tags,
    needed_scope,
)

from .conftest import bearer, make_token

_ARG = re.compile(r"\{(\w+)\}")


def _operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    found = []
    for path, entries in schema["paths"].items():
        for method, operation in entries.items():
            filled = _ARG.sub(lambda m: "nowhere" if m.group(1) == "slug" else "999999", path)
            if m := re.search(r"\{side\}|\{dimension\}", path):
                filled = path.replace(m.group(0), "leader")
            found.append((method.upper(), path, filled, operation))
    return found


OPERATIONS = _operations()


def test_every_operation_maps_to_an_area() -> None:
    unmapped = [
        f"{m} {p} {o.get('tags')}" for m, p, _, o in OPERATIONS if not area_of_tags(o.get("tags"))
    ]
    assert unmapped == [], (
        "Map these operations' tags in upward/integrations/scopes.py AREA_BY_TAG: "
        + "; ".join(unmapped)
    )


def test_every_operation_documents_its_scope() -> None:
    for method, path, _, operation in OPERATIONS:
        area = area_of_tags(operation["tags"])
        public = "security" not in operation
        expected = [] if area == ACCOUNT or public else [needed_scope(area, method)]
        assert operation["x-scopes"] == expected, f"{method} {path}"
        if expected:
            assert f"Token scope: `{expected[0]}`." in operation["description"]


def test_the_bearer_scheme_is_documented() -> None:
    schema = api.get_openapi_schema()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    public = [f"{m} {p}" for m, p, _, o in OPERATIONS if "security" not in o]
    # Only the certificate check is open to everyone.
    assert public == ["POST /api/v1/verify"]
    for _, _, _, operation in OPERATIONS:
        if "security" not in operation:
            continue
        assert any(schemes[name]["type"] == "http" for s in operation["security"] for name in s)


def test_a_request_finds_the_area_of_its_operation() -> None:
    """At request time the area comes from the route Django resolved, which must name the same
    path as the OpenAPI document for every operation."""
    for method, path, filled, _ in OPERATIONS:
        route = "/" + _PARAM.sub(r"{\1}", resolve(filled).route)
        assert route == path, (method, path, filled)


def _scope_refused(response: Any) -> bool:
    return response.status_code == 403 and "lacks the scope" in response.json()["detail"]


@pytest.mark.django_db
def test_each_scope_allows_its_operations_and_nothing_more(coordinator: Any) -> None:
    """For every operation: a token holding exactly the scope it needs gets past the scope
    check; a token holding every other scope is refused with 403 and the scope it lacks.
    (Write includes read of the same area, so a read operation refuses a token only when it
    holds neither.) Operations on tokens and webhooks refuse every token."""
    exactly = {scope: make_token(coordinator, [scope])[1] for scope in SCOPES}
    others = {
        scope: make_token(
            coordinator,
            [s for s in SCOPES if s != scope and s.split(":")[0] != scope.split(":")[0]],
        )[1]
        for scope in SCOPES
    }
    everything = make_token(coordinator)[1]
    checked = set()
    for method, path, filled, operation in OPERATIONS:
        area = area_of_tags(operation["tags"])
        if "security" not in operation:
            continue  # open to everyone: no scope to check
        call = getattr(bearer(everything), method.lower())
        if area == ACCOUNT:
            answer = call(filled, data={}, content_type="application/json")
            assert answer.status_code == 403, (method, path)
            assert "cannot manage tokens" in answer.json()["detail"]
            continue
        scope = needed_scope(area, method)
        checked.add(scope)
        allowed = getattr(bearer(exactly[scope]), method.lower())(
            filled, data={}, content_type="application/json"
        )
        assert not _scope_refused(allowed), (method, path, allowed.content)
        assert allowed.status_code != 401, (method, path)
        refused = getattr(bearer(others[scope]), method.lower())(
            filled, data={}, content_type="application/json"
        )
        assert _scope_refused(refused), (method, path, refused.status_code, refused.content)
        assert scope in refused.json()["detail"]
        if scope.endswith(":write"):
            # A read-only token of the same area cannot write.
            read_only = getattr(bearer(exactly[scope.replace(":write", ":read")]), method.lower())(
                filled, data={}, content_type="application/json"
            )
            assert _scope_refused(read_only), (method, path)
    assert checked == set(SCOPES), "every scope has at least one operation"
    assert set(AREAS) == {s.split(":")[0] for s in SCOPES}
