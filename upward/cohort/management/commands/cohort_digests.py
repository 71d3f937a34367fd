"""``upward cohort_digests``: send each person who chose a daily digest the news of their cohort
space and pair thread, with every other email they chose to get so: the same as ``upward
notification-digests``, kept for the crontabs that name it. Run daily (cron or a systemd timer);
``--enqueue`` hands the work to the task worker instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Send the daily digests of cohort posts and pair messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            from upward.cohort.tasks import send_cohort_digests

            result = send_cohort_digests.enqueue()
            self.stdout.write(f"Queued digest task {result.id}.")
            return
        from upward.cohort.notify import digests_send

        self.stdout.write(f"Digests sent: {digests_send()}.")
