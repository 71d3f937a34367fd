"""Writes of cohort life. Each is one keyword-only function in one transaction; pages and the
API both call them. A refusal raises ``CohortRuleBroken`` and changes nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.notifications.models import Every
from upward.pairs.models import Pair
from upward.preparation import services as preparation_services
from upward.preparation.models import Workshop
from upward.programmes.models import Programme

from . import notify, selectors
from .errors import CohortRuleBroken, CohortVersionConflict
from .models import PairMessage, Post, Report
from .selectors import COHORT_KINDS, is_member

logger = logging.getLogger(__name__)

MAX_POST = 5000
MAX_MESSAGE = 5000
MAX_REASON = 1000


def _text(value: Any, *, what: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise CohortRuleBroken(f"Write the {what} first: it is empty.")
    if len(text) > limit:
        raise CohortRuleBroken(
            f"A {what} is at most {limit:,} characters; yours has {len(text):,}."
        )
    return text


# --- the cohort space -------------------------------------------------------------------------


def post_create(
    *,
    programme: Programme,
    by: Any,
    body: str,
    announcement: bool = False,
    pinned: bool = False,
    base_url: str = "",
) -> Post:
    """A post in the programme's cohort space. Announcements (and pinning) are the
    coordinator's."""
    if not is_member(by, programme):
        raise CohortRuleBroken("Only the programme's participants and coordinators post here.")
    text = _text(body, what="post", limit=MAX_POST)
    coordinator = can_coordinate(by, programme)
    if (announcement or pinned) and not coordinator:
        raise CohortRuleBroken("Only the programme's coordinators make announcements.")
    with transaction.atomic():
        post = Post.objects.create(
            programme=programme,
            author=by,
            body=text,
            announcement=announcement,
            pinned=pinned or announcement,
        )
        notify.notices_create(
            kind=notify.Kind.POST, programme=programme, exclude={by.pk}, base_url=base_url
        )
    logger.info("Cohort post %s in programme %s", post.pk, programme.pk)
    return post


def reply_create(*, post: Post, by: Any, body: str, base_url: str = "") -> Post:
    if not is_member(by, post.programme):
        raise CohortRuleBroken("Only the programme's participants and coordinators reply here.")
    if post.parent_id is not None:
        raise CohortRuleBroken("Reply to the post itself, not to a reply.")
    if post.hidden_at is not None:
        raise CohortRuleBroken("This post was hidden by the coordinator: it takes no replies.")
    text = _text(body, what="reply", limit=MAX_POST)
    with transaction.atomic():
        reply = Post.objects.create(programme=post.programme, parent=post, author=by, body=text)
        if post.author_id and post.author_id != by.pk:
            notify.notices_create(
                kind=notify.Kind.REPLY,
                programme=post.programme,
                only={post.author_id},
                base_url=base_url,
            )
    return reply


def post_report(*, post: Post, by: Any, reason: str) -> Report:
    """Ask the coordinator to look at a post or reply. The author never learns who asked."""
    if not is_member(by, post.programme):
        raise CohortRuleBroken("Only the programme's participants report posts.")
    if post.author_id == by.pk:
        raise CohortRuleBroken("This is your own post: you cannot report it.")
    if post.hidden_at is not None:
        raise CohortRuleBroken("This post is already hidden.")
    text = _text(reason, what="reason", limit=MAX_REASON)
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, by=by, reason=text)
    except IntegrityError:
        raise CohortRuleBroken("You have already reported this post.") from None
    logger.info("Cohort post %s reported", post.pk)
    return report


def post_hide(*, post: Post, by: Any, version: int | None) -> Post:
    """The coordinator hides a post or reply: participants no longer see it."""
    if not can_coordinate(by, post.programme):
        raise CohortRuleBroken("Only the programme's coordinators hide posts.")
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if version is None or current.version != version:
            raise CohortVersionConflict("post", current.version)
        if current.hidden_at is not None:
            raise CohortRuleBroken("This post is already hidden.")
        current.hidden_at = timezone.now()
        current.hidden_by = by
        current.version += 1
        # Only these change: the author's text is left as it is.
        current.save(update_fields=["hidden_at", "hidden_by", "version"])
    logger.info("Cohort post %s hidden", post.pk)
    return current


# --- pair messages ----------------------------------------------------------------------------


