"""Wellbeing resources: kept by the programme's coordinators and wellbeing leads, reached by
every participant from their support page, linked from every pair page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.pairs.models import Pair
from upward.support.models import Resource

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_wellbeing_lead_adds_and_participants_reach_it_from_the_pair_page(
    pair: Pair, leader: Any, mentor: Any, wellbeing_lead: Any, coordinator: Any, outsider: Any
) -> None:
    url = reverse("support:resources", args=[pair.programme.slug])
    response = client_for(wellbeing_lead).post(
        url,
        {
            "scope": 0,
            "kind": "counsellor",
            "title": "Confidential counselling",
            "contact": "0800 123 456",
            "url": "https://counselling.example/",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.programme, resource.organisation, resource.kind) == (
        pair.programme,
        None,
        "counsellor",
    )
    pair_page = client_for(mentor).get(reverse("preparation:pair", args=[pair.pk]))
    assert reverse("support:mine") in pair_page.content.decode()
    for user in (mentor, leader):
        page = client_for(user).get(reverse("support:mine")).content.decode()
        assert "Confidential counselling" in page and "0800 123 456" in page
    assert (
        "Confidential counselling"
        not in client_for(outsider).get(reverse("support:mine")).content.decode()
    )


def test_an_organisation_resource_reaches_its_programmes(
    pair: Pair, mentor: Any, coordinator: Any
) -> None:
    org = pair.programme.organisations.get()
    response = client_for(coordinator).post(
        reverse("support:resources", args=[pair.programme.slug]),
        {"scope": org.pk, "kind": "eap", "title": "Employee assistance"},
    )
    assert response.status_code == 302
    assert Resource.objects.get().organisation == org
    assert "Employee assistance" in client_for(mentor).get(reverse("support:mine")).content.decode()


def test_bad_input_and_stale_edits_change_nothing(
    pair: Pair, wellbeing_lead: Any, coordinator: Any
) -> None:
    slug = pair.programme.slug
    empty = client_for(wellbeing_lead).post(
        reverse("support:resources", args=[slug]), {"scope": 0, "kind": "guide", "title": ""}
    )
    assert empty.status_code == 400 and Resource.objects.count() == 0
    org = pair.programme.organisations.get()
    # A wellbeing lead may not publish to a whole organisation.
    refused = client_for(wellbeing_lead).post(
        reverse("support:resources", args=[slug]),
        {"scope": org.pk, "kind": "guide", "title": "Guide"},
    )
    assert refused.status_code == 400 and Resource.objects.count() == 0
    resource = Resource.objects.create(programme=pair.programme, kind="guide", title="Guide")
    edit = reverse("support:resource_edit", args=[slug, resource.pk])
    saved = client_for(coordinator).post(
        edit, {"scope": 0, "kind": "guide", "title": "Better guide", "version": 1}
    )
    assert saved.status_code == 302
    stale = client_for(wellbeing_lead).post(
        edit, {"scope": 0, "kind": "guide", "title": "Old guide", "version": 1}
    )
    assert stale.status_code == 409
    resource.refresh_from_db()
    assert (resource.title, resource.version) == ("Better guide", 2)
