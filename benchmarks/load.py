"""Load benchmark: Upward's pages under 8 connections beside a bare Django JSON view.

Run: .venv/bin/python benchmarks/load.py [--participants 10000] [--seconds 10]
     [--connections 8] [--demo-size 200]

On 127.0.0.1 only, bounded in time. It creates a PostgreSQL database of its own (dropped at the
end) and a Redis database (12), seeds the demo and tops its programme up to ``--participants``
people in running pairs (meetings, goals, check-ins), then serves it the production way
(gunicorn, 2 workers, production settings, WhiteNoise) beside a bare Django project's JSON view
(sessions and auth middleware, one query, persistent connections) served the same way. Each page
is loaded by ``--connections`` client processes for ``--seconds``, signed in; the table gives
requests/s, p50/p95/p99 and the share of the bare view's throughput. Read it as ratios.

Each Upward page is measured twice: as served (busy pages kept as rendered until a table they
read changes, core.page_cache) and, from a second pair of processes with
``UPWARD_PAGE_CACHE=0``, built afresh on every request, the figure for a page whose data has
just changed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shape import BIN, Client, Shape, free_port

DOMAIN = "demo.upward.test"
PROGRAMME = "reverse-mentoring-2027"

SEED = """
import json
from upward.directory.models import Organisation
from upward.programmes.models import Application, Programme
from upward.running.seed import seed_running_pairs
programme = Programme.objects.get(slug={slug!r})
organisation = programme.organisations.first()
have = Application.objects.filter(programme=programme).count()
missing = max(0, {participants} - have)
if missing:
    seed_running_pairs(programme, organisation, missing // 2, tag="load")
print(json.dumps(Application.objects.filter(programme=programme).count()))
"""


def _load(args: tuple[int, str, dict[str, str], float]) -> tuple[int, int, list[float]]:
    port, path, cookies, seconds = args
    client = Client(port, cookies)
    latencies: list[float] = []
    errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        try:
            status, _, _ = client.get(path)
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
    return len(latencies), errors, latencies


def measure(
    port: int, path: str, cookies: dict[str, str], connections: int, seconds: float
) -> dict[str, float]:
    client = Client(port, cookies)
    status, _, body = client.get(path)
    if status != 200:
        print(f"{path} answered {status} before the load began: {body[:300]!r}", flush=True)
        return {"rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "errors": float(status)}
    for _ in range(3):  # warm the workers
        client.get(path)
    pool = multiprocessing.get_context("fork").Pool(connections)
    started = time.monotonic()
    results = pool.map(_load, [(port, path, cookies, seconds)] * connections)
    elapsed = time.monotonic() - started
    pool.close()  # let the generators end by themselves (no SIGTERM)
    pool.join()
    latencies = sorted(x for _, _, lat in results for x in lat)
    count = sum(n for n, _, _ in results)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "rps": count / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "errors": sum(e for _, e, _ in results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--demo-size", type=int, default=200)
    parser.add_argument("--budget", type=int, default=3600, help="seconds for the whole run")
    args = parser.parse_args()
    shape = Shape(redis_db=12, name="load")
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(SystemExit("out of time")))
    signal.alarm(args.budget)
    try:
        shape.create_database()
        t0 = time.monotonic()
        password = shape.seed_demo(args.demo_size)
        seeded = shape.upward(
            "shell",
            "--no-imports",
            "-c",
            SEED.format(slug=PROGRAMME, participants=args.participants),
            local=True,
        )
        print(
            f"seeded {seeded.strip().splitlines()[-1]} participants in {PROGRAMME} "
            f"in {time.monotonic() - t0:.0f} s (PostgreSQL)",
            flush=True,
        )
        app, built, bare = free_port(), free_port(), free_port()
        shape.start_app(app, workers=2)
        shape.start_app(built, workers=2, env={"UPWARD_PAGE_CACHE": "0"})
        shape._spawn(
            [
                str(BIN / "gunicorn"),
                "bare.wsgi",
                "--chdir",
                str(Path(__file__).resolve().parent),
                "--bind",
                f"127.0.0.1:{bare}",
                "--workers",
                "2",
                "--no-control-socket",
            ],
            "gunicorn-bare.log",
            env={k: v for k, v in shape.production.items() if k != "DJANGO_SETTINGS_MODULE"},
        )
        shape.wait_for(app)
        shape.wait_for(built)
        deadline = time.monotonic() + 60
        while Client(bare).get("/bare")[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit(f"the bare view did not start\n{shape.logs()}")
            time.sleep(0.3)

        coordinator = shape.sign_in(app, f"coordinator@{DOMAIN}", password)
        leader = shape.sign_in(app, f"leader@{DOMAIN}", password)
        status, _, body = coordinator.get(f"/api/v1/programmes/{PROGRAMME}/matching/runs")
        import json

        runs = [r for r in json.loads(body) if r["status"] == "done"] if status == 200 else []
        review = f"/programmes/{PROGRAMME}/matching/runs/{runs[0]['number']}/" if runs else ""
        pages = [
            ("bare Django JSON view", bare, "/bare", {}),
            ("Upward /healthz", app, "/healthz", {}),
            ("participant: home", app, "/", leader.cookies),
            ("coordinator: programme overview", app, f"/programmes/{PROGRAMME}/", None),
            ("coordinator: pairs board", app, f"/programmes/{PROGRAMME}/pairs/", None),
            ("coordinator: running board", app, f"/programmes/{PROGRAMME}/running/", None),
            ("coordinator: matching review", app, review, None),
            ("coordinator: results dashboard", app, f"/programmes/{PROGRAMME}/evidence/", None),
            ("API: programmes list", app, "/api/v1/programmes/", None),
            ("API: matching runs list", app, f"/api/v1/programmes/{PROGRAMME}/matching/runs", None),
        ]
        rows = []
        for label, port, path, cookies in pages:
            if not path:
                rows.append((label, None, None))
                continue
            jar = coordinator.cookies if cookies is None else cookies
            figures = measure(port, path, jar, args.connections, args.seconds)
            fresh = (
                measure(built, path, jar, args.connections, args.seconds)
                if port == app and path != "/healthz"
                else None
            )
            rows.append((label, figures, fresh))
            print(
                f"measured {label}: {figures['rps']:.1f} req/s"
                + (f", built afresh {fresh['rps']:.1f} req/s" if fresh else ""),
                flush=True,
            )
    except SystemExit:
        print(shape.logs(), file=sys.stderr)
        raise
    finally:
        signal.alarm(0)
        shape.stop()

    ceiling = rows[0][1]["rps"] if rows and rows[0][1] else 1.0
    print()
    print(
        f"{args.participants:,} participants, {args.connections} connections, "
        f"{args.seconds:.0f} s per page, gunicorn 2 workers, PostgreSQL, 127.0.0.1"
    )
    print(
        "| page | req/s | p50 ms | p95 ms | p99 ms | errors | share of bare "
        "| built afresh: req/s | p95 ms | share |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, f, g in rows:
        if f is None:
            print(f"| {label} | - | - | - | - | - | (no finished run) | - | - | - |")
            continue
        afresh = (
            f"| {g['rps']:,.1f} | {g['p95']:.0f} | {100 * g['rps'] / ceiling:.1f} % |"
            if g
            else "| | | |"
        )
        print(
            f"| {label} | {f['rps']:,.1f} | {f['p50']:.0f} | {f['p95']:.0f} | {f['p99']:.0f} "
            f"| {f['errors']:.0f} | {100 * f['rps'] / ceiling:.1f} % " + afresh
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
