"""A large import is written in short batches: other writers wait a moment, not the whole import."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from django.test import override_settings

from upward.directory.models import Organisation, Person
from upward.directory.services import directory_import_apply
from upward.directory.synthetic import generate_people, to_csv_bytes

from .conftest import ROOT


def _probe(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "upward.directory.tests.sqlite_probe", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_another_writer_gets_the_sqlite_lock_within_seconds_during_a_large_import(
    sqlite_file_env: dict[str, str],
) -> None:
    result = _probe(sqlite_file_env, "lock_wait", "30000", "500")
    assert result["errors"] == []
    assert result["created"] == 30_000
    # The import takes seconds; the other writer never waits for more than a few batches.
    assert result["import_seconds"] > 2
    assert result["writes"] >= 10
    assert result["max_wait"] < 1.5, result


@pytest.mark.django_db
def test_a_batched_import_writes_every_batch_with_its_history(org_a: Organisation) -> None:
    rows = generate_people(230, seed=5)
    counts: list[int] = []
    with override_settings(UPWARD_IMPORT_BATCH_SIZE=50):
        summary = directory_import_apply(
            organisation=org_a, filename="p.csv", data=to_csv_bytes(rows), on_batch=counts.append
        )
    assert summary["creates"] == 230
    # Managers first: each level of the hierarchy is cut into batches of at most 50.
    assert sum(counts) == 230 and max(counts) <= 50
    created = Person.objects.filter(
        organisation=org_a, employee_id__in=[r["employee_id"] for r in rows]
    )
    assert created.count() == 230
    assert Person.history.filter(history_type="+", id__in=created.values("id")).count() == 230
