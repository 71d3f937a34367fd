"""Background work of cohort life: the emails wanted at once, and the daily digest."""

from __future__ import annotations

from django_tasks import task


@task()
def send_cohort_notices(notice_ids: list[int], base_url: str = "") -> int:
    from .notify import notices_send

    return notices_send(notice_ids=notice_ids, base_url=base_url)


@task()
def send_cohort_digests() -> int:
    """Daily: each person's digest of new posts, replies and messages."""
    from .notify import digests_send

    return digests_send()
