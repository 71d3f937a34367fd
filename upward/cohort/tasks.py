"""Background work of cohort life. The emails and the digest are the notifications app's now
(``upward.notifications.tasks``); these two names stay so that tasks queued before the move still
run, and hand the work over."""

from __future__ import annotations

from django_tasks import task


@task()
def send_cohort_notices(notice_ids: list[int], base_url: str = "") -> int:
    from upward.notifications.services import notices_send

    return notices_send(notice_ids=notice_ids, base_url=base_url)


@task()
def send_cohort_digests() -> int:
    """Daily: each person's digest (cohort news and every other email they chose so)."""
    from .notify import digests_send

    return digests_send()
