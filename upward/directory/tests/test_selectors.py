"""The reporting line at any depth, checked against a plain walk of the tree."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from upward.directory.models import Organisation, Person
from upward.directory.selectors import (
    in_reporting_line,
    reporting_chain_above,
    reporting_chain_below,
)
from upward.directory.services import directory_import_apply
from upward.directory.synthetic import generate_people, to_csv_bytes


@pytest.fixture
def tree(db: object) -> dict[int, int | None]:
    org = Organisation.objects.create(name="Tree", slug="tree")
    rows = generate_people(400, seed=21)
    directory_import_apply(organisation=org, filename="p.csv", data=to_csv_bytes(rows))
    return dict(Person.objects.filter(organisation=org).values_list("id", "manager_id"))


def walk_up(parents: dict[int, int | None], pk: int) -> list[int]:
    chain = []
    node = parents[pk]
    while node is not None:
        chain.append(node)
        node = parents[node]
    return chain


def walk_down(parents: dict[int, int | None], pk: int) -> set[int]:
    return {other for other in parents if pk in walk_up(parents, other)}


def test_chain_above_matches_a_brute_force_walk(tree: dict[int, int | None]) -> None:
    rng = random.Random(4)
    for pk in rng.sample(sorted(tree), 40):
        person = Person.objects.get(pk=pk)
        assert [p.pk for p in reporting_chain_above(person)] == walk_up(tree, pk)


def test_chain_below_matches_a_brute_force_walk(tree: dict[int, int | None]) -> None:
    rng = random.Random(5)
    ceo = next(pk for pk, manager in tree.items() if manager is None)
    for pk in [ceo, *rng.sample(sorted(tree), 30)]:
        person = Person.objects.get(pk=pk)
        assert set(reporting_chain_below(person).values_list("pk", flat=True)) == walk_down(
            tree, pk
        )


def test_in_reporting_line_at_any_depth(tree: dict[int, int | None]) -> None:
    rng = random.Random(6)
    pks = sorted(tree)
    for _ in range(60):
        a, b = rng.sample(pks, 2)
        expected = a in walk_up(tree, b) or b in walk_up(tree, a)
        assert in_reporting_line(Person.objects.get(pk=a), Person.objects.get(pk=b)) is expected
    deepest = max(pks, key=lambda pk: len(walk_up(tree, pk)))
    top = walk_up(tree, deepest)[-1]
    assert len(walk_up(tree, deepest)) >= 5
    assert in_reporting_line(Person.objects.get(pk=deepest), Person.objects.get(pk=top))


def test_chains_cost_a_fixed_number_of_queries_whatever_the_depth(
    tree: dict[int, int | None],
) -> None:
    deepest = max(tree, key=lambda pk: len(walk_up(tree, pk)))
    person = Person.objects.get(pk=deepest)
    with CaptureQueriesContext(connection) as queries:
        chain = reporting_chain_above(person)
    assert len(chain) >= 5
    assert len(queries) == 2
    ceo = Person.objects.get(manager__isnull=True, organisation__slug="tree")
    with CaptureQueriesContext(connection) as queries:
        count = reporting_chain_below(ceo).count()
    assert count == len(tree) - 1
    assert len(queries) == 1
