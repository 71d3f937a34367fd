"""Directory import speed: 100,000 people from CSV into a fresh SQLite database.

Run: .venv/bin/python benchmarks/import_directory.py [--size 100000] [--database-url URL]
Prints the time to generate, check and import the file, and to import it again unchanged.
Target: 100k rows in under 60 s on SQLite.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

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

    started = time.perf_counter()
    data = to_csv_bytes(generate_people(args.size, seed=1))
    generated = time.perf_counter() - started

    started = time.perf_counter()
    plan = plan_import(organisation=organisation, filename="people.csv", data=data)
    checked = time.perf_counter() - started
    assert plan.ok, plan.errors[:3]

    started = time.perf_counter()
    first = directory_import_apply(organisation=organisation, filename="people.csv", data=data)
    imported = time.perf_counter() - started

    started = time.perf_counter()
    second = directory_import_apply(organisation=organisation, filename="people.csv", data=data)
    again = time.perf_counter() - started

    count = Person.objects.filter(organisation=organisation).count()
    with_manager = Person.objects.filter(organisation=organisation, manager__isnull=False).count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = django.db.connection.vendor
    print(
        f"Directory import benchmark ({engine}, {args.size:,} rows, {len(data) / 1e6:.1f} MB CSV)"
    )
    print(f"{'step':<34}{'seconds':>10}")
    print(f"{'generate synthetic file':<34}{generated:>10.2f}")
    print(f"{'check only (preview)':<34}{checked:>10.2f}")
    print(f"{'first import (all new)':<34}{imported:>10.2f}")
    print(f"{'second import (unchanged)':<34}{again:>10.2f}")
    print(
        f"people stored: {count:,}; with a manager: {with_manager:,}; peak memory {peak_mb:,.0f} MB"
    )
    print(f"first: {first}")
    print(f"second: {second}")
    target = "met" if imported < 60 else "MISSED"
    print(f"target (< 60 s for the first import): {target}")


if __name__ == "__main__":
    main()
