"""NUL characters (\\u0000) are refused with 422 in every string the API takes: the path, the
query string and the body, keys included. PostgreSQL cannot store them in text, and they
would reach exports. Web forms refuse them too (Django's form fields)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.test import Client

from upward.programmes.models import Cohort, Programme

from .api_walk import operations

NUL_MESSAGE = "Remove the NUL character (\\u0000): it cannot be stored."
ALL = operations()


def test_cohort_name_with_nul_is_refused_and_nothing_created(
    client: Client, coordinator: Any, programme_a: Programme
) -> None:
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/programmes/programme-a/cohorts",
        json.dumps({"name": "nul\u0000byte"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Some values cannot be accepted; nothing was changed.",
        "errors": {"name": [NUL_MESSAGE]},
    }
    assert not Cohort.objects.filter(programme=programme_a).exists()


def test_nul_deep_in_a_body_and_in_a_key_is_refused(client: Client, leader: Any) -> None:
    client.force_login(leader)
    body = {"answers": {"12": ["fine", "bad\u0000"]}, "identity": {"a\u0000": "x"}}
    response = client.put(
        "/api/v1/programmes/programme-a/application",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "answers.12.1": [NUL_MESSAGE],
        "identity.a\\u0000": [NUL_MESSAGE],
    }


@pytest.mark.parametrize(("method", "path", "operation"), ALL, ids=[f"{m} {p}" for m, p, _ in ALL])
def test_every_operation_refuses_nul_in_the_query_string(
    client: Client, leader: Any, method: str, path: str, operation: Any
) -> None:
    client.force_login(leader)
    response = client.generic(method, path + "?q=a%00b")
    assert response.status_code == 422
    assert response.json()["errors"] == {"q": [NUL_MESSAGE]}


def test_nul_in_a_path_argument_is_refused(client: Client, leader: Any) -> None:
    client.force_login(leader)
    response = client.get("/api/v1/programmes/a%00b")
    assert response.status_code == 422
    assert response.json()["errors"] == {"path": [NUL_MESSAGE]}


def test_web_forms_refuse_nul_too() -> None:
    field = forms.CharField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("nul\u0000byte")
    assert refused.value.messages == ["Null characters are not allowed."]
