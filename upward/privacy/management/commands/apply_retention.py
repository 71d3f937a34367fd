"""``upward apply-retention``: delete ended programmes' personal data after the retention period.

Run it daily (cron, a systemd timer); ``--enqueue`` hands the work to the task worker instead.
The period is UPWARD_RETENTION_DAYS after a programme's end date.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from upward.directory.services import directory_imports_reap
from upward.privacy.audit import audit_where
from upward.privacy.services import programme_retention_apply, retention_due
from upward.privacy.sessions import stale_sessions_forget


class Command(BaseCommand):
    help = "Delete the personal data of programmes that ended more than UPWARD_RETENTION_DAYS ago."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--dry-run", action="store_true", help="List what is due; change nothing."
        )
        group.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")

    def handle(self, *args: Any, dry_run: bool, enqueue: bool, **options: Any) -> None:
        if enqueue:
            from upward.privacy.tasks import apply_retention

            result = apply_retention.enqueue()
            self.stdout.write(f"Queued retention task {result.id}.")
            return
        due = list(retention_due())
        days = settings.UPWARD_RETENTION_DAYS
        if not due:
            self.stdout.write(
                f"No programme ended more than {days} days ago still holds personal data."
            )
        for programme in due:
            if dry_run:
                self.stdout.write(f"Due: {programme.name} (ended {programme.ends_on:%Y-%m-%d})")
                continue
            with audit_where("command: apply-retention"):
                run = programme_retention_apply(programme=programme)
            counts = ", ".join(
                f"{section}: {', '.join(f'{k} {v}' for k, v in part.items())}"
                for section, part in run.summary.items()
            )
            self.stdout.write(
                f"Purged {programme.name} (ended {programme.ends_on:%Y-%m-%d}): {counts}"
            )
        if not dry_run:
            stale_sessions_forget()
            directory_imports_reap()
            self.stdout.write(self.style.SUCCESS(f"Done: {len(due)} programme(s) purged."))
