"""The single sign-on pages read a bounded number of rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_settings_page_reads_a_bounded_number_of_rows(
    org_admin: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(org_admin)
    path = f"/organisations/{org_a.slug}/sso/"
    client.get(path)  # the session's first read is not the page's own
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200


def test_the_sign_in_with_your_organisation_page_reads_nothing(
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(0):
        assert Client().get(reverse("sso:start")).status_code == 200
