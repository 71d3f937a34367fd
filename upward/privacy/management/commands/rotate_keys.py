"""``upward rotate-keys``: re-encrypt all encrypted data with the newest key.

Put the new key first in FIELD_ENCRYPTION_KEYS and keep the old ones after it, run this, then
remove the old keys. Safe to run again: values already under the newest key are skipped.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from upward.privacy import crypto
from upward.privacy.audit import audit_where
from upward.privacy.rotation import encrypted_data_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            crypto.fernet()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

        def progress(label: str, done: int, total: int, rotated: int) -> None:
            self.stdout.write(f"{label}: {done}/{total} checked, {rotated} re-encrypted")

        try:
            with audit_where("command: rotate-keys"):
                results = encrypted_data_rotate(batch_size=batch_size, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(r.rotated for r in results)
        checked = sum(r.checked for r in results)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {checked} row(s) checked, {total} re-encrypted with the newest key."
            )
        )
