"""Background work of notifications: the emails wanted at once from the cohort space, and the
daily digest (the scheduler or ``upward notification-digests`` runs it once a day)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notices(notice_ids: list[int], base_url: str = "") -> int:
    from .services import notices_send

    return notices_send(notice_ids=notice_ids, base_url=base_url)


@task()
def send_digests(base_url: str = "") -> int:
    """Daily: each person's one email of what they chose to hear about in a digest."""
    from .services import digests_send

    return digests_send(base_url=base_url)
