"""Helper process for test_run_dead_worker: builds a programme, starts runs, reports state.

    python -m upward.matches.tests.run_kill_probe setup N | start | status NUMBER | page NUMBER

Prints one JSON object. DATABASE_URL names the SQLite file the worker uses too.
"""

from __future__ import annotations

import json
import os
import random
import sys
from typing import Any

SLUG = "killed"


def _setup(applicants: int) -> dict[str, Any]:
    from django.core.management import call_command

    from upward.accounts.models import Role, RoleGrant, User
    from upward.directory.models import Organisation, Person
    from upward.directory.services import directory_import_apply
    from upward.directory.synthetic import generate_people, to_csv_bytes
    from upward.programmes import defaults, selectors
    from upward.programmes.models import Application, Programme, Question, Side
    from upward.programmes.questions import SLOTS

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(7)
    organisation = Organisation.objects.create(name="Kill Ltd", slug="kill")
    rows = generate_people(applicants * 5, seed=7, domain="kill.example")
    directory_import_apply(organisation=organisation, filename="p.csv", data=to_csv_bytes(rows))
    programme = Programme.objects.create(name="Killed worker programme", slug=SLUG)
    programme.organisations.add(organisation)
    defaults.seed_programme(programme)
    n_leaders = applicants * 45 // 100
    people = Person.objects.filter(organisation=organisation)
    leaders = list(people.order_by("-grade_level", "pk")[:n_leaders])
    mentors = list(people.filter(grade_level=1).order_by("pk")[: applicants - n_leaders])
    users = User.objects.bulk_create(
        [User(email=p.email.lower(), display_name=p.name) for p in leaders + mentors],
        batch_size=2000,
    )
    for person, user in zip(leaders + mentors, users, strict=True):
        person.user = user
    Person.objects.bulk_update(leaders + mentors, ["user"], batch_size=2000)
    topics = list(programme.topics.values_list("pk", flat=True))
    slots = [code for code, _ in SLOTS]

    def answers(side: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for q in selectors.form_questions(programme, side):
            if q.use == Question.Use.TOPICS:
                out[str(q.pk)] = rng.sample(topics, rng.randint(2, 5))
            elif q.use == Question.Use.TEXT:
                out[str(q.pk)] = f"topic {rng.randint(1, 40)} and topic {rng.randint(1, 40)}"
            elif q.use == Question.Use.AVAILABILITY:
                out[str(q.pk)] = rng.sample(slots, rng.randint(3, 9))
            elif q.use == Question.Use.CAPACITY:
                out[str(q.pk)] = "1"
        return out

    Application.objects.bulk_create(
        [
            Application(
                programme=programme,
                person=p,
                user=p.user,
                side=side,
                status=Application.Status.ACCEPTED,
                answers=answers(side),
            )
            for group, side in ((leaders, Side.LEADER), (mentors, Side.MENTOR))
            for p in group
        ],
        batch_size=2000,
    )
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    coordinator = User.objects.create_user(email="coordinator@kill.example", password=None)
    RoleGrant.objects.create(user=coordinator, role=Role.COORDINATOR, programme=programme)
    TOTP.activate(coordinator, generate_totp_secret())
    return {"leaders": len(leaders), "mentors": len(mentors)}


def _start() -> dict[str, Any]:
    from upward.accounts.models import User
    from upward.matches.services import run_start
    from upward.programmes.models import Programme

    run = run_start(
        programme=Programme.objects.get(slug=SLUG),
        by=User.objects.get(email="coordinator@kill.example"),
    )
    return {"number": run.number}


def _status(number: int) -> dict[str, Any]:
    from upward.matches.models import MatchingRun, ProposedPair, UnmatchedPerson

    run = MatchingRun.objects.get(programme__slug=SLUG, number=number)
    return {
        "status": run.status,
        "stage": run.stage,
        "error": run.error,
        "pairs": ProposedPair.objects.filter(run=run).count(),
        "unmatched": UnmatchedPerson.objects.filter(run=run).count(),
    }


def _page(number: int) -> dict[str, Any]:
    """The coordinator opens the run's page some minutes later."""
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from upward.accounts.models import User
    from upward.matches.models import MatchingRun

    MatchingRun.objects.filter(programme__slug=SLUG, number=number).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=11)
    )
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    user = User.objects.get(email="coordinator@kill.example")
    client = Client()
    client.force_login(user)
    session = client.session  # signed in with password and authenticator, as on the pages
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
    response = client.get(f"/programmes/{SLUG}/matching/runs/{number}/", SERVER_NAME="localhost")
    return {"code": response.status_code, "page": response.content.decode()}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()
    command, *rest = sys.argv[1:]
    if command == "setup":
        out = _setup(int(rest[0]))
    elif command == "start":
        out = _start()
    elif command == "status":
        out = _status(int(rest[0]))
    else:
        out = _page(int(rest[0]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
