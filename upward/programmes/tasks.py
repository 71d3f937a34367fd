from __future__ import annotations

from django_tasks import task


@task()
def send_invitation_emails(invitation_ids: list[int], base_url: str, reminder: bool = False) -> int:
    from .services import invitation_emails_send

    return invitation_emails_send(
        invitation_ids=invitation_ids, base_url=base_url, reminder=reminder
    )
