"""Writes of evidence: set up a campaign, take one response, send reminders.

A response is stored without any link to the person: the ``Participation`` row (who) and the
``Response`` row (what) are written in one transaction but share nothing but the campaign.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from upward.accounts.permissions import can_coordinate
from upward.directory.models import Organisation
from upward.notifications.services import SENT, notify
from upward.programmes.models import Cohort, Programme

from . import instruments, selectors
from .errors import AnswersInvalid, EvidenceRuleBroken
from .models import Campaign, Participation, Response, SafeguardingAlert
from .text import worrying_terms

log = logging.getLogger(__name__)

MAX_DAYS_OPEN = 120


def campaign_create(
    *,
    programme: Programme,
    by: Any,
    title: str,
    instrument: str,
    stage: str,
    opens_on: dt.date,
    closes_on: dt.date,
    audience: str = Campaign.Audience.PARTICIPANTS,
    side: str = "",
    cohort: Cohort | None = None,
    organisation: Organisation | None = None,
    reminder_every_days: int = 7,
) -> Campaign:
    if not can_coordinate(by, programme):
        raise EvidenceRuleBroken("Only the programme's coordinators can run surveys.")
    title = title.strip()
    if not title or len(title) > 200:
        raise EvidenceRuleBroken("Give the survey a title of at most 200 characters.")
    from .catalogue import usable_in

    definition = usable_in(instrument, programme)
    if stage not in Campaign.Stage.values:
        raise EvidenceRuleBroken("Choose a stage: baseline, pre, mid, post or pulse.")
    if audience not in Campaign.Audience.values:
        raise EvidenceRuleBroken("Choose the participants or the wider organisation.")
    if audience == Campaign.Audience.WIDER and (side or cohort is not None):
        raise EvidenceRuleBroken(
            "A survey of the wider organisation cannot be narrowed to a side or a cohort: "
            "those belong to the programme's participants."
        )
    if side not in ("", "leader", "mentor"):
        raise EvidenceRuleBroken("The side is leader, mentor or empty for both.")
    if side and side not in definition.audiences:
        raise EvidenceRuleBroken(f"{definition.title} is not meant for {side}s.")
    if closes_on < opens_on:
        raise EvidenceRuleBroken("The survey must close on or after the day it opens.")
    if (closes_on - opens_on).days > MAX_DAYS_OPEN:
        raise EvidenceRuleBroken(f"A survey stays open at most {MAX_DAYS_OPEN} days.")
    if not 1 <= reminder_every_days <= 60:
        raise EvidenceRuleBroken("Reminders go every 1 to 60 days.")
    if cohort is not None and cohort.programme_id != programme.pk:
        raise EvidenceRuleBroken("That cohort belongs to another programme.")
    if organisation is not None and not programme.organisations.filter(pk=organisation.pk).exists():
        raise EvidenceRuleBroken("That organisation does not take part in the programme.")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            programme=programme,
            title=title,
            instrument=instrument,
            stage=stage,
            audience=audience,
            side=side,
            cohort=cohort,
            organisation=organisation,
            opens_on=opens_on,
            closes_on=closes_on,
            reminder_every_days=reminder_every_days,
            created_by=by,
        )
    log.info("campaign %s created in programme %s", campaign.pk, programme.pk)
    return campaign


def pair_token_for(campaign: Campaign, user: Any) -> str:
    """Links one person's before and after answers to the same instrument in one programme,
    so the change can be paired, without storing who they are."""
    if campaign.stage not in (Campaign.Stage.PRE, Campaign.Stage.POST):
        return ""
    value = f"{campaign.programme_id}:{campaign.instrument}:{user.pk}"
    return salted_hmac("upward.evidence.pair", value, algorithm="sha256").hexdigest()


def response_submit(*, campaign: Campaign, by: Any, answers: Mapping[str, object]) -> None:
    """Take one person's answers. Stores who responded and what was answered, unlinked."""
    attributes = selectors.audience_of(campaign, user_id=by.pk).get(by.pk)
    if attributes is None:
        raise EvidenceRuleBroken("This survey is not for you.")
    if not selectors.is_open(campaign):
        raise EvidenceRuleBroken("This survey is not open.")
    definition = campaign.definition
    try:
        clean = instruments.check_answers(definition, answers)
    except instruments.AnswerError as e:
        raise AnswersInvalid(e.errors) from None
    try:
        with transaction.atomic():
            Participation.objects.create(campaign=campaign, user=by)
            Response.objects.create(
                campaign=campaign,
                answers=cast(Any, clean),  # an encrypted JSON field: stubs see text
                score=instruments.score(definition, clean),
                pair_token=pair_token_for(campaign, by),
                **attributes,
            )
            alerts = _safeguarding_alerts(campaign, definition, clean)
    except IntegrityError:
        raise EvidenceRuleBroken("You have already answered this survey.") from None
    # No log line names the person: the count is enough.
    log.info("campaign %s took a response", campaign.pk)
    if alerts:
        transaction.on_commit(lambda: _tell_wellbeing_leads(campaign, len(alerts)))


