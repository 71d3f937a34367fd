from __future__ import annotations

import os
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client


def test_healthz_ok(client: Client, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reports_a_database_that_does_not_answer(client: Client, db: Any) -> None:
    with mock.patch("upward.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def _production_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "FIELD_ENCRYPTION_KEYS",
            "FIELD_HASH_KEY",
            "DEBUG",
            "EMAIL_HOST",
            "EMAIL_BACKEND",
        }
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "upward.settings.production"
    return subprocess.run(
        [sys.executable, "-m", "upward", "check"],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


def test_production_refuses_insecure_defaults(tmp_path: Any) -> None:
    result = _production_check({"UPWARD_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    for needed in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "FIELD_ENCRYPTION_KEYS",
        "EMAIL_HOST",
    ):
        assert needed in result.stderr


def test_production_starts_with_real_settings(tmp_path: Any) -> None:
    from cryptography.fernet import Fernet

    result = _production_check(
        {
            "UPWARD_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "k" * 20 + "Q9v!x2#LmZ0pW7rT5yB3nH8cJ6dF1gS4aE",
            "ALLOWED_HOSTS": "upward.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "FIELD_HASH_KEY": "h" * 40,
            "EMAIL_HOST": "smtp.example.org",
        }
    )
    assert result.returncode == 0, result.stderr


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
