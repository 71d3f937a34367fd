"""Background work of support: the overdue check, run by the scheduler or the command
``upward flag_overdue_concerns`` (safe to run every hour)."""

from __future__ import annotations

from django_tasks import task


@task()
def flag_overdue_concerns() -> int:
    from upward.privacy.audit import audit_where

    from .services import concerns_flag_overdue

    with audit_where("task: flag_overdue_concerns"):
        return concerns_flag_overdue()
