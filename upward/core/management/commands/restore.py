from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from upward.core import backups


class Command(BaseCommand):
    help = (
        "Load a backup made by `upward backup` into this (empty) database; "
        "restore the field encryption keys with it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backups.restore(options["file"])
        except backups.BackupFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Restored from " + str(options["file"]))
