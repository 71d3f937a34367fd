"""A JSON body that is not an object is refused with 422 by every operation, before it can be
taken for an empty object (which once removed a deadline and started a matching run)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from upward.programmes.models import Programme

from .api_walk import operations

NOT_OBJECTS = ["24561", '"hello"', "[]", "null", "true", "[{}]", "1.5"]
WRITES = [(m, p, op) for m, p, op in operations() if m != "GET"]


def call(client: Client, method: str, path: str, body: str) -> Any:
    return client.generic(method, path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path", "operation"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES]
)
def test_every_write_refuses_a_body_that_is_not_an_object(
    client: Client, leader: Any, method: str, path: str, operation: Any
) -> None:
    client.force_login(leader)
    for body in NOT_OBJECTS:
        response = call(client, method, path, body)
        assert response.status_code == 422, (body, response.content)
        assert response.json() == {
            "detail": "The request body must be a JSON object.",
            "errors": {"body": ["Send a JSON object, such as {}."]},
        }


def test_deadline_is_not_removed_by_a_number(
    client: Client, coordinator: Any, programme_a: Programme
) -> None:
    import datetime as dt

    from django.utils import timezone

    deadline = timezone.now() + dt.timedelta(days=9)
    Programme.objects.filter(pk=programme_a.pk).update(
        applications_opened_at=timezone.now(), applications_deadline=deadline
    )
    client.force_login(coordinator)
    response = call(client, "POST", "/api/v1/programmes/programme-a/applications/deadline", "24561")
    assert response.status_code == 422
    programme_a.refresh_from_db()
    assert programme_a.applications_deadline == deadline


def test_a_body_that_is_not_json_is_refused_with_400(client: Client, leader: Any) -> None:
    client.force_login(leader)
    response = call(client, "POST", "/api/v1/programmes/programme-a/matching/runs", "{nope")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_operations_without_a_body_ignore_an_empty_body_or_object_only(
    client: Client, leader: Any
) -> None:
    client.force_login(leader)
    path = "/api/v1/consents/999999/withdraw"
    assert call(client, "POST", path, "").status_code == 404
    assert call(client, "POST", path, "{}").status_code == 404
    assert call(client, "POST", path, json.dumps({"extra": 1})).status_code == 404
    assert call(client, "POST", path, '"hello"').status_code == 422


def test_an_object_body_still_works(client: Client, coordinator: Any, programme_a: Any) -> None:
    client.force_login(coordinator)
    response = call(
        client, "POST", "/api/v1/programmes/programme-a/cohorts", json.dumps({"name": "Autumn"})
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Autumn"


def test_a_multipart_body_without_boundary_is_refused_with_400(leader: Any) -> None:
    # The CSRF check reads the form fields of a POST, which such a body breaks.
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    client.cookies["csrftoken"] = "a" * 32
    response = client.generic(
        "POST",
        "/api/v1/programmes/programme-a/applications/close",
        b"--x\r\n",
        content_type="multipart/form-data",
        headers={"X-CSRFToken": "a" * 32},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body could not be read."}
