"""The recognition API: completion, grants, certificates and bad input."""

from __future__ import annotations

from typing import Any

from django.test import Client

from upward.recognition.models import Certificate, CompletionGrant


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_completion_status_grant_and_certificate(
    client: Client, pair: Any, coordinator: Any, mentor: Any
) -> None:
    slug = pair.programme.slug
    client.force_login(coordinator)
    rows = client.get(f"/api/v1/programmes/{slug}/completion").json()
    assert {r["completes"] for r in rows} == {False}
    assert all("Has not signed the mentoring agreement." in r["unmet"] for r in rows)
    refused = _post(
        client, f"/api/v1/programmes/{slug}/certificates", {"application_id": pair.mentor.pk}
    )
    assert refused.status_code == 400 and "has not completed" in refused.json()["detail"]
    assert not Certificate.objects.exists()
    for bad in ({"application_id": pair.mentor.pk}, {"application_id": 0, "reason": "x"}):
        assert _post(client, f"/api/v1/programmes/{slug}/completion/grants", bad).status_code == 422
    too_long = {"application_id": pair.mentor.pk, "reason": "x" * 1001}
    assert (
        _post(client, f"/api/v1/programmes/{slug}/completion/grants", too_long).status_code == 422
    )
    granted = _post(
        client,
        f"/api/v1/programmes/{slug}/completion/grants",
        {"application_id": pair.mentor.pk, "reason": "Signed on paper"},
    )
    assert granted.status_code == 201 and granted.json()["granted"] is True
    assert CompletionGrant.objects.get().history.get().history_user_id == coordinator.pk
    issued = _post(
        client, f"/api/v1/programmes/{slug}/certificates", {"application_id": pair.mentor.pk}
    )
    assert issued.status_code == 201
    client.force_login(mentor)
    [mine] = client.get("/api/v1/certificates").json()
    assert mine["code"] == Certificate.objects.get().grouped_code
    pdf = client.get(mine["download_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_rules_edits_and_stale_versions(client: Client, pair: Any, coordinator: Any) -> None:
    url = f"/api/v1/programmes/{pair.programme.slug}/completion/rules"
    client.force_login(coordinator)
    assert client.get(url).json()["version"] == 1
    body = {
        "agreement_signed": True,
        "training_done": False,
        "min_meetings": 4,
        "final_checkin": True,
        "version": 1,
    }
    put = client.put(url, body, content_type="application/json")
    assert put.status_code == 200 and put.json()["min_meetings"] == 4
    assert client.put(url, body, content_type="application/json").status_code == 409
    bad = client.put(
        url, {**body, "min_meetings": 53, "version": 2}, content_type="application/json"
    )
    assert bad.status_code == 422


def test_outsiders_learn_nothing(
    client: Client, pair: Any, coordinator_b: Any, outsider: Any
) -> None:
    slug = pair.programme.slug
    for who in (coordinator_b, outsider):
        client.force_login(who)
        assert client.get(f"/api/v1/programmes/{slug}/completion").status_code == 404
        assert client.get(f"/api/v1/pairs/{pair.pk}/stories").status_code == 404
        assert client.get(f"/api/v1/programmes/{slug}/stories").status_code == 404
