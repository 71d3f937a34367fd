"""Tokens: created with plain refusals, stored hashed, 401 once revoked or expired, never more
than their owner, rate-limited, and their use audited at most once a minute."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from upward.accounts.models import Role
from upward.integrations import tokens
from upward.integrations.errors import IntegrationRuleBroken
from upward.integrations.models import ApiToken

from .conftest import bearer, make_token

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


def _create(user: Any, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "owner": user,
        "name": "nightly report",
        "scopes": ["directory:read"],
        "expires_on": timezone.now().date() + dt.timedelta(days=10),
        "second_factor_passed": True,
    }
    fields.update(changes)
    return tokens.token_create(**fields)


def test_the_secret_is_shown_once_and_stored_hashed(leader: Any) -> None:
    token, secret = _create(leader)
    assert secret.startswith("upw_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(vars(stored).values())
    assert stored.prefix == secret[:12]
    history = stored.history.get()  # type: ignore[attr-defined]
    assert not hasattr(history, "secret_hash")
    assert history.history_change_reason == "token created"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expires_on": dt.date(2020, 1, 1)}, "Choose an expiry day after today."),
        ({"expires_on": None}, "Choose the day the token expires"),
        ({"expires_on": dt.date.today() + dt.timedelta(days=400)}, "at most a year"),
        ({"scopes": ["directory:admin"]}, "Unknown scope 'directory:admin'"),
        ({"scopes": []}, "Choose at least one scope"),
        ({"name": "  "}, "Give the token a name"),
    ],
)
def test_bad_input_is_refused_plainly(leader: Any, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(IntegrationRuleBroken, match=message.replace("(", r"\(")):
        _create(leader, **changes)
    assert not ApiToken.objects.exists()


def test_a_privileged_owner_needs_the_second_factor_at_creation(coordinator: Any) -> None:
    with pytest.raises(IntegrationRuleBroken, match="authenticator code"):
        _create(coordinator, second_factor_passed=False)
    assert not ApiToken.objects.exists()


def test_only_an_admin_creates_a_service_token(leader: Any, org_a: Any) -> None:
    with pytest.raises(IntegrationRuleBroken, match="Only an admin"):
        _create(leader, organisation=org_a)


def test_a_token_works_without_session_or_csrf(leader: Any) -> None:
    _, secret = make_token(leader)
    client = bearer(secret)
    answer = client.get(ME)
    assert answer.status_code == 200
    assert answer.json()["email"] == "leader@upward.test"
    assert "sessionid" not in client.cookies
    # A write passes without a CSRF token (it fails later, on its input, not on CSRF).
    written = client.post("/api/v1/support/concerns", data={}, content_type="application/json")
    assert written.status_code in (400, 422), written.content


def test_a_privileged_owners_token_is_not_stopped_by_the_second_factor_rule(
    coordinator: Any,
) -> None:
    _, secret = make_token(coordinator)
    client = bearer(secret)
    answer = client.get("/api/v1/programmes/programme-a")
    assert answer.status_code == 200
    assert "sessionid" not in client.cookies


@pytest.mark.parametrize("header", ["Bearer upw_nothing", "Bearer nonsense", "Bearer "])
def test_an_unknown_token_answers_401(leader: Any, header: str) -> None:
    answer = Client(HTTP_AUTHORIZATION=header).get(ME)
    assert answer.status_code == 401
    assert answer.json()["detail"]


def test_a_revoked_token_answers_401(leader: Any) -> None:
    token, secret = make_token(leader)
    assert bearer(secret).get(ME).status_code == 200
    tokens.token_revoke(token=token, by=leader)
    answer = bearer(secret).get(ME)
    assert answer.status_code == 401
    assert answer.json() == {"detail": "This token was revoked."}
    assert answer["WWW-Authenticate"].startswith("Bearer")
    reasons = [h.history_change_reason for h in token.history.all()]  # type: ignore[attr-defined]
    assert "token revoked" in reasons


def test_an_expired_token_answers_401(leader: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _, secret = make_token(leader, days=2)
    later = timezone.now() + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    answer = bearer(secret).get(ME)
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]


def test_a_token_never_does_more_than_its_owner(leader: Any, coordinator: Any) -> None:
    """A leader's token with every scope still cannot coordinate programme A."""
    _, secret = make_token(leader)
    client = bearer(secret)
    assert client.get("/api/v1/programmes/programme-a/applications").status_code in (403, 404)
    refused = client.post(
        "/api/v1/programmes/programme-a/cohorts",
        data={"name": "Cohort X"},
        content_type="application/json",
    )
    assert refused.status_code in (403, 404)
    # The coordinator's own token may.
    _, own = make_token(coordinator)
    assert bearer(own).get("/api/v1/programmes/programme-a/applications").status_code == 200