def _safeguarding_alerts(
    campaign: Campaign, definition: instruments.Instrument, clean: Mapping[str, object]
) -> list[SafeguardingAlert]:
    made = []
    for item in definition.text_items:
        comment = str(clean.get(item.key, ""))
        terms = worrying_terms([comment])
        if terms:
            made.append(
                SafeguardingAlert.objects.create(
                    campaign=campaign,
                    comment=cast(Any, {"question": item.text, "comment": comment}),
                    terms=terms,
                    received_on=timezone.localdate(),
                )
            )
    return made


def _tell_wellbeing_leads(campaign: Campaign, count: int) -> None:
    """Email the programme's wellbeing leads that an alert waits; the email holds no comment
    and no name, only where to read it."""
    from django.contrib.auth import get_user_model

    from upward.accounts.models import Role

    leads = list(
        get_user_model()
        .objects.filter(
            role_grants__role=Role.WELLBEING_LEAD, role_grants__programme=campaign.programme
        )
        .exclude(email="")
        .distinct()
    )
    for lead in leads:
        notify(
            to=lead,
            event="safeguarding_alert",
            subject=f"A survey comment may need your attention: {campaign.programme.name}",
            context={"campaign": campaign},
            programme=campaign.programme,
        )


def campaign_reminders_send(*, campaign: Campaign, today: dt.date | None = None) -> int:
    """Email everyone asked who has not answered, at most once per the campaign's period."""
    today = today or timezone.localdate()
    if not selectors.is_open(campaign, today):
        return 0
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if (
            locked.last_reminded_on
            and (today - locked.last_reminded_on).days < locked.reminder_every_days
        ):
            return 0
        answered = set(locked.participations.values_list("user_id", flat=True))
        waiting = [u for u in selectors.audience_of(locked) if u not in answered]
        from django.contrib.auth import get_user_model

        people = list(get_user_model().objects.filter(pk__in=waiting).exclude(email=""))
        outcomes = [
            notify(
                to=person,
                event="survey_reminder",
                subject=f"A short survey: {locked.title}",
                context={"campaign": locked},
                programme=locked.programme,
            )
            for person in people
        ]
        locked.last_reminded_on = today
        # Only the reminder date changes; the campaign's version is for its set-up.
        locked.save(update_fields=["last_reminded_on"])
    return sum(outcome == SENT for outcome in outcomes)


def reminders_due_send(*, today: dt.date | None = None) -> int:
    """Every open survey whose reminder period has passed: remind the people it asks who have
    not answered (from ``Participation`` alone; responses are never read). Returns how many
    emails went. Run daily: the ``send_survey_reminders`` task or ``upward survey-reminders``."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today):
        sent += campaign_reminders_send(campaign=campaign, today=today)
    log.info("survey reminders sent: %d", sent)
    return sent
