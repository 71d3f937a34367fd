"""Smoke test of the multi-process shape on 127.0.0.1: PostgreSQL, Redis, two gunicorn app
processes and one RQ worker, all with the production settings.

The demo coordinator signs in (password and authenticator code) on app process A and starts a
matching run there; the worker runs it through Redis; app process B shows the finished run.
Both processes answer /healthz and /readyz. Everything started is stopped at the end, also on
failure, and the whole run is bounded in time.

    .venv/bin/python .ci/multiprocess_smoke.py [--size N] [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from shape import Client, Shape, free_port

COORDINATOR = "coordinator@demo.upward.test"


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"smoke test failed: {what}")
    print(f"ok  {what}", flush=True)


def smoke(shape: Shape, size: int) -> None:
    shape.create_database()
    begun = time.monotonic()
    password = shape.seed_demo(size)
    print(f"ok  demo of {size} people seeded on PostgreSQL in {time.monotonic() - begun:.0f} s")
    port_a, port_b = free_port(), free_port()
    shape.start_app(port_a)
    shape.start_app(port_b)
    shape.start_worker()
    shape.wait_for(port_a)
    shape.wait_for(port_b)

    for port in (port_a, port_b):
        for path in ("/healthz", "/readyz"):
            status, _, body = Client(port).get(path)
            check(status == 200 and b'"ok"' in body, f"{path} on app process {port}: {body!r}")
    a = shape.sign_in(port_a, COORDINATOR, password)
    b = Client(port_b)
    b.cookies = dict(a.cookies)  # the same session, read by the other process
    status, _, body = b.get("/api/v1/me")
    check(status == 200, "the session made on process A is valid on process B")

    status, _, body = a.get("/api/v1/programmes/")
    check(status == 200, "the coordinator's programmes are listed")
    started = None
    kept_before: list[dict[str, object]] = []
    for programme in json.loads(body):
        slug = programme["slug"]
        # Process B keeps the runs list (core.page_cache): the second read is a kept copy.
        b.get(f"/api/v1/programmes/{slug}/matching/runs")
        status, headers, listed = b.get(f"/api/v1/programmes/{slug}/matching/runs")
        check(status == 200, f"process B lists the runs of {slug}")
        kept_before = json.loads(listed)
        kept = headers.get("X-Page-Cache") == "hit"
        status, _, body = a.post_json(f"/api/v1/programmes/{slug}/matching/runs", {})
        if status == 202:
            started = (slug, json.loads(body)["number"])
            break
    check(started is not None, "a matching run was started on process A (202)")
    assert started is not None
    slug, number = started
    deadline = time.monotonic() + 180
    state = ""
    while time.monotonic() < deadline:
        status, _, body = b.get(f"/api/v1/programmes/{slug}/matching/runs/{number}")
        state = json.loads(body)["status"] if status == 200 else f"HTTP {status}"
        if state in {"done", "failed", "cancelled"}:
            break
        time.sleep(0.5)
    check(state == "done", f"process B shows run {number} of {slug} done by the worker ({state})")
    check(kept, "process B served its runs list as a kept copy before the run")
    status, headers, listed = b.get(f"/api/v1/programmes/{slug}/matching/runs")
    after = {r["number"]: r["status"] for r in json.loads(listed)}
    check(
        after.get(number) == "done" and len(after) == len(kept_before) + 1,
        "process B's kept runs list went stale when process A and the worker wrote: it shows "
        f"run {number} done ({after})",
    )
    status, _, body = b.get(f"/api/v1/programmes/{slug}/matching/runs/{number}/results")
    check(status == 200 and b"score" in body, "process B shows the run's pairs")
    status, _, _ = b.get(f"/programmes/{slug}/matching/runs/{number}/")
    check(status == 200, "process B shows the run's page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=60, help="people in the demo")
    parser.add_argument("--budget", type=int, default=900, help="seconds for the whole run")
    args = parser.parse_args()
    shape = Shape(redis_db=13, name="smoke")

    def out_of_time(*_: object) -> None:
        raise SystemExit(f"smoke test failed: it took more than {args.budget} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.budget)
    started = time.monotonic()
    try:
        smoke(shape, args.size)
    except SystemExit:
        print(shape.logs(), file=sys.stderr)
        raise
    finally:
        signal.alarm(0)
        shape.stop()
    print(f"multi-process smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
