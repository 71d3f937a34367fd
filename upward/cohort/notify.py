"""Notification emails of cohort life, following each person's choice: an email for each new
post or message, one daily digest, or none.

No email ever holds what was written: a private message's text stays in the thread, and a
post's text in the space. The email says that something is new and links to it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import User
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from .models import Every, Notice, NotificationPreference

logger = logging.getLogger(__name__)

DEFAULTS = {"posts": Every.DIGEST, "messages": Every.EACH}


def _choice_field(kind: str) -> str:
    return "messages" if kind == Notice.Kind.MESSAGE else "posts"


def notices_create(
    *,
    kind: str,
    programme: Programme | None = None,
    pair: Pair | None = None,
    exclude: set[int] | None = None,
    only: set[int] | None = None,
    base_url: str = "",
) -> int:
    """Queue the notices of one new post, reply or message for the people who want them; the
    ones wanted at once are sent after the change commits."""
    from .selectors import member_ids

    if only is not None:
        recipients = {i for i in only if i}
    else:
        assert programme is not None
        recipients = member_ids(programme)
    recipients -= exclude or set()
    if not recipients:
        return 0
    field = _choice_field(kind)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=recipients).values_list("user_id", field)
    )
    now = timezone.now()
    rows = []
    for user_id in sorted(recipients):
        every = chosen.get(user_id, DEFAULTS[field])
        if every == Every.NONE:
            continue
        rows.append(
            Notice(
                user_id=user_id,
                kind=kind,
                programme=programme if pair is None else pair.programme,
                pair=pair,
                digest=every == Every.DIGEST,
                created_at=now,
            )
        )
    made = Notice.objects.bulk_create(rows)
    at_once = [n.pk for n in made if not n.digest]
    if at_once:
        from .tasks import send_cohort_notices

        transaction.on_commit(lambda: send_cohort_notices.enqueue(at_once, base_url))
    return len(made)


def _link(base_url: str, path: str) -> str:
    base = base_url or getattr(settings, "UPWARD_SITE_URL", "")
    return base.rstrip("/") + path if base else path


def _line(notice: Notice, count: int, base_url: str) -> str:
    if notice.kind == Notice.Kind.MESSAGE and notice.pair_id:
        url = _link(base_url, reverse("cohort:messages", args=[notice.pair_id]))
        words = (
            "You have a new message from your partner"
            if count == 1
            else f"You have {count} new messages from your partner"
        )
        return (
            f"{words} in {notice.programme.name if notice.programme else 'your programme'}: {url}"
        )
    slug = notice.programme.slug if notice.programme else ""
    url = _link(base_url, reverse("cohort:space", args=[slug])) if slug else ""
    name = notice.programme.name if notice.programme else "your programme"
    if notice.kind == Notice.Kind.REPLY:
        words = "Someone replied to your post" if count == 1 else f"{count} replies to your posts"
    else:
        words = "There is a new post" if count == 1 else f"There are {count} new posts"
    return f"{words} in the cohort space of {name}: {url}"


def _send(user: User, lines: list[str], subject: str) -> bool:
    to = user.email or getattr(getattr(user, "person", None), "email", "")
    if not to:
        return False
    name = getattr(getattr(user, "person", None), "name", "") or user.display_name or "there"
    body = (
        f"Hello {name},\n\n"
        + "\n".join(f"- {line}" for line in lines)
        + "\n\nYou can choose an email for each one, a daily digest or none on your "
        "notification choices page.\n"
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    return True


def notices_send(*, notice_ids: list[int], base_url: str = "") -> int:
    """Send the notices wanted at once: one email each."""
    sent = 0
    now = timezone.now()
    notices = Notice.objects.filter(
        pk__in=notice_ids, sent_at__isnull=True, digest=False
    ).select_related("user__person", "programme")
    for notice in notices:
        subject = (
            "A new message from your partner"
            if notice.kind == Notice.Kind.MESSAGE
            else "New in your cohort space"
        )
        with transaction.atomic():
            Notice.objects.filter(pk=notice.pk).update(sent_at=now)
            if _send(notice.user, [_line(notice, 1, base_url)], subject):
                sent += 1
    return sent


def digests_send(*, now: dt.datetime | None = None, base_url: str = "") -> int:
    """Daily: one email per person with everything they chose to hear about in a digest since
    the last one. The clock is a parameter so tests can fix it."""
    now = now or timezone.now()
    pending = list(
        Notice.objects.filter(sent_at__isnull=True, digest=True, created_at__lte=now)
        .select_related("user__person", "programme")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in pending:
        by_user[notice.user_id].append(notice)
    sent = 0
    for notices in by_user.values():
        groups: dict[tuple[str, int | None, int | None], list[Notice]] = defaultdict(list)
        for n in notices:
            groups[(n.kind, n.programme_id, n.pair_id)].append(n)
        lines = [_line(group[0], len(group), base_url) for group in groups.values()]
        with transaction.atomic():
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=now)
            if _send(notices[0].user, lines, "Your daily digest of cohort news"):
                sent += 1
    logger.info("cohort digests sent: %d", sent)
    return sent
