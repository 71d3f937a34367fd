"""Whole-database backups: pg_dump/pg_restore (custom format) for PostgreSQL, SQLite's online
backup API for SQLite.

The field encryption keys (FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY) are settings, not data: a
backup holds the encrypted text only, so the keys must be kept apart from it and restored
beside it (docs/deployment.md). Without them the restored private text cannot be read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

from .errors import RuleBroken
from .page_cache import publish_everything


class BackupFailed(RuleBroken):
    """The backup or restore could not be made; the message says why."""


def _engine(alias: str) -> str:
    return str(connections[alias].settings_dict["ENGINE"])


def _pg_env_and_args(alias: str) -> tuple[dict[str, str], list[str]]:
    settings = connections[alias].settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    args += ["--dbname", str(settings["NAME"])]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupFailed(f"{name} was not found on this machine: install the PostgreSQL client.")
    return found


def backup(path: Path, *, alias: str = "default") -> None:
    """Write the whole database to ``path``."""
    path = Path(path)
    if _engine(alias).endswith("postgresql"):
        env, args = _pg_env_and_args(alias)
        done = subprocess.run(  # noqa: S603
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
        return
    if _engine(alias).endswith("sqlite3"):
        connection = connections[alias]
        connection.ensure_connection()
        if path.exists():
            path.unlink()
        target = sqlite3.connect(path)
        try:
            with target:
                connection.connection.backup(target)
        finally:
            target.close()
        return
    raise BackupFailed(f"Backups are made for PostgreSQL and SQLite, not {_engine(alias)}.")


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup at ``path``.

    Meant for an empty database (a new server after a loss); tables the backup holds are
    dropped and made again, so a restore over a working database loses what it had.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupFailed(f"There is no backup file at {path}.")
    if _engine(alias).endswith("postgresql"):
        connections[alias].close()
        env, args = _pg_env_and_args(alias)
        done = subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BackupFailed(f"pg_restore failed: {done.stderr.strip()}")
        publish_everything()  # pg_restore wrote outside Django: no kept page is true any more
        return
    if _engine(alias).endswith("sqlite3"):
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupFailed(f"{path} is not a whole SQLite database.")
            connection = connections[alias]
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupFailed(f"{path} could not be read as a SQLite backup: {exc}") from exc
        finally:
            source.close()
        publish_everything()
        return
    raise BackupFailed(f"Backups are made for PostgreSQL and SQLite, not {_engine(alias)}.")


def table_counts(alias: str = "default") -> dict[str, Any]:
    """Rows per table, for comparing a restored database with its source."""
    connection = connections[alias]
    counts: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608  # nosec B608  # a table name the database listed, quoted
            counts[table] = cursor.fetchone()[0]
    return counts
