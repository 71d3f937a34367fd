"""A request that cannot get SQLite's write lock answers 503 with Retry-After, not 500; the
production settings refuse SQLite unless told the deployment is single-process, and
`check --deploy` warns about it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from personas import production_environment
from upward.consent import api as consent_api
from upward.core.checks import check_sqlite_in_production
from upward.privacy import views as privacy_views

ROOT = Path(__file__).resolve().parents[3]


def locked(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_api_answers_503_with_retry_after(
    client: Client, leader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consent_api.selectors, "consents_of", locked)
    client.force_login(leader)
    response = client.get("/api/v1/consents")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The database is busy with other work. Try again in a few seconds."
    }


def test_page_answers_503_with_a_message(
    client: Client, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(privacy_views.selectors, "audit_entries", locked)
    client.force_login(coordinator)
    response = client.get("/privacy/audit/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The site is busy with other work" in response.content.decode()


def test_other_database_errors_are_not_hidden(
    client: Client, leader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("no such table: consent_consent")

    monkeypatch.setattr(consent_api.selectors, "consents_of", broken)
    client.force_login(leader)
    with pytest.raises(OperationalError):
        client.get("/api/v1/consents")


def test_a_real_lock_held_by_another_process_gives_503(tmp_path: Path) -> None:
    """A second process holds SQLite's write lock; a write through the API waits its timeout
    (shortened here) and answers 503."""
    script = ROOT / "upward" / "core" / "tests" / "sqlite_lock_probe.py"
    result = subprocess.run(
        [sys.executable, str(script)],
        # SQLite in its own folder, whatever database the suite itself runs on.
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "UPWARD_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "upward.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503 5"


def production(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = production_environment(tmp_path)
    del env["UPWARD_SINGLE_PROCESS"]
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "upward", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_production_refuses_sqlite_unless_single_process(tmp_path: Path) -> None:
    refused = production(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert refused.returncode != 0
    assert "SQLite allows one writer at a time" in refused.stderr
    assert "UPWARD_SINGLE_PROCESS=1" in refused.stderr


def test_check_deploy_warns_about_sqlite(tmp_path: Path) -> None:
    allowed = production(
        tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", UPWARD_SINGLE_PROCESS="1"
    )
    assert "upward.W001" in allowed.stderr + allowed.stdout
    assert "SQLite" in allowed.stderr + allowed.stdout


def test_deploy_check_is_silent_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings

    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    assert [w.id for w in check_sqlite_in_production(None)] == ["upward.W001"]
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    assert check_sqlite_in_production(None) == []
