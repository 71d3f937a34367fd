"""Writes of support, each one keyword-only service in one transaction.

Routing a concern: the raiser chooses the coordinator or the wellbeing lead. Anyone in the
raiser's reporting line or the pair leader's (above or below), and the other person of the
pair, is skipped; the next handler is chosen and the raiser is told why.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from upward.accounts.models import RoleGrant
from upward.core.versioning import claim_version
from upward.directory.selectors import reporting_chain_above, reporting_chain_below
from upward.pairs.models import Pair

from . import emails
from .errors import SupportRuleBroken
from .models import Concern, ConcernMessage, ExitReason, Pulse, Resource, StrainFlag
from .permissions import (
    can_manage_organisation_resources,
    can_manage_resources,
    is_handler,
    is_raiser,
)

logger = logging.getLogger(__name__)

MAX_TEXT = 5000
ROLE_WORDS: dict[str, str] = {
    Concern.RouteTo.COORDINATOR: "the programme's coordinator",
    Concern.RouteTo.WELLBEING_LEAD: "the wellbeing lead",
}


def response_window() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "UPWARD_CONCERN_RESPONSE_HOURS", 72))


@dataclass(frozen=True)
class Routing:
    handler: Any
    route_to: str
    note: str


def _line_of(person: Any) -> set[int]:
    """Everyone above and below the person in their reporting chain, and the person."""
    if person is None:
        return set()
    above = {p.pk for p in reporting_chain_above(person)}
    below = set(reporting_chain_below(person).values_list("pk", flat=True))
    return above | below | {person.pk}


def _holders(programme: Any, role: str) -> list[Any]:
    grants = (
        RoleGrant.objects.filter(programme=programme, role=role, user__is_active=True)
        .select_related("user__person")
        .order_by("pk")
    )
    seen: dict[int, Any] = {}
    for g in grants:
        seen.setdefault(g.user_id, g.user)
    return list(seen.values())


def eligible_handlers(*, programme: Any, pair: Pair | None, raiser: Any, role: str) -> list[Any]:
    """The holders of ``role`` in the programme who may handle the raiser's concern."""
    excluded_people = _line_of(getattr(raiser, "person", None))
    excluded_users = {raiser.pk}
    if pair is not None:
        excluded_people |= _line_of(pair.leader.person)
        for application in (pair.leader, pair.mentor):
            excluded_users.add(application.user_id)
            excluded_people.add(application.person_id)
    out = []
    for user in _holders(programme, role):
        person_id = getattr(getattr(user, "person", None), "pk", None)
        if user.pk in excluded_users or (person_id is not None and person_id in excluded_people):
            continue
        out.append(user)
    return out


def concern_route(*, programme: Any, pair: Pair | None, raiser: Any, route_to: str) -> Routing:
    """The handler for a new concern, following the raiser's choice where the rules allow."""
    other = (
        Concern.RouteTo.WELLBEING_LEAD
        if route_to == Concern.RouteTo.COORDINATOR
        else Concern.RouteTo.COORDINATOR
    )
    chosen = _holders(programme, route_to)
    first = eligible_handlers(programme=programme, pair=pair, raiser=raiser, role=route_to)
    if first:
        skipped = len(first) < len(chosen) and chosen[0].pk != first[0].pk
        note = (
            f"One {ROLE_WORDS[route_to].removeprefix('the ')} is in your reporting line or your "
            "partner's, or is in your pair, so another one handles your concern."
            if skipped
            else ""
        )
        return Routing(first[0], route_to, note)
    fallback = eligible_handlers(programme=programme, pair=pair, raiser=raiser, role=other)
    if fallback:
        reason = "is in your reporting line or your partner's" if chosen else "is not named yet"
        return Routing(
            fallback[0],
            other,
            f"{ROLE_WORDS[route_to].capitalize()} {reason}, so your concern went to "
            f"{ROLE_WORDS[other]} instead.",
        )
    raise SupportRuleBroken(
        "Nobody outside your reporting line can take this concern in this programme yet, so it "
        "was not sent. Please use one of the wellbeing resources, or contact the programme team "
        "another way."
    )


