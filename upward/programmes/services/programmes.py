"""Setting a programme up and moving it through its phases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from upward.accounts import permissions
from upward.accounts.models import Role, RoleGrant, User
from upward.core.versioning import claim_version, save_versioned
from upward.directory.models import Organisation
from upward.matching.style import TRAITS

from .. import defaults, identity, phases, selectors
from ..errors import RuleBroken
from ..models import (
    Application,
    ApplicationForm,
    Challenge,
    Objective,
    PhaseWindow,
    Programme,
    ProgrammeLog,
    Side,
)
from ..policy import MatchingPolicy, policy_of
from ._log import log

PHASE_ORDER = list(Programme.Phase.values)
MIN_REASON_LENGTH = 15


# Words the programme URLs use for their own pages.
RESERVED_SLUGS = frozenset({"new", "mine", "invitation"})


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    if base in RESERVED_SLUGS:
        base = f"{base}-programme"
    slug = base
    counter = 2
    while Programme.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _check_organisations(by: Any, organisations: Iterable[Organisation]) -> list[Organisation]:
    chosen = list(organisations)
    if not chosen:
        raise RuleBroken("Choose at least one organisation to take part.")
    if not getattr(by, "is_superuser", False):
        allowed = permissions.coordinator_organisation_ids(by)
        outside = [o.name for o in chosen if o.pk not in allowed]
        if outside:
            raise RuleBroken(
                "You can only include organisations you coordinate for: " + ", ".join(outside) + "."
            )
    return chosen


def programme_create(
    *,
    name: str,
    kind: str,
    organisations: Iterable[Organisation],
    starts_on: dt.date,
    by: Any,
    description: str = "",
    length_months: int = defaults.DEFAULT_LENGTH_MONTHS,
    meeting_cadence: str = Programme.Cadence.MONTHLY,
    meeting_minutes: int = 60,
    hours_per_month: int = 2,
    anonymity_threshold: int = 5,
) -> Programme:
    """Create a programme with its checklist, topics, forms, rules and schedule.

    The person who creates it becomes its coordinator.
    """
    chosen = _check_organisations(by, organisations)
    if anonymity_threshold < 3:
        raise RuleBroken("The anonymity threshold can never be below 3.")
    if not 3 <= length_months <= 36:
        raise RuleBroken("A programme lasts between 3 and 36 months.")
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name.strip(),
            slug=_unique_slug(name),
            kind=kind,
            description=description.strip(),
            starts_on=starts_on,
            ends_on=defaults.add_months(starts_on, length_months) - dt.timedelta(days=1),
            meeting_cadence=meeting_cadence,
            meeting_minutes=meeting_minutes,
            hours_per_month=hours_per_month,
            anonymity_threshold=anonymity_threshold,
            matching_policy=MatchingPolicy().as_json(),
            identity_dimensions=list(identity.CODES),
            created_by=by if getattr(by, "pk", None) else None,
        )
        programme.organisations.set(chosen)
        if getattr(by, "pk", None):
            RoleGrant.objects.get_or_create(user=by, role=Role.COORDINATOR, programme=programme)
            permissions.forget_cached_grants(by)
        defaults.seed_readiness(programme)
        defaults.seed_topics(programme)
        defaults.seed_eligibility(programme)
        defaults.seed_schedule(programme, length_months)
        for side in (Side.LEADER, Side.MENTOR):
            defaults.build_default_form(programme, side)
        log(programme, by, ProgrammeLog.Action.CREATED, f"Set up {programme.name}")
    return programme


THIS_PROGRAMME = "this programme"


def programme_update(
    *,
    programme: Programme,
    by: Any,
    version: int,
    name: str,
    kind: str,
    organisations: Iterable[Organisation],
    description: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    meeting_cadence: str,
    meeting_minutes: int,
    hours_per_month: int,
    anonymity_threshold: int,
) -> Programme:
    chosen = list(organisations)
    removed = [o for o in programme.organisations.all() if o not in chosen]
    added = [o for o in chosen if o not in set(programme.organisations.all())]
    if added:
        # Someone may only bring in organisations they coordinate for.
        _check_organisations(by, added)
    if not chosen:
        raise RuleBroken("Choose at least one organisation to take part.")
    if removed:
        busy = [
            o.name
            for o in removed
            if Application.objects.filter(programme=programme, person__organisation=o).exists()
        ]
        if busy:
            raise RuleBroken(
                "People from " + ", ".join(busy) + " have applied, so it cannot be removed."
            )
    if anonymity_threshold < 3:
        raise RuleBroken("The anonymity threshold can never be below 3.")
    if starts_on and ends_on and ends_on <= starts_on:
        raise RuleBroken("The programme must end after it starts.")
    with transaction.atomic():
        claim_version(programme, expected_version=version, what=THIS_PROGRAMME)
        programme.name = name.strip()
        programme.kind = kind
        programme.description = description.strip()
        programme.starts_on = starts_on
        programme.ends_on = ends_on
        programme.meeting_cadence = meeting_cadence
        programme.meeting_minutes = meeting_minutes
        programme.hours_per_month = hours_per_month
        programme.anonymity_threshold = anonymity_threshold
        # Only the fields this edit owns: a phase change or an opening made meanwhile stays.
        programme.save(
            update_fields=[
                "name",
                "kind",
                "description",
                "starts_on",
                "ends_on",
                "meeting_cadence",
                "meeting_minutes",
                "hours_per_month",
                "anonymity_threshold",
            ]
        )
        programme.organisations.set(chosen)
    return programme


def _rebuild_untouched_forms(programme: Programme) -> None:
    """Keep default forms in step with the objectives until someone edits them or applies."""
    for side in (Side.LEADER, Side.MENTOR):
        form = ApplicationForm.objects.filter(programme=programme, side=side).first()
        if form is not None and form.customised:
            continue
        if Application.objects.filter(programme=programme, side=side).exists():
            continue
        defaults.build_default_form(programme, side)


def programme_objectives_set(
    *,
    programme: Programme,
    by: Any,
    version: int,
    challenges: list[str],
    details: dict[str, str],
    others: list[str],
) -> list[Objective]:
    """Replace the programme's objectives: challenges from the list, plus any of its own."""
    unknown = [c for c in challenges if c not in Challenge.values or c == Challenge.OTHER]
    if unknown:
        raise RuleBroken(f"Unknown challenge: {', '.join(unknown)}.")
    others = [o.strip() for o in others if o.strip()]
    if not challenges and not others:
        raise RuleBroken(
            "Choose at least one challenge the programme is meant to solve, or describe your own."
        )
    with transaction.atomic():
        claim_version(programme, expected_version=version, what=THIS_PROGRAMME)
        programme.objectives.all().delete()
        created = []
        order = 0
        for challenge in Challenge.values:
            if challenge in challenges:
                created.append(
                    Objective.objects.create(
                        programme=programme,
                        challenge=challenge,
                        detail=details.get(challenge, "").strip(),
                        order=order,
                    )
                )
                order += 1
        for text in others:
            created.append(
                Objective.objects.create(
                    programme=programme, challenge=Challenge.OTHER, detail=text, order=order
                )
            )
            order += 1
        _rebuild_untouched_forms(programme)
    return created


