"""The API: the agreement only for the pair and the programme's coordinators; edits, signing
(400 on an old version, 409 on a stale revision), the board, waivers, training and workshops."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from upward.pairs.models import Pair
from upward.preparation.models import Module, Track

from .test_agreement import GAINS

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_agreement_api_only_for_the_pair_and_coordinators(
    pair: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    coordinator_b: Any,
    sponsor: Any,
    outsider: Any,
) -> None:
    urls = [
        f"/api/v1/pairs/{pair.pk}/agreement",
        f"/api/v1/pairs/{pair.pk}/agreement/versions/1",
        f"/api/v1/pairs/{pair.pk}",
    ]
    for user in (coordinator_b, sponsor, outsider):
        assert [api(user).get(u).status_code for u in urls] == [404, 404, 404]
        assert send(api(user), "patch", urls[0], {"revision": 1, **GAINS}).status_code == 404
    assert [Client().get(u).status_code for u in urls] == [401, 401, 401]
    for user in (leader, mentor, coordinator):
        assert [api(user).get(u).status_code for u in urls] == [200, 200, 200]
    body = api(mentor).get(urls[0]).json()
    assert body["versions"] == [1] and body["current"]["number"] == 1
    assert body["current"]["pdf_url"] == f"/pairs/{pair.pk}/agreement/v1.pdf"


def test_edit_and_sign_through_the_api(
    pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    url = f"/api/v1/pairs/{pair.pk}/agreement"
    assert send(api(coordinator), "patch", url, {"revision": 1, **GAINS}).status_code == 404
    assert send(api(leader), "patch", url, {"revision": 1, "meeting_minutes": 5}).status_code == 422
    edited = send(api(leader), "patch", url, {"revision": 1, **GAINS})
    assert edited.status_code == 200 and edited.json()["revision"] == 2
    stale = send(api(mentor), "patch", url, {"revision": 1, "boundaries": "x"})
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    signed = send(
        api(mentor),
        "post",
        url + "/sign",
        {"number": 1, "revision": 2, "typed_name": mentor.person.name},
    )
    assert signed.status_code == 200 and signed.json()["mentor_signed_name"] == mentor.person.name
    new = send(api(leader), "patch", url, {"revision": 3, "boundaries": "No pay talk."})
    assert (new.json()["number"], new.json()["mentor_signed_at"]) == (2, None)
    old = send(
        api(leader),
        "post",
        url + "/sign",
        {"number": 1, "revision": 4, "typed_name": leader.person.name},
    )
    assert old.status_code == 400 and "now at version 2" in old.json()["detail"]
    assert api(leader).get(url + "/versions/1").json()["mentor_signed_name"] == mentor.person.name


def test_board_waiver_and_training_through_the_api(
    pair: Pair, tracks: list[Track], leader: Any, coordinator: Any, mentor: Any
) -> None:
    board = api(coordinator).get(f"/api/v1/programmes/{pair.programme.slug}/pairs")
    assert board.status_code == 200
    row = board.json()[0]
    assert row["waits_for"] == [
        "training:leader",
        "training:mentor",
        "signature:leader",
        "signature:mentor",
    ]
    assert row["training_done"] == {"leader": [0, 5], "mentor": [0, 5]}
    assert api(leader).get(f"/api/v1/programmes/{pair.programme.slug}/pairs").status_code == 404
    waive = {
        "requirement": "signature:leader",
        "reason": "Signed on paper",
        "version": pair.version,
    }
    assert send(api(leader), "post", f"/api/v1/pairs/{pair.pk}/waivers", waive).status_code == 404
    assert (
        send(api(coordinator), "post", f"/api/v1/pairs/{pair.pk}/waivers", waive).status_code == 200
    )
    again = send(api(coordinator), "post", f"/api/v1/pairs/{pair.pk}/waivers", waive)
    assert again.status_code == 409  # the pair's version moved on
    mine = api(leader).get("/api/v1/training").json()
    assert [t["audience"] for t in mine] == ["leaders", "everyone"]
    module = Module.objects.filter(track__audience="leaders").first()
    assert module is not None
    done = send(api(leader), "post", f"/api/v1/training/modules/{module.pk}/complete", {})
    assert done.status_code == 200 and done.json()["done"] is True
    other = Module.objects.filter(track__audience="mentors").first()
    assert other is not None
    assert (
        send(api(leader), "post", f"/api/v1/training/modules/{other.pk}/complete", {}).status_code
        == 404
    )
    bad = send(
        api(coordinator),
        "post",
        f"/api/v1/programmes/{pair.programme.slug}/training/tracks/{tracks[0].pk}/modules",
        {"title": "x", "pass_mark": 0, "questions": "Q\n* a\n- b"},
    )
    # The schema refuses it before the service is asked (the page says "between 1 and 100").
    assert bad.status_code == 422
    assert any("pass_mark" in field for field in bad.json()["errors"])


def test_workshops_through_the_api(pair: Pair, leader: Any, mentor: Any, coordinator: Any) -> None:
    slug = pair.programme.slug
    body = {
        "title": "Kick-off",
        "starts_at": "2030-01-10T09:00:00+00:00",
        "place": "Hall",
        "capacity": 1,
    }
    created = send(api(coordinator), "post", f"/api/v1/programmes/{slug}/workshops", body)
    assert created.status_code == 201
    wid = created.json()["id"]
    assert (
        send(api(leader), "post", f"/api/v1/programmes/{slug}/workshops", body).status_code == 404
    )
    assert (
        send(api(leader), "post", f"/api/v1/workshops/{wid}/sign-up", {}).json()["your_place"]
        == "booked"
    )
    assert (
        send(api(mentor), "post", f"/api/v1/workshops/{wid}/sign-up", {}).json()["your_place"]
        == "waiting"
    )
    stale = send(
        api(coordinator),
        "put",
        f"/api/v1/programmes/{slug}/workshops/{wid}",
        {**body, "version": 9},
    )
    assert stale.status_code == 409
    moved = send(
        api(coordinator),
        "put",
        f"/api/v1/programmes/{slug}/workshops/{wid}",
        {**body, "place": "Room 2", "version": 1},
    )
    assert (moved.json()["sequence"], moved.json()["version"]) == (1, 2)
    came = send(
        api(coordinator),
        "post",
        f"/api/v1/programmes/{slug}/workshops/{wid}/attendance",
        {"version": 2, "present": [leader.pk]},
    )
    assert came.json() == {"came": 1}
    cancelled = send(
        api(coordinator),
        "post",
        f"/api/v1/programmes/{slug}/workshops/{wid}/cancel",
        {"version": 3},
    )
    assert (cancelled.json()["cancelled"], cancelled.json()["sequence"]) == (True, 2)


def test_pause_resume_and_end_through_the_api_and_the_page(
    pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    url = f"/api/v1/pairs/{pair.pk}/state"
    refused = send(api(mentor), "post", url, {"action": "pause", "version": 1})
    assert refused.status_code == 400 and "Only an active pair" in refused.json()["detail"]
    Pair.objects.filter(pk=pair.pk).update(state="active")
    paused = send(api(mentor), "post", url, {"action": "pause", "version": 1, "note": "Exams"})
    assert (paused.json()["state"], paused.json()["version"]) == ("paused", 2)
    assert send(api(leader), "post", url, {"action": "resume", "version": 1}).status_code == 409
    assert send(api(leader), "post", url, {"action": "complete", "version": 2}).status_code == 400
    client = api(leader)
    page = client.post(f"/pairs/{pair.pk}/state/", {"action": "end", "version": 2}, follow=True)
    assert "the pair is now ended" in page.content.decode()
    pair.refresh_from_db()
    assert pair.state == "ended"
    assert list(pair.events.values_list("action", "note")) == [
        ("created", ""),
        ("paused", ""),  # the reason went to the coordinators only (upward/support)
        ("ended", ""),
    ]
    assert api(leader).get("/api/v1/pairs").json()[0]["state"] == "ended"
