"""``upward worker``: the one command that starts a background worker, whichever backend is set.

With ``UPWARD_TASK_BACKEND=rq`` it is django-rq's ``rqworker`` with the job class that runs
Django tasks (django-tasks-rq); otherwise the database worker (``db_worker``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

RQ_JOB_CLASS = "django_tasks_rq.Job"


def uses_rq() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_rq.")


class Command(BaseCommand):
    help = "Run background tasks (matching runs, imports, emails) until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--queue", action="append", default=None, help="Queue name (repeat for more)."
        )
        parser.add_argument(
            "--burst", action="store_true", help="Stop once no task is waiting (tests, cron)."
        )
        parser.add_argument(
            "--no-fork",
            action="store_true",
            help="RQ only: run each task in the worker process itself, not in a forked child.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queues = options["queue"] or list(settings.TASKS["default"].get("QUEUES", ["default"]))
        verbosity = options["verbosity"]
        if uses_rq():
            call_command(
                "rqworker",
                *queues,
                job_class=RQ_JOB_CLASS,
                worker_class="rq.worker.SimpleWorker" if options["no_fork"] else None,
                burst=options["burst"],
                with_scheduler=True,
                verbosity=verbosity,
            )
            return
        extra: dict[str, Any] = {"batch": True} if options["burst"] else {}
        call_command("db_worker", queue_name=",".join(queues), verbosity=verbosity, **extra)
