"""A matching run whose worker is killed (SIGKILL) mid-run is never half-written: its page
says it failed and why, and a new run starts and finishes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _probe(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "upward.matches.tests.run_kill_probe", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _worker(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "upward", "worker", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_a_real_worker_killed_mid_run_leaves_a_failed_run_and_a_new_one_finishes(
    tmp_path: Path,
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upward.sqlite3'}",
        "UPWARD_DATA_DIR": str(tmp_path),
        "UPWARD_TASK_BACKEND": "database",
    }
    _probe(env, "setup", "1200")
    number = _probe(env, "start")["number"]
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    worker = _worker(env)
    try:
        deadline = time.monotonic() + 240
        state: tuple[str, str] = ("", "")
        while time.monotonic() < deadline:
            with sqlite3.connect(database, timeout=20) as db:
                state = db.execute(
                    "SELECT status, stage FROM matches_matchingrun WHERE number = ?", (number,)
                ).fetchone()
            if state[0] == "running" and state[1] in {"candidates", "solving", "explaining"}:
                break
            assert state[0] in {"queued", "running"}, state
            time.sleep(0.02)
        else:
            pytest.fail(f"the worker did not start the run in time: {state}")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and any child it runs
        worker.wait(timeout=30)

    dead = _probe(env, "status", str(number))
    assert dead["status"] == "running"  # nobody has noticed yet
    assert dead["pairs"] == 0 and dead["unmatched"] == 0  # nothing half-written

    page = _probe(env, "page", str(number))  # minutes later, the coordinator looks
    assert page["code"] == 200
    assert "This run failed" in page["page"]
    assert "the task worker ended" in page["page"]
    assert "hx-trigger" not in page["page"]  # no longer polled as working
    failed = _probe(env, "status", str(number))
    assert failed["status"] == "failed" and failed["pairs"] == 0

    # Resumable: a new run starts (the dead one no longer blocks it) and a worker finishes it.
    again = _probe(env, "start")["number"]
    assert again == number + 1
    subprocess.run(
        [sys.executable, "-m", "upward", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    done = _probe(env, "status", str(again))
    assert done["status"] == "done", done
    assert done["pairs"] > 0
