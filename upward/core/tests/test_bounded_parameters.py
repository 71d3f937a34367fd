"""Every numeric and date parameter, of pages and of the API, has bounds; a value outside them
is a clear 400/422 (a message on pages), never a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from upward.api import api


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _leaves(
    schema: dict[str, Any], components: dict[str, Any], where: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    schema = _resolve(schema, components)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _leaves(option, components, where)
    for name, prop in schema.get("properties", {}).items():
        yield from _leaves(prop, components, f"{where}.{name}")
    if "items" in schema:
        yield from _leaves(schema["items"], components, f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _leaves(schema["additionalProperties"], components, f"{where}{{}}")
    if schema.get("type") in {"integer", "number"} or schema.get("format") in {"date", "date-time"}:
        yield where, schema


def unbounded_inputs() -> list[str]:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    found = []
    for path, entries in document["paths"].items():
        for method, operation in entries.items():
            name = f"{method.upper()} {path}"
            inputs = [
                (f"{p['in']} {p['name']}", p["schema"])
                for p in operation.get("parameters", [])
                if p["in"] == "query"
            ]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                inputs.append(("body", body["schema"]))
            for where, schema in inputs:
                for leaf, leaf_schema in _leaves(schema, components, where):
                    if leaf_schema.get("format") in {"date", "date-time"}:
                        bounded = "formatMaximum" in leaf_schema and "formatMinimum" in leaf_schema
                    else:
                        bounded = "maximum" in leaf_schema and "minimum" in leaf_schema
                    if not bounded:
                        found.append(f"{name}: {leaf}")
    return found


def test_every_numeric_and_date_input_of_the_api_is_bounded() -> None:
    assert unbounded_inputs() == []


def test_results_offset_past_the_bound_is_422(
    client: Client, coordinator: Any, programme_a: Any
) -> None:
    client.force_login(coordinator)
    response = client.get(
        "/api/v1/programmes/programme-a/matching/runs/1/results?offset=9223372036854775808"
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Some values need attention; nothing was changed.",
        "errors": {"offset": ["Input should be less than or equal to 1000000"]},
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/northwind/people?page=9223372036854775808",
        "/api/v1/programmes/programme-a/applications?page=9223372036854775808",
        "/api/v1/programmes/programme-a/invitations/people?page=9223372036854775808",
        "/api/v1/programmes/programme-a/matching/runs/1/leaders/1/mentors?limit=9223372036854775808",
    ],
)
def test_huge_page_numbers_are_422(
    client: Client, coordinator: Any, org_admin: Any, path: str
) -> None:
    client.force_login(org_admin if "organisations" in path else coordinator)
    response = client.get(path)
    assert response.status_code == 422, response.content
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("until=9999-12-31", "Enter a date between 1 January 1900 and 31 December 2999."),
        ("since=0001-01-01", "Enter a date between 1 January 1900 and 31 December 2999."),
        (
            "person=Ann&person_id=9223372036854775808",
            "Choose the person again from the list of matches.",
        ),
    ],
)
def test_audit_page_with_dates_out_of_range_says_so(
    client: Client, coordinator: Any, query: str, message: str
) -> None:
    client.force_login(coordinator)
    response = client.get(f"/privacy/audit/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
