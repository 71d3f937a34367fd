"""Hardening: deployment checks, CSP, caching, sign-in throttling, session lifetime, ending
sessions on deactivation, password hashing, MFA for privileged roles, bandit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from personas import PASSWORD, make_user, production_environment
from upward.accounts.models import Role, RoleGrant
from upward.privacy.models import UserSession
from upward.privacy.sessions import AUTH_AT, SEEN_AT, user_sessions_end

from .helpers import signed_in

REPO = Path(__file__).resolve().parents[3]


def production_env(tmp_path: Path) -> dict[str, str]:
    return production_environment(tmp_path)


def test_check_deploy_gives_no_warnings(tmp_path: Path) -> None:
    # On PostgreSQL, as documented: SQLite has a deploy warning of its own (upward.W001).
    env = production_env(tmp_path)
    env["DATABASE_URL"] = "postgres://upward@127.0.0.1:5432/upward"
    del env["UPWARD_SINGLE_PROCESS"]
    result = subprocess.run(
        [sys.executable, "-m", "upward", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_strict(tmp_path: Path) -> None:
    script = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'hasher': s.PASSWORD_HASHERS[0], 'hsts': s.SECURE_HSTS_SECONDS,"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'ssl': s.SECURE_SSL_REDIRECT, 'idle': s.UPWARD_SESSION_IDLE_TIMEOUT,"
        "'max': s.UPWARD_SESSION_MAX_AGE, 'cookie_age': s.SESSION_COOKIE_AGE,"
        "'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']}))"
    )
    env = production_env(tmp_path)
    env["UPWARD_SESSION_IDLE_MINUTES"] = "20"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["hsts"] >= 31536000
    assert values["session_secure"] and values["csrf_secure"] and values["ssl"]
    assert values["idle"] == 20 * 60
    assert values["max"] == values["cookie_age"] == 8 * 3600
    assert values["csp"]["script-src"] == ["'self'"]


def test_session_settings_refuse_nonsense(monkeypatch: Any) -> None:
    from upward.settings.base import env_int

    monkeypatch.setenv("UPWARD_SESSION_IDLE_MINUTES", "half an hour")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("UPWARD_SESSION_IDLE_MINUTES", 30)
    monkeypatch.setenv("UPWARD_SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured, match="greater than zero"):
        env_int("UPWARD_SESSION_IDLE_MINUTES", 30)


# --- Content Security Policy and caching -----------------------------------------------------


def test_every_page_sends_a_strict_content_security_policy(client: Client, leader: Any) -> None:
    for response in (client.get(reverse("account_login")), signed_in(leader).get("/me/")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_mfa_pages_need_no_inline_script(coordinator: Any) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from .access_matrix import inline_code

    RecoveryCodes.activate(coordinator)
    client = signed_in(coordinator)
    # Managing the authenticator asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for name in (
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert inline_code(response.content.decode()) == [], name
    newcomer = make_user("newcomer@upward.test")
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    fresh.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    activate = fresh.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    assert inline_code(activate.content.decode()) == []


def test_signed_in_pages_are_never_cached(leader: Any) -> None:
    response = signed_in(leader).get("/me/")
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in signed_in(leader).get("/api/v1/me")["Cache-Control"]


# --- sign-in throttling ----------------------------------------------------------------------


def _attempt(client: Client, email: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def throttled(settings: Any) -> Any:
    # allauth has its own cache-based limit; switch it off to see django-axes alone, and
    # start from an empty cache so nothing carries over from another test.
    settings.ACCOUNT_RATE_LIMITS = False
    cache.clear()
    yield settings
    cache.clear()


def test_repeated_failures_lock_out_that_account_from_that_address(
    throttled: Any, leader: Any
) -> None:
    client = Client()
    for _ in range(throttled.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, leader.email, "wrong-password").status_code == 200
    locked = _attempt(client, leader.email, "wrong-password")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked out...
    assert _attempt(client, leader.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the same account from another address, and another account, are not affected.
    assert _attempt(Client(), leader.email, PASSWORD, address="10.0.0.2").status_code == 302
    other = make_user("someone@upward.test")
    assert _attempt(Client(), other.email, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(throttled: Any, leader: Any) -> None:
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(throttled.AXES_FAILURE_LIMIT):
        _attempt(client, leader.email, "wrong-password")
    assert _attempt(client, leader.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time.replace(year=2000)
    )
    assert _attempt(client, leader.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count(throttled: Any, leader: Any) -> None:
    client = Client()
    for _ in range(throttled.AXES_FAILURE_LIMIT - 1):
        _attempt(client, leader.email, "wrong-password")
    assert _attempt(client, leader.email, PASSWORD).status_code == 302
    client.post(reverse("account_logout"))
    for _ in range(throttled.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, leader.email, "wrong-password").status_code == 200


def test_the_test_clients_login_still_works(leader: Any) -> None:
    assert Client().login(email=leader.email, password=PASSWORD)


# --- session lifetime ------------------------------------------------------------------------


def _age_session(client: Client, **shift: float) -> None:
    session = client.session
    for key, seconds in shift.items():
        session[{"auth": AUTH_AT, "seen": SEEN_AT}[key]] = time.time() - seconds
    session.save()


def test_an_idle_session_ends(leader: Any, settings: Any) -> None:
    client = signed_in(leader)
    assert client.get("/me/").status_code == 200
    _age_session(client, seen=settings.UPWARD_SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/me/"
    assert client.get("/me/").status_code == 302  # signed out for good
    assert not UserSession.objects.filter(user=leader).exists()


def test_activity_keeps_a_session_alive(leader: Any, settings: Any) -> None:
    client = signed_in(leader)
    _age_session(client, seen=settings.UPWARD_SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/me/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5


def test_a_session_ends_at_its_absolute_lifetime_whatever_the_activity(
    leader: Any, settings: Any
) -> None:
    client = signed_in(leader)
    _age_session(client, auth=settings.UPWARD_SESSION_MAX_AGE + 5, seen=10)
    assert client.get("/me/").status_code == 302
    api = signed_in(leader)
    _age_session(api, auth=settings.UPWARD_SESSION_MAX_AGE + 5, seen=10)
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert "session" in response.json()["detail"]


def test_deactivating_an_account_ends_all_its_sessions(leader: Any) -> None:
    laptop, phone = signed_in(leader), signed_in(leader)
    assert UserSession.objects.filter(user=leader).count() == 2
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    assert not UserSession.objects.filter(user=leader).exists()
    for client in (laptop, phone):
        assert client.get("/me/").status_code == 302
        assert "_auth_user_id" not in client.session


def test_signing_out_forgets_the_session(leader: Any) -> None:
    client = signed_in(leader)
    client.post(reverse("account_logout"))
    assert not UserSession.objects.filter(user=leader).exists()
    assert user_sessions_end(user=leader) == 0


def test_other_saves_do_not_end_sessions(leader: Any) -> None:
    client = signed_in(leader)
    leader.display_name = "Lee"
    leader.save()
    assert client.get("/me/").status_code == 200


# --- passwords and MFA -----------------------------------------------------------------------


def test_argon2_is_the_password_hasher() -> None:
    from upward.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORG_ADMIN])
def test_privileged_roles_cannot_work_without_mfa(role: str, org_a: Any) -> None:
    user = make_user(f"{role}-nomfa@upward.test")
    RoleGrant.objects.create(user=user, role=role, organisation=org_a)
    client = signed_in(user)
    for path in ("/", "/me/", reverse("privacy:audit"), reverse("directory:organisations")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/me").status_code == 403


# --- static analysis -------------------------------------------------------------------------


def test_bandit_finds_nothing_unreviewed() -> None:
    """The same run as CI: any finding not reviewed (``# nosec`` with a reason, or a skip with
    its reason in pyproject.toml) fails."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-c",
            "pyproject.toml",
            "-r",
            "upward",
            "-f",
            "json",
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    report = json.loads(result.stdout)
    found = [
        f"{os.path.relpath(i['filename'], REPO)}:{i['line_number']} {i['test_id']} "
        f"{i['issue_severity']} {i['issue_text']}"
        for i in report["results"]
    ]
    assert found == [], "Fix these or review them (# nosec BXXX with a reason):\n" + "\n".join(
        found
    )
    assert report["errors"] == []
    assert result.returncode == 0


def test_every_nosec_gives_a_reason() -> None:
    """A reviewed finding says why it is safe: in a comment on the line above, or after the
    test ids (``# nosec B608  # why``)."""
    bare = []
    for path in (REPO / "upward").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            if "# nosec" not in line:
                continue
            after = line.split("# nosec", 1)[1]
            reason_after = "#" in after and len(after.split("#", 1)[1].split()) >= 3
            above = lines[number - 2].strip() if number > 1 else ""
            reason_above = above.startswith("#") and len(above.split()) >= 4
            if not (reason_after or reason_above):
                bare.append(f"{path.relative_to(REPO)}:{number}")
    assert bare == [], "Say why each finding is safe, on the line above or after '# nosec BXXX  #'"
