"""Demo data for support: wellbeing resources for the demo programme, and the wellbeing lead's
inbox holding concerns in each state (new and overdue, triaged, in progress with a reply,
closed with an outcome). Idempotent."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder
from upward.pairs.models import Pair

from . import services
from .errors import SupportRuleBroken
from .models import Concern, Resource

logger = logging.getLogger(__name__)

RESOURCES = [
    ("helpline", "Listening line", "Free and confidential, day and night.", "0800 555 0100"),
    ("eap", "Employee assistance programme", "Up to six counselling sessions a year.", ""),
    ("guide", "Saying no to a senior colleague", "A short guide for mentors.", ""),
]
CONCERNS = [
    ("wellbeing", True, "Sharing my experience in our meetings leaves me drained for days."),
    ("conversation", False, "A remark in our last meeting made me uncomfortable."),
    ("relationship", True, "Our meetings keep being moved at the last minute."),
    ("relationship", False, "I am not sure we are a good match."),
]


@register_seeder
def seed_support(context: DemoContext) -> None:
    programme = context.programme
    for kind, title, description, contact in RESOURCES:
        Resource.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={"kind": kind, "description": description, "contact": contact},
        )
    if Concern.objects.filter(programme=programme).exists():
        return
    pairs = list(Pair.objects.filter(programme=programme).select_related("mentor__user"))
    lead = context.users["wellbeing_lead"]
    if not pairs:
        logger.warning("Demo support: the programme has no pairs for concerns.")
        return
    raised = []
    for i, (about, anonymous, text) in enumerate(CONCERNS):
        pair = pairs[i % len(pairs)]
        try:
            raised.append(
                services.concern_raise(
                    by=pair.mentor.user,
                    pair=pair,
                    about=about,
                    route_to="wellbeing_lead",
                    anonymous=anonymous,
                    body=text,
                )
            )
        except SupportRuleBroken as exc:
            logger.warning("Demo support: %s", exc)
    mine = [c for c in raised if c.handler_id == lead.pk]
    if len(mine) < 4:
        return
    overdue, triaged, in_progress, closed = mine
    past = timezone.now() - dt.timedelta(days=5)
    Concern.objects.filter(pk=overdue.pk).update(
        created_at=past, due_at=past + services.response_window()
    )
    services.concern_triage(concern=triaged, by=lead, state="triaged", version=1)
    services.concern_reply(
        concern=in_progress, by=lead, body="Thank you for telling me. Shall we talk on Thursday?"
    )
    services.concern_triage(concern=in_progress, by=lead, state="in_progress", version=1)
    services.concern_close(
        concern=closed,
        by=lead,
        outcome="We talked it through; the coordinator offered a fresh start.",
        version=1,
    )
