"""Kept pages (core.page_cache): served again only to the same person and session, and never
once a table they were built from has been written, whoever wrote it and however."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageEncoder
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from upward.accounts.models import RoleGrant
from upward.core import page_cache
from upward.core.page_cache import HEADER, classify
from upward.privacy.tests import helpers as privacy_helpers
from upward.programmes.models import Programme

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    """A browser signed in that has been given its CSRF cookie (by a page with a form), as
    every browser has by the time it opens a kept page."""
    client = privacy_helpers.signed_in(user)
    assert "csrftoken" in client.get("/me/").cookies
    return client


def detail(programme: Programme) -> str:
    return f"/programmes/{programme.slug}/"


# -- Reading tables off SQL ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "kind", "tables"),
    [
        ('SELECT "a"."id" FROM "a" INNER JOIN "b" ON ("a"."b_id" = "b"."id")', "read", {"a", "b"}),
        ("SELECT 1", "read", set()),
        ('SELECT COUNT(*) FROM (SELECT "x"."id" FROM "x") subquery', "read", {"x"}),
        ('INSERT INTO "p" ("a") VALUES (%s)', "write", {"p"}),
        ('INSERT OR IGNORE INTO "p" ("a") VALUES (%s)', "write", {"p"}),
        ('UPDATE "p" SET "a" = %s WHERE "p"."id" IN (SELECT "q"."id" FROM "q")', "write", {"p"}),
        ('DELETE FROM "p" WHERE "p"."id" = %s', "write", {"p"}),
        (
            "WITH RECURSIVE c(id) AS (SELECT id FROM person) SELECT id FROM c",
            "read",
            {"person", "c"},
        ),
        ("WITH x AS (DELETE FROM p RETURNING id) SELECT * FROM x", "write", {"*"}),
        ('ALTER TABLE "p" ADD COLUMN "b" integer', "write", {"*"}),
        ('TRUNCATE "p"', "write", {"*"}),
        ("something nobody wrote", "write", {"*"}),
        ('SAVEPOINT "s1"', "none", set()),
        ("PRAGMA foreign_keys = ON", "none", set()),
    ],
)
def test_statements_are_read_as_reads_writes_or_neither(sql: str, kind: str, tables: set) -> None:
    assert classify(sql) == (kind, frozenset(tables))


def test_a_long_statement_is_read_as_well_as_a_short_one() -> None:
    long = 'SELECT "a"."id" FROM "a" WHERE "a"."id" IN (' + ", ".join(["%s"] * 3000) + ")"  # noqa: S608
    assert classify(long) == ("read", frozenset({"a"}))


# -- Serving and keeping ---------------------------------------------------------------------


def test_a_page_is_kept_and_served_again_to_the_same_session(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    first = client.get(detail(programme_a))
    again = client.get(detail(programme_a))
    assert first.status_code == again.status_code == 200
    assert HEADER not in first and again[HEADER] == "hit"
    assert again.content == first.content
    assert again["Cache-Control"] == first["Cache-Control"]  # still never kept by a browser
    # Another session of the same person is not served the first session's copy.
    assert HEADER not in signed_in(coordinator).get(detail(programme_a))


def test_a_write_to_a_table_the_page_read_makes_it_stale(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    assert client.get(detail(programme_a))[HEADER] == "hit"
    # A bulk update sends no signal; the statement itself is what moves the generation.
    Programme.objects.filter(pk=programme_a.pk).update(name="Renamed for the test")
    fresh = client.get(detail(programme_a))
    assert HEADER not in fresh
    assert "Renamed for the test" in fresh.content.decode()
    assert client.get(detail(programme_a))[HEADER] == "hit"


def test_a_role_taken_away_is_never_answered_from_a_kept_copy(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    assert client.get(detail(programme_a))[HEADER] == "hit"
    RoleGrant.objects.filter(user=coordinator).delete()
    after = client.get(detail(programme_a))
    assert after.status_code in {403, 404} and HEADER not in after


def test_a_raw_write_through_a_cursor_makes_the_page_stale(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    table = Programme._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET "name" = %s WHERE "id" = %s', ["Raw", programme_a.pk])  # noqa: S608
    assert HEADER not in client.get(detail(programme_a))


def test_a_participant_s_home_is_kept_for_them_alone(leader: Any, mentor: Any) -> None:
    mine = signed_in(leader)
    mine.get("/")
    assert mine.get("/")[HEADER] == "hit"
    theirs = signed_in(mentor).get("/")
    assert HEADER not in theirs
    assert theirs.content != mine.get("/").content


def test_a_page_is_not_served_while_a_message_waits(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    session = client.session
    session["_messages"] = MessageEncoder().encode([Message(constants.SUCCESS, "Saved.")])
    session.save()
    shown = client.get(detail(programme_a))
    assert HEADER not in shown and "Saved." in shown.content.decode()


def test_a_page_whose_tables_change_while_it_is_built_is_not_kept(
    programme_a: Programme, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writes a table this page read, after the request began: the copy may
    already be out of date, so it is not kept."""
    real = page_cache.PageCache._keep

    def meanwhile(self: Any, *args: Any) -> None:
        page_cache.publish({Programme._meta.db_table})
        real(self, *args)

    monkeypatch.setattr(page_cache.PageCache, "_keep", meanwhile)
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    assert HEADER not in client.get(detail(programme_a))