def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SupportRuleBroken(f"Write your {what} first: it is empty.")
    if len(text) > MAX_TEXT:
        raise SupportRuleBroken(f"Your {what} is too long: keep it under {MAX_TEXT} characters.")
    return text


def concern_raise(
    *, by: Any, pair: Pair, about: str, route_to: str, anonymous: bool, body: str
) -> Concern:
    """Raise a concern as one of the pair's two people."""
    if pair.side_of(by) is None:
        raise SupportRuleBroken("You can raise a concern only about a pair you are in.")
    if about not in Concern.About.values:
        raise SupportRuleBroken("Choose what the concern is about.")
    if route_to not in Concern.RouteTo.values:
        raise SupportRuleBroken("Choose who should handle it: the coordinator or wellbeing lead.")
    text = _clean_text(body, "concern")
    person = pair.leader.person if pair.side_of(by) == "leader" else pair.mentor.person
    routing = concern_route(programme=pair.programme, pair=pair, raiser=by, route_to=route_to)
    now = timezone.now()
    with transaction.atomic():
        concern = Concern.objects.create(
            programme=pair.programme,
            pair=pair,
            raiser=by,
            raiser_person=person,
            about=about,
            route_to=routing.route_to,
            anonymous=anonymous,
            handler=routing.handler,
            routing_note=routing.note[:300],
            body=text,
            due_at=now + response_window(),
            created_at=now,
        )
        transaction.on_commit(lambda: emails.concern_routed(concern))
    logger.info("concern %s raised in programme %s", concern.pk, pair.programme_id)
    return concern


def concern_reply(*, concern: Concern, by: Any, body: str) -> ConcernMessage:
    """Add a message to the private thread (the raiser or the handler)."""
    raiser = is_raiser(by, concern)
    if not raiser and not is_handler(by, concern):
        raise SupportRuleBroken("Only the raiser and the handler write in this thread.")
    text = _clean_text(body, "message")
    with transaction.atomic():
        current = Concern.objects.select_for_update().get(pk=concern.pk)
        if not current.open:
            raise SupportRuleBroken("This concern is closed, so no more messages can be added.")
        now = timezone.now()
        message = ConcernMessage.objects.create(
            concern=current, author=by, from_raiser=raiser, body=text, created_at=now
        )
        if not raiser and current.answered_at is None:
            current.answered_at = now
            current.save(update_fields=["answered_at"])
        recipients = [current.handler, current.escalated_to] if raiser else [current.raiser]
        for r in recipients:
            if r is not None and r.pk != getattr(by, "pk", None):
                transaction.on_commit(partial(emails.concern_new_message, current, r))
    return message


def concern_triage(*, concern: Concern, by: Any, state: str, version: int) -> Concern:
    """Move an open concern to triaged or in progress (the handler)."""
    if not is_handler(by, concern):
        raise SupportRuleBroken("Only the handler can triage this concern.")
    if state not in (Concern.State.TRIAGED, Concern.State.IN_PROGRESS):
        raise SupportRuleBroken("Choose triaged or in progress; to close it, give an outcome.")
    with transaction.atomic():
        claim_version(concern, expected_version=version, what="this concern")
        concern.refresh_from_db()
        if not concern.open:
            raise SupportRuleBroken("This concern is closed.")
        concern.state = state
        concern.answered_at = concern.answered_at or timezone.now()
        concern.save(update_fields=["state", "answered_at"])
    return concern


