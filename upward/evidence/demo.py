"""Demo data for evidence: in the demo's programme, a closed baseline across the organisations
and a closed mid-point pulse, with enough responses for charts, where one segment (the partner
organisation's handful of answers) is correctly hidden; and an open pulse for the demo people.

Demo responses are written straight as anonymous rows (who answered is not recorded for them,
as nobody real did)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder

from . import instruments
from .models import Campaign, Response, ResultNote, ResultNoteRevision

BASELINE = "Baseline: psychological safety"
MIDPOINT = "Mid-point pulse: psychological safety"
OPEN = "Monthly pulse: how is your mentoring going?"


def _answers(rng: random.Random, centre: float) -> dict[str, int]:
    out = {}
    for item in instruments.PSYCHOLOGICAL_SAFETY.scored_items:
        level = max(1, min(7, round(rng.gauss(centre, 1.0))))
        out[item.key] = 8 - level if item.reverse else level
    return out


def _responses(
    campaign: Campaign, rng: random.Random, groups: list[tuple[str, str, int, float]]
) -> None:
    rows = []
    for side, organisation, count, centre in groups:
        for _ in range(count):
            answers = _answers(rng, centre)
            rows.append(
                Response(
                    campaign=campaign,
                    side=side,
                    organisation=organisation,
                    answers=cast(Any, answers),  # an encrypted JSON field: stubs see text
                    score=instruments.score(instruments.PSYCHOLOGICAL_SAFETY, answers),
                )
            )
    Response.objects.bulk_create(rows)


@register_seeder
def seed_evidence(context: DemoContext) -> None:
    programme = context.programme
    if Campaign.objects.filter(programme=programme, title=BASELINE).exists():
        return  # seeded already
    rng = random.Random(16)
    today = timezone.localdate()
    home, partner = context.organisation.name, context.partner.name
    baseline = Campaign.objects.create(
        programme=programme,
        title=BASELINE,
        instrument="psychological_safety",
        stage=Campaign.Stage.BASELINE,
        audience=Campaign.Audience.WIDER,
        opens_on=today - dt.timedelta(days=120),
        closes_on=today - dt.timedelta(days=100),
    )
    # The partner organisation's 3 answers are below the threshold: its segment stays hidden,
    # and so does the home organisation's (it would show the partner's by subtraction).
    _responses(baseline, rng, [("", home, 46, 4.2), ("", partner, 3, 3.0)])
    mid = Campaign.objects.create(
        programme=programme,
        title=MIDPOINT,
        instrument="psychological_safety",
        stage=Campaign.Stage.MID,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today - dt.timedelta(days=6),
    )
    _responses(
        mid, rng, [("leader", home, 9, 5.0), ("mentor", home, 8, 4.6), ("mentor", partner, 2, 4.0)]
    )
    Campaign.objects.create(
        programme=programme,
        title=OPEN,
        instrument="relationship_quality",
        stage=Campaign.Stage.PULSE,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=13),
    )
    # The coordinator's story beside the mid-point figures, and a lesson for the report.
    author = context.users.get("coordinator")
    for kind, anchor, title, body in (
        (
            ResultNote.Kind.STORY,
            "safety",
            "Speaking up at the leadership meeting",
            "At the mid-point a mentor raised the late-shift rota with the operations leader in "
            "the open meeting; it was changed the same month. The pulse should show whether "
            "others now feel as free to speak.",
        ),
        (
            ResultNote.Kind.LESSON,
            "",
            "Brief the leaders before the invitations go out",
            "The leaders who heard about the programme from their own director applied first.",
        ),
    ):
        note = ResultNote.objects.create(
            programme=programme, kind=kind, anchor=anchor, title=title, body=body, author=author
        )
        ResultNoteRevision.objects.create(note=note, number=1, title=title, body=body, by=author)
