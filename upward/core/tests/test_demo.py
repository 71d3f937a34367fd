from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from upward.accounts.models import RoleGrant, User
from upward.directory.models import Organisation, Person
from upward.programmes.models import Programme


@pytest.fixture
def data_dir(tmp_path: Path) -> Any:
    with override_settings(DATA_DIR=tmp_path, DEBUG=True):
        yield tmp_path


def test_demo_seeds_once_and_is_safe_to_run_again(
    data_dir: Path, db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo", no_serve=True, size=120)
    first = capsys.readouterr().out
    counts = (
        User.objects.count(),
        Person.objects.count(),
        RoleGrant.objects.count(),
        Programme.objects.count(),
    )
    assert Organisation.objects.get(slug="northwind").people.count() == 120
    assert counts[1] == 120 + 200
    call_command("demo", no_serve=True, size=120)
    second = capsys.readouterr().out
    assert (
        User.objects.count(),
        Person.objects.count(),
        RoleGrant.objects.count(),
        Programme.objects.count(),
    ) == counts
    password = (data_dir / "demo_password").read_text().strip()
    for text in (first, second):
        assert f"Password: {password}" in text
        for email in ("coordinator@", "admin@", "sponsor@", "wellbeing@", "leader@", "mentor@"):
            assert email in text


def test_demo_logins_work(data_dir: Path, db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", no_serve=True, size=60)
    password = (data_dir / "demo_password").read_text().strip()
    client = Client()
    leader = client.post(
        "/accounts/login/", {"login": "leader@demo.upward.test", "password": password}
    )
    assert leader.status_code == 302 and leader["Location"] == "/"
    capsys.readouterr()
    call_command("demo_code", "coordinator@demo.upward.test")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    coordinator = Client()
    step = coordinator.post(
        "/accounts/login/", {"login": "coordinator@demo.upward.test", "password": password}
    )
    assert step["Location"] == "/accounts/2fa/authenticate/"
    done = coordinator.post("/accounts/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    assert coordinator.get("/").status_code == 200


def test_demo_code_only_for_demo_accounts(data_dir: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="Only demo accounts"):
        call_command("demo_code", "someone@example.org")
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_code", "nobody@demo.upward.test")


def test_demo_checks_its_options(data_dir: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="--size"):
        call_command("demo", no_serve=True, size=10)
    with pytest.raises(CommandError, match="--port"):
        call_command("demo", no_serve=True, port=0)


def test_the_no_serve_hint_prints_commands_that_work_as_printed(
    data_dir: Path, db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from upward.core.management.commands.demo import upward_command

    call_command("demo", no_serve=True, size=60)
    out = capsys.readouterr().out
    upward = upward_command()
    assert f"\n  {upward} runserver 127.0.0.1:8000\n" in out
    assert f"\n  {upward} db_worker" in out and "background worker" in out
    assert f"`{upward} demo-code EMAIL`" in out
    assert "A code works once" in out
    assert os.access(Path(upward), os.X_OK)


def test_stopping_the_demo_stops_its_worker() -> None:
    import signal
    import subprocess
    import sys

    from upward.core.management.commands.demo import _exit_on_sigterm, stop_worker

    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stop_worker(worker)
    assert worker.returncode == -signal.SIGTERM
    with pytest.raises(SystemExit):
        _exit_on_sigterm(signal.SIGTERM, None)
