"""Matching fixtures on top of the root personas.

``cast`` is programme A, ready and open, with accepted applicants from organisation A:

- eight leaders: the two grade-8 heads (one is the ``leader`` persona) and the six grade-6
  managers under them;
- ten junior mentors (grade 1), the ``mentor`` persona first. The mentor persona sits in the
  leader persona's reporting line, so the two must never be paired.

Helpers start and finish runs through the services (``finish``) or through the task, as the
pages do (``run_via_task``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from upward.accounts.models import User
from upward.directory.models import Person
from upward.directory.selectors import in_reporting_line
from upward.matches import services
from upward.matches.models import MatchingRun
from upward.programmes import defaults
from upward.programmes import services as programme_services
from upward.programmes.models import Application, Challenge, Programme, Side
from upward.programmes.tests.conftest import complete_readiness, valid_answers


def applicant(
    programme: Programme,
    person: Person,
    side: str,
    *,
    status: str = Application.Status.ACCEPTED,
    answers: dict[str, Any] | None = None,
) -> Application:
    """An application straight in the database (screening is tested by the programmes app)."""
    user = person.user
    if user is None:
        user = User.objects.create_user(email=person.email.lower(), password=None)
        person.user = user
        person.save(update_fields=["user"])
    return Application.objects.create(
        programme=programme,
        person=person,
        user=user,
        side=side,
        status=status,
        answers=answers if answers is not None else valid_answers(programme, side),
    )


@dataclass
class Cast:
    programme: Programme
    coordinator: Any
    leader: Application  # the leader persona's application
    mentor: Application  # the mentor persona's application
    leaders: list[Application]
    mentors: list[Application]


@pytest.fixture
def cast(programme_a: Programme, coordinator: Any, leader: Any, mentor: Any) -> Cast:
    defaults.seed_programme(programme_a)
    programme_services.programme_objectives_set(
        programme=programme_a,
        by=coordinator,
        version=programme_a.version,
        challenges=[Challenge.INCLUSIVE_LEADERSHIP],
        details={},
        others=[],
    )
    complete_readiness(programme_a, coordinator)
    programme_services.programme_applications_open(programme=programme_a, by=coordinator)
    programme_a.refresh_from_db()
    org = programme_a.organisations.get()
    heads = list(Person.objects.filter(organisation=org, grade_level__in=(6, 8)).order_by("pk"))
    others = Person.objects.filter(organisation=org, grade_level=1).exclude(pk=mentor.person.pk)
    juniors = [mentor.person, *others.order_by("pk")[:9]]
    leaders = [applicant(programme_a, p, Side.LEADER) for p in heads]
    mentors = [applicant(programme_a, p, Side.MENTOR) for p in juniors]
    mine = next(a for a in leaders if a.person_id == leader.person.pk)
    assert in_reporting_line(leader.person, mentor.person)
    return Cast(programme_a, coordinator, mine, mentors[0], leaders, mentors)


def finish(programme: Programme, by: Any, **kwargs: Any) -> MatchingRun:
    """Start a run and execute it at once (the service path, without the task queue)."""
    run = services.run_start(programme=programme, by=by, background=False, **kwargs)
    return services.run_execute(run_id=run.pk)


@pytest.fixture
def run_via_task(
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., MatchingRun]:
    """Start a run as the pages do: the task runs when the transaction commits."""

    def start(programme: Programme, by: Any, **kwargs: Any) -> MatchingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(programme=programme, by=by, **kwargs)
        run.refresh_from_db()
        return run

    return start


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the on-commit callbacks (tasks, emails) of what happens inside the block."""

    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
