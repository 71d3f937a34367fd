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
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.core.versioning import VersionConflict as CoreConflict
from upward.core.versioning import save_versioned
from upward.pairs.models import Pair

from .errors import RunningRuleBroken, VersionConflict
from .models import (
    CalendarFeed,
    CheckIn,
    Goal,
    GoalUpdate,
    Meeting,
    MeetingOption,
    PairNote,
    PairNoteRevision,
    Reflection,
)
from .smart import smart_check

logger = logging.getLogger(__name__)

MAX_OPTIONS = 5
# Called with the meeting, in its transaction, when a meeting is first marked as held
# (integrations sends its webhook). Registered in ``AppConfig.ready()``.
HELD_HOOKS: list[Callable[[Meeting], object]] = []
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
        newly_held = outcome == Meeting.State.HELD and meeting.state != Meeting.State.HELD
        meeting.state = outcome
        if outcome == Meeting.State.HELD:
            meeting.held_minutes = _minutes(minutes)
            meeting.topics_covered = topics.strip()
        else:
            meeting.held_minutes = None
            meeting.topics_covered = ""
        _save(meeting, version, ["state", "held_minutes", "topics_covered"])
        if outcome == Meeting.State.HELD:
            _fit_checks_after_first_meeting(meeting.pair)
        if newly_held:
            for hook in HELD_HOOKS:
                hook(meeting)
    return meeting


def _fit_checks_after_first_meeting(pair: Pair) -> None:
    if pair.meetings.filter(state=Meeting.State.HELD).count() != 1:
        return
    if CheckIn.objects.filter(pair=pair, kind=CheckIn.Kind.FIT).exists():
        return
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        [
            CheckIn(pair=pair, user_id=a.user_id, kind=CheckIn.Kind.FIT, due_on=today)
            for a in (pair.leader, pair.mentor)
            if a.user_id is not None
        ]
    )


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


# --- shared notes and private reflections ---------------------------------------------------


def _text(value: str, what: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RunningRuleBroken(f"Write the {what}: it is empty.")
    if len(value) > limit:
        raise RunningRuleBroken(f"The {what} is longer than {limit:,} characters.")
    return value


def note_save(
    *,
    pair: Pair,
    by: Any,
    title: str,
    body: str,
    note: PairNote | None = None,
    version: int | None = None,
) -> PairNote:
    """Write a new shared note or change one; each saved text is kept in the note's history."""
    _member(pair, by)
    title = _text(title, "title", 200)
    body = _text(body, "note", 20000, required=False)
    with transaction.atomic():
        if note is None:
            note = PairNote.objects.create(pair=pair, title=title, body=body, created_by=by)
        else:
            if note.pair_id != pair.pk:
                raise RunningRuleBroken("This note belongs to another pair.")
            if version is None:
                raise RunningRuleBroken(
                    "Reload the page: the version of the note you saw is missing."
                )
            note.title, note.body = title, body
            try:
                save_versioned(note, expected_version=version, fields=["title", "body"])
            except CoreConflict as exc:
                raise VersionConflict("note", exc.current) from exc
        PairNoteRevision.objects.create(
            note=note, number=note.version, title=title, body=body, by=by
        )
    return note


def reflection_write(*, pair: Pair, by: Any, body: str) -> Reflection:
    """A private reflection about the pair's mentoring: only its author will ever read it."""
    _member(pair, by)
    return Reflection.objects.create(pair=pair, author=by, body=_text(body, "reflection", 20000))


def reflection_delete(*, reflection: Reflection, by: Any) -> None:
    if reflection.author_id != getattr(by, "pk", None):
        raise RunningRuleBroken("Only its author can delete a reflection.")
    with transaction.atomic():
        reflection.delete()


# --- SMART goals -------------------------------------------------------------------------------


class GoalNotSmart(RunningRuleBroken):
    """The SMART check found problems and the owner gave no reason to keep the goal anyway."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "The goal is not SMART yet: "
            + " ".join(problems)
            + " Change it, or say why you keep it as it is."
        )


def goal_save(
    *,
    pair: Pair,
    by: Any,
    statement: str,
    measure: str = "",
    target: str = "",
    due_on: dt.date | None = None,
    objective_id: int | None = None,
    kept_because: str = "",
    goal: Goal | None = None,
    version: int | None = None,
) -> Goal:
    """Set or change one's own goal. A goal the SMART check finds wanting is saved only with
    the owner's reason for keeping it."""
    _member(pair, by)
    statement = _text(statement, "goal's statement", 1000)
    measure, target = _text(measure, "measure", 1000, False), _text(target, "target", 500, False)
    kept_because = _text(kept_because, "reason", 1000, False)
    objective = None
    if objective_id is not None:
        objective = pair.programme.objectives.filter(pk=objective_id).first()
        if objective is None:
            raise RunningRuleBroken("Choose one of the programme's objectives.")
    problems = smart_check(
        statement=statement,
        measure=measure,
        target=target,
        due_on=due_on,
        has_objective=objective is not None,
        today=timezone.localdate(),
    )
    if problems and not kept_because:
        raise GoalNotSmart(problems)
    values = {
        "statement": statement,
        "measure": measure,
        "target": target,
        "due_on": due_on,
        "objective": objective,
        "kept_because": kept_because if problems else "",
    }
    with transaction.atomic():
        if goal is None:
            return Goal.objects.create(pair=pair, owner=by, **values)
        if goal.owner_id != by.pk:
            raise RunningRuleBroken("Only its owner can change a goal.")
        if version is None:
            raise RunningRuleBroken("Reload the page: the version of the goal you saw is missing.")
        for name, value in values.items():
            setattr(goal, name, value)
        try:
            save_versioned(goal, expected_version=version, fields=list(values))
        except CoreConflict as exc:
            raise VersionConflict("goal", exc.current) from exc
    return goal


def goal_progress(
    *, goal: Goal, by: Any, percent: int, comment: str = "", version: int | None
) -> GoalUpdate:
    """Record progress on one's own goal: the percentage and a comment, kept as history."""
    if goal.owner_id != getattr(by, "pk", None):
        raise RunningRuleBroken("Only its owner records progress on a goal.")
    if not 0 <= percent <= 100:
        raise RunningRuleBroken("Progress is a percentage from 0 to 100.")
    comment = _text(comment, "comment", 2000, False)
    if version is None:
        raise RunningRuleBroken("Reload the page: the version of the goal you saw is missing.")
    with transaction.atomic():
        goal.progress = percent
        try:
            save_versioned(goal, expected_version=version, fields=["progress"])
        except CoreConflict as exc:
            raise VersionConflict("goal", exc.current) from exc
        return GoalUpdate.objects.create(goal=goal, percent=percent, comment=comment, by=by)


# --- check-ins ---------------------------------------------------------------------------------

CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "six_weekly": 42}
LOW_FIT = 2  # a fit score of 1 or 2 (out of 5) reaches the coordinator, quietly


