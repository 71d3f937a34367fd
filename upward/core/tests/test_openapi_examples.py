"""Every operation of the OpenAPI document shows examples, and each example is valid.

For each operation: its JSON request body and every JSON response have an example (on the
component schema they name, or on the inline schema), and every parameter has one; each example
validates against its schema, with formats checked (date, date-time, email ...), references
followed and the date bounds (``formatMinimum``/``formatMaximum``) held.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

from upward.api import api
from upward.core.api_examples import _Builder, document_examples

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]
ALL = [
    (method.upper(), path, operation)
    for path, entries in SCHEMA["paths"].items()
    for method, operation in entries.items()
]


class _DateBound:
    """``formatMinimum``/``formatMaximum`` on a date: ISO dates compare as text."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[Any]) -> None:
        self.bound = value
        self.lowest = schema_path[-1] == "formatMinimum"

    def validate(self, instance: Any) -> None:
        if not isinstance(instance, str):
            return
        if instance < self.bound if self.lowest else instance > self.bound:
            side = "before" if self.lowest else "after"
            raise ValueError(f"{instance!r} is {side} {self.bound}")


def _compile(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    # The components travel inside the schema, so "#/components/schemas/<name>" resolves.
    return jsonschema_rs.Draft202012Validator(
        {**schema, "components": {"schemas": components}},
        validate_formats=True,
        keywords={"formatMinimum": _DateBound, "formatMaximum": _DateBound},
    )


@cache
def _validator_of_component(name: str) -> Any:
    return _compile({"$ref": f"#/components/schemas/{name}"}, COMPONENTS)


def _errors(example: Any, schema: dict[str, Any], components: dict[str, Any]) -> list[str]:
    ref = schema.get("$ref")
    if ref is not None and components is COMPONENTS:
        validator = _validator_of_component(ref.rsplit("/", 1)[-1])
    else:
        validator = _compile(schema, components)
    return [
        "/" + "/".join(str(part) for part in e.instance_path) + f": {e.message}"
        for e in validator.iter_errors(example)
    ]


def problems(operation: dict[str, Any], components: dict[str, Any]) -> list[str]:
    """What is missing or wrong in the examples of one operation."""
    found = []
    bodies = [("request body", operation.get("requestBody", {}))] + [
        (f"response {status}", response) for status, response in operation["responses"].items()
    ]
    for where, body in bodies:
        for media_type, content in body.get("content", {}).items():
            if "json" not in media_type:
                continue
            schema = content["schema"]
            holder = components[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
            if "example" not in holder:
                found.append(f"{where}: no example")
                continue
            found += [f"{where} {e}" for e in _errors(holder["example"], schema, components)]
    for parameter in operation.get("parameters", []):
        where = f"{parameter['in']} parameter {parameter['name']}"
        if "example" not in parameter:
            found.append(f"{where}: no example")
            continue
        found += [f"{where} {e}" for e in _errors(parameter["example"], parameter["schema"], {})]
    return found


@pytest.mark.parametrize(("method", "path", "operation"), ALL, ids=[f"{m} {p}" for m, p, _ in ALL])
def test_every_operation_shows_valid_examples(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    assert problems(operation, COMPONENTS) == []


def test_every_body_and_path_parameter_is_covered() -> None:
    bodies = sum(1 for _, _, op in ALL if "requestBody" in op)
    path_parameters = [p for _, _, op in ALL for p in op.get("parameters", []) if p["in"] == "path"]
    assert len(ALL) >= 190
    assert bodies >= 90
    assert path_parameters
    assert all("example" in p for p in path_parameters)
    # Every component schema has one, used in a body or not.
    assert [name for name, schema in COMPONENTS.items() if "example" not in schema] == []


def test_a_wrong_or_missing_example_is_found() -> None:
    components = copy.deepcopy(COMPONENTS)
    operation = copy.deepcopy(SCHEMA["paths"]["/api/v1/programmes/{slug}"]["get"])
    components["ProgrammeOut"]["example"]["starts_on"] = "11/01/2027"
    components["ProgrammeOut"]["example"]["readiness"]["total"] = "six"
    components["ErrorOut"]["example"] = {"errors": {}}
    del operation["parameters"][0]["example"]
    found = problems(operation, components)
    assert any(p.startswith("response 200 /starts_on") for p in found), found
    assert any(p.startswith("response 200 /readiness/total") for p in found), found
    assert any(p.startswith("response 404 /: ") and "detail" in p for p in found), found
    assert "path parameter slug: no example" in found
    out_of_range = copy.deepcopy(SCHEMA["paths"]["/api/v1/programmes/"]["post"])
    components["ProgrammeCreateIn"]["example"]["starts_on"] = "1850-06-01"
    assert any("before 1900-01-01" in p for p in problems(out_of_range, components))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_the_examples_tell_the_programme_s_story() -> None:
    programme = COMPONENTS["ProgrammeOut"]["example"]
    assert programme["name"] == "Reverse Mentoring 2027"
    assert programme["slug"] == "reverse-mentoring-2027"
    assert COMPONENTS["PersonOut"]["example"]["name"] == "Priya Sharma"
    assert COMPONENTS["PersonOut"]["example"]["email"] == "priya.sharma@example.org"
    pair = COMPONENTS["RelationshipOut"]["example"]
    assert pair["leader"]["name"] != pair["mentor"]["name"]
    page = COMPONENTS["PagedPersonOut"]["example"]
    assert page["count"] == len(page["items"]) == 1
    error = COMPONENTS["ErrorOut"]["example"]
    assert error["detail"].endswith("nothing was changed.")
    every_string = [s for schema in COMPONENTS.values() for s in _strings(schema["example"])]
    assert "string" not in every_string
    emails = [s for s in every_string if "@" in s and " " not in s]
    assert emails and all(e.endswith(".org") and "example" in e for e in emails)

    def parameter(path: str, name: str) -> Any:
        entries = SCHEMA["paths"][path]
        operation = next(iter(entries.values()))
        return next(p["example"] for p in operation["parameters"] if p["name"] == name)

    assert parameter("/api/v1/programmes/{slug}", "slug") == "reverse-mentoring-2027"
    assert parameter("/api/v1/organisations/{slug}/people", "slug") == "northwind"
    assert parameter("/api/v1/pairs/{pair_id}/goals", "pair_id") == 1
    assert parameter("/api/v1/programmes/{slug}/applications", "status") == "submitted"


def test_a_new_schema_gets_a_valid_example_without_a_table_entry() -> None:
    components: dict[str, Any] = {
        "Kind": {"type": "string", "enum": ["", "quarterly", "yearly"]},
        "Inner": {
            "type": "object",
            "properties": {"weight_kg": {"type": "number", "exclusiveMinimum": 10}},
            "required": ["weight_kg"],
        },
        "Unknown": {
            "type": "object",
            "properties": {
                "reference_code": {"type": "string", "minLength": 12, "maxLength": 14},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "renewal_on": {
                    "type": "string",
                    "format": "date",
                    "formatMinimum": "2030-01-01",
                    "formatMaximum": "2031-01-01",
                },
                "reviewed_at": {
                    "anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]
                },
                "contact": {"type": "string", "format": "email"},
                "room": {"type": ["string", "null"], "maxLength": 3},
                "seats": {"type": "integer", "minimum": 5, "maximum": 9},
                "inner": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Inner"},
                    "minItems": 2,
                },
                "tags": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "maximum": 0},
                },
            },
        },
    }
    document = {"components": {"schemas": components}, "paths": {}}
    document_examples(document)
    example = components["Unknown"]["example"]
    assert example["kind"] == "quarterly"
    assert len(example["inner"]) == 2
    assert example["renewal_on"] == "2030-01-01"
    assert example["seats"] == 5
    assert example["room"] == "Roo"
    assert example["contact"].endswith("@example.org")
    assert _errors(example, {"$ref": "#/components/schemas/Unknown"}, components) == []
    assert _Builder(components).fits(
        "2030-06-01", components["Unknown"]["properties"]["renewal_on"]
    )
    assert not _Builder(components).fits(
        "2029-06-01", components["Unknown"]["properties"]["renewal_on"]
    )


def test_the_served_document_carries_the_examples(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert served["components"]["schemas"]["ProgrammeOut"]["example"]["slug"] == (
        "reverse-mentoring-2027"
    )
    assert json.dumps(served).count('"example"') > 300
