"""Tasks that only the tests enqueue."""

from __future__ import annotations

from django_tasks import task


@task()
def always_fails() -> None:
    raise RuntimeError("this task always fails")
