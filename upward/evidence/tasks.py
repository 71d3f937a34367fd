"""Background work of evidence: the daily survey reminders."""

from __future__ import annotations

from django_tasks import task


@task()
def send_survey_reminders() -> int:
    """Daily: remind who has not answered each open survey, at most once per its period."""
    from .services import reminders_due_send

    return reminders_due_send()
