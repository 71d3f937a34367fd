"""Accountability objects for the access matrix's test world: an open idea session of programme
A with the leader's named idea, the leader's commitment adopted from it, and the leader's
nomination of their mentor (asked). Made once per world."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from upward.accountability import services
from upward.preparation.tests import world as preparation_world


def accountability(w: Any) -> SimpleNamespace:
    made = getattr(w, "accountability_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    pair = preparation_world.preparation(w).pair
    leader = w.leader_application.user
    coordinator = w.coordinator_grant.user
    now = timezone.now()
    session = services.idea_session_open(
        programme=w.programme_a,
        by=coordinator,
        title="Ideas",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
        votes_per_person=3,
    )
    idea = services.idea_submit(session=session, by=leader, text="Open pay bands", anonymous=False)
    commitment = services.idea_adopt(
        idea=idea,
        by=coordinator,
        owner=leader,
        change="Publish pay bands",
        measure="Roles with a band",
        baseline="0%",
        target="100%",
        due_on=timezone.localdate() + dt.timedelta(days=60),
    )
    nomination = services.nomination_make(
        pair=pair, by=leader, kind="project", title="Hiring review", description="Six months."
    )
    made = SimpleNamespace(
        session=session, idea=idea, commitment=commitment, nomination=nomination, leader=leader
    )
    w.accountability_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    a = accountability(w)
    return {
        "idea_session_id": a.session.pk,
        "idea_id": a.idea.pk,
        "commitment_id": a.commitment.pk,
        "nomination_id": a.nomination.pk,
    }


def terms(w: Any) -> dict[str, Any]:
    return {
        "owner_id": accountability(w).leader.pk,
        "change": "Publish pay bands",
        "measure": "Roles with a band",
        "baseline": "0%",
        "target": "100%",
        "due_on": "2999-01-01",
    }