def checkin_answer(
    *, checkin: CheckIn, by: Any, score: int, comment: str = "", share: bool = False
) -> CheckIn:
    """Answer one's own check-in, once. The answer stays private to the person, unless they
    choose to ``share`` the comment with the programme's coordinators (off by default)."""
    if checkin.user_id != getattr(by, "pk", None):
        raise RunningRuleBroken("Only the person it was asked of answers a check-in.")
    if not 1 <= score <= 5:
        raise RunningRuleBroken("Answer with a score from 1 to 5.")
    if not isinstance(share, bool):
        raise RunningRuleBroken("Say yes or no to sharing your comment with the coordinator.")
    comment = _text(comment, "comment", 2000, False)
    if share and not comment:
        raise RunningRuleBroken(
            "There is no comment to share: write one, or leave sharing unticked."
        )
    with transaction.atomic():
        updated = CheckIn.objects.filter(pk=checkin.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(), score=score, comment=comment, shared=share
        )
        if updated != 1:
            raise RunningRuleBroken("You have already answered this check-in.")
    checkin.refresh_from_db()
    return checkin


def checkins_open(*, today: dt.date | None = None) -> int:
    """Ask each person of every active pair for a relationship check-in when the programme's
    cadence has passed since their last one (and since the pair's first meeting). Idempotent
    for a day: run it daily from the scheduler or cron."""
    today = today or timezone.localdate()
    made = []
    pairs = (
        Pair.objects.filter(state=Pair.State.ACTIVE, meetings__state=Meeting.State.HELD)
        .distinct()
        .select_related("programme", "leader", "mentor")
    )
    last: dict[tuple[int, int], dt.date] = {}
    for pair_id, user_id, due in CheckIn.objects.filter(
        pair__in=pairs.values("pk"), kind=CheckIn.Kind.RELATIONSHIP
    ).values_list("pair_id", "user_id", "due_on"):
        last[(pair_id, user_id)] = max(due, last.get((pair_id, user_id), due))
    for pair in pairs:
        every = dt.timedelta(days=CADENCE_DAYS.get(pair.programme.meeting_cadence, 30))
        start = pair.state_since.date()
        for user_id in (pair.leader.user_id, pair.mentor.user_id):
            if user_id is None:
                continue
            since = last.get((pair.pk, user_id), start)
            if today - since >= every:
                made.append(
                    CheckIn(
                        pair=pair, user_id=user_id, kind=CheckIn.Kind.RELATIONSHIP, due_on=today
                    )
                )
    CheckIn.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
