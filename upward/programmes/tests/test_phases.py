"""Phases mean something: a move is confirmed after saying what changes and for whom, and a
move that contradicts the programme is refused with the reason and the way out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.programmes import phases, services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Programme


def test_asking_to_move_shows_what_changes_and_changes_nothing(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    services.programme_applications_close(programme=ready_programme, by=coordinator)
    url = reverse("programmes:phase", args=[ready_programme.slug])
    page = client.get(url, {"phase": "matching"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Move from Sourcing to Matching?" in html
    assert "<strong>Applicants</strong> see that applications have closed" in html
    assert 'name="phase" value="matching"' in html
    ready_programme.refresh_from_db()
    assert ready_programme.phase == "sourcing"
    done = client.post(url, {"phase": "matching"}, follow=True)
    assert "The programme is now in Matching." in done.content.decode()
    ready_programme.refresh_from_db()
    assert ready_programme.phase == "matching"


def test_a_move_while_applications_are_open_is_refused_with_the_way_out(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:phase", args=[ready_programme.slug])
    html = client.get(url, {"phase": "running"}).content.decode()
    assert "This move does not fit the programme yet" in html
    assert "Applications are still open, so the programme cannot move to Running" in html
    assert "Close applications first (Applications page)" in html
    assert 'value="running"' not in html
    refused = client.post(url, {"phase": "running"}, follow=True).content.decode()
    assert "Close applications first" in refused
    ready_programme.refresh_from_db()
    assert ready_programme.phase == "sourcing"
    with pytest.raises(RuleBroken, match="Applications are still open"):
        services.programme_phase_set(programme=ready_programme, by=coordinator, phase="matching")


def test_preparing_needs_a_confirmed_pair_and_going_back_needs_no_applicant(
    ready_programme: Programme, coordinator: Any
) -> None:
    services.programme_applications_close(programme=ready_programme, by=coordinator)
    ready_programme.refresh_from_db()
    move = phases.phase_move(ready_programme, "preparation")
    assert [r.reason for r in move.refusals] == [
        "No pair has been confirmed yet, so there is nobody to prepare."
    ]
    assert phases.phase_move(ready_programme, "readiness").allowed
    assert phases.phase_move(ready_programme, "sourcing").refusals[0].reason == (
        "The programme is already in Sourcing."
    )
    assert not phases.phase_move(ready_programme, "party").allowed


def test_the_api_gives_the_same_refusal(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    response = client.post(
        f"/api/v1/programmes/{ready_programme.slug}/phase",
        {"phase": "running"},
        content_type="application/json",
    )
    assert response.status_code in (400, 409, 422)
    assert "Applications are still open" in response.content.decode()
