"""The OpenAPI document describes every error each operation can answer, all in one shape, and
the answers keep to it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from upward.api import api

from .api_walk import operations

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
ALL = operations()


def error_statuses(operation: dict[str, Any]) -> set[int]:
    return {int(s) for s in operation["responses"] if int(s) >= 400}


@pytest.mark.parametrize(("method", "path", "operation"), ALL, ids=[f"{m} {p}" for m, p, _ in ALL])
def test_every_operation_documents_its_errors_in_one_shape(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    statuses = error_statuses(operation)
    assert {401, 403, 422, 503} <= statuses
    if method != "GET":
        assert {400, 409} <= statuses
    if "{" in next(
        p for p, e in api.get_openapi_schema()["paths"].items() if operation in e.values()
    ):
        assert 404 in statuses
    for status in statuses:
        content = operation["responses"][status]["content"]
        assert content == {"application/json": {"schema": ERROR_REF}}, status
    assert "Retry-After" in operation["responses"][503]["headers"]


def test_the_error_shape() -> None:
    schema = api.get_openapi_schema()["components"]["schemas"]
    assert schema["ErrorOut"]["required"] == ["detail"]
    assert set(schema["ErrorOut"]["properties"]) == {"detail", "errors"}
    assert "ProblemsOut" not in schema


def test_numbers_of_documented_errors() -> None:
    counts = {len(error_statuses(op)) for _, _, op in ALL}
    assert min(counts) >= 4
    assert len(ALL) == sum(1 for _, _, op in ALL if error_statuses(op))


def test_schema_validation_and_a_refused_application_answer_the_same_shape(
    client: Client, leader: Any, programme_a: Any
) -> None:
    client.force_login(leader)
    # ninja's own validation: a field of the wrong type.
    bad_type = client.post(
        "/api/v1/programmes/programme-a/matching/runs",
        json.dumps({"cohort_id": "x"}),
        content_type="application/json",
    )
    assert bad_type.status_code == 422
    assert bad_type.json() == {
        "detail": "Some values need attention; nothing was changed.",
        "errors": {
            "cohort_id": ["Input should be a valid integer, unable to parse string as an integer"]
        },
    }
    # An empty body to PUT …/application, whose 422 was documented as ProblemsOut.
    empty = client.put(
        "/api/v1/programmes/programme-a/application", "", content_type="application/json"
    )
    assert empty.status_code == 422
    assert set(empty.json()) == {"detail", "errors"}
    assert all(isinstance(v, list) for v in empty.json()["errors"].values())


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programmes/programme-a/matching/runs/false/publish",
        "/api/v1/no-such-operation",
        "/api/v1/programmes/programme-a/cohorts/-x",
        "/api/v1/proposals/a%0Ab",
    ],
)
def test_an_address_matching_no_operation_answers_json(
    client: Client, leader: Any, path: str
) -> None:
    client.force_login(leader)
    response = client.post(path, {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}


def test_no_two_api_schemas_share_a_name() -> None:
    """The OpenAPI document keys schemas by class name: two with one name would overwrite each
    other, and clients would be told the wrong shape (schemathesis found three such)."""
    from collections import defaultdict

    from ninja import Schema

    import upward.api  # noqa: F401  (every router's schemas are defined once it is imported)

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(c) for c in found)) if found else found

    by_name: dict[str, set[str]] = defaultdict(set)
    for schema in subclasses(Schema):
        module = schema.__module__
        if module.startswith("upward.") and ".tests" not in module:
            by_name[schema.__name__].add(f"{module}.{schema.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}
