"""An import whose worker died shows as failed, drops or keeps its file, and offers a new start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from upward.directory import services
from upward.directory.models import DirectoryImport, Organisation, Person
from upward.directory.services import apply as applying
from upward.directory.services import directory_import_stage

CSV = (
    b"employee_id,name,manager_employee_id\n"
    b"D1,Dana Chief,\nD2,Dev Lead,D1\nD3,Dee One,D2\nD4,Dom Two,D2\nD5,Dot Three,D2\n"
)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the worker gets to catch it."""


def _stale(minutes: int = 10) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def _detail(client: Client, staged: DirectoryImport) -> str:
    url = reverse("directory:import_detail", args=[staged.organisation.slug, staged.pk])
    return client.get(url).content.decode()


def test_a_running_import_with_a_stale_heartbeat_shows_as_failed_and_drops_its_file(
    client: Client, org_admin: Any, org_a: Organisation
) -> None:
    staged = DirectoryImport.objects.create(
        organisation=org_a,
        filename="big.csv",
        content=b"x" * 16_000,
        status=DirectoryImport.Status.RUNNING,
        summary={"rows": 300_000, "creates": 300_000, "updates": 0, "deactivations": 0},
        heartbeat_at=_stale(),
    )
    client.force_login(org_admin)
    page = _detail(client, staged)
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.FAILED
    assert staged.content == b""
    assert staged.finished_at is not None
    assert "The import stopped before it wrote anyone: the task worker ended." in page
    assert "hx-trigger" not in page
    assert (
        f'href="{reverse("directory:import_upload", args=[org_a.slug])}">Start a new import' in page
    )
    assert "Finish this import" not in page
    # A new start works: the upload page takes the next file.
    upload = client.get(reverse("directory:import_upload", args=[org_a.slug]))
    assert upload.status_code == 200 and "Failed" in upload.content.decode()


def test_a_working_import_with_a_fresh_heartbeat_is_left_alone(
    client: Client, org_admin: Any, org_a: Organisation
) -> None:
    staged = DirectoryImport.objects.create(
        organisation=org_a,
        filename="big.csv",
        content=CSV,
        status=DirectoryImport.Status.RUNNING,
        heartbeat_at=_stale(minutes=2),
    )
    waiting = DirectoryImport.objects.create(
        organisation=org_a, filename="next.csv", content=CSV, status=DirectoryImport.Status.CHECKING
    )
    client.force_login(org_admin)
    assert 'hx-trigger="every 1s"' in _detail(client, staged)
    staged.refresh_from_db()
    waiting.refresh_from_db()
    assert staged.status == DirectoryImport.Status.RUNNING
    # Not started by a worker yet (no heartbeat): waiting in the queue is not dying.
    assert waiting.status == DirectoryImport.Status.CHECKING
    assert bytes(staged.content) == CSV


def test_a_check_whose_worker_died_is_failed_when_the_worker_starts_another_task(
    org_a: Organisation,
) -> None:
    dead = DirectoryImport.objects.create(
        organisation=org_a,
        filename="p.csv",
        content=CSV,
        status=DirectoryImport.Status.CHECKING,
        heartbeat_at=_stale(),
    )
    directory_import_stage(organisation=org_a, filename="other.csv", data=CSV)
    dead.refresh_from_db()
    assert dead.status == DirectoryImport.Status.FAILED
    assert dead.content == b""
    assert dead.errors[0]["reason"].startswith("The check of this file stopped before it finished")


def test_the_daily_cleanup_fails_dead_imports_too(org_a: Organisation) -> None:
    dead = DirectoryImport.objects.create(
        organisation=org_a,
        filename="p.csv",
        content=CSV,
        status=DirectoryImport.Status.RUNNING,
        heartbeat_at=_stale(),
    )
    call_command("apply_retention", verbosity=0)
    dead.refresh_from_db()
    assert dead.status == DirectoryImport.Status.FAILED


