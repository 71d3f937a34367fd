"""A migrated SQLite file, made once per session, for scenarios that need SQLite's real lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "UPWARD_DATA_DIR": str(folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "upward", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return path


@pytest.fixture
def sqlite_file_env(_sqlite_template: Path, tmp_path: Path) -> dict[str, str]:
    """Environment for a subprocess that uses a fresh copy of the migrated SQLite file."""
    path = tmp_path / "upward.sqlite3"
    shutil.copy(_sqlite_template, path)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "UPWARD_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env
