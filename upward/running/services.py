"""Writes of running a pair: meetings and calendar feeds. Each is one keyword-only service in
one transaction; a change of a meeting names the version it started from (409 when stale).

A meeting's calendar invitation keeps its UID for its whole life: a move raises SEQUENCE and
a cancellation is METHOD:CANCEL. Both people get the invitation by email after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.core.versioning import VersionConflict as CoreConflict
from upward.core.versioning import save_versioned
from upward.pairs.models import Pair

from .errors import RunningRuleBroken, VersionConflict
from .models import CalendarFeed, Meeting, MeetingOption

logger = logging.getLogger(__name__)

MAX_OPTIONS = 5
MEETING_STATES = (Pair.State.PREPARING, Pair.State.ACTIVE)


def _member(pair: Pair, by: Any) -> str:
    side = pair.side_of(by)
    if side is None:
        raise RunningRuleBroken("Only the two people of the pair can arrange their meetings.")
    return side


def _live(pair: Pair) -> None:
    if pair.state not in MEETING_STATES:
        raise RunningRuleBroken(
            f"The pair is {pair.get_state_display().lower()}: meetings can be arranged again "
            "once it is active."
        )


def _future(moment: dt.datetime) -> None:
    if moment.tzinfo is None:
        raise RunningRuleBroken("Give each time with its time zone.")
    if moment <= timezone.now():
        raise RunningRuleBroken(
            f"{moment.astimezone(dt.UTC):%d %B %Y %H:%M} UTC is in the past: choose a time "
            "that is still to come."
        )


def _minutes(minutes: int) -> int:
    if not 15 <= minutes <= 480:
        raise RunningRuleBroken("A meeting lasts between 15 and 480 minutes.")
    return minutes


def _save(meeting: Meeting, version: int | None, fields: list[str]) -> None:
    if version is None:
        raise RunningRuleBroken("Reload the page: the version of the meeting you saw is missing.")
    try:
        save_versioned(meeting, expected_version=version, fields=fields, what="this meeting")
    except CoreConflict as exc:
        raise VersionConflict("meeting", exc.current) from exc


def _invite(meeting: Meeting, kind: str, base_url: str) -> None:
    from .tasks import send_meeting_emails

    transaction.on_commit(lambda: send_meeting_emails.enqueue(meeting.pk, kind, base_url))


def meeting_propose(
    *,
    pair: Pair,
    by: Any,
    times: list[dt.datetime],
    minutes: int = 60,
    place: str = "",
) -> Meeting:
    """Propose one to five times for the next meeting; the other person picks one."""
    _member(pair, by)
    _live(pair)
    if not times:
        raise RunningRuleBroken("Propose at least one time.")
    if len(times) > MAX_OPTIONS:
        raise RunningRuleBroken(f"Propose at most {MAX_OPTIONS} times.")
    for moment in times:
        _future(moment)
    if len(set(times)) != len(times):
        raise RunningRuleBroken("The same time is proposed twice: remove one.")
    if len(place) > 300:
        raise RunningRuleBroken("Say where you meet in at most 300 characters.")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            pair=pair, proposed_by=by, minutes=_minutes(minutes), place=place.strip()
        )
        MeetingOption.objects.bulk_create(
            [MeetingOption(meeting=meeting, starts_at=t) for t in sorted(times)]
        )
    logger.info("meeting %s proposed for pair %s with %d times", meeting.pk, pair.pk, len(times))
    return meeting


def meeting_pick(
    *, meeting: Meeting, by: Any, option_id: int, version: int | None, base_url: str = ""
) -> Meeting:
    """The other person picks one of the proposed times; both get the invitation."""
    _member(meeting.pair, by)
    _live(meeting.pair)
    if meeting.state != Meeting.State.PROPOSED:
        raise RunningRuleBroken("A time has already been chosen for this meeting.")
    if meeting.proposed_by_id == by.pk:
        raise RunningRuleBroken("You proposed these times: the other person picks one.")
    option = MeetingOption.objects.filter(meeting=meeting, pk=option_id).first()
    if option is None:
        raise RunningRuleBroken("Choose one of the proposed times.")
    _future(option.starts_at)
    with transaction.atomic():
        meeting.starts_at = option.starts_at
        meeting.state = Meeting.State.SCHEDULED
        _save(meeting, version, ["starts_at", "state"])
        _invite(meeting, "scheduled", base_url)
    return meeting


def meeting_move(
    *,
    meeting: Meeting,
    by: Any,
    starts_at: dt.datetime,
    version: int | None,
    minutes: int | None = None,
    base_url: str = "",
) -> Meeting:
    """Move a scheduled meeting: same invitation (UID), one higher SEQUENCE."""
    _member(meeting.pair, by)
    _live(meeting.pair)
    if meeting.state != Meeting.State.SCHEDULED:
        raise RunningRuleBroken("Only a scheduled meeting can be moved.")
    _future(starts_at)
    with transaction.atomic():
        meeting.starts_at = starts_at
        if minutes is not None:
            meeting.minutes = _minutes(minutes)
        meeting.sequence += 1
        _save(meeting, version, ["starts_at", "minutes", "sequence"])
        _invite(meeting, "moved", base_url)
    return meeting


def meeting_cancel(
    *, meeting: Meeting, by: Any, version: int | None, base_url: str = ""
) -> Meeting:
    """Cancel a proposed or scheduled meeting; a scheduled one sends METHOD:CANCEL."""
    _member(meeting.pair, by)
    if meeting.state not in (Meeting.State.PROPOSED, Meeting.State.SCHEDULED):
        raise RunningRuleBroken("Only a meeting still to come can be cancelled.")
    was_scheduled = meeting.state == Meeting.State.SCHEDULED
    with transaction.atomic():
        meeting.state = Meeting.State.CANCELLED
        meeting.sequence += 1
        _save(meeting, version, ["state", "sequence"])
        if was_scheduled:
            _invite(meeting, "cancelled", base_url)
    return meeting


def meeting_record(
    *,
    meeting: Meeting,
    by: Any,
    outcome: str,
    version: int | None,
    minutes: int = 0,
    topics: str = "",
) -> Meeting:
    """After a scheduled meeting: held (with its length and topics) or a no-show."""
    _member(meeting.pair, by)
    if meeting.state not in (Meeting.State.SCHEDULED, Meeting.State.HELD, Meeting.State.NO_SHOW):
        raise RunningRuleBroken("Only a scheduled meeting can be marked as held or a no-show.")
    if meeting.starts_at is None or meeting.starts_at > timezone.now():
        raise RunningRuleBroken("This meeting has not started yet: mark it after it took place.")
    if outcome not in (Meeting.State.HELD, Meeting.State.NO_SHOW):
        raise RunningRuleBroken("Choose held or no-show (to cancel, use Cancel).")
    if len(topics) > 5000:
        raise RunningRuleBroken("Describe the topics in at most 5,000 characters.")
    with transaction.atomic():
        meeting.state = outcome
        if outcome == Meeting.State.HELD:
            meeting.held_minutes = _minutes(minutes)
            meeting.topics_covered = topics.strip()
        else:
            meeting.held_minutes = None
            meeting.topics_covered = ""
        _save(meeting, version, ["state", "held_minutes", "topics_covered"])
    return meeting


# --- the private calendar feed --------------------------------------------------------------


def feed_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_reset(*, user: Any) -> str:
    """A new secret token for the user's calendar feed; the old address stops working.
    Only its hash is stored: the token is shown once, in the address returned."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": feed_hash(token)})
    logger.info("calendar feed of user %s reset", user.pk)
    return token