def message_send(*, pair: Pair, by: Any, body: str, base_url: str = "") -> PairMessage:
    """A message in the pair's private thread, from one of its two people."""
    side = pair.side_of(by)
    if side is None:
        # The views answer 404 before this: a last guard for other callers.
        raise CohortRuleBroken("You are not one of this pair.")
    if pair.state == Pair.State.ENDED:
        raise CohortRuleBroken("This pair has ended, so its thread takes no new messages.")
    text = _text(body, what="message", limit=MAX_MESSAGE)
    other = pair.mentor if side == "leader" else pair.leader
    with transaction.atomic():
        message = PairMessage.objects.create(pair=pair, author=by, body=text)
        notify.notices_create(
            kind=notify.Kind.MESSAGE, pair=pair, only={other.user_id}, base_url=base_url
        )
    return message


# --- notification choices ---------------------------------------------------------------------


def preference_set(*, user: Any, posts: str, messages: str) -> selectors.CohortChoices:
    """The cohort's two choices, kept with every other choice of emails (``notifications``)."""
    from upward.notifications.services import preferences_set

    if posts not in Every.values or messages not in Every.values:
        raise CohortRuleBroken("Choose each message, a daily digest or none.")
    chosen = preferences_set(
        user=user, choices={"cohort_posts": posts, "cohort_messages": messages}
    )
    return selectors.CohortChoices(posts=chosen["cohort_posts"], messages=chosen["cohort_messages"])


# --- cohort events ----------------------------------------------------------------------------


def event_schedule(
    *, programme: Programme, by: Any, values: dict[str, Any], base_url: str = ""
) -> Workshop:
    """Schedule a cohort event on the preparation app's workshop machinery (invitations,
    sign-up, attendance)."""
    if values.get("kind") not in COHORT_KINDS:
        raise CohortRuleBroken(
            "Choose the kind of event: group coaching, mid-point check-in, idea generation or "
            "celebration."
        )
    return preparation_services.workshop_save(
        programme=programme, by=by, values=values, base_url=base_url
    )


def event_invite_all(*, workshop: Workshop, by: Any, base_url: str = "") -> int:
    """Book everyone the event is for (its audience, and its cohort if it has one) who has no
    place yet, and send each a calendar invitation (METHOD:REQUEST); past the capacity people
    join the waiting list. Returns how many were booked."""
    from upward.preparation import gate
    from upward.preparation.models import WorkshopSeat
    from upward.preparation.tasks import send_workshop_emails

    if not can_coordinate(by, workshop.programme):
        raise CohortRuleBroken("Only the programme's coordinators invite people to events.")
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if current.kind not in COHORT_KINDS:
            raise CohortRuleBroken("Only cohort events are sent to everyone this way.")
        if current.cancelled_at is not None:
            raise CohortRuleBroken("This event was cancelled.")
        if current.starts_at <= timezone.now():
            raise CohortRuleBroken("This event has already started.")
        pairs = Pair.objects.filter(
            programme_id=current.programme_id,
            state__in=[Pair.State.PREPARING, Pair.State.ACTIVE, Pair.State.PAUSED],
        ).select_related("leader", "mentor")
        if current.cohort_id is not None:
            pairs = pairs.filter(cohort_id=current.cohort_id)
        wanted: list[int] = []
        for pair in pairs.order_by("pk"):
            for side, application in (("leader", pair.leader), ("mentor", pair.mentor)):
                if (
                    current.audience in gate.audiences_for(side, pair.reciprocal)
                    and application.user_id not in wanted
                ):
                    wanted.append(application.user_id)
        seated = set(current.seats.values_list("user_id", flat=True))
        booked = current.seats.filter(status=WorkshopSeat.Status.BOOKED).count()
        new_booked: list[int] = []
        for user_id in wanted:
            if user_id in seated:
                continue
            status = (
                WorkshopSeat.Status.BOOKED
                if booked < current.capacity
                else WorkshopSeat.Status.WAITING
            )
            WorkshopSeat.objects.create(workshop=current, user_id=user_id, status=status)
            if status == WorkshopSeat.Status.BOOKED:
                booked += 1
                new_booked.append(user_id)
        if new_booked:
            transaction.on_commit(
                lambda: send_workshop_emails.enqueue(current.pk, "booked", new_booked, base_url)
            )
    logger.info("Cohort event %s: %d invited", workshop.pk, len(new_booked))
    return len(new_booked)
