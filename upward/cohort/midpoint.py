"""The mid-point check-in's short questionnaire, and what the coordinator may see of it.

Each person answers privately. Their answers are stored with no link to them (see
``MidpointResponse``); the coordinator sees only the number of answers and each question's
average, once the questionnaire has closed (so a figure never moves as single answers arrive)
and only with at least the programme's anonymity threshold of answers
(``upward.evidence.anonymity.threshold_for``). Never an individual answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.evidence.anonymity import threshold_for
from upward.preparation.models import Workshop

from .errors import CohortRuleBroken
from .models import MidpointParticipation, MidpointResponse
from .selectors import answers_close_at

SCALE = (1, 5)
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("relationship", "How well is your mentoring relationship going?"),
    ("learning", "How much have you learnt from it so far?"),
    ("meetings", "How well are you keeping to the meetings you agreed?"),
    ("support", "How well does the programme support you?"),
)
SCALE_WORDS = {1: "Not at all well", 2: "Not well", 3: "Fairly", 4: "Well", 5: "Very well"}


def midpoint_answer(
    *, workshop: Workshop, user: Any, answers: dict[str, Any], now: dt.datetime | None = None
) -> None:
    """Record one person's answers, once. Refused, with nothing stored, when a question is
    missing or out of range, or the questionnaire has closed."""
    now = now or timezone.now()
    if workshop.kind != Workshop.Kind.MIDPOINT:
        raise CohortRuleBroken("Only a mid-point check-in has a questionnaire.")
    if workshop.cancelled_at is not None:
        raise CohortRuleBroken("This check-in was cancelled.")
    if now > answers_close_at(workshop):
        raise CohortRuleBroken("This questionnaire has closed.")
    keys = {k for k, _ in QUESTIONS}
    unknown = set(answers) - keys
    if unknown:
        raise CohortRuleBroken("Answer only the questions of the questionnaire.")
    clean: dict[str, int] = {}
    for key, prompt in QUESTIONS:
        value = answers.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value))
            except (TypeError, ValueError):
                raise CohortRuleBroken(f"Answer every question: “{prompt}”") from None
        if not SCALE[0] <= value <= SCALE[1]:
            raise CohortRuleBroken(f"Answer “{prompt}” with a number from 1 to 5.")
        clean[key] = value
    try:
        with transaction.atomic():
            MidpointParticipation.objects.create(workshop=workshop, user=user)
            MidpointResponse.objects.create(
                workshop=workshop,
                answers=cast(Any, clean),  # an encrypted JSON field: stubs see text
            )
    except IntegrityError:
        raise CohortRuleBroken("You have already answered this check-in.") from None


@dataclass
class MidpointResults:
    state: str  # "open", "too_few" or "shown"
    threshold: int
    closes_at: dt.datetime
    answers: int | None = None
    averages: list[tuple[str, str, float]] = field(default_factory=list)


def midpoint_results(workshop: Workshop, now: dt.datetime | None = None) -> MidpointResults:
    """What the coordinator may see: nothing while open; a count and averages once closed, if
    enough people answered."""
    now = now or timezone.now()
    n = threshold_for(workshop.programme.anonymity_threshold)
    closes = answers_close_at(workshop)
    if now <= closes:
        return MidpointResults("open", n, closes)
    rows = [r.answers for r in MidpointResponse.objects.filter(workshop=workshop)]
    if len(rows) < n:
        return MidpointResults("too_few", n, closes)
    averages = [
        (key, prompt, round(sum(int(r.get(key, 0)) for r in rows) / len(rows), 2))
        for key, prompt in QUESTIONS
    ]
    return MidpointResults("shown", n, closes, len(rows), averages)
