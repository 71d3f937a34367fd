"""The matching API: runs (start, status, results, lock, exclude, change, publish, rematch) and
a participant's proposal, under the same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from upward.matches.models import MatchingRun, PairExclusion, PairLock, Proposal

from .conftest import Cast, client_for


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_a_coordinator_runs_the_whole_matching_through_the_api(cast: Cast, committed: Any) -> None:
    client = client_for(cast.coordinator)
    base = f"/api/v1/programmes/{cast.programme.slug}/matching"
    with committed():
        started = _post(client, f"{base}/runs", {})
    assert started.status_code == 202
    body = started.json()
    assert body["number"] == 1 and body["status"] in ("queued", "done")
    status = client.get(f"{base}/runs/1").json()
    assert status["status"] == "done" and status["progress"] == 1.0
    assert status["stage"] == "finished" and status["version"] == 1
    assert status["leaders"] == 8 and len(status["inputs_fingerprint"]) == 64

    results = client.get(f"{base}/runs/1/results", {"limit": 2}).json()
    assert results["total_pairs"] >= 2 and len(results["pairs"]) == 2
    assert results["summary"]["pairs"] == results["total_pairs"]
    first = results["pairs"][0]
    assert first["why"] and first["criteria"][0]["label"] and first["score"] > 0
    assert {u["side"] for u in results["unmatched"]} <= {"leader", "mentor"}
    assert results["total_unmatched"] >= len(results["unmatched"])
    assert len(results["unmatched"]) <= 2
    leader_id = first["leader"]["application_id"]
    second = client.get(f"{base}/runs/1/results", {"offset": 1, "limit": 1}).json()
    assert second["pairs"][0] == results["pairs"][1]

    locked = _post(
        client, f"{base}/runs/1/locks", {"version": 1, "leader_application_id": leader_id}
    )
    assert locked.status_code == 200 and locked.json()["version"] == 2
    assert PairLock.objects.filter(leader_id=leader_id).exists()
    stale = _post(
        client, f"{base}/runs/1/unlock", {"version": 1, "leader_application_id": leader_id}
    )
    assert stale.status_code == 409
    unlocked = _post(
        client, f"{base}/runs/1/unlock", {"version": 2, "leader_application_id": leader_id}
    )
    assert unlocked.json()["version"] == 3 and not PairLock.objects.exists()

    other = results["pairs"][1]["leader"]["application_id"]
    excluded = _post(
        client, f"{base}/runs/1/exclusions", {"version": 3, "leader_application_id": other}
    )
    assert excluded.status_code == 200 and PairExclusion.objects.filter(leader_id=other).exists()

    ranked = client.get(f"{base}/runs/1/leaders/{other}/mentors").json()
    target = next(m for m in ranked if m["taken"] < m["places"])
    preview = client.get(
        f"{base}/runs/1/changes/preview",
        {
            "leader_application_id": other,
            "mentor_application_id": target["mentor"]["application_id"],
        },
    ).json()
    assert preview["allowed"] is True and preview["kind"] == "assign"
    assert preview["score_change"] == round(target["score"], 4)
    changed = _post(
        client,
        f"{base}/runs/1/changes",
        {
            "version": 4,
            "leader_application_id": other,
            "mentor_application_id": target["mentor"]["application_id"],
        },
    )
    assert changed.status_code == 200 and changed.json()["version"] == 5

    published = _post(client, f"{base}/runs/1/publish", {"version": 5})
    assert published.status_code == 200
    assert published.json()["published"] == Proposal.objects.count() > 0
    assert published.json()["run"]["published_at"]
    rematch = _post(client, f"{base}/rematch")
    assert rematch.status_code == 202 and rematch.json()["purpose"] == "rematch"


def test_bad_input_is_refused_with_a_clear_message(cast: Cast, programme_b: Any) -> None:
    client = client_for(cast.coordinator)
    base = f"/api/v1/programmes/{cast.programme.slug}/matching"
    cohort = programme_b.cohorts.create(name="Theirs")
    checks = [
        ({"cohort_id": cohort.pk}, 400, "Choose one of this programme's cohorts."),
        ({"based_on": 42}, 400, "This programme has no run 42."),
        # The schema bounds weights (documented in OpenAPI), so this is a validation error.
        ({"weights": {"topics": 9}}, 422, "Some values need attention"),
        ({"weights": {"charm": 1}}, 400, "Unknown criterion: charm"),
    ]
    for body, status, message in checks:
        response = _post(client, f"{base}/runs", body)
        assert response.status_code == status, body
        assert message in response.json()["detail"]
    assert _post(client, f"{base}/runs", {"cohort_id": "x"}).status_code == 422
    assert not MatchingRun.objects.exists()
    assert _post(client, f"{base}/rematch").json()["detail"] == (
        "Nothing has been published yet, so there is nothing to rematch."
    )
    assert client.get(f"{base}/runs/1").status_code == 404


def test_previews_need_both_people(cast: Cast) -> None:
    from .conftest import finish

    run = finish(cast.programme, cast.coordinator)
    client = client_for(cast.coordinator)
    url = f"/api/v1/programmes/{cast.programme.slug}/matching/runs/{run.number}/changes/preview"
    response = client.get(url, {"leader_application_id": cast.leaders[0].pk})
    assert response.status_code == 400
    assert "mentor_application_id" in response.json()["detail"]
    unfinished = MatchingRun.objects.create(programme=cast.programme, number=9)
    response = client.get(
        f"/api/v1/programmes/{cast.programme.slug}/matching/runs/{unfinished.number}/results"
    )
    assert response.status_code == 400 and "has not finished" in response.json()["detail"]


def test_outsiders_get_404_from_every_matching_endpoint(
    cast: Cast, coordinator_b: Any, outsider: Any
) -> None:
    from .conftest import finish

    run = finish(cast.programme, cast.coordinator)
    base = f"/api/v1/programmes/{cast.programme.slug}/matching"
    body = {"version": 1, "leader_application_id": cast.leaders[0].pk}
    for user in (coordinator_b, outsider, cast.leader.user):
        client = client_for(user)
        assert client.get(f"{base}/runs").status_code == 404
        assert _post(client, f"{base}/runs", {}).status_code == 404
        assert client.get(f"{base}/runs/{run.number}/results").status_code == 404
        assert _post(client, f"{base}/runs/{run.number}/locks", body).status_code == 404
        assert _post(client, f"{base}/runs/{run.number}/publish", {"version": 1}).status_code == 404
    assert not PairLock.objects.exists() and not Proposal.objects.exists()
    assert Client().get(f"{base}/runs").status_code == 401