def concern_close(*, concern: Concern, by: Any, outcome: str, version: int) -> Concern:
    """Close a concern with its outcome (the handler); the raiser reads the outcome."""
    if not is_handler(by, concern):
        raise SupportRuleBroken("Only the handler can close this concern.")
    text = _clean_text(outcome, "outcome")
    with transaction.atomic():
        claim_version(concern, expected_version=version, what="this concern")
        concern.refresh_from_db()
        if not concern.open:
            raise SupportRuleBroken("This concern is already closed.")
        now = timezone.now()
        concern.state = Concern.State.CLOSED
        concern.outcome = text
        concern.closed_at = now
        concern.answered_at = concern.answered_at or now
        concern.save(update_fields=["state", "outcome", "closed_at", "answered_at"])
        raiser = concern.raiser
        transaction.on_commit(lambda: emails.concern_new_message(concern, raiser))
    return concern


def concerns_flag_overdue(*, now: dt.datetime | None = None) -> int:
    """Flag concerns nobody answered by their deadline, and escalate each to a wellbeing lead
    who may handle it (or remind the handler when there is none). Returns how many."""
    now = now or timezone.now()
    due = Concern.objects.filter(
        answered_at__isnull=True, overdue_since__isnull=True, due_at__lt=now
    ).exclude(state=Concern.State.CLOSED)
    flagged = 0
    for concern in due.select_related("programme", "pair__leader__person", "raiser__person"):
        leads = [
            u
            for u in eligible_handlers(
                programme=concern.programme,
                pair=concern.pair,
                raiser=concern.raiser,
                role=Concern.RouteTo.WELLBEING_LEAD,
            )
            if u.pk != concern.handler_id
        ]
        with transaction.atomic():
            concern.overdue_since = now
            concern.escalated_to = leads[0] if leads else None
            concern.save(update_fields=["overdue_since", "escalated_to"])
        for recipient in [concern.handler, *leads[:1]]:
            emails.concern_overdue(concern, recipient)
        flagged += 1
        logger.info("concern %s overdue, escalated=%s", concern.pk, bool(leads))
    return flagged


# --- pause and no-fault exit ------------------------------------------------------------------


def pair_step_notify(*, pair: Pair, action: str, by: Any, reason: str) -> None:
    """After a pause or an end (``upward.pairs.services.STATE_HOOKS``): the other person gets
    the neutral line only; a reason, if one was given, is kept for the coordinators alone."""
    if action not in ("pause", "end"):
        return
    if reason:
        ExitReason.objects.create(
            pair=pair, action=action, reason=reason, created_at=timezone.now()
        )
        for coordinator in _holders(pair.programme, Concern.RouteTo.COORDINATOR):
            transaction.on_commit(
                partial(emails.exit_reason_for_coordinator, pair, coordinator, action, reason)
            )
    for application in (pair.leader, pair.mentor):
        user = application.user
        if user is not None and user.pk != getattr(by, "pk", None):
            transaction.on_commit(partial(emails.pair_step_neutral, pair, user, action))


# --- wellbeing resources ----------------------------------------------------------------------

RESOURCE_FIELDS = ("kind", "title", "description", "contact", "url")


def resource_save(
    *,
    programme: Any,
    by: Any,
    data: dict[str, Any],
    resource: Resource | None = None,
    version: int | None = None,
    organisation_id: int | None = None,
) -> Resource:
    """Add a resource (for the programme, or for one of its organisations), or edit one with
    the version it was read at."""
    if not can_manage_resources(by, programme):
        raise SupportRuleBroken("Only the coordinators and wellbeing leads maintain resources.")
    if organisation_id is not None and (
        not programme.organisations.filter(pk=organisation_id).exists()
        or not can_manage_organisation_resources(by, organisation_id)
    ):
        raise SupportRuleBroken(
            "You can add resources for a whole organisation only where you coordinate."
        )
    with transaction.atomic():
        if resource is None:
            return Resource.objects.create(
                programme=None if organisation_id else programme,
                organisation_id=organisation_id,
                **{f: data[f] for f in RESOURCE_FIELDS},
            )
        if version is None:
            raise SupportRuleBroken("Reload the page: the version you saw is missing.")
        claim_version(resource, expected_version=version, what="this resource")
        for f in RESOURCE_FIELDS:
            setattr(resource, f, data[f])
        resource.save(update_fields=[*RESOURCE_FIELDS, "updated_at"])
        resource.refresh_from_db(fields=["version"])
    return resource


