"""Reporting lines: ancestor checks at any depth, built from chains or manager links."""

from __future__ import annotations

import numpy as np
import pytest

from upward.matching import MatchingInputError, OrgTree


def small_tree() -> OrgTree:
    #        ceo
    #      /     \
    #    cfo     cto
    #     |     /   \
    #   fin1  eng1  eng2
    #           |
    #         dev1
    return OrgTree.from_managers(
        {
            "ceo": None,
            "cfo": "ceo",
            "cto": "ceo",
            "fin1": "cfo",
            "eng1": "cto",
            "eng2": "cto",
            "dev1": "eng1",
        }
    )


def test_ancestors_at_every_depth() -> None:
    tree = small_tree()
    i = tree.index
    assert tree.is_above(i("ceo"), i("dev1"))  # three levels
    assert tree.is_above(i("cto"), i("dev1"))  # two levels
    assert tree.is_above(i("eng1"), i("dev1"))  # direct
    assert not tree.is_above(i("dev1"), i("ceo"))
    assert not tree.is_above(i("cfo"), i("dev1"))  # a different branch
    assert not tree.is_above(i("eng2"), i("dev1"))  # a peer's report
    assert not tree.is_above(i("dev1"), i("dev1"))
    assert tree.levels_between(i("ceo"), i("dev1")) == 3
    assert tree.levels_between(i("cfo"), i("dev1")) == 0


def test_same_line_is_symmetric_and_vectorised() -> None:
    tree = small_tree()
    ids = ["ceo", "cfo", "cto", "fin1", "eng1", "eng2", "dev1"]
    idx = tree.indices(ids)
    block = tree.in_same_line(idx[:, None], idx[None, :])
    assert block.shape == (7, 7)
    assert np.array_equal(block, block.T)
    naive = np.zeros((7, 7), dtype=bool)
    parents = {
        "cfo": "ceo",
        "cto": "ceo",
        "fin1": "cfo",
        "eng1": "cto",
        "eng2": "cto",
        "dev1": "eng1",
    }
    for a in ids:
        for b in ids:
            x = b
            while x in parents:
                x = parents[x]
                if x == a:
                    naive[ids.index(a), ids.index(b)] = naive[ids.index(b), ids.index(a)] = True
    assert np.array_equal(block, naive)


def test_random_forest_matches_walking_up_the_chain() -> None:
    rng = np.random.default_rng(5)
    n = 400
    parent = np.array([-1 if i < 3 else int(rng.integers(0, i)) for i in range(n)])
    tree = OrgTree(list(range(n)), parent)
    a = rng.integers(0, n, 2000)
    b = rng.integers(0, n, 2000)
    fast = tree.is_above(a, b)
    for x, y, got in zip(a.tolist(), b.tolist(), fast.tolist(), strict=True):
        node, above = y, False
        while parent[node] >= 0:
            node = int(parent[node])
            if node == x:
                above = True
                break
        assert got == above


def test_from_chains_merges_partial_chains() -> None:
    tree = OrgTree.from_chains({"dev": ["lead", "head", "ceo"], "lead": ["head"], "ops": ["ceo"]})
    assert tree.is_above(tree.index("ceo"), tree.index("dev"))
    assert tree.is_above(tree.index("head"), tree.index("lead"))
    assert not tree.is_above(tree.index("ops"), tree.index("dev"))


@pytest.mark.parametrize(
    ("chains", "message"),
    [
        ({"a": ["b"], "c": ["d", "a", "x"]}, "disagree"),
        ({"a": ["a"]}, "own manager chain"),
        ({"a": ["b", "c", "b"]}, "repeats"),
        ({"a": "boss"}, "not a single string"),
    ],
)
def test_bad_chains(chains: dict[str, object], message: str) -> None:
    with pytest.raises(MatchingInputError, match=message):
        OrgTree.from_chains(chains)  # type: ignore[arg-type]


def test_cycles_and_bad_parents_are_refused() -> None:
    with pytest.raises(MatchingInputError, match="cycle"):
        OrgTree.from_managers({"a": "b", "b": "a"})
    with pytest.raises(MatchingInputError, match="own manager"):
        OrgTree(["a"], [0])
    with pytest.raises(MatchingInputError, match="twice"):
        OrgTree(["a", "a"], [-1, -1])
    with pytest.raises(MatchingInputError, match="not in the organisation tree"):
        small_tree().index("nobody")
