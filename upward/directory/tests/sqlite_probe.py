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


if __name__ == "__main__":
    _setup()
    scenario = sys.argv[1]
    if scenario == "lock_wait":
        result = lock_wait(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result))
