"""Running objects for the access matrix's test world: the preparation pair (made active) with a
meeting the leader proposed, a scheduled meeting, and the leader's calendar feed token."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from upward.pairs.models import Pair
from upward.preparation.tests import world as preparation_world
from upward.running import services
from upward.running.models import CheckIn, Meeting, MeetingOption


def running(w: Any) -> SimpleNamespace:
    made = getattr(w, "running_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    pair = preparation_world.preparation(w).pair
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    pair.refresh_from_db()
    soon = timezone.now() + dt.timedelta(days=7)
    proposed = services.meeting_propose(pair=pair, by=w.leader_application.user, times=[soon])
    scheduled = Meeting.objects.create(
        pair=pair,
        proposed_by=w.leader_application.user,
        state=Meeting.State.SCHEDULED,
        starts_at=soon,
    )
    MeetingOption.objects.create(meeting=scheduled, starts_at=soon)
    token = services.feed_reset(user=w.leader_application.user)
    note = services.note_save(
        pair=pair, by=w.leader_application.user, title="Agenda", body="Hiring"
    )
    reflection = services.reflection_write(
        pair=pair, by=w.leader_application.user, body="I talked too much."
    )
    goal = services.goal_save(
        pair=pair, by=w.leader_application.user, statement="Listen more", kept_because="Draft"
    )
    checkin = CheckIn.objects.create(
        pair=pair,
        user=w.leader_application.user,
        kind=CheckIn.Kind.RELATIONSHIP,
        due_on=timezone.localdate(),
    )
    made = SimpleNamespace(
        checkin=checkin,
        goal=goal,
        note=note,
        reflection=reflection,
        pair=pair,
        proposed=proposed,
        option=proposed.options.get(),
        scheduled=scheduled,
        token=token,
    )
    w.running_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    r = running(w)
    return {
        "meeting_id": r.proposed.pk,
        "note_id": r.note.pk,
        "goal_id": r.goal.pk,
        "checkin_id": r.checkin.pk,
    }
