from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the webhook deliveries whose next try is due (safe to run every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        from upward.integrations.tasks import webhooks_retry_due

        count = webhooks_retry_due.call()
        self.stdout.write(f"{count} deliveries tried.")
