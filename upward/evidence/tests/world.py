"""Evidence objects for the access matrix's test world (``upward/privacy/tests``): an open
survey of programme A that asks its applicants, and a closed one with results. Made once."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from upward.evidence.models import Campaign, ResultNote


def evidence(w: Any) -> SimpleNamespace:
    made = getattr(w, "evidence_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    today = timezone.localdate()
    open_ = Campaign.objects.create(
        programme=w.programme_a,
        title="Pulse",
        instrument="relationship_quality",
        stage=Campaign.Stage.PULSE,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=13),
    )
    closed = Campaign.objects.create(
        programme=w.programme_a,
        title="Baseline",
        instrument="psychological_safety",
        stage=Campaign.Stage.BASELINE,
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=2),
    )
    note = ResultNote.objects.create(
        programme=w.programme_a, kind=ResultNote.Kind.STORY, title="A story", body="Told."
    )
    made = SimpleNamespace(open=open_, closed=closed, note=note)
    w.evidence_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    return {"campaign_id": evidence(w).open.pk, "result_note_id": evidence(w).note.pk}


RELATIONSHIP_ANSWERS = {"rq1": 4, "rq2": 4, "rq3": 4, "rq4": 2, "rq5": 5}

# A file the baseline import refuses (its columns are missing): checked, nothing imported.
BAD_BASELINE = {"filename": "a.csv", "content_base64": "YSxiCjEsMgo="}
