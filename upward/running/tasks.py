"""Background work of running a pair: meeting invitations after the change commits."""

from __future__ import annotations

from django_tasks import task


@task()
def send_meeting_emails(meeting_id: int, kind: str, base_url: str = "") -> int:
    from .emails import meeting_emails_send

    return meeting_emails_send(meeting_id=meeting_id, kind=kind, base_url=base_url)


@task()
def send_nudges() -> int:
    """Daily: open the check-ins due, then send the nudges due."""
    from .nudges import nudges_send
    from .services import checkins_open

    checkins_open()
    return nudges_send()