def resource_delete(*, programme: Any, by: Any, resource: Resource, version: int) -> None:
    if not can_manage_resources(by, programme):
        raise SupportRuleBroken("Only the coordinators and wellbeing leads maintain resources.")
    with transaction.atomic():
        claim_version(resource, expected_version=version, what="this resource")
        resource.delete()


# --- the mentors' pulse and the strain flag ---------------------------------------------------


def strain_rule() -> tuple[int, int]:
    """(the strain counted as high, how many answers in a row raise the flag)."""
    return (
        getattr(settings, "UPWARD_STRAIN_HIGH", 4),
        getattr(settings, "UPWARD_STRAIN_ANSWERS", 3),
    )


def pulse_record(*, pair: Pair, by: Any, on: dt.date, energy: int, strain: int) -> Pulse:
    """Record a mentor's pulse for a meeting day; raise a strain flag (without the answers)
    when strain stayed high over the last N answers and no flag is open."""
    side = pair.side_of(by)
    if side is None or (side != "mentor" and not pair.reciprocal):
        raise SupportRuleBroken("The pulse is for the pair's mentor.")
    if not (1 <= energy <= 5 and 1 <= strain <= 5):
        raise SupportRuleBroken("Choose energy and strain from 1 to 5.")
    today = timezone.localdate()
    if on > today or on < today - dt.timedelta(days=60):
        raise SupportRuleBroken("Choose a meeting day in the last 60 days, not in the future.")
    high, run = strain_rule()
    with transaction.atomic():
        if Pulse.objects.filter(pair=pair, mentor=by, on=on).exists():
            raise SupportRuleBroken("You already gave a pulse for that day.")
        pulse = Pulse.objects.create(
            pair=pair, mentor=by, on=on, energy=energy, strain=strain, created_at=timezone.now()
        )
        last = list(
            Pulse.objects.filter(pair=pair, mentor=by)
            .order_by("-on", "-pk")
            .values_list("strain", flat=True)[:run]
        )
        open_flag = StrainFlag.objects.filter(pair=pair, mentor=by, cleared_at__isnull=True)
        if len(last) == run and min(last) >= high and not open_flag.exists():
            StrainFlag.objects.create(pair=pair, mentor=by, raised_at=timezone.now())
            logger.info("strain flag raised on pair %s", pair.pk)
        elif last and last[0] < high:
            open_flag.update(cleared_at=timezone.now())
    return pulse


def pair_rematch_offer(*, pair: Pair, by: Any) -> Any:
    """Offer both people of an ended pair a rematch from the remaining pool: the pair is
    excluded for good, its proposal no longer holds either person, and a rematch run starts
    under the programme's matching rules (reviewed and published as any other run)."""
    from upward.accounts.permissions import can_coordinate
    from upward.matches.models import PairExclusion, Proposal
    from upward.matches.services import rematch_start

    if not can_coordinate(by, pair.programme):
        raise SupportRuleBroken("Only the programme's coordinators offer a rematch.")
    if pair.state != Pair.State.ENDED:
        raise SupportRuleBroken("A rematch is offered once the relationship has ended.")
    with transaction.atomic():
        PairExclusion.objects.get_or_create(
            programme=pair.programme,
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
            defaults={"reason": PairExclusion.Reason.COORDINATOR, "created_by": by},
        )
        if pair.proposal_id:
            Proposal.objects.filter(pk=pair.proposal_id, status=Proposal.Status.CONFIRMED).update(
                status=Proposal.Status.DECLINED
            )
        run = rematch_start(programme=pair.programme, by=by)
    logger.info("rematch offered after pair %s ended: run %s", pair.pk, run.pk)
    return run
