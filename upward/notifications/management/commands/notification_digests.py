"""``upward notification-digests``: send each person who chose a daily digest for any kind of
email the one email of what is new for them. Run daily (cron or a systemd timer); running it
twice sends nothing more. ``--enqueue`` hands the work to the task worker instead."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Send the daily digests of notifications."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")
        parser.add_argument(
            "--base-url",
            default=os.environ.get("UPWARD_SITE_URL", ""),
            help="The site's address for links (default: the UPWARD_SITE_URL variable).",
        )

    def handle(self, *args: Any, enqueue: bool, base_url: str, **options: Any) -> None:
        if enqueue:
            from upward.notifications.tasks import send_digests

            result = send_digests.enqueue(base_url)
            self.stdout.write(f"Queued digest task {result.id}.")
            return
        from upward.notifications.services import digests_send

        self.stdout.write(f"Digests sent: {digests_send(base_url=base_url)}.")