def test_a_page_that_writes_while_it_is_built_is_never_kept(
    programme_a: Programme, coordinator: Any
) -> None:
    """An access-log line, say: a kept copy would skip it."""
    from django.test.signals import template_rendered

    def writes(**kwargs: Any) -> None:
        Programme.objects.filter(pk=programme_a.pk).update(name="Touched")

    template_rendered.connect(writes, dispatch_uid="page-cache-test")
    try:
        client = signed_in(coordinator)
        for _ in range(2):
            assert HEADER not in client.get(detail(programme_a))
    finally:
        template_rendered.disconnect(dispatch_uid="page-cache-test")


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_generation_at_its_first_write_and_when_it_commits(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    assert client.get(detail(programme_a))[HEADER] == "hit"
    key = page_cache._gen_key(Programme._meta.db_table)
    before = cache.get(key)
    with transaction.atomic():
        Programme.objects.filter(pk=programme_a.pk).update(name="One")
        during = cache.get(key)
        Programme.objects.filter(pk=programme_a.pk).update(name="Two")
        assert cache.get(key) == during > before  # once per table while it lasts
    assert cache.get(key) > during  # and again once it has committed
    fresh = client.get(detail(programme_a))
    assert HEADER not in fresh and "Two" in fresh.content.decode()


def test_a_restore_makes_every_kept_page_stale(programme_a: Programme, coordinator: Any) -> None:
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    assert client.get(detail(programme_a))[HEADER] == "hit"
    page_cache.publish_everything()
    assert HEADER not in client.get(detail(programme_a))


def test_a_kept_copy_is_encrypted(
    programme_a: Programme, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: list[Any] = []
    real_set = cache.set

    def recording_set(key: str, value: Any, *args: Any, **kwargs: Any) -> Any:
        if ":p:" in key:
            kept.append((key, value))
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    client = signed_in(coordinator)
    page = client.get(detail(programme_a)).content
    [(key, (generations, sealed, person, digest))] = kept
    assert programme_a.name.encode() in page and programme_a.name.encode() not in sealed
    assert page_cache._open(sealed)[2] == page
    assert person == coordinator.pk
    assert all(k.startswith(page_cache._scope()) for k in [key, *generations])
    assert client.get(detail(programme_a))[HEADER] == "hit"
    # A copy that names anyone else, or other session contents, is never served.
    for forged in ((generations, sealed, person + 1, digest), (generations, sealed, person, "x")):
        real_set(key, forged)
        assert HEADER not in client.get(detail(programme_a))


def test_with_the_cache_off_nothing_is_kept(
    programme_a: Programme, coordinator: Any, settings: Any
) -> None:
    settings.UPWARD_PAGE_CACHE = False
    client = signed_in(coordinator)
    client.get(detail(programme_a))
    assert HEADER not in client.get(detail(programme_a))


def test_a_cache_that_is_down_costs_nothing_but_speed(
    programme_a: Programme, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(coordinator)

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    for name in ("get", "get_many", "set", "set_many", "incr", "add"):
        monkeypatch.setattr(cache, name, down)
    for _ in range(2):
        answer = client.get(detail(programme_a))
        assert answer.status_code == 200 and HEADER not in answer
    Programme.objects.filter(pk=programme_a.pk).update(name="Still written")
    assert Programme.objects.get(pk=programme_a.pk).name == "Still written"


def test_the_menu_s_facts_are_kept_until_a_table_they_read_is_written(
    programme_a: Programme, leader: Any, mentor: Any
) -> None:
    from django.contrib.auth import get_user_model
    from django.test.utils import CaptureQueriesContext

    from upward.core import navigation
    from upward.preparation.tests.factory import make_pair

    def facts() -> tuple[dict[str, bool], int]:
        user = get_user_model().objects.get(pk=leader.pk)  # a new request's copy
        with CaptureQueriesContext(connection) as ctx:
            answers = navigation.facts_of(user)
        return answers, len(ctx.captured_queries)

    before, _ = facts()
    assert facts() == (before, 0)  # kept: no query at all
    make_pair(programme_a, leader, mentor)
    after, queries = facts()
    assert queries == 1 and after != before  # the new pair is seen at once
    assert facts() == (after, 0)


def test_an_api_list_is_kept_even_while_a_message_waits_for_a_page(
    programme_a: Programme, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    session = client.session
    session["_messages"] = MessageEncoder().encode([Message(constants.SUCCESS, "Signed in.")])
    session.save()
    client.get("/api/v1/programmes/")
    assert client.get("/api/v1/programmes/")[HEADER] == "hit"
    shown = client.get(detail(programme_a))
    assert HEADER not in shown and "Signed in." in shown.content.decode()


def test_a_kept_copy_is_counted_by_view_like_any_request(
    programme_a: Programme, coordinator: Any
) -> None:
    from prometheus_client import REGISTRY

    def served() -> float:
        labels = {"view": "programmes:detail", "transport": "http", "method": "GET"}
        name = "django_http_requests_total_by_view_transport_method_total"
        return REGISTRY.get_sample_value(name, labels) or 0.0

    client = signed_in(coordinator)
    client.get(detail(programme_a))
    before = served()
    assert client.get(detail(programme_a))[HEADER] == "hit"
    assert served() == before + 1


def test_the_signed_in_person_s_row_is_kept_until_the_users_table_is_written(
    leader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth import get_user_model
    from django.test.utils import CaptureQueriesContext

    kept: list[Any] = []
    real_set = cache.set

    def recording_set(key: str, value: Any, *args: Any, **kwargs: Any) -> Any:
        kept.append(value)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    client = Client()
    client.force_login(leader, backend="upward.accounts.backends.AuthenticationBackend")
    users = get_user_model()._meta.db_table

    def user_reads() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            status = client.get("/me/").status_code
        return status, sum(f'FROM "{users}"' in q["sql"] for q in ctx.captured_queries)

    user_reads()
    assert user_reads() == (200, 0)  # the row was kept
    # Sealed: the kept row is encrypted, never the email in the clear.
    assert kept and all(leader.email.encode() not in repr(v).encode() for v in kept)
    get_user_model().objects.filter(pk=leader.pk).update(is_active=False)
    status, reads = user_reads()
    assert reads == 1 and status == 302  # deactivated: signed out on the very next request
