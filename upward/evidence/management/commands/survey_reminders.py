"""``upward survey-reminders``: remind the people each open survey asks who have not answered,
at most once per the survey's reminder period. Run daily (cron or a systemd timer);
``--enqueue`` hands the work to the task worker instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Send the survey reminders that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            from upward.evidence.tasks import send_survey_reminders

            result = send_survey_reminders.enqueue()
            self.stdout.write(f"Queued survey reminder task {result.id}.")
            return
        from upward.evidence.services import reminders_due_send

        self.stdout.write(f"Survey reminders sent: {reminders_due_send()}.")
