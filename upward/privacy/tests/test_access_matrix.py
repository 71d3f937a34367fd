"""Every URL pattern and every API operation, called as every persona, answers as the access
matrix (``access_matrix.py``) says. Every page a persona may open also obeys the strict CSP
(no inline script or style) and, when signed in, is never cached."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from upward.api import api

from . import access_matrix as matrix
from .conftest import World

LOGIN = reverse("account_login")
ALLOWED_REFUSALS = {400, 409, 422}  # the input was refused after the permission check passed


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield prefix + str(pattern.pattern), name


API_PAGES = {"api-1:openapi-json", "api-1:openapi-view", "api-1:api-root"}


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) for every URL pattern; API operations have their own table."""
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.startswith("api/v1/") or name in API_PAGES
    ]


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def _outcome(response: Any, persona: str, *, api_call: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    location = response.get("Location", "")
    if status in (301, 302, 303) and location.startswith((LOGIN, "/admin/login/")):
        return (
            "denied"
            if persona == "anonymous" or location.startswith("/admin/login/")
            else (f"sent to sign in ({location})")
        )
    if status in (403, 404) or (api_call and persona == "anonymous" and status == 401):
        return "denied"
    if status < 400 or status in ALLOWED_REFUSALS:
        return "allowed"
    return f"unexpected {status}"


def _call(
    client: Client, method: str, url: str, data: dict[str, Any] | None, *, api_call: bool
) -> Any:
    # Each call runs in a savepoint that is rolled back, so one persona's action (a deletion,
    # a phase change) does not change what the next persona finds.
    with transaction.atomic():
        if api_call and method == "GET":
            response = client.get(url)
        elif api_call:
            response = getattr(client, method.lower())(
                url, data=json.dumps(data or {}), content_type="application/json"
            )
        elif method == "POST":
            response = client.post(url, data or {})
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return response


def _check_page(response: Any, persona: str, label: str, problems: list[str]) -> None:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    for issue in matrix.inline_code(response.content.decode()):
        problems.append(f"{label} as {persona}: blocked by the CSP: {issue}")
    if persona != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{label} as {persona}: a signed-in page without Cache-Control: no-store")


def _run(
    rule: matrix.Rule,
    label: str,
    url: str,
    clients: dict[str, Client],
    world: World,
    *,
    api_call: bool,
    problems: list[str],
) -> None:
    data = rule.data(world) if rule.data else None
    for persona in matrix.PERSONAS:
        response = _call(clients[persona], rule.method, url, data, api_call=api_call)
        outcome = _outcome(response, persona, api_call=api_call)
        expected = "allowed" if persona in rule.allow else "denied"
        if outcome != expected:
            problems.append(
                f"{label} as {persona}: expected {expected}, got {outcome} "
                f"(HTTP {response.status_code})"
            )
        if outcome == "allowed" and not api_call:
            _check_page(response, persona, label, problems)


def test_every_url_pattern_has_an_entry() -> None:
    missing = [
        f"{name or '(unnamed)'}  ->  /{route}"
        for route, name in url_patterns()
        if name not in matrix.URLS and not route.startswith(matrix.ADMIN_PREFIX_ROUTE)
    ]
    assert missing == [], (
        "These URL patterns have no entry in upward/privacy/tests/access_matrix.py. Read each "
        "view and add who may open it, e.g. "
        '"app:name": Rule(COORDINATOR_A, lambda w: {"slug": w.programme_a.slug}):\n'
        + "\n".join(missing)
    )
    names = {name for _route, name in url_patterns()}
    stale = sorted(set(matrix.URLS) - names)
    assert stale == [], f"Entries for URL names that no longer exist: {stale}"


def test_every_api_operation_has_an_entry() -> None:
    operations = {f"{method} {path}" for method, path in api_operations()}
    missing = sorted(operations - set(matrix.API))
    assert missing == [], (
        "These API operations have no entry in upward/privacy/tests/access_matrix.py (API "
        'table). Read the endpoint and add e.g. "POST /api/v1/...": api(COORDINATOR_A, '
        "lambda w: {<a body that passes validation>}):\n" + "\n".join(missing)
    )
    stale = sorted(set(matrix.API) - operations)
    assert stale == [], f"Entries for API operations that no longer exist: {stale}"


def test_pages_answer_every_persona_as_the_matrix_says(
    world: World, clients: dict[str, Client]
) -> None:
    problems: list[str] = []
    for route, name in url_patterns():
        if route.startswith(matrix.ADMIN_PREFIX_ROUTE) or name not in matrix.URLS:
            continue
        rule = matrix.URLS[name]
        url = reverse(name, kwargs=rule.kwargs(world))
        _run(rule, f"{name} ({url})", url, clients, world, api_call=False, problems=problems)
    assert problems == [], "\n".join(problems)


def test_api_operations_answer_every_persona_as_the_matrix_says(
    world: World, clients: dict[str, Client]
) -> None:
    values = matrix.api_path_values(world)
    problems: list[str] = []
    for method, path in api_operations():
        rule = matrix.API.get(f"{method} {path}")
        if rule is None:
            continue
        path_values = dict(values)
        if path in matrix.API_SLUG_OVERRIDES:
            path_values["slug"] = matrix.API_SLUG_OVERRIDES[path](world)
        url = re.sub(r"{(\w+)}", lambda m, v=path_values: str(v[m.group(1)]), path)
        api_rule = matrix.Rule(rule.allow, method=method, data=rule.data)
        _run(api_rule, f"{method} {url}", url, clients, world, api_call=True, problems=problems)
    assert problems == [], "\n".join(problems)


_ADMIN_VALUES = {
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "accounts",
    "url": "x/",
    "id": "1",
}


def _admin_url(route: str, name: str) -> str:
    if name:
        names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        return reverse(name, kwargs={a or b: _ADMIN_VALUES[a or b] for a, b in names})
    # Unnamed admin patterns (old-style change links, the catch-all): fill them in by hand.
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _ADMIN_VALUES[m.group(1)], route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _ADMIN_VALUES[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


def test_the_admin_is_for_site_operators_only(world: World, clients: dict[str, Client]) -> None:
    problems: list[str] = []
    for route, name in url_patterns():
        if not route.startswith(matrix.ADMIN_PREFIX_ROUTE):
            continue
        rule = matrix.ADMIN_OPEN.get(name, matrix.ADMIN_RULE)
        url = _admin_url(route, name)
        _run(rule, f"{name} ({url})", url, clients, world, api_call=False, problems=problems)
    assert problems == [], "\n".join(problems)
