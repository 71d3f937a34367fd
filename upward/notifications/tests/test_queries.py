"""The Notifications page, its API and the unsubscribe page read a bounded number of rows:
the person's own choices in one query, whatever else the person has."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.notifications.tokens import unsubscribe_token
from upward.privacy.tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_the_page_and_the_api_read_a_bounded_number_of_rows(
    leader: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(leader)
    for path in (reverse("notifications:settings"), "/api/v1/notifications/preferences"):
        client.get(path)  # the session's first read is not the page's own
        with django_assert_max_num_queries(4):
            assert client.get(path).status_code == 200


def test_the_unsubscribe_page_reads_one_row(
    leader: Any, django_assert_max_num_queries: Any
) -> None:
    path = reverse(
        "notifications:unsubscribe",
        args=[unsubscribe_token(user_id=leader.pk, category="reminders")],
    )
    with django_assert_max_num_queries(1):
        assert Client().get(path).status_code == 200
