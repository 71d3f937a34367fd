"""Beasley's OR-Library assignment instances: the solver must reach every published optimum.

The files live in ``../shared/data/orlib-assign/`` next to the repository (see SOURCES.md
there); the test is skipped when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from upward.matching import solve

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA = REPO_ROOT.parent / "shared" / "data" / "orlib-assign"

OPTIMA = {
    "assign100": 305,
    "assign200": 475,
    "assign300": 626,
    "assign400": 804,
    "assign500": 991,
    "assign600": 1176,
    "assign700": 1362,
    "assign800": 1552,
    "assignp800": 2239,
    "assignp1500": 5839,
    "assignp3000": 18696,
    "assignp5000": 48533,
}


def load(name: str) -> np.ndarray | sp.coo_array:
    tokens = np.array((DATA / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    if name.startswith("assignp"):
        triples = tokens[1:].reshape(-1, 3)
        return sp.coo_array(
            (triples[:, 2].astype(float), (triples[:, 0] - 1, triples[:, 1] - 1)), shape=(n, n)
        )
    return tokens[1:].reshape(n, n).astype(float)


def test_published_optima_file_agrees_with_this_test() -> None:
    if not DATA.is_dir():
        pytest.skip(f"OR-Library instances not found at {DATA}")
    listed = {}
    for line in (DATA / "assignopt.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("assign"):
            listed[parts[0]] = int(parts[1])
    assert listed == OPTIMA


@pytest.mark.parametrize("name", list(OPTIMA))
def test_reproduces_published_optimum(name: str) -> None:
    if not DATA.is_dir():
        pytest.skip(f"OR-Library instances not found at {DATA}")
    scores = load(name)
    result = solve(scores, minimize=True)
    assert result.cardinality == scores.shape[0]
    assert result.total == OPTIMA[name]


@pytest.mark.parametrize("name", ["assign100", "assign400", "assignp800", "assignp5000"])
def test_min_cost_flow_path_reaches_the_same_optima(name: str) -> None:
    if not DATA.is_dir():
        pytest.skip(f"OR-Library instances not found at {DATA}")
    scores = load(name)
    result = solve(scores, minimize=True, method="min_cost_flow")
    assert result.method == "min_cost_flow"
    assert result.total == OPTIMA[name]
