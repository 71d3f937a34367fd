"""Request ids and JSON log lines without personal data, readiness, and token-only metrics."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client, override_settings

from upward.accounts.models import User
from upward.core.observability import json_formatter


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(json_formatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Any:
    handler = Lines()
    logger = logging.getLogger("upward.request")
    old = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old)


@pytest.mark.django_db
def test_a_request_gets_an_id_echoed_and_one_json_line_without_name_or_email(
    client: Client, log_lines: list[str]
) -> None:
    user = User.objects.create_user(email="priya.sharma@example.org", password="x" * 12)
    user.first_name, user.last_name = "Priya", "Sharma"
    user.save()
    client.force_login(user)
    response = client.get(
        "/me/?q=priya.sharma@example.org", headers={"X-Request-ID": "abc-123.def_4"}
    )
    assert response.status_code == 200
    assert b"Priya" in response.content or b"priya" in response.content  # the page does name her
    assert response["X-Request-ID"] == "abc-123.def_4"
    lines = [json.loads(line) for line in log_lines]
    mine = [line for line in lines if line.get("request_id") == "abc-123.def_4"]
    assert len(mine) == 1
    line = mine[0]
    assert line["event"] == "request"
    assert line["route"] == "/me/"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["level"] == "info"
    assert isinstance(line["duration_ms"], float)
    text = "\n".join(log_lines).lower()
    for personal in ("priya", "sharma", "example.org"):
        assert personal not in text
    # No field carries the account's id (a substring check would trip on durations like 16.1).
    for logged in lines:
        assert not any("user" in key for key in logged)
        assert user.pk not in logged.values() and str(user.pk) not in logged.values()


@pytest.mark.django_db
def test_a_request_without_an_id_or_with_a_strange_one_gets_a_new_one(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz", headers={"X-Request-ID": "<script>\n"})["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second
    assert client.get("/healthz", headers={"X-Request-ID": "a" * 65})["X-Request-ID"] != "a" * 65


@pytest.mark.django_db
def test_readyz_answers_ok_when_database_cache_and_queue_answer(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"}


@pytest.mark.django_db
def test_readyz_names_what_failed_with_503(client: Client, monkeypatch: Any) -> None:
    from upward.core import observability

    def down() -> None:
        raise ConnectionError("no cache")

    monkeypatch.setitem(observability.CHECKS, "cache", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "failed": ["cache"],
        "database": "ok",
        "cache": "down",
        "queue": "ok",
    }


@pytest.mark.django_db
def test_readyz_fails_the_queue_when_redis_does_not_answer(client: Client) -> None:
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:1/0"}},
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["queue"]


@pytest.mark.django_db
def test_metrics_do_not_exist_without_a_token(client: Client) -> None:
    with override_settings(UPWARD_METRICS_TOKEN=""):
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
def test_metrics_need_the_token(client: Client) -> None:
    with override_settings(UPWARD_METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics").status_code == 403
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        right = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert right.status_code == 200
    assert b"django_http_requests_total_by_method_total" in right.content
