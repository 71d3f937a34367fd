"""Every email Upward sends goes through ``notify``: it follows the person's choice for the
event's category (an email at once, a place in the daily digest, or nothing), except for the
events the catalogue says must be sent. The choices, the unsubscribe link and the digest are
here too.

    notify(to=user, event="pair_active", subject="...", context={...}, base_url=...)

``to`` is an account, or an email address (an invitation may go to someone with no account
yet: with no account there is no choice to follow, so it is sent, with no unsubscribe link).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import catalogue, render
from .catalogue import CATEGORIES, DIGEST, EACH, EVERY, NONE
from .errors import NotificationRuleBroken
from .models import Notice, Preference
from .selectors import choice_of, choices_for, choices_of
from .tokens import WHOLE_DIGEST, Unsubscribe, read_token

logger = logging.getLogger(__name__)

SENT, QUEUED, OFF, NO_ADDRESS = "sent", "queued", "off", "no address"
# (file name, content, MIME type) of a file sent with the email, such as a calendar invitation.
Attachment = tuple[str, bytes, str]


def _recipient(to: Any, user_id: int | None = None) -> tuple[Any, str]:
    """The account (or None) and the address of whoever ``to`` names: an account, or an
    address (whose account is ``user_id`` when the caller knows it, else the one with that
    address, if any)."""
    if isinstance(to, str):
        address = to.strip()
        users = get_user_model().objects.order_by("pk")
        if user_id is not None:
            user = users.filter(pk=user_id).first()
        else:
            user = users.filter(email__iexact=address).first() if address else None
        return user, address
    person = getattr(to, "person", None)
    return to, (getattr(to, "email", "") or getattr(person, "email", "") or "")


def name_of(user: Any) -> str:
    person = getattr(user, "person", None)
    return (
        getattr(person, "name", "") or getattr(user, "display_name", "") or "there"
        if user is not None
        else "there"
    )


def _send(address: str, written: render.Written, attachments: Sequence[Attachment] = ()) -> None:
    message = EmailMultiAlternatives(
        written.subject,
        written.text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers=written.headers,
    )
    message.attach_alternative(written.html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def notify(
    *,
    to: Any,
    event: str,
    subject: str,
    context: Mapping[str, Any],
    base_url: str = "",
    programme: Any = None,
    pair: Any = None,
    attachments: Sequence[Attachment] = (),
    user_id: int | None = None,
) -> str:
    """Send one event's email to one person, or queue it for their digest, or not, as they
    chose. Returns what happened: ``sent``, ``queued``, ``off`` or ``no address``. A digest
    carries the words but not the attachments (a meeting's calendar file is in the person's
    calendar feed)."""
    found = catalogue.event(event)
    user, address = _recipient(to, user_id)
    if not address:
        return NO_ADDRESS
    every = EACH
    if user is not None and not found.must_send:
        every = choice_of(user.pk, found.category)
    if every == NONE:
        return OFF
    context = {"name": name_of(user), **context}
    if every == DIGEST:
        text = render.write(
            event=event, subject=subject, context=context, user_id=None, base_url=base_url
        ).text
        Notice.objects.create(
            user=user,
            event=event,
            programme=programme,
            pair=pair,
            digest=True,
            subject=subject[:300],
            body=text,
            created_at=timezone.now(),
        )
        return QUEUED
    written = render.write(
        event=event,
        subject=subject,
        context=context,
        user_id=user.pk if user is not None else None,
        base_url=base_url,
    )
    _send(address, written, attachments)
    return SENT


# --- the cohort space's notices: queued in the change's transaction, sent by the worker -------

GATHERED_SUBJECTS = {
    "cohort_post": "New in your cohort space",
    "cohort_reply": "New in your cohort space",
    "cohort_message": "A new message from your partner",
}


def _gathered_url(notice: Notice, base_url: str) -> str:
    if notice.event == "cohort_message" and notice.pair_id:
        return render.absolute(reverse("cohort:messages", args=[notice.pair_id]), base_url)
    slug = notice.programme.slug if notice.programme else ""
    return render.absolute(reverse("cohort:space", args=[slug]), base_url) if slug else ""


def _gathered_line(notice: Notice, count: int, base_url: str) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        f"notifications/lines/{notice.event}.txt",
        {
            "count": count,
            "programme": notice.programme,
            "url": _gathered_url(notice, base_url),
        },
    ).strip()


def notices_create(
    *,
    event: str,
    user_ids: Iterable[int],
    programme: Any = None,
    pair: Any = None,
    base_url: str = "",
) -> int:
    """Queue one event for many people, each as they chose; the ones wanted at once are sent by
    the worker after the change commits. For events whose email is written from the event,
    programme and pair alone (the cohort space's), so nothing written is kept."""
    found = catalogue.event(event)
    if not found.gathers:
        raise ValueError(f"{event!r} is sent with notify(), not queued.")
    chosen = choices_for(user_ids, found.category)
    now = timezone.now()
    rows = [
        Notice(
            user_id=user_id,
            event=event,
            programme=programme if pair is None else pair.programme,
            pair=pair,
            digest=every == DIGEST,
            created_at=now,
        )
        for user_id, every in sorted(chosen.items())
        if every != NONE
    ]
    made = Notice.objects.bulk_create(rows)
    at_once = [n.pk for n in made if not n.digest]
    if at_once:
        from .tasks import send_notices

        transaction.on_commit(lambda: send_notices.enqueue(at_once, base_url))
    return len(made)


def notices_send(*, notice_ids: list[int], base_url: str = "") -> int:
    """Send the queued notices wanted at once, one email each; a notice already sent (the task
    ran twice) is not sent again."""
    sent = 0
    now = timezone.now()
    notices = Notice.objects.filter(
        pk__in=notice_ids, sent_at__isnull=True, digest=False
    ).select_related("user__person", "programme")
    for notice in notices:
        found = catalogue.event(notice.event)
        with transaction.atomic():
            if not Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=now):
                continue  # another run took it
            user, address = _recipient(notice.user)
            if not address:
                continue
            written = render.write(
                event=notice.event,
                subject=GATHERED_SUBJECTS.get(notice.event, found.name),
                context={"name": name_of(user), "line": _gathered_line(notice, 1, base_url)},
                user_id=user.pk,
                base_url=base_url,
            )
            _send(address, written)
            sent += 1
    return sent


