from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from upward.directory.synthetic import generate_people, iter_csv


class Command(BaseCommand):
    help = "Write a realistic synthetic directory (CSV) for demos and tests."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out", help="Where to write the CSV file.")
        parser.add_argument("--size", type=int, default=2000, help="Number of people (50-100000).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--domain", default="example.org", help="Email domain.")

    def handle(self, *args: Any, **options: Any) -> None:
        size = options["size"]
        if not 50 <= size <= 100_000:
            raise CommandError("--size must be between 50 and 100,000.")
        rows = generate_people(size, seed=options["seed"], domain=options["domain"])
        path = Path(options["out"])
        with path.open("w", encoding="utf-8", newline="") as handle:
            for chunk in iter_csv(rows):
                handle.write(chunk)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} people to {path}."))
