from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from upward.core import backups


class Command(BaseCommand):
    help = (
        "Write the whole database to a file (pg_dump custom format, or a SQLite copy). "
        "The field encryption keys are not in it: keep them apart."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backups.backup(options["file"])
        except backups.BackupFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Backed up to " + str(options["file"]))
