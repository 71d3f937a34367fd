"""The readiness checklist, stakeholder interviews, cohorts and the topic taxonomy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.core.versioning import save_versioned
from upward.directory.models import Organisation

from ..errors import RuleBroken
from ..models import (
    Application,
    Cohort,
    Programme,
    ReadinessItem,
    Side,
    StakeholderInterview,
    Topic,
)


def readiness_item_update(
    *,
    item: ReadinessItem,
    by: Any,
    version: int,
    status: str,
    owner: str,
    evidence: str,
    due_on: dt.date | None = None,
) -> ReadinessItem:
    """Record progress on a checklist item. 'Done' needs an owner and the evidence."""
    if status not in ReadinessItem.Status.values:
        raise RuleBroken("Choose a status from the list.")
    owner, evidence = owner.strip(), evidence.strip()
    if status == ReadinessItem.Status.DONE:
        missing = [
            name for name, value in (("an owner", owner), ("the evidence", evidence)) if not value
        ]
        if missing:
            raise RuleBroken(f"To mark '{item.title}' done, give {' and '.join(missing)}.")
    item.status = status
    item.owner = owner
    item.evidence = evidence
    item.due_on = due_on
    if status == ReadinessItem.Status.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
        item.completed_by = by
    elif status != ReadinessItem.Status.DONE:
        item.completed_at = None
        item.completed_by = None
    save_versioned(
        item,
        expected_version=version,
        fields=["status", "owner", "evidence", "due_on", "completed_at", "completed_by"],
        what=f"“{item.title}”",
    )
    return item


def readiness_item_add(
    *, programme: Programme, by: Any, title: str, description: str = ""
) -> ReadinessItem:
    title = title.strip()
    if not title:
        raise RuleBroken("Give the item a title.")
    last = programme.readiness_items.order_by("-order").first()
    return ReadinessItem.objects.create(
        programme=programme,
        key=ReadinessItem.Key.CUSTOM,
        title=title,
        description=description.strip(),
        order=(last.order + 1) if last else 0,
    )


def readiness_item_remove(*, item: ReadinessItem, by: Any) -> None:
    if item.key != ReadinessItem.Key.CUSTOM:
        raise RuleBroken(
            "The standard checklist items cannot be removed. If one does not apply, record why "
            "as its evidence."
        )
    item.delete()


def _clean_themes(themes: list[str]) -> list[str]:
    unknown = [t for t in themes if t not in StakeholderInterview.Theme.values]
    if unknown:
        raise RuleBroken(f"Unknown theme: {', '.join(unknown)}.")
    return [t for t in StakeholderInterview.Theme.values if t in themes]


def interview_record(
    *,
    programme: Programme,
    by: Any,
    interviewee: str,
    role: str,
    held_on: dt.date,
    problems: str,
    themes: list[str],
    organisation: Organisation | None = None,
) -> StakeholderInterview:
    if organisation is not None and not programme.organisations.filter(pk=organisation.pk).exists():
        raise RuleBroken("Choose one of the programme's organisations.")
    if not problems.strip():
        raise RuleBroken("Write down the problems they named.")
    return StakeholderInterview.objects.create(
        programme=programme,
        interviewee=interviewee.strip(),
        role=role.strip(),
        organisation=organisation,
        held_on=held_on,
        problems=problems.strip(),
        themes=_clean_themes(themes),
        recorded_by=by,
    )


def interview_update(
    *,
    interview: StakeholderInterview,
    by: Any,
    version: int,
    interviewee: str,
    role: str,
    held_on: dt.date,
    problems: str,
    themes: list[str],
    organisation: Organisation | None = None,
) -> StakeholderInterview:
    programme = interview.programme
    if organisation is not None and not programme.organisations.filter(pk=organisation.pk).exists():
        raise RuleBroken("Choose one of the programme's organisations.")
    if not problems.strip():
        raise RuleBroken("Write down the problems they named.")
    interview.interviewee = interviewee.strip()
    interview.role = role.strip()
    interview.organisation = organisation
    interview.held_on = held_on
    interview.problems = problems.strip()
    interview.themes = _clean_themes(themes)
    save_versioned(
        interview,
        expected_version=version,
        fields=["interviewee", "role", "organisation", "held_on", "problems", "themes"],
        what="this interview",
    )
    return interview


def interview_delete(*, interview: StakeholderInterview, by: Any) -> None:
    interview.delete()


def cohort_save(
    *,
    programme: Programme,
    by: Any,
    name: str,
    starts_on: dt.date | None,
    capacity: int | None,
    description: str = "",
    cohort: Cohort | None = None,
    version: int | None = None,
) -> Cohort:
    """Add a cohort, or change one: a change names the ``version`` it was made from."""
    if cohort is not None and version is None:
        raise RuleBroken("Reload the page: the version of the cohort you saw is missing.")
    name = name.strip()
    if not name:
        raise RuleBroken("Give the cohort a name.")
    if cohort is not None and capacity is not None:
        # Each accepted leader will need a pair in this cohort.
        leaders = cohort.applications.filter(
            status=Application.Status.ACCEPTED, side=Side.LEADER
        ).count()
        if capacity < leaders:
            raise RuleBroken(
                f"{leaders} leaders are already accepted into this cohort, so its capacity "
                f"cannot be below {leaders}."
            )
    what = f"the cohort “{cohort.name}”" if cohort is not None else ""
    target = cohort or Cohort(programme=programme)
    target.name = name
    target.starts_on = starts_on
    target.capacity = capacity
    target.description = description.strip()
    try:
        with transaction.atomic():
            if cohort is not None and version is not None:
                save_versioned(
                    target,
                    expected_version=version,
                    fields=["name", "starts_on", "capacity", "description"],
                    what=what,
                )
            else:
                target.save()
    except IntegrityError:
        raise RuleBroken(f"There is already a cohort called '{name}'.") from None
    return target


def cohort_delete(*, cohort: Cohort, by: Any) -> None:
    if cohort.applications.exists():
        raise RuleBroken(
            "People are assigned to this cohort. Move them to another cohort before deleting it."
        )
    cohort.delete()


def topic_save(*, programme: Programme, by: Any, name: str, description: str = "") -> Topic:
    """Add a topic to the taxonomy. Topics are added and removed, never edited in place (an
    edit would need the topic's version, as every edit of a shared record does)."""
    name = name.strip()
    if not name:
        raise RuleBroken("Give the topic a name.")
    target = Topic(programme=programme)
    last = programme.topics.order_by("-order").first()
    target.order = (last.order + 1) if last else 0
    target.name = name
    target.description = description.strip()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise RuleBroken(f"There is already a topic called '{name}'.") from None
    return target


def topic_remove(*, topic: Topic, by: Any) -> None:
    """Remove a topic from the taxonomy. Answers that named it keep it as 'since removed'."""
    topic.delete()
