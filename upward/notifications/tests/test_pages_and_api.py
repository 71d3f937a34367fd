"""The Notifications page (from the account's menu) and the API: each person reads and changes
their own choices only; a bad choice is refused and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.notifications.selectors import choices_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/preferences"


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_is_in_the_menu_and_saves(leader: Any) -> None:
    client = _signed_in(leader)
    home = client.get(reverse("core:me")).content.decode()
    assert f'href="{reverse("notifications:settings")}"' in home
    page = client.get(reverse("notifications:settings"))
    html = page.content.decode()
    assert page.status_code == 200 and "Reminders and nudges" in html
    assert "Always sent" in html and "A concern routed to you" in html
    assert 'name="concerns"' not in html  # no choice offered for what is always sent
    saved = client.post(
        reverse("notifications:settings"), {"reminders": "none", "cohort_posts": "each"}
    )
    assert saved.status_code == 302
    chosen = choices_of(leader)
    assert (chosen["reminders"], chosen["cohort_posts"]) == ("none", "each")


def test_the_page_refuses_a_bad_choice_and_changes_nothing(leader: Any) -> None:
    client = _signed_in(leader)
    bad = client.post(
        reverse("notifications:settings"), {"reminders": "none", "matching": "hourly"}
    )
    assert bad.status_code == 400 and "daily digest" in bad.content.decode()
    assert choices_of(leader)["reminders"] == "each"


def test_the_page_needs_signing_in() -> None:
    response = Client().get(reverse("notifications:settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_reads_and_changes_ones_own(leader: Any, mentor: Any) -> None:
    client = _signed_in(leader)
    got = client.get(URL).json()
    by_key = {c["key"]: c for c in got["categories"]}
    assert by_key["cohort_posts"]["every"] == "digest"
    assert by_key["concerns"]["can_change"] is False
    assert "A concern routed to you" in by_key["concerns"]["emails"]
    changed = client.put(
        URL, {"choices": {"reminders": "none", "surveys": "digest"}}, "application/json"
    )
    assert changed.status_code == 200
    by_key = {c["key"]: c["every"] for c in changed.json()["categories"]}
    assert (by_key["reminders"], by_key["surveys"], by_key["matching"]) == (
        "none",
        "digest",
        "each",
    )
    assert choices_of(mentor)["reminders"] == "each"  # only one's own


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"choices": {"reminders": "hourly"}}, 422),
        ({"choices": {}}, 422),
        ({"choices": "none"}, 422),
        ({}, 422),
        ({"choices": {"concerns": "none"}}, 400),
        ({"choices": {"reminders": "none", "spam": "none"}}, 400),
    ],
)
def test_the_api_refuses_bad_input_and_changes_nothing(
    leader: Any, body: dict[str, Any], status: int
) -> None:
    response = _signed_in(leader).put(URL, body, "application/json")
    assert response.status_code == status and response.json()["detail"]
    assert choices_of(leader)["reminders"] == "each"


def test_the_api_needs_signing_in() -> None:
    assert Client().get(URL).status_code in (401, 403)
