from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rq import Queue, Worker

from upward.core.rq_backend import redis_connection


class Command(BaseCommand):
    help = "Run background tasks queued on Redis (when UPWARD_TASK_BACKEND=rq)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue", action="append", default=None, help="Queue name(s).")
        parser.add_argument("--burst", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = redis_connection()
        queues = [Queue(name, connection=connection) for name in options["queue"] or ["default"]]
        Worker(queues, connection=connection).work(burst=options["burst"])
