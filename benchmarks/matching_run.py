"""A matching run of 10,000 applicants from the page: engine time plus database I/O.

Run: .venv/bin/python benchmarks/matching_run.py [--applicants 10000] [--directory 60000]
     [--database-url URL]

Builds a fresh database (SQLite unless a URL is given) with one organisation's directory, a
programme with its default forms and 10,000 accepted applications (45% leaders, 55% mentors)
with answers to every matching question, then:

1. the coordinator starts a run from the matching page (POST, tasks run at once, as the worker
   would), timed from the request to the finished run, with the run's own timings: reading the
   applications and reporting lines, the engine's stages, saving pairs and reasons;
2. the engine alone on exactly the same participants (``MatchingProblem.match``), for the
   "engine time" the page path is compared with;
3. the review page and the results API on the finished run.

Prints one table. The page path should take the engine's time plus the database I/O.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Fragments of what people write; each applicant's text joins a few of them, so texts vary as
# real ones do. (--repeated-texts gives everyone one of five texts instead: many tied scores.)
FRAGMENTS = (
    "hybrid work and why people leave",
    "how decisions feel from the front line",
    "digital tools and social media",
    "who is missing from the room when decisions are made",
    "career paths for people early in their career",
    "speaking up in meetings with senior people",
    "approvals and waiting that slow the work down",
    "being the only person like me in the team",
    "mental health and burnout after restructures",
    "flexible work around caring responsibilities",
    "how graduates experience their first year",
    "ideas that never reach the executive team",
    "feedback that is honest rather than polite",
    "accessibility of our offices and tools",
    "what belonging means for people from my background",
    "trust in leaders after the last reorganisation",
    "how customers see us on the front line",
    "new ways of working with generative AI",
    "managing a disability without explaining it every time",
    "networks and sponsorship for under-represented staff",
    "faith and festivals at work",
    "the cost of living and pay for junior staff",
    "why good people stay or go",
    "how we run meetings and who speaks first",
)
FIVE_TEXTS = FRAGMENTS[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--directory", type=int, default=60_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeated-texts",
        action="store_true",
        help="Everyone writes one of five texts (many tied scores), to test the engine on ties.",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="upward-bench-"))
    os.environ["UPWARD_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["UPWARD_TASK_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from upward.accounts.models import Role, RoleGrant, User
    from upward.directory.models import Organisation, Person
    from upward.directory.services import directory_import_apply
    from upward.directory.synthetic import generate_people, to_csv_bytes
    from upward.matches import problem as run_problem
    from upward.matches.models import MatchingRun
    from upward.programmes import defaults, selectors
    from upward.programmes.models import Application, Programme, Question, Side
    from upward.programmes.questions import SLOTS

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    organisation = Organisation.objects.create(name="Benchmark Ltd", slug="bench")
    rows = generate_people(args.directory, seed=args.seed, domain="bench.example")
    directory_import_apply(
        organisation=organisation, filename="people.csv", data=to_csv_bytes(rows)
    )
    programme = Programme.objects.create(name="Benchmark programme", slug="bench")
    programme.organisations.add(organisation)
    defaults.seed_programme(programme)
    n_leaders = round(args.applicants * 0.45)
    n_mentors = args.applicants - n_leaders
    people = Person.objects.filter(organisation=organisation)
    leaders = list(people.order_by("-grade_level", "pk")[:n_leaders])
    mentors = list(people.filter(grade_level=1).order_by("pk")[:n_mentors])
    if len(mentors) < n_mentors:
        raise SystemExit("The directory is too small: raise --directory.")
    topics = list(programme.topics.values_list("pk", flat=True))
    slots = [code for code, _ in SLOTS]
    users = User.objects.bulk_create(
        [User(email=p.email.lower(), display_name=p.name) for p in leaders + mentors],
        batch_size=2000,
    )
    for person, user in zip(leaders + mentors, users, strict=True):
        person.user = user
    Person.objects.bulk_update(leaders + mentors, ["user"], batch_size=2000)

    def answers(side: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for q in selectors.form_questions(programme, side):
            if q.use == Question.Use.TOPICS:
                out[str(q.pk)] = rng.sample(topics, rng.randint(2, 5))
            elif q.use == Question.Use.TOPICS_AVOID:
                out[str(q.pk)] = rng.sample(topics, rng.randint(0, 1))
            elif q.use == Question.Use.TEXT:
                if args.repeated_texts:
                    out[str(q.pk)] = rng.choice(FIVE_TEXTS)
                else:
                    out[str(q.pk)] = "; ".join(rng.sample(FRAGMENTS, rng.randint(2, 4)))
            elif q.use == Question.Use.AVAILABILITY:
                out[str(q.pk)] = rng.sample(slots, rng.randint(3, 9))
            elif q.use == Question.Use.CAPACITY:
                out[str(q.pk)] = rng.choice(["1", "1", "2"])
            elif q.use == Question.Use.CULTURE_HISTORY:
                out[str(q.pk)] = rng.sample(q.choices[:-1], rng.randint(0, 2))
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
    coordinator = User.objects.create_user(email="coordinator@bench.example", password=None)
    RoleGrant.objects.create(user=coordinator, role=Role.COORDINATOR, programme=programme)
    TOTP.activate(coordinator, generate_totp_secret())
    setup = time.perf_counter() - started

    client = Client()
    client.force_login(coordinator)
    t0 = time.perf_counter()
    response = client.post(reverse("matches:start", args=[programme.slug]), {"cohort": ""})
    page_seconds = time.perf_counter() - t0
    run = MatchingRun.objects.get(programme=programme)
    assert response.status_code == 302, response.status_code
    assert run.status == MatchingRun.Status.DONE, (run.status, run.error)
    t = run.timings

    # The engine alone on the very same participants, policy and reporting lines.
    rp = run_problem.build(run)
    t1 = time.perf_counter()
    from upward.matching import MatchingProblem

    problem = MatchingProblem(
        rp.input.leaders, rp.input.mentors, rp.input.policy, org_tree=rp.input.tree
    )
    result = problem.match(locked=rp.locked, excluded=rp.excluded)
    engine_alone = time.perf_counter() - t1

    t2 = time.perf_counter()
    review = client.get(reverse("matches:run", args=[programme.slug, run.number]))
    review_seconds = time.perf_counter() - t2
    t3 = time.perf_counter()
    api = client.get(
        f"/api/v1/programmes/{programme.slug}/matching/runs/{run.number}/results?limit=200"
    )
    api_seconds = time.perf_counter() - t3
    assert review.status_code == 200 and api.status_code == 200

    db_io = t["load"] + t["save"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Matching run from the page ({connection.vendor}, {len(leaders):,} leaders + "
        f"{len(mentors):,} mentors, directory of {args.directory:,})"
    )
    print(f"{'step':<52}{'seconds':>10}")
    rows_out = [
        ("set-up: directory, programme, applications (not timed)", setup),
        ("engine alone on the same input (match)", engine_alone),
        ("page: POST start -> run finished", page_seconds),
        ("  read applications, reporting lines, capacities", t["load"]),
        ("  engine: building candidates", t["candidates"]),
        ("  engine: solving", t["solve"]),
        ("  engine: explaining", t["explain"]),
        ("  engine total (in the run)", t["engine"]),
        ("  save pairs and reasons", t["save"]),
        ("  database I/O (read + save)", db_io),
        ("review page (first 50 pairs, figures, reasons)", review_seconds),
        ("results API (200 pairs)", api_seconds),
    ]
    for label, seconds in rows_out:
        print(f"{label:<52}{seconds:>10.2f}")
    print(
        f"pairs: {run.pairs.count():,} (engine alone: {len(result.pairs):,}); "
        f"unmatched: {run.unmatched.count():,}; mean score {result.stats.mean_score:.1f}; "
        f"peak memory {peak:,.0f} MB"
    )
    overhead = page_seconds - t["engine"] - db_io
    print(
        f"page path = engine {t['engine']:.2f} s + database I/O {db_io:.2f} s + other "
        f"{overhead:.2f} s (request, policy, bookkeeping)"
    )


if __name__ == "__main__":
    main()
