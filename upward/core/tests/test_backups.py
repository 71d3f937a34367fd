"""`upward backup` and `upward restore` carry a whole database, private text included, into a
fresh one: the same rows in every table, the same text once decrypted with the same keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from upward.core.backups import table_counts
from upward.core.demo import seed_demo
from upward.core.tests.backup_probe import sample_of_private_text

ROOT = Path(__file__).resolve().parents[3]


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "upward.settings",
        "DATABASE_URL": database_url,
        # The keys travel apart from the backup; the restored site is given the same ones.
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
    }


def _restore_and_probe(backup: Path, database_url: str) -> dict[str, Any]:
    env = _env(database_url)
    subprocess.run(
        [sys.executable, "-m", "upward", "restore", str(backup)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = subprocess.run(
        [sys.executable, "-m", "upward.core.tests.backup_probe"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return dict(json.loads(probe.stdout.strip().splitlines()[-1]))


def _source() -> dict[str, Any]:
    seed_demo(size=60)
    counts = table_counts()
    sample = json.loads(json.dumps(sample_of_private_text(), default=str))
    assert sum(1 for rows in sample.values() if rows) >= 3, "the demo wrote no private text"
    assert sum(counts.values()) > 500
    return {"counts": counts, "sample": sample}


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_fresh_database(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup is tested on SQLite")
    source = _source()
    backup = tmp_path / "upward.backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup.stat().st_size > 0
    restored = _restore_and_probe(backup, f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert restored["counts"] == source["counts"]
    assert restored["sample"] == source["sample"]


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        if os.environ.get("UPWARD_REQUIRE_SERVICES"):
            pytest.fail("DATABASE_URL does not name PostgreSQL but services are required")
        pytest.skip("DATABASE_URL does not name PostgreSQL")
    import psycopg

    source = _source()
    backup = tmp_path / "upward.dump"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    params = connection.settings_dict
    fresh = f"upward_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        user = params["USER"] or ""
        auth = f"{user}:{params['PASSWORD']}@" if params["PASSWORD"] else f"{user}@"
        url = f"postgres://{auth}{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{fresh}"
        restored = _restore_and_probe(backup, url)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()
    assert restored["counts"] == source["counts"]
    assert restored["sample"] == source["sample"]


@pytest.mark.django_db
def test_restoring_a_file_that_is_not_a_backup_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.backup"
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(missing))
