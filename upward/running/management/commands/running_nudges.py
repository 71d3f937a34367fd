"""``upward running_nudges``: open due check-ins and send reminder emails to pairs that went
quiet, have overdue goals or unanswered check-ins. Run daily (cron or a systemd timer);
``--enqueue`` hands the work to the task worker instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Open due check-ins and send the nudges that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            from upward.running.tasks import send_nudges

            result = send_nudges.enqueue()
            self.stdout.write(f"Queued nudge task {result.id}.")
            return
        from upward.running.nudges import nudges_send
        from upward.running.services import checkins_open

        opened = checkins_open()
        sent = nudges_send()
        self.stdout.write(f"Check-ins opened: {opened}. Nudges sent: {sent}.")
