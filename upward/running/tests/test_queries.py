"""The running pages answer in a bounded number of queries whatever the programme's size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from upward.pairs.models import Pair
from upward.running import selectors, services, views
from upward.running.seed import seed_running_pairs

pytestmark = pytest.mark.django_db


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_board_and_the_participants_pages_do_not_grow_with_the_programme(
    client: Any,
    pair: Pair,
    leader: Any,
    mentor: Any,
    coordinator: Any,
    org_a: Any,
    django_assert_max_num_queries: Any,
) -> None:
    services.note_save(pair=pair, by=leader, title="Agenda", body="x")
    services.goal_save(pair=pair, by=leader, statement="Run a session", kept_because="Draft")
    board = reverse("running:board", args=[pair.programme.slug])
    participant = [
        reverse("running:mine"),
        reverse("running:pair", args=[pair.pk]),
        reverse("running:notes", args=[pair.pk]),
        reverse("running:goals", args=[pair.pk]),
    ]
    client.force_login(coordinator)
    small_board = count_queries(client, board)
    client.force_login(leader)
    small = [count_queries(client, url) for url in participant]

    seed_running_pairs(pair.programme, org_a, 40)
    client.force_login(coordinator)
    with django_assert_max_num_queries(small_board):
        page = client.get(board).content.decode()
    # 40 pairs of two names; the 14 quiet ones are listed again above the table.
    assert page.count("Seeded s ") == 2 * 40 + 2 * 14
    client.force_login(leader)
    for url, before in zip(participant, small, strict=True):
        with django_assert_max_num_queries(before):
            client.get(url)
    # The absolute figures include the menu (the role grants and one query for all its other
    # questions, core.navigation), the programme's own running settings and the check-in
    # comments shared with the coordinator.
    assert small_board <= 12 and max(small) <= 9, (small_board, small)


def test_the_board_pages_its_pairs_and_reads_only_what_it_shows(
    client: Any, pair: Pair, coordinator: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    board = reverse("running:board", args=[pair.programme.slug])
    client.force_login(coordinator)
    small = count_queries(client, board)
    seed_running_pairs(pair.programme, org_a, views.BOARD_PAGE + 20)
    with django_assert_max_num_queries(small):
        first = client.get(board).content.decode()
    with django_assert_max_num_queries(small):
        second = client.get(board + "?page=2").content.decode()
    rows = first.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == views.BOARD_PAGE
    assert second.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") == 21
    assert "Page 2 of 2" in second
    # A page of pairs reads their two names, not the people's applications (whose answers are
    # encrypted): only the fields the board shows are loaded.
    shown = selectors.board_pairs(pair.programme).filter(pk=pair.pk).get()
    assert shown.get_deferred_fields() >= {"cohort_id", "proposal_id"}
    assert shown.leader.get_deferred_fields() >= {"status", "side"}
