from __future__ import annotations

import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client

from personas import production_environment


def test_healthz_ok(client: Client, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reports_a_database_that_does_not_answer(client: Client, db: Any) -> None:
    with mock.patch("upward.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


# What production needs and refuses to start without.
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "EMAIL_HOST")


def _production_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "upward", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_production_refuses_insecure_defaults(tmp_path: Any) -> None:
    env = production_environment(tmp_path)
    for name in (*REQUIRED, "FIELD_HASH_KEY"):
        del env[name]
    result = _production_check(env)
    assert result.returncode != 0
    for needed in REQUIRED:
        assert needed in result.stderr


def test_production_starts_with_real_settings(tmp_path: Any) -> None:
    result = _production_check(production_environment(tmp_path))
    assert result.returncode == 0, result.stderr


def test_production_refuses_kept_pages_without_redis(tmp_path: Any) -> None:
    env = {**production_environment(tmp_path), "UPWARD_PAGE_CACHE": "1"}
    env.pop("REDIS_URL", None)
    result = _production_check(env)
    assert result.returncode != 0 and "UPWARD_PAGE_CACHE needs REDIS_URL" in result.stderr


@pytest.mark.parametrize(
    "argv", [["upward", "import-directory", "--help"], ["upward", "import_directory", "--help"]]
)
def test_cli_accepts_dashes_and_underscores(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from upward.cli import main

    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    assert "Import an organisation's directory" in capsys.readouterr().out