# --- the daily digest --------------------------------------------------------------------------

COHORT_DIGEST = "Your daily digest of cohort news"
DIGEST_SUBJECT = "Your daily digest from Upward"


def digests_send(*, now: dt.datetime | None = None, base_url: str = "") -> int:
    """One email per person with everything queued for their digest up to ``now`` (the clock is
    a parameter so tests can fix it). Each notice is marked sent in the same transaction as its
    email goes, so running this twice sends each digest once."""
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
        user, address = _recipient(notices[0].user)
        groups: dict[tuple[str, int | None, int | None], list[Notice]] = defaultdict(list)
        written_out: list[Notice] = []
        for n in notices:
            if catalogue.event(n.event).gathers:
                groups[(n.event, n.programme_id, n.pair_id)].append(n)
            else:
                written_out.append(n)
        lines = [_gathered_line(group[0], len(group), base_url) for group in groups.values()]
        cohort_only = not written_out
        ids = [n.pk for n in notices]
        with transaction.atomic():
            # Claimed and emptied in one step: the words were delivered and are not kept.
            claimed = Notice.objects.filter(pk__in=ids, sent_at__isnull=True).update(
                sent_at=now, body=""
            )
            if claimed != len(ids):
                transaction.set_rollback(True)  # another run is sending this digest
                continue
            if not address:
                continue
            written = render.write_digest(
                subject=COHORT_DIGEST if cohort_only else DIGEST_SUBJECT,
                context={
                    "name": name_of(user),
                    "lines": lines,
                    "notices": [{"subject": n.subject, "body": n.body} for n in written_out],
                    "settings_url": render.settings_url(base_url),
                },
                user_id=user.pk,
                base_url=base_url,
            )
            _send(address, written)
            sent += 1
    logger.info("notification digests sent: %d", sent)
    return sent


# --- choices -------------------------------------------------------------------------------------


def preferences_set(*, user: Any, choices: Mapping[str, str]) -> dict[str, str]:
    """Set the person's choice for the categories given; the others keep theirs. Refused,
    with nothing changed, for a category that is not one, or one whose emails must all be sent,
    and for a choice other than each, digest or none."""
    for category, every in choices.items():
        if category not in CATEGORIES:
            raise NotificationRuleBroken(
                f"There is no kind of email called {category[:40]!r}. Choose among: "
                + ", ".join(k for k in CATEGORIES if catalogue.choosable(k))
                + "."
            )
        if not catalogue.choosable(category):
            raise NotificationRuleBroken(
                f"Emails about {CATEGORIES[category].name.lower()} are always sent: they cannot "
                "be turned off."
            )
        if every not in EVERY:
            raise NotificationRuleBroken("Choose an email for each one, a daily digest or none.")
    with transaction.atomic():
        for category, every in choices.items():
            Preference.objects.update_or_create(
                user=user, category=category, defaults={"every": every}
            )
    logger.info("notification choices changed for user %s: %s", user.pk, sorted(choices))
    return choices_of(user)


INVALID_LINK = (
    "This link is not valid: it may have been changed, or it is too old. Nothing was changed. "
    "Sign in and open Notifications to choose which emails you get."
)


def unsubscribe_check(*, token: str) -> Unsubscribe:
    """What a link would stop; refused when it is forged, altered, too old or its account is
    gone."""
    found = read_token(token)
    if found is None or not get_user_model().objects.filter(pk=found.user_id).exists():
        raise NotificationRuleBroken(INVALID_LINK)
    return found


def unsubscribe(*, token: str) -> list[str]:
    """Stop the emails a link names, at once: its category, or for a digest's link every
    category the person gets in their digest. Returns the categories now set to none."""
    found = unsubscribe_check(token=token)
    user = get_user_model().objects.get(pk=found.user_id)
    if found.category == WHOLE_DIGEST:
        categories = [k for k, v in choices_of(user).items() if v == DIGEST]
    else:
        categories = [found.category]
    categories = [c for c in categories if catalogue.choosable(c)]
    if categories:
        preferences_set(user=user, choices=dict.fromkeys(categories, NONE))
    logger.info("unsubscribed user %s from %s", user.pk, categories)
    return categories
