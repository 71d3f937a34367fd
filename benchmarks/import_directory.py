"""Directory import speed: 100,000 people from CSV into a fresh SQLite database.

Run: .venv/bin/python benchmarks/import_directory.py [--size 100000] [--database-url URL]
Prints the time (wall clock and CPU) to generate, check and import the file, and to import it
again unchanged; and, during the first import, how long another writer (one small write every
50 ms in a second thread) waited at most for the database. Target: 100k rows in under 60 s on
SQLite, and another writer never waiting more than a second or two.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="upward-bench-"))
    os.environ["UPWARD_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from upward.directory.models import Organisation, Person
    from upward.directory.services import directory_import_apply, plan_import
    from upward.directory.synthetic import generate_people, to_csv_bytes

    call_command("migrate", interactive=False, verbosity=0)
    Organisation.objects.filter(slug="bench").delete()
    organisation = Organisation.objects.create(name="Benchmark Ltd", slug="bench")

    def timed(step: Any) -> tuple[Any, float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        return result, time.perf_counter() - wall, time.process_time() - cpu

    data, generated, generated_cpu = timed(lambda: to_csv_bytes(generate_people(args.size, seed=1)))
    plan, checked, checked_cpu = timed(
        lambda: plan_import(organisation=organisation, filename="people.csv", data=data)
    )
    assert plan.ok, plan.errors[:3]

    waits: list[float] = []
    failures: list[float] = []
    done = threading.Event()

    def writer() -> None:
        from django.db import OperationalError, connection, transaction

        count = 0
        while not done.is_set():
            count += 1
            began = time.perf_counter()
            try:
                with transaction.atomic():
                    Organisation.objects.create(name=f"Writer {count}", slug=f"writer-{count}")
            except OperationalError:  # "database is locked" once the lock timeout runs out
                failures.append(time.perf_counter() - began)
            else:
                waits.append(time.perf_counter() - began)
            time.sleep(0.05)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    first, imported, imported_cpu = timed(
        lambda: directory_import_apply(organisation=organisation, filename="people.csv", data=data)
    )
    done.set()
    thread.join()
    second, again, again_cpu = timed(
        lambda: directory_import_apply(organisation=organisation, filename="people.csv", data=data)
    )

    count = Person.objects.filter(organisation=organisation).count()
    with_manager = Person.objects.filter(organisation=organisation, manager__isnull=False).count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = django.db.connection.vendor
    print(
        f"Directory import benchmark ({engine}, {args.size:,} rows, {len(data) / 1e6:.1f} MB CSV)"
    )
    print(f"{'step':<34}{'seconds':>10}{'cpu s':>10}")
    print(f"{'generate synthetic file':<34}{generated:>10.2f}{generated_cpu:>10.2f}")
    print(f"{'check only (preview)':<34}{checked:>10.2f}{checked_cpu:>10.2f}")
    print(f"{'first import (all new)':<34}{imported:>10.2f}{imported_cpu:>10.2f}")
    print(f"{'second import (unchanged)':<34}{again:>10.2f}{again_cpu:>10.2f}")
    print(
        f"another writer during the first import: {len(waits)} writes,"
        f" longest wait {max(waits, default=0.0):.2f} s; {len(failures)} failed"
        f' ("database is locked") after {max(failures, default=0.0):.1f} s'
    )
    print(
        f"people stored: {count:,}; with a manager: {with_manager:,}; peak memory {peak_mb:,.0f} MB"
    )
    print(f"first: {first}")
    print(f"second: {second}")
    target = "met" if imported < 60 else "MISSED"
    print(f"target (< 60 s for the first import): {target}")


if __name__ == "__main__":
    main()
