"""Running pages at size: a programme of 10,000 active pairs with meetings, goals and check-ins.

Run: .venv/bin/python benchmarks/running.py [--pairs 10000] [--database-url URL] [--workdir DIR]
Prints, for the coordinator's running board and a participant's pages, the time of one request
(the best of three) and its number of queries. A page whose query count grows with the
programme would show it here. With ``--workdir`` of an earlier run (and its database) the
seeded programme is measured again without seeding it anew.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def signed_in(client: Any, user: Any) -> None:
    """A finished sign-in, the second factor included (coordinators must have passed it)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", default="", help="reuse the data and database of a run")
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="upward-bench-"))
    os.environ["UPWARD_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from personas import grant, make_user
    from upward.accounts.models import Role, User
    from upward.directory.models import Organisation
    from upward.pairs.models import Pair
    from upward.programmes.models import Programme
    from upward.running.seed import seed_running_pairs

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    programme = Programme.objects.filter(slug="bench-running").first()
    if programme is None:
        organisation = Organisation.objects.create(name="Benchmark Ltd", slug="bench-running")
        programme = Programme.objects.create(name="Benchmark", slug="bench-running")
        programme.organisations.add(organisation)
        started = time.perf_counter()
        seed_running_pairs(programme, organisation, args.pairs, tag="b")
        print(
            f"Seeded {args.pairs:,} pairs in {time.perf_counter() - started:.1f} s "
            f"({connection.vendor}) in {workdir}"
        )
        coordinator = make_user("bench-coordinator@upward.test", totp=True)
        grant(coordinator, Role.COORDINATOR, programme=programme)
        if connection.vendor == "postgresql":
            # As a live database would have: the planner's statistics of the new rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    else:
        print(f"Measuring the programme seeded earlier in {workdir} ({connection.vendor})")
        coordinator = User.objects.get(email="bench-coordinator@upward.test")
    pair = Pair.objects.filter(programme=programme).select_related("leader__user").first()
    assert pair is not None
    leader = pair.leader.user
    pages = [
        (
            coordinator,
            "coordinator: running board",
            reverse("running:board", args=[programme.slug]),
        ),
        (leader, "participant: meetings home", reverse("running:mine")),
        (leader, "participant: pair meetings", reverse("running:pair", args=[pair.pk])),
        (leader, "participant: goals", reverse("running:goals", args=[pair.pk])),
        (leader, "participant: notes", reverse("running:notes", args=[pair.pk])),
        (leader, "participant: home", reverse("home")),
    ]
    print(f"{'page':<32} {'ms':>9} {'queries':>8}")
    for user, label, url in pages:
        client = Client()
        signed_in(client, user)
        best, queries = float("inf"), 0
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - t)
            assert response.status_code == 200, (label, response.status_code)
            queries = len(ctx.captured_queries)
        print(f"{label:<32} {best * 1000:>9.1f} {queries:>8}")


if __name__ == "__main__":
    main()
