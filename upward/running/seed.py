"""Bulk seeding of running pairs (people, accounts, applications, pairs, meetings, goals and
check-ins) in a fixed number of statements per table: for the query-bound tests and the
benchmark, at any size."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from upward.accounts.models import User
from upward.directory.models import Person
from upward.pairs.models import Pair
from upward.programmes.models import Application, Programme, Side

from .models import CheckIn, Goal, Meeting

# Seeded accounts cannot sign in with a password.
UNUSABLE = "!"


def seed_running_pairs(programme: Programme, organisation: Any, count: int, tag: str = "s") -> int:
    """``count`` active pairs, each with a held and a scheduled meeting, a goal per person and
    an unanswered check-in; every third pair has not met for ten weeks."""
    now = timezone.now()
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                employee_id=f"{tag}-{i}",
                name=f"Seeded {tag} {i}",
                email=f"{tag}-{i}@seed.example",
            )
            for i in range(2 * count)
        ],
        batch_size=2000,
    )
    users = User.objects.bulk_create(
        [User(email=p.email, display_name=p.name, password=UNUSABLE) for p in people],
        batch_size=2000,
    )
    for person, user in zip(people, users, strict=True):
        person.user = user
    Person.objects.bulk_update(people, ["user"], batch_size=2000)
    applications = Application.objects.bulk_create(
        [
            Application(
                programme=programme,
                person=p,
                user=u,
                side=Side.LEADER if i % 2 == 0 else Side.MENTOR,
                status=Application.Status.ACCEPTED,
            )
            for i, (p, u) in enumerate(zip(people, users, strict=True))
        ],
        batch_size=2000,
    )
    since = now - dt.timedelta(weeks=20)
    pairs = Pair.objects.bulk_create(
        [
            Pair(
                programme=programme,
                leader=applications[2 * i],
                mentor=applications[2 * i + 1],
                state=Pair.State.ACTIVE,
                since=since,
                state_since=since,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    meetings, goals, checkins = [], [], []
    for i, pair in enumerate(pairs):
        last = now - dt.timedelta(weeks=10 if i % 3 == 0 else 1)
        meetings.append(
            Meeting(pair=pair, state=Meeting.State.HELD, starts_at=last, held_minutes=60)
        )
        meetings.append(
            Meeting(pair=pair, state=Meeting.State.SCHEDULED, starts_at=now + dt.timedelta(days=7))
        )
        for side in (pair.leader, pair.mentor):
            goals.append(
                Goal(
                    pair=pair,
                    owner_id=side.user_id,
                    statement="Run four listening sessions",
                    due_on=(now + dt.timedelta(days=30 if i % 4 else -3)).date(),
                    progress=(i * 7) % 100,
                )
            )
        checkins.append(
            CheckIn(
                pair=pair,
                user_id=pair.leader.user_id,
                kind=CheckIn.Kind.RELATIONSHIP,
                due_on=(now - dt.timedelta(days=10)).date(),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    Goal.objects.bulk_create(goals, batch_size=2000)
    CheckIn.objects.bulk_create(checkins, batch_size=2000)
    return len(pairs)
