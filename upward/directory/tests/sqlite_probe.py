"""Scenarios run in their own process against a SQLite file, as the site and worker use it.

The test database is in memory and shared-cache, whose locking is not SQLite's file lock; these
scenarios need the real one. Run: python -m upward.directory.tests.sqlite_probe SCENARIO
with DATABASE_URL pointing at a migrated SQLite file. Each prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()


def lock_wait(size: int, batch: int) -> dict[str, Any]:
    """Import ``size`` people while another thread writes; report the longest wait it had."""
    from django.conf import settings
    from django.db import connection, transaction

    from upward.directory.models import Organisation
    from upward.directory.services import directory_import_apply
    from upward.directory.synthetic import generate_people, to_csv_bytes

    settings.UPWARD_IMPORT_BATCH_SIZE = batch
    organisation = Organisation.objects.create(name="Lock Ltd", slug="lock")
    data = to_csv_bytes(generate_people(size, seed=4))
    started = threading.Event()
    finished = threading.Event()
    waits: list[float] = []
    errors: list[str] = []

    def writer() -> None:
        started.wait()
        count = 0
        try:
            while not finished.is_set():
                count += 1
                began = time.perf_counter()
                with transaction.atomic():
                    Organisation.objects.create(name=f"Writer {count}", slug=f"writer-{count}")
                waits.append(time.perf_counter() - began)
                time.sleep(0.05)
        except Exception as exc:  # reported, not raised: the main thread prints the outcome
            errors.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    began = time.perf_counter()

    def progress(fraction: float) -> None:
        if fraction >= 0.1:
            started.set()  # the checking is done: the writes begin

    summary = directory_import_apply(
        organisation=organisation, filename="people.csv", data=data, progress=progress
    )
    seconds = time.perf_counter() - began
    finished.set()
    started.set()
    thread.join()
    return {
        "created": summary["creates"],
        "import_seconds": round(seconds, 2),
        "writes": len(waits),
        "max_wait": round(max(waits, default=0.0), 3),
        "errors": errors,
    }


def queue_import(size: int) -> dict[str, Any]:
    """Check a file of ``size`` people and queue it for the task worker, as the pages do."""
    from upward.directory.models import Organisation
    from upward.directory.services import directory_import_confirm, directory_import_stage
    from upward.directory.synthetic import generate_people, to_csv_bytes

    organisation = Organisation.objects.create(name="Kill Ltd", slug="kill")
    data = to_csv_bytes(generate_people(size, seed=6))
    staged = directory_import_stage(organisation=organisation, filename="big.csv", data=data)
    directory_import_confirm(staged=staged)  # outside a transaction: queued at once
    return {"id": staged.pk, "bytes": len(data)}


def after_restart(import_id: int, minutes_later: int) -> dict[str, Any]:
    """What the page finds once the worker has been gone ``minutes_later`` minutes."""
    import datetime as dt

    from django.utils import timezone

    from upward.directory.models import DirectoryImport
    from upward.directory.services import directory_import_confirm, directory_imports_reap

    staged = DirectoryImport.objects.get(pk=import_id)
    DirectoryImport.objects.filter(pk=import_id).update(
        heartbeat_at=staged.heartbeat_at - dt.timedelta(minutes=minutes_later)
    )
    reaped = directory_imports_reap(organisation=staged.organisation)
    staged.refresh_from_db()
    outcome = {
        "reaped": reaped,
        "status": staged.status,
        "written": staged.written,
        "people": staged.organisation.people.count(),
        "holds_file": bool(staged.content),
        "can_finish": staged.can_finish,
        "reason": staged.errors[0]["reason"] if staged.errors else "",
        "heartbeat_age": (timezone.now() - staged.heartbeat_at).total_seconds(),
    }
    if staged.can_finish:
        directory_import_confirm(staged=staged)
    return outcome


def status(import_id: int) -> dict[str, Any]:
    from upward.directory.models import DirectoryImport

    staged = DirectoryImport.objects.get(pk=import_id)
    return {
        "status": staged.status,
        "written": staged.written,
        "people": staged.organisation.people.count(),
        "holds_file": bool(staged.content),
        "summary": staged.summary,
    }


if __name__ == "__main__":
    _setup()
    scenario, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    if scenario == "lock_wait":
        result = lock_wait(*args)
    elif scenario == "queue_import":
        result = queue_import(*args)
    elif scenario == "after_restart":
        result = after_restart(*args)
    elif scenario == "status":
        result = status(*args)
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result))
