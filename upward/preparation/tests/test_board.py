"""The pairs board pages its pairs, fifty at a time, in a number of queries that does not grow
with the programme; its filters (state, a person's name) hold from page to page and bad
filters change nothing but show why."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from upward.pairs.models import Pair
from upward.preparation import selectors
from upward.preparation.views.coordinator import BOARD_PAGE
from upward.running.seed import seed_running_pairs

pytestmark = pytest.mark.django_db


def rows_of(html: str) -> int:
    return html.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")


def test_the_board_pages_and_filters_its_pairs(
    programme_a: Any, org_a: Any, coordinator: Any, settings: Any
) -> None:
    # The page as built afresh: kept pages and the menu's kept facts would hide its queries.
    settings.UPWARD_PAGE_CACHE = False
    client = Client()
    client.force_login(coordinator)
    url = reverse("preparation:board", args=[programme_a.slug])
    seed_running_pairs(programme_a, org_a, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    small = len(ctx.captured_queries)
    # The menu (two), the session and user, the programme, the state counts, the page's count
    # and ids, its pairs and what they wait for (three, four once there are modules to do).
    assert small <= 13

    seed_running_pairs(programme_a, org_a, 2 * BOARD_PAGE + 7, tag="big")
    preparing = list(
        Pair.objects.filter(programme=programme_a).order_by("-pk").values_list("pk", flat=True)
    )[:10]
    Pair.objects.filter(pk__in=preparing).update(state=Pair.State.PREPARING)
    total = Pair.objects.filter(programme=programme_a).count()
    with CaptureQueriesContext(connection) as ctx:
        first = unescape(client.get(url).content.decode())
    assert len(ctx.captured_queries) <= small
    assert rows_of(first) == BOARD_PAGE
    assert f"{total} pairs." in first and "Page 1 of 3" in first
    assert f"Active: {total - 10}" in first and "Preparing: 10" in first
    last = unescape(client.get(url, {"page": "3"}).content.decode())
    assert rows_of(last) == total - 2 * BOARD_PAGE
    # What a preparing pair waits for is worked out for the pairs shown.
    assert "'s signature" in unescape(client.get(url, {"state": "preparing"}).content.decode())

    # A state's pairs, page by page: the filter is kept in the links.
    active = unescape(client.get(url, {"state": "active"}).content.decode())
    assert rows_of(active) == BOARD_PAGE and "badge--ok" in active
    assert "Page 1 of 2" in active
    assert "?state=active&page=2" in active
    second = unescape(client.get(url, {"state": "active", "page": "2"}).content.decode())
    assert rows_of(second) == total - 10 - BOARD_PAGE and "Preparing</span>" not in second

    # A person's name: the pairs either of whose people holds it.
    found = unescape(client.get(url, {"q": "Seeded big 7"}).content.decode())
    names = [f"Seeded big {i}" for i in (7, *range(70, 80))]
    expected = {
        pk
        for pk, leader, mentor in Pair.objects.filter(programme=programme_a).values_list(
            "pk", "leader__person__name", "mentor__person__name"
        )
        if leader in names or mentor in names
    }
    assert rows_of(found) == len(expected) and f"{len(expected)} pairs match." in found
    nobody = unescape(client.get(url, {"q": "Nobody at all"}).content.decode())
    assert "No pairs match." in nobody

    # Bad filters and pages change nothing but say why.
    bad = client.get(url, {"state": "nonsense", "page": "x" * 50})
    assert bad.status_code == 200
    html = unescape(bad.content.decode())
    assert "Select a valid choice" in html and rows_of(html) == BOARD_PAGE
    assert rows_of(unescape(client.get(url, {"q": "x" * 500}).content.decode())) == BOARD_PAGE


def test_a_board_row_reads_names_not_answers(programme_a: Any, org_a: Any) -> None:
    seed_running_pairs(programme_a, org_a, 2)
    ids = list(selectors.board_pair_ids(programme_a))
    [shown, _] = selectors.board_pairs(ids)
    assert shown.leader.get_deferred_fields() >= {"answers", "status"}
    assert shown.leader.person.get_deferred_fields() >= {"email", "department"}


def test_waiving_returns_to_the_page_and_filters_it_came_from(
    programme_a: Any, org_a: Any, coordinator: Any
) -> None:
    seed_running_pairs(programme_a, org_a, 2)
    pair = Pair.objects.filter(programme=programme_a).first()
    assert pair is not None
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.PREPARING)
    client = Client()
    client.force_login(coordinator)
    board = reverse("preparation:board", args=[programme_a.slug])
    waive = reverse("preparation:waive", args=[programme_a.slug, pair.pk])
    fields = {"version": pair.version, "requirement": "signature:mentor", "reason": "On paper"}
    back = board + "?state=preparing&page=1"
    response = client.post(waive, {**fields, "back": back})
    assert response.status_code == 302 and response["Location"] == back
    # Anywhere else is not a way back.
    response = client.post(waive, {**fields, "back": "https://elsewhere.example/"})
    assert response["Location"] == board