def test_a_service_token_acts_only_with_the_admin_role(
    org_admin: Any, org_a: Any, programme_a: Any
) -> None:
    """An org admin who also coordinates: their service token of the organisation acts as its
    admin only, so it cannot coordinate the programme; their personal token can."""
    from personas import grant

    grant(org_admin, Role.COORDINATOR, programme=programme_a)
    _, service = make_token(org_admin, organisation=org_a)
    _, personal = make_token(org_admin)
    applications = "/api/v1/programmes/programme-a/applications"
    assert bearer(personal).get(applications).status_code == 200
    assert bearer(service).get(applications).status_code in (403, 404)
    assert bearer(service).get("/api/v1/organisations/northwind/people").status_code == 200


def test_a_service_token_stops_when_its_creator_is_no_longer_admin(
    org_admin: Any, org_a: Any
) -> None:
    from upward.accounts.models import RoleGrant

    _, service = make_token(org_admin, organisation=org_a)
    RoleGrant.objects.filter(user=org_admin, role=Role.ORG_ADMIN).delete()
    answer = bearer(service).get("/api/v1/organisations/northwind/people")
    assert answer.status_code == 401
    assert "no longer an admin" in answer.json()["detail"]


@override_settings(UPWARD_TOKEN_RATE_LIMIT=3, UPWARD_TOKEN_RATE_WINDOW_SECONDS=3600)
def test_too_many_requests_answer_429_with_retry_after(leader: Any) -> None:
    _, secret = make_token(leader)
    _, other = make_token(leader)
    client = bearer(secret)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    answer = client.get(ME)
    assert answer.status_code == 429
    assert 1 <= int(answer["Retry-After"]) <= 3600
    assert "Too many requests" in answer.json()["detail"]
    # The limit is per token.
    assert bearer(other).get(ME).status_code == 200


def test_use_is_recorded_at_most_once_a_minute(
    leader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    token, secret = make_token(leader)
    client = bearer(secret)
    for _ in range(5):
        assert client.get(ME).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    used = token.history.filter(history_change_reason="token used")  # type: ignore[attr-defined]
    assert used.count() == 1
    row = used.get()
    assert row.history_user_id == leader.pk
    assert row.history_where == "GET /api/v1/me"
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    cache.clear()  # the cache's minute has passed too
    assert client.get(ME).status_code == 200
    assert used.count() == 2
    token.refresh_from_db()
    assert token.last_used_at == later


def test_a_token_cannot_create_tokens(leader: Any) -> None:
    _, secret = make_token(leader)
    answer = bearer(secret).post(
        "/api/v1/tokens",
        data={"name": "more", "scopes": ["directory:read"], "expires_on": "2030-01-01"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert ApiToken.objects.count() == 1


def test_the_session_still_works_with_csrf(leader: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    assert client.get(ME).status_code == 200
    refused = client.post("/api/v1/support/concerns", data={}, content_type="application/json")
    assert refused.status_code == 403  # no CSRF token


def test_a_token_request_leaves_a_half_signed_in_session_alone(coordinator: Any) -> None:
    """A privileged session that has not passed the second factor is ended by the MFA rule on
    any request, but a token request never reads the session: it is answered with the token's
    rights and the session is neither used nor ended."""
    _, secret = make_token(coordinator)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.login(email="coordinator@upward.test", password="a-long-test-password-42")
    session_key = client.session.session_key
    answer = client.get("/api/v1/programmes/programme-a")
    assert answer.status_code == 200
    assert client.session.session_key == session_key
    # Without the token the same session is stopped and ended.
    plain = Client()
    plain.cookies = client.cookies
    assert plain.get("/api/v1/programmes/programme-a").status_code == 401


def test_a_token_write_to_a_wrong_address_answers_404_in_the_api_shape(leader: Any) -> None:
    _, secret = make_token(leader)
    answer = bearer(secret).delete("/api/v1/programmes/0/cohorts/null,null")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Not Found"}


def test_token_events_are_in_the_audit_view(org_admin: Any, leader: Any, outsider: Any) -> None:
    from django.urls import reverse

    token, secret = make_token(leader)
    assert bearer(secret).get(ME).status_code == 200
    tokens.token_revoke(token=token, by=leader)
    make_token(outsider)
    client = Client()
    client.force_login(org_admin)
    page = client.get(reverse("privacy:audit"), {"kind": "api_token"})
    assert page.status_code == 200
    body = page.content.decode()
    for reason in ("token created", "token used", "token revoked"):
        assert f"{reason}: {token.prefix}" in body
    assert "GET /api/v1/me" in body
    assert leader.person.name in body and outsider.person.name not in body
