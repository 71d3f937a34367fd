"""Who may take part on each side of a programme, with the reason in words when not."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from upward.directory.models import Person

from .models import Application, EligibilityRule, Programme, Side

# Phases in which a place in a programme still takes up a mentor's time.
ACTIVE_PHASES = (
    Programme.Phase.SOURCING,
    Programme.Phase.MATCHING,
    Programme.Phase.PREPARATION,
    Programme.Phase.RUNNING,
    Programme.Phase.MIDPOINT,
)


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def active_mentor_places(
    person: Person, *, exclude_programme: Programme | None = None
) -> list[Application]:
    """The person's accepted mentor places in other programmes that are still under way."""
    places = Application.objects.filter(
        person=person,
        side=Side.MENTOR,
        status=Application.Status.ACCEPTED,
        programme__phase__in=ACTIVE_PHASES,
    ).select_related("programme")
    if exclude_programme is not None:
        places = places.exclude(programme=exclude_programme)
    return list(places)


def eligibility_reasons(
    *, programme: Programme, side: str, person: Person, today: dt.date | None = None
) -> list[str]:
    """Why the person may not take part on this side; an empty list means they may."""
    today = today or timezone.localdate()
    reasons: list[str] = []
    side_word = "leaders" if side == Side.LEADER else "mentors"
    if not person.active:
        reasons.append("Your directory record is marked as no longer active.")
    if not programme.organisations.filter(pk=person.organisation_id).exists():
        reasons.append(f"{person.organisation.name} is not taking part in this programme.")
        return reasons
    rule = EligibilityRule.objects.filter(programme=programme, side=side).first()
    if rule is None:
        return reasons
    allowed = list(rule.organisations.all())
    if allowed and person.organisation_id not in {o.pk for o in allowed}:
        names = ", ".join(o.name for o in allowed)
        reasons.append(f"This programme takes {side_word} from {names} only.")
    level = person.grade_level
    if rule.grade_min is not None and rule.grade_max is not None:
        if not rule.grade_min <= level <= rule.grade_max:
            reasons.append(
                f"This programme takes {side_word} at grade levels {rule.grade_min} to "
                f"{rule.grade_max}; the directory shows your grade level as {level}."
            )
    elif rule.grade_min is not None and level < rule.grade_min:
        reasons.append(
            f"This programme takes {side_word} at grade level {rule.grade_min} or above; the "
            f"directory shows your grade level as {level}."
        )
    elif rule.grade_max is not None and level > rule.grade_max:
        reasons.append(
            f"This programme takes {side_word} at grade level {rule.grade_max} or below; the "
            f"directory shows your grade level as {level}."
        )
    if rule.min_tenure_months:
        if person.start_date is None:
            reasons.append(
                f"This programme asks for at least {rule.min_tenure_months} months in the "
                "organisation, and your start date is not in the directory, so it cannot be "
                "checked."
            )
        else:
            months = months_between(person.start_date, today)
            if months < rule.min_tenure_months:
                reasons.append(
                    f"This programme asks for at least {rule.min_tenure_months} months in the "
                    f"organisation; the directory shows you started on "
                    f"{person.start_date.day} {person.start_date:%B %Y} "
                    f"({months} month{'s' if months != 1 else ''})."
                )
    if side == Side.MENTOR and rule.respect_mentor_load:
        cap = person.organisation.mentor_load_cap
        places = active_mentor_places(person, exclude_programme=programme)
        if len(places) >= cap:
            names = ", ".join(p.programme.name for p in places)
            reasons.append(
                f"You already mentor in {len(places)} other programme"
                f"{'s' if len(places) != 1 else ''} ({names}), the most "
                f"{person.organisation.name} asks of anyone at once ({cap}). This protects your "
                "time."
            )
    return reasons
