from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from upward.support.services import concerns_flag_overdue


class Command(BaseCommand):
    help = (
        "Flag concerns nobody answered by their deadline and escalate each to a wellbeing lead "
        "outside the raiser's reporting line. Safe to run every hour from cron."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the check for the background worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from upward.support.tasks import flag_overdue_concerns

            flag_overdue_concerns.enqueue()
            self.stdout.write("Queued the overdue check.")
            return
        flagged = concerns_flag_overdue()
        self.stdout.write(f"{flagged} concern(s) flagged overdue.")
