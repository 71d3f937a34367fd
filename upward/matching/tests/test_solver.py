"""The exact solver against SciPy, on random instances and on chosen edge cases."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upward.matching import (
    InfeasibleError,
    LockConflictError,
    MatchingInputError,
    solve,
    solve_edges,
)
from upward.matching.solver import integer_costs
from upward.matching.tests.oracle import scipy_optimum

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw: st.DrawFn, *, integers: bool = False) -> dict[str, object]:
    n_rows = draw(st.integers(1, 7))
    n_cols = draw(st.integers(1, 7))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if integers:
        scores = rng.integers(-20, 21, size=(n_rows, n_cols)).astype(float)
    else:
        scores = rng.uniform(-100, 100, size=(n_rows, n_cols))
        # Plenty of exact ties.
        ties = rng.random((n_rows, n_cols)) < 0.3
        scores[ties] = np.round(scores[ties] / 25) * 25
    density = draw(st.sampled_from([0.3, 0.6, 1.0]))
    scores[rng.random((n_rows, n_cols)) > density] = np.nan
    capacity = rng.integers(0, 3, size=n_cols) if draw(st.booleans()) else None
    return {"scores": scores, "capacity": capacity, "minimize": draw(st.booleans())}


def check_valid(result: object, scores: np.ndarray, capacity: object) -> None:
    """No forbidden pair, no row twice, no column above capacity, consistent total."""
    pairs = result.pairs  # type: ignore[attr-defined]
    rows = [r for r, _ in pairs]
    assert len(rows) == len(set(rows))
    cap = np.ones(scores.shape[1], int) if capacity is None else np.asarray(capacity)
    load = np.bincount([c for _, c in pairs], minlength=scores.shape[1])
    assert np.all(load <= cap)
    for r, c in pairs:
        assert not np.isnan(scores[r, c])
    assert result.total == pytest.approx(sum(scores[r, c] for r, c in pairs), abs=1e-9)  # type: ignore[attr-defined]
    assert sorted(result.unmatched + rows) == list(range(scores.shape[0]))  # type: ignore[attr-defined]


@SETTINGS
@given(instances())
def test_matches_scipy_optimum(inst: dict[str, object]) -> None:
    scores = inst["scores"]
    assert isinstance(scores, np.ndarray)
    expected_n, expected_total = scipy_optimum(
        scores, inst["capacity"], minimize=bool(inst["minimize"])
    )
    if expected_n == 0:
        with pytest.raises(InfeasibleError):
            solve(scores, capacity=inst["capacity"], minimize=bool(inst["minimize"]))
        return
    result = solve(scores, capacity=inst["capacity"], minimize=bool(inst["minimize"]))
    check_valid(result, scores, inst["capacity"])
    assert result.cardinality == expected_n  # cardinality first
    assert result.total == pytest.approx(expected_total, abs=1e-6)


@SETTINGS
@given(instances(integers=True))
def test_integer_scores_are_exact_on_both_algorithms(inst: dict[str, object]) -> None:
    scores = inst["scores"]
    assert isinstance(scores, np.ndarray)
    expected_n, expected_total = scipy_optimum(
        scores, inst["capacity"], minimize=bool(inst["minimize"])
    )
    if expected_n == 0:
        return
    for method in ("auto", "min_cost_flow"):
        result = solve(
            scores, capacity=inst["capacity"], minimize=bool(inst["minimize"]), method=method
        )
        assert result.cardinality == expected_n
        assert result.total == expected_total  # whole numbers: exactly equal
        assert result.scale == 1.0


@st.composite
def locked_instances(draw: st.DrawFn) -> dict[str, object]:
    inst = draw(instances())
    scores = inst["scores"]
    assert isinstance(scores, np.ndarray)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_rows, n_cols = scores.shape
    cap = inst["capacity"] if inst["capacity"] is not None else np.ones(n_cols, int)
    cap = np.asarray(cap)
    load = np.zeros(n_cols, int)
    locked = []
    for r in rng.permutation(n_rows)[: rng.integers(0, n_rows + 1)]:
        options = [c for c in range(n_cols) if not np.isnan(scores[r, c]) and load[c] < cap[c]]
        if options and rng.random() < 0.5:
            c = int(rng.choice(options))
            locked.append((int(r), c))
            load[c] += 1
    allowed = [(r, c) for r in range(n_rows) for c in range(n_cols) if not np.isnan(scores[r, c])]
    free = [p for p in allowed if p not in locked]
    excluded = [free[i] for i in rng.permutation(len(free))[: rng.integers(0, len(free) + 1)]]
    return {**inst, "locked": locked, "excluded": excluded}


@SETTINGS
@given(locked_instances())
def test_locks_kept_exclusions_respected_rest_optimal(inst: dict[str, object]) -> None:
    scores = inst["scores"]
    assert isinstance(scores, np.ndarray)
    locked = inst["locked"]
    excluded = inst["excluded"]
    assert isinstance(locked, list) and isinstance(excluded, list)
    minimize = bool(inst["minimize"])
    n_cols = scores.shape[1]
    cap = np.asarray(inst["capacity"] if inst["capacity"] is not None else np.ones(n_cols, int))
    # Reference: the rest of the problem, with locked rows removed and capacity used up.
    rest = scores.copy()
    for r, c in excluded:
        rest[r, c] = np.nan
    for r, _ in locked:
        rest[r, :] = np.nan
    rest_cap = cap - np.bincount([c for _, c in locked], minlength=n_cols)
    ref_n, ref_total = scipy_optimum(rest, rest_cap, minimize=minimize)
    if not locked and ref_n == 0:
        with pytest.raises(InfeasibleError):
            solve(scores, capacity=inst["capacity"], minimize=minimize, excluded=excluded)
        return
    result = solve(
        scores, capacity=inst["capacity"], minimize=minimize, locked=locked, excluded=excluded
    )
    check_valid(result, scores, inst["capacity"])
    pairs = set(result.pairs)
    assert set(locked) <= pairs
    assert not (set(excluded) & pairs)
    assert result.cardinality == len(locked) + ref_n
    locked_total = sum(scores[r, c] for r, c in locked)
    assert result.total == pytest.approx(locked_total + ref_total, abs=1e-6)


def test_cardinality_comes_before_score() -> None:
    # Taking the 100 leaves row 1 alone; two pairs worth 2 are better.
    scores = np.array([[100.0, 1.0], [1.0, np.nan]])
    result = solve(scores)
    assert result.pairs == [(0, 1), (1, 0)]
    assert result.total == 2.0


def test_rectangular_more_rows_than_columns() -> None:
    scores = np.array([[5.0], [7.0], [6.0]])
    result = solve(scores)
    assert result.pairs == [(1, 0)]
    assert result.unmatched == [0, 2]
    assert result.column_of(1) == 0 and result.column_of(0) is None


def test_capacity_lets_a_column_take_several_rows() -> None:
    scores = np.array([[5.0, 1.0], [7.0, 1.0], [6.0, 1.0]])
    result = solve(scores, capacity=[2, 1])
    assert sorted(result.pairs) == [(0, 1), (1, 0), (2, 0)]
    assert list(result.column_load) == [2, 1]


def test_zero_capacity_column_is_never_used() -> None:
    scores = np.array([[9.0, 1.0], [9.0, 2.0]])
    result = solve(scores, capacity=[0, 1])
    assert result.pairs == [(1, 1)]


def test_sparse_explicit_zero_is_an_allowed_pair() -> None:
    # A CSR matrix with an explicitly stored 0 at (1, 1): allowed, with score 0.
    data = np.array([3.0, 0.0])
    matrix = sp.csr_array((data, ([0, 1], [0, 1])), shape=(2, 2))
    assert matrix.nnz == 2
    result = solve(matrix)
    assert result.pairs == [(0, 0), (1, 1)]
    assert result.total == 3.0


def test_sparse_absent_entry_is_forbidden() -> None:
    matrix = sp.coo_array((np.array([3.0, 4.0]), ([0, 1], [0, 0])), shape=(2, 2))
    result = solve(matrix)
    assert result.pairs == [(1, 0)]
    assert result.unmatched == [0]


def test_sparse_and_dense_agree() -> None:
    rng = np.random.default_rng(3)
    dense = rng.uniform(0, 10, size=(30, 40))
    dense[rng.random((30, 40)) < 0.7] = np.nan
    rows, cols = np.nonzero(~np.isnan(dense))
    matrix = sp.csr_array((dense[rows, cols], (rows, cols)), shape=dense.shape)
    a, b = solve(dense), solve(matrix)
    assert a.pairs == b.pairs
    assert a.total == b.total


def test_tiny_differences_decide_the_optimum() -> None:
    # Two perfect matchings whose totals differ by 1e-7 on a range of 100 (1e-9 relative).
    eps = 1e-7
    scores = np.array([[100.0, 100.0], [100.0 + eps, 100.0]])  # anti-diagonal wins by eps
    assert solve(scores).pairs == [(0, 1), (1, 0)]
    assert solve(scores, method="min_cost_flow").pairs == [(0, 1), (1, 0)]
    scores[1, 0] = 100.0 - eps  # now the diagonal wins by eps
    assert solve(scores).pairs == [(0, 0), (1, 1)]
    assert solve(scores, method="min_cost_flow").pairs == [(0, 0), (1, 1)]
    # A 3-cycle beats the diagonal by 1e-7 on a 0..100 range (1e-9 of the spread).
    wide = 100.0 * np.eye(3)
    wide[0, 1] = wide[1, 2] = 100.0
    wide[2, 0] = 100.0 + 1e-7
    assert solve(wide).pairs == [(0, 1), (1, 2), (2, 0)]
    wide[2, 0] = 100.0 - 1e-7
    assert solve(wide).pairs == [(0, 0), (1, 1), (2, 2)]


def test_ties_are_resolved_the_same_way_every_time() -> None:
    scores = np.ones((6, 6))
    first = solve(scores)
    for _ in range(3):
        again = solve(scores)
        assert again.pairs == first.pairs
    assert first.total == 6.0


def test_integer_costs_scaling_and_bounds() -> None:
    values = np.array([0.1, 0.2, 0.3])
    costs, scale = integer_costs(values, minimize=False, limit=2**36)
    assert scale == 2.0 ** np.floor(np.log2(2**36 / 0.2))
    assert costs.max() <= 2**36 and costs.min() == 0
    assert costs[2] == 0  # the best score costs nothing when maximising
    whole, scale1 = integer_costs(np.array([3.0, -4.0, 10.0]), minimize=True, limit=2**36)
    assert scale1 == 1.0 and list(whole) == [7, 0, 14]


def test_large_spread_is_scaled_down_and_still_correct() -> None:
    scores = np.array([[1e15, 0.0], [0.0, 1e15]])
    result = solve(scores)
    assert result.pairs == [(0, 0), (1, 1)]
    assert result.scale < 1.0


def test_edge_lists_give_the_same_answer() -> None:
    result = solve_edges([0, 0, 1], [0, 1, 1], [1.0, 5.0, 2.0], shape=(2, 2))
    assert result.pairs == [(0, 0), (1, 1)]


def test_same_input_same_output() -> None:
    rng = np.random.default_rng(11)
    scores = np.round(rng.uniform(0, 5, size=(40, 50)))
    scores[rng.random((40, 50)) < 0.5] = np.nan
    results = [solve(scores, capacity=np.full(50, 2)) for _ in range(3)]
    assert all(r.pairs == results[0].pairs for r in results)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": np.zeros(3)}, "2-D"),
        ({"scores": np.zeros((0, 3))}, "no rows"),
        ({"scores": np.zeros((3, 0))}, "no columns"),
        ({"scores": np.array([[1.0, np.inf]])}, "infinite"),
        ({"scores": np.array([["a", "b"]])}, "real numbers"),
        ({"scores": np.array([[True, False]])}, "real numbers"),
        ({"scores": np.ones((2, 2)), "capacity": [1, -1]}, "negative"),
        ({"scores": np.ones((2, 2)), "capacity": [1]}, "one entry per column"),
        ({"scores": np.ones((2, 2)), "capacity": [1.5, 1]}, "whole numbers"),
        ({"scores": np.ones((2, 2)), "locked": [(0, 5)]}, "outside"),
        ({"scores": np.ones((2, 2)), "locked": [(0, 0), (0, 1)]}, "locked more than once"),
        ({"scores": np.ones((2, 2)), "locked": [(0, 0)], "excluded": [(0, 0)]}, "both locked"),
        ({"scores": np.array([[np.nan, 1.0]]), "locked": [(0, 0)]}, "forbidden"),
        ({"scores": np.ones((2, 1)), "locked": [(0, 0), (1, 0)]}, "capacity"),
        ({"scores": np.full((2, 2), np.nan)}, "nobody can be matched"),
        ({"scores": np.ones((2, 2)), "capacity": [0, 0]}, "capacity 0"),
        ({"scores": np.ones((1, 1)), "excluded": [(0, 0)]}, "excluded"),
        ({"scores": np.ones((2, 2)), "method": "greedy"}, "method"),
    ],
)
def test_bad_input_is_refused_with_a_message(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        solve(**kwargs)  # type: ignore[arg-type]


def test_lock_errors_are_typed() -> None:
    with pytest.raises(LockConflictError):
        solve(np.ones((2, 2)), locked=[(0, 0)], excluded=[(0, 0)])
    assert issubclass(LockConflictError, MatchingInputError)


def test_sparse_nan_and_duplicates_are_refused() -> None:
    with pytest.raises(MatchingInputError, match="finite"):
        solve(sp.csr_array((np.array([np.nan]), ([0], [0])), shape=(1, 1)))
    dup = sp.coo_array((np.array([1.0, 2.0]), ([0, 0], [0, 0])), shape=(1, 1))
    with pytest.raises(MatchingInputError, match="more than one entry"):
        solve(dup)
