"""A person sees and withdraws their own consents, on the page and through the API; nobody
else's."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from upward.consent.models import Channel
from upward.consent.services import consent_give


def test_my_consents_page_lists_and_withdraws_in_one_step(
    client: Client, leader: Any, purpose: Any
) -> None:
    consent = consent_give(
        user=leader, purpose=purpose.code, channel=Channel.WEB, scope_label="Programme A"
    )
    client.force_login(leader)
    page = client.get(reverse("consent:mine"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Programme news" in body and "I agree to receive news about Programme A." in body
    response = client.post(reverse("consent:withdraw", args=[consent.pk]), follow=True)
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_channel == "web"
    assert "You have withdrawn your consent" in response.content.decode()
    again = client.post(reverse("consent:withdraw", args=[consent.pk]), follow=True)
    assert "already withdrawn" in again.content.decode()


def test_withdraw_returns_to_a_safe_next_page_only(
    client: Client, leader: Any, purpose: Any
) -> None:
    client.force_login(leader)
    first = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    response = client.post(
        reverse("consent:withdraw", args=[first.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("consent:mine")
    second = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    response = client.post(reverse("consent:withdraw", args=[second.pk]), {"next": "/me/"})
    assert response["Location"] == "/me/"


def test_nobody_else_sees_or_withdraws_a_consent(
    client: Client, leader: Any, outsider: Any, coordinator: Any, purpose: Any
) -> None:
    consent = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    for other in (outsider, coordinator):
        client.force_login(other)
        assert "Programme news" not in client.get(reverse("consent:mine")).content.decode()
        assert client.post(reverse("consent:withdraw", args=[consent.pk])).status_code == 404
        assert client.get("/api/v1/consents").json() == []
        assert client.post(f"/api/v1/consents/{consent.pk}/withdraw").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_api_lists_and_withdraws(client: Client, leader: Any, purpose: Any) -> None:
    consent = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    client.force_login(leader)
    listed = client.get("/api/v1/consents").json()
    assert [c["id"] for c in listed] == [consent.pk]
    assert listed[0]["active"] is True and listed[0]["purpose_label"] == "Programme news"
    purposes = client.get("/api/v1/consents/purposes").json()
    assert any(p["code"] == "identity.ethnicity" for p in purposes)
    response = client.post(f"/api/v1/consents/{consent.pk}/withdraw")
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert client.post(f"/api/v1/consents/{consent.pk}/withdraw").status_code == 409


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: Any) -> None:
    assert client.get(reverse("consent:mine")).status_code == 302
    assert client.get("/api/v1/consents").status_code == 401