def programme_schedule_set(
    *,
    programme: Programme,
    by: Any,
    version: int,
    windows: dict[str, tuple[dt.date, dt.date]],
) -> None:
    """Set the planned dates of each phase. Phases follow one another in order."""
    missing = [p for p in PHASE_ORDER if p not in windows]
    if missing:
        raise RuleBroken("Give dates for every phase.")
    previous_start: dt.date | None = None
    labels = dict(Programme.Phase.choices)
    for phase in PHASE_ORDER:
        start, end = windows[phase]
        if end < start:
            raise RuleBroken(f"{labels[phase]} ends before it starts.")
        if previous_start is not None and start < previous_start:
            raise RuleBroken(f"{labels[phase]} starts before the phase before it.")
        previous_start = start
    with transaction.atomic():
        claim_version(programme, expected_version=version, what=THIS_PROGRAMME)
        for phase in PHASE_ORDER:
            start, end = windows[phase]
            PhaseWindow.objects.update_or_create(
                programme=programme, phase=phase, defaults={"starts_on": start, "ends_on": end}
            )
        programme.starts_on = windows[PHASE_ORDER[0]][0]
        programme.ends_on = windows[PHASE_ORDER[-1]][1]
        programme.save(update_fields=["starts_on", "ends_on"])


def programme_policy_set(
    *,
    programme: Programme,
    by: Any,
    version: int,
    policy: MatchingPolicy,
    identity_dimensions: list[str],
    blind_proposals: bool | None = None,
) -> None:
    """Save the matching policy (``blind_proposals`` None: leave that option as it is)."""
    unknown = [d for d in identity_dimensions if d not in identity.CODES]
    if unknown:
        raise RuleBroken(f"Unknown identity question: {', '.join(unknown)}.")
    programme.matching_policy = policy.as_json()
    programme.identity_dimensions = [d for d in identity.CODES if d in identity_dimensions]
    fields = ["matching_policy", "identity_dimensions"]
    if blind_proposals is not None:
        programme.blind_proposals = bool(blind_proposals)
        fields.append("blind_proposals")
    save_versioned(programme, expected_version=version, fields=fields, what=THIS_PROGRAMME)


