"""Background work for preparation: emails after the change that caused them commits, and the
reminders a coordinator asks for."""

from __future__ import annotations

from django_tasks import task


@task()
def send_activation_emails(pair_ids: list[int], base_url: str = "") -> int:
    from .emails import activation_emails_send

    return activation_emails_send(pair_ids=pair_ids, base_url=base_url)


@task()
def send_workshop_emails(
    workshop_id: int, kind: str, user_ids: list[int], base_url: str = ""
) -> int:
    from .emails import workshop_emails_send

    return workshop_emails_send(
        workshop_id=workshop_id, kind=kind, user_ids=user_ids, base_url=base_url
    )


@task()
def send_training_reminders(programme_id: int, base_url: str = "") -> int:
    from .services import training_reminders_send

    return training_reminders_send(programme_id=programme_id, base_url=base_url)
