"""Used authenticator codes and sign-in throttling live in the cache; with several web
processes the cache must be shared, or a code works once per process. The production
settings use Redis when REDIS_URL is set and the database cache otherwise, whose table
`migrate` creates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import generate_totp_secret

from personas import production_environment

ROOT = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("shared_cache_probe.py")


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    env = production_environment(tmp_path)
    migrated = subprocess.run(
        [sys.executable, "-m", "upward", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert migrated.returncode == 0, migrated.stderr
    return env


def probe(env: dict[str, str], *args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(PROBE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_a_code_used_in_one_process_is_refused_in_another(production: dict[str, str]) -> None:
    backend = probe(production, "setup", generate_totp_secret())[0]
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    # A code is valid for its 30-second window; when the window ends between the two
    # processes, the second refuses it for its age, not its use: try again with a new code.
    for _attempt in range(3):
        code, valid, accepted = probe(production, "use", "-")[-1].split()
        assert (valid, accepted) == ("True", "True")
        _, still_valid, accepted_again = probe(production, "use", code)[-1].split()
        if still_valid == "True":
            assert accepted_again == "False"
            return
    pytest.fail("three codes expired between two processes")


def test_failed_attempts_count_across_processes(production: dict[str, str]) -> None:
    probe(production, "setup", generate_totp_secret())
    # allauth allows 5 failed attempts per account in 5 minutes (ACCOUNT_LOGIN_FAILED limits).
    assert probe(production, "fail", "3")[-1] == "True True True"
    assert probe(production, "fail", "3")[-1] == "True True False"


def test_redis_is_used_when_configured(tmp_path: Path) -> None:
    env = production_environment(tmp_path)
    env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    script = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-m", "upward", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.stdout.strip().splitlines()[-1] == ("upward.core.redis_cache.RedisCache")