def programme_working_style_set(
    *, programme: Programme, by: Any, version: int, weight: int, complementary_traits: list[str]
) -> None:
    """Turn the working-style criterion on (weight 1 to 5) or off (0), and choose the traits on
    which complementary people are paired (alike on the others)."""
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 5:
        raise RuleBroken("The weight of working style must be 0 to 5.")
    unknown = [t for t in complementary_traits if t not in TRAITS]
    if unknown:
        raise RuleBroken(
            f"Unknown working-style trait: {', '.join(unknown)}. Use {', '.join(TRAITS)}."
        )
    policy = policy_of(programme.matching_policy)
    policy.weights["working_style"] = weight
    policy.complementary_traits = [t for t in TRAITS if t in complementary_traits]
    programme.matching_policy = policy.as_json()
    save_versioned(
        programme, expected_version=version, fields=["matching_policy"], what=THIS_PROGRAMME
    )


def _require_readiness(programme: Programme, what: str) -> None:
    if not selectors.readiness_of(programme).passed:
        raise RuleBroken(
            f"{what} only once the readiness checklist is complete, or after a coordinator "
            "records an override with a reason."
        )


def programme_readiness_override(*, programme: Programme, by: Any, reason: str) -> Programme:
    """Let the programme open applications before its checklist is complete, on the record."""
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise RuleBroken(
            f"Give a reason of at least {MIN_REASON_LENGTH} characters: it is kept on the record."
        )
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        readiness = selectors.readiness_of(programme)
        if readiness.complete:
            raise RuleBroken("The checklist is already complete: there is nothing to override.")
        programme.readiness_overridden_at = timezone.now()
        programme.readiness_overridden_by = by
        programme.readiness_override_reason = reason
        programme.save(
            update_fields=[
                "readiness_overridden_at",
                "readiness_overridden_by",
                "readiness_override_reason",
            ]
        )
        log(
            programme,
            by,
            ProgrammeLog.Action.READINESS_OVERRIDE,
            f"Readiness overridden with {readiness.done} of {readiness.total} items done",
            reason=reason,
        )
    return programme


