"""``field__any_of``: the same rows as ``__in`` everywhere; on PostgreSQL written as an array the
planner estimates on the column's index (core.lookups)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection

from upward.pairs.models import Pair
from upward.programmes.models import Application
from upward.running.seed import seed_running_pairs

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds(programme_a: Any, org_a: Any) -> None:
    seed_running_pairs(programme_a, org_a, 5)
    pair = Pair.objects.order_by("pk")[2]
    mine = Application.objects.filter(user_id=pair.mentor.user_id).values("pk")
    assert list(Pair.objects.filter(mentor__any_of=mine)) == [pair]
    assert list(Pair.objects.filter(leader__any_of=mine)) == []
    assert list(Pair.objects.filter(mentor__any_of=[pair.mentor_id])) == [pair]


def test_on_postgresql_it_is_an_array_of_the_subquery() -> None:
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings = copy.deepcopy(connection.settings_dict)
    settings.update(ENGINE="django.db.backends.postgresql", NAME="unused", OPTIONS={})
    postgresql = DatabaseWrapper(settings)  # compiles only: never connects
    mine = Application.objects.filter(user_id=7).values("pk")
    sql, _ = (
        Pair.objects.filter(leader__any_of=mine).query.get_compiler(connection=postgresql).as_sql()
    )
    assert '"pairs_pair"."leader_id" = ANY(ARRAY(SELECT' in sql
    listed, _ = (
        Pair.objects.filter(leader__any_of=[1, 2])
        .query.get_compiler(connection=postgresql)
        .as_sql()
    )
    assert '"pairs_pair"."leader_id" IN (' in listed