def test_an_import_killed_part_way_can_be_finished_from_its_page(
    client: Client,
    org_admin: Any,
    org_a: Organisation,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    staged = directory_import_stage(organisation=org_a, filename="p.csv", data=CSV)
    assert staged.status == DirectoryImport.Status.PREVIEWED
    real_insert = applying._insert_people
    calls = []

    def insert_then_die(*args: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise WorkerKilled
        real_insert(*args)

    monkeypatch.setattr(applying, "_insert_people", insert_then_die)
    with override_settings(UPWARD_IMPORT_BATCH_SIZE=2), pytest.raises(WorkerKilled):
        services.directory_import_confirm(staged=staged)
        services.directory_import_run(import_id=staged.pk)
    staged.refresh_from_db()
    # D1 (batch 1), then D2 (batch 2) were written; the worker died in batch 3.
    assert staged.status == DirectoryImport.Status.RUNNING
    assert staged.written == 2
    assert sorted(
        org_a.people.filter(employee_id__startswith="D").values_list("employee_id", flat=True)
    ) == ["D1", "D2"]

    DirectoryImport.objects.filter(pk=staged.pk).update(heartbeat_at=_stale())
    client.force_login(org_admin)
    page = _detail(client, staged)
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.FAILED
    assert bytes(staged.content) == CSV  # kept, so the import can be finished
    assert "The import stopped after writing 2 of 5 people: the task worker ended." in page
    assert "Finish this import" in page

    monkeypatch.setattr(applying, "_insert_people", real_insert)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:import_confirm", args=[org_a.slug, staged.pk]))
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.DONE
    assert staged.content == b""
    assert staged.written == 5
    assert staged.summary["creates"] == 5  # the preview's figures, for the whole file
    people = {p.employee_id: p for p in org_a.people.filter(employee_id__startswith="D")}
    assert sorted(people) == ["D1", "D2", "D3", "D4", "D5"]
    assert people["D5"].manager_id == people["D2"].pk
    created = Person.history.filter(history_type="+", employee_id__startswith="D")
    assert created.count() == 5


def test_an_unexpected_error_fails_the_import_at_once_and_drops_its_file(
    client: Client, org_admin: Any, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = directory_import_stage(organisation=org_a, filename="p.csv", data=CSV)

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(applying, "_insert_people", broken)
    services.directory_import_confirm(staged=staged)
    result = services.directory_import_run(import_id=staged.pk)
    assert result.status == DirectoryImport.Status.FAILED
    assert result.content == b""
    assert result.errors[0]["reason"].startswith("Something went wrong on our side")
    client.force_login(org_admin)
    assert "Start a new import" in _detail(client, result)


def test_a_worker_that_was_given_up_on_stops_at_its_next_batch(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = directory_import_stage(organisation=org_a, filename="p.csv", data=CSV)
    services.directory_import_confirm(staged=staged)

    def given_up() -> None:
        DirectoryImport.objects.filter(pk=staged.pk).update(status=DirectoryImport.Status.FAILED)

    monkeypatch.setattr(applying, "_between_batches", given_up)
    with override_settings(UPWARD_IMPORT_BATCH_SIZE=2):
        result = services.directory_import_run(import_id=staged.pk)
    assert result.status == DirectoryImport.Status.FAILED
    assert result.written == 1
    assert list(
        org_a.people.filter(employee_id__startswith="D").values_list("employee_id", flat=True)
    ) == ["D1"]


def test_a_real_worker_killed_mid_import_leaves_an_import_that_fails_then_finishes(
    sqlite_file_env: dict[str, str],
) -> None:
    """`upward db_worker` is killed (SIGKILL) while it writes; after its restart the import
    shows as failed, then finishes from where it stopped."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from .conftest import ROOT
    from .test_import_batches import _probe

    env = {**sqlite_file_env, "UPWARD_IMPORT_BATCH_SIZE": "100"}
    queued = _probe(env, "queue_import", "6000")
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "upward",
            "db_worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        written = 0
        while written < 300 and time.monotonic() < deadline:
            time.sleep(0.05)
            with sqlite3.connect(database, timeout=20) as db:
                written = db.execute(
                    "SELECT written FROM directory_directoryimport WHERE id = ?", (queued["id"],)
                ).fetchone()[0]
        assert written >= 300, "the worker did not start writing in time"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    stuck = _probe(env, "status", str(queued["id"]))
    assert stuck["status"] == "running"
    assert 300 <= stuck["written"] < 6000
    assert stuck["people"] == stuck["written"]  # every committed batch is whole

    # Minutes later the page (or the restarted worker) finds it dead and offers to finish it.
    found = _probe(env, "after_restart", str(queued["id"]), "10")
    assert found["reaped"] == 1
    assert found["status"] == "failed"
    assert found["holds_file"] and found["can_finish"]
    assert found["reason"] == (
        f"The import stopped after writing {stuck['written']:,} of 6,000 people: the task worker"
        " ended. They are in the directory; finish the import to write the rest."
    )
    subprocess.run(
        [sys.executable, "-m", "upward", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    finished = _probe(env, "status", str(queued["id"]))
    assert finished["status"] == "done"
    assert finished["people"] == 6000
    assert finished["written"] == 6000
    assert not finished["holds_file"]