def programme_applications_open(
    *, programme: Programme, by: Any, deadline: dt.datetime | None = None
) -> Programme:
    """Open applications. Refused until the readiness gate is passed."""
    if deadline is not None and deadline <= timezone.now():
        raise RuleBroken("The deadline must be in the future.")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        _require_readiness(programme, "Applications can open")
        if programme.applications_open:
            raise RuleBroken("Applications are already open.")
        programme.applications_opened_at = timezone.now()
        programme.applications_closed_at = None
        programme.applications_deadline = deadline
        fields = ["applications_opened_at", "applications_closed_at", "applications_deadline"]
        if programme.phase == Programme.Phase.READINESS:
            programme.phase = Programme.Phase.SOURCING
            fields.append("phase")
        programme.save(update_fields=fields)
        when = f" until {deadline:%d %B %Y %H:%M}" if deadline else ""
        log(programme, by, ProgrammeLog.Action.APPLICATIONS_OPENED, f"Applications opened{when}")
    return programme


def programme_deadline_set(
    *, programme: Programme, by: Any, deadline: dt.datetime | None
) -> Programme:
    """Move the deadline for applying and changing answers, or remove it."""
    if deadline is not None and deadline <= timezone.now():
        raise RuleBroken("The deadline must be in the future.")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.applications_opened_at is None or programme.applications_closed_at:
            raise RuleBroken("Applications are not open, so there is no deadline to change.")
        programme.applications_deadline = deadline
        programme.save(update_fields=["applications_deadline"])
        when = f"{deadline:%d %B %Y %H:%M}" if deadline else "none"
        log(programme, by, ProgrammeLog.Action.DEADLINE_CHANGED, f"Deadline set to {when}")
    return programme


def programme_applications_close(*, programme: Programme, by: Any) -> Programme:
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.applications_opened_at is None or programme.applications_closed_at:
            raise RuleBroken("Applications are not open.")
        programme.applications_closed_at = timezone.now()
        programme.save(update_fields=["applications_closed_at"])
        log(programme, by, ProgrammeLog.Action.APPLICATIONS_CLOSED, "Applications closed")
    return programme


def programme_open_call_set(
    *, programme: Programme, by: Any, version: int, leaders: bool, mentors: bool
) -> Programme:
    programme.open_call_leaders = leaders
    programme.open_call_mentors = mentors
    save_versioned(
        programme,
        expected_version=version,
        fields=["open_call_leaders", "open_call_mentors"],
        what=THIS_PROGRAMME,
    )
    return programme


def programme_phase_set(*, programme: Programme, by: Any, phase: str) -> Programme:
    """Move the programme to another phase. Refused, with the reason and the way out, when the
    move contradicts the programme's state (see ``phases``)."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        move = phases.phase_move(programme, phase)
        if not move.allowed:
            raise RuleBroken(" ".join(str(r) for r in move.refusals))
        before = programme.get_phase_display()
        programme.phase = phase
        programme.save(update_fields=["phase"])
        log(
            programme,
            by,
            ProgrammeLog.Action.PHASE_CHANGED,
            f"Phase changed from {before} to {programme.get_phase_display()}",
        )
    return programme


def programme_coordinator_add(*, programme: Programme, by: Any, email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise RuleBroken(
            "Nobody has an Upward account with that email address. Ask them to be given one first."
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                RoleGrant.objects.create(
                    user=user, role=Role.COORDINATOR, programme=programme, granted_by=by
                )
        except IntegrityError:
            raise RuleBroken(f"{user} already coordinates this programme.") from None
        log(programme, by, ProgrammeLog.Action.COORDINATOR_ADDED, f"{user} made a coordinator")
    return user


def programme_coordinator_remove(*, programme: Programme, by: Any, user: Any) -> None:
    with transaction.atomic():
        grants = RoleGrant.objects.select_for_update().filter(
            role=Role.COORDINATOR, programme=programme
        )
        if not grants.filter(user=user).exists():
            raise RuleBroken(f"{user} does not coordinate this programme.")
        if grants.count() == 1:
            raise RuleBroken("A programme needs at least one coordinator.")
        grants.filter(user=user).delete()
        permissions.forget_cached_grants(user)
        log(
            programme,
            by,
            ProgrammeLog.Action.COORDINATOR_REMOVED,
            f"{user} is no longer a coordinator",
        )
