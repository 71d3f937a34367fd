"""Reading a programme's runs writes nothing unless a run looks dead by its heartbeat; a run
whose worker stopped reporting is shown failed, with why, on the list and on its page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.matches.models import MatchingRun
from upward.matches.services.runs import STALE_AFTER, WORKER_ENDED

from .conftest import Cast, client_for, finish


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
        and "django_session" not in q["sql"]
    ]


def _working(cast: Cast, number: int, heartbeat: Any) -> MatchingRun:
    return MatchingRun.objects.create(
        programme=cast.programme,
        number=number,
        status=MatchingRun.Status.RUNNING,
        stage=MatchingRun.Stage.SOLVING,
        heartbeat_at=heartbeat,
        created_by=cast.coordinator,
    )


def test_the_runs_list_and_a_run_page_write_nothing_while_no_run_looks_dead(cast: Cast) -> None:
    finish(cast.programme, cast.coordinator)
    _working(cast, 2, timezone.now() - timedelta(minutes=1))
    client = client_for(cast.coordinator)
    base = f"/api/v1/programmes/{cast.programme.slug}/matching/runs"
    for url in (base, f"{base}/2", f"/programmes/{cast.programme.slug}/matching/runs/2/"):
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.status_code == 200, url
        assert _writes(queries) == [], url
    listed = {r["number"]: r["status"] for r in client.get(base).json()}
    assert listed == {1: "done", 2: "running"}


def test_a_run_whose_worker_stopped_reporting_is_listed_failed_with_why(cast: Cast) -> None:
    finish(cast.programme, cast.coordinator)
    dead = _working(cast, 2, timezone.now() - STALE_AFTER - timedelta(minutes=1))
    client = client_for(cast.coordinator)
    base = f"/api/v1/programmes/{cast.programme.slug}/matching/runs"
    with CaptureQueriesContext(connection) as queries:
        listed = client.get(base).json()
    assert len(_writes(queries)) == 1
    assert {r["number"]: r["status"] for r in listed} == {1: "done", 2: "failed"}
    dead.refresh_from_db()
    assert dead.status == MatchingRun.Status.FAILED and dead.error == WORKER_ENDED
    assert dead.finished_at is not None
    # Read again: nothing left to fail, nothing written.
    with CaptureQueriesContext(connection) as queries:
        client.get(base)
    assert _writes(queries) == []


def test_a_dead_run_opened_by_its_page_or_the_api_is_failed_there_too(cast: Cast) -> None:
    _working(cast, 1, timezone.now() - STALE_AFTER - timedelta(seconds=5))
    client = client_for(cast.coordinator)
    status = client.get(f"/api/v1/programmes/{cast.programme.slug}/matching/runs/1").json()
    assert status["status"] == "failed"
    _working(cast, 2, timezone.now() - STALE_AFTER - timedelta(seconds=5))
    page = client.get(f"/programmes/{cast.programme.slug}/matching/")
    assert page.status_code == 200
    assert MatchingRun.objects.get(number=2).status == MatchingRun.Status.FAILED
    assert page.context["active"] is None
    assert [r.status for r in page.context["runs"]] == ["failed", "failed"]
