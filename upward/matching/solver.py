"""Exact assignment of rows (leaders) to columns (mentors) with capacities.

The solver first matches as many rows as possible and then, among all matchings of that size,
finds the one with the largest (or smallest) total score. It is exact: it calls OR-Tools'
``SimpleLinearSumAssignment`` when the problem is a square one-to-one problem with a perfect
matching, and ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` otherwise (rectangular
problems, forbidden pairs that leave someone out, capacities above one). A perfect assignment
with dummy nodes was tried for the rectangular case and was two orders of magnitude slower than
min-cost flow on the same graph, so it is not used.

Integer scaling
---------------
OR-Tools works with 64-bit integer costs, so float scores are turned into integers:

1. Scores are shifted so that the best score costs 0 and the worst costs ``R = max - min``.
   This shift does not change which matching is best, because every matching the solver
   compares has the same number of pairs (the maximum).
2. If every score is a whole number and ``R`` is small enough, the integers are used as they
   are and the optimum is exact (this is the case for the OR-Library instances).
3. Otherwise the shifted scores are multiplied by a power of two ``scale`` chosen so that
   ``R * scale`` is close to ``2**36`` but never above ``INT64_MAX / (4 * (nodes + 1))``
   (OR-Tools multiplies costs by ``nodes + 1`` internally and refuses larger costs), then
   rounded. Each pair's cost is then off by at most ``0.5 / scale`` and a matching of ``m``
   pairs by at most ``m * 0.5 / scale``: two matchings whose float totals differ by more than
   ``m / scale`` (about ``m * R * 1.5e-11``) are always ranked correctly, so ties and tiny
   differences do not change the optimum beyond that bound.
4. If OR-Tools still reports a cost-range problem, the scale is lowered and the solve retried.

``Assignment.total`` is always recomputed from the original float scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
from ortools.graph.python import (  # type: ignore[import-untyped, unused-ignore]
    linear_sum_assignment,
    min_cost_flow,
)
from scipy.sparse.csgraph import (  # type: ignore[import-untyped, unused-ignore]
    maximum_bipartite_matching,
)

from upward.matching.errors import InfeasibleError, LockConflictError, MatchingInputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

SCALE_BITS = 36
_INT64_MAX = int(np.iinfo(np.int64).max)
_RETRY_SHIFT = 10
_MAX_ATTEMPTS = 4

PairsLike = Iterable[tuple[int, int]] | npt.ArrayLike


@dataclass(frozen=True)
class Assignment:
    """The result of :func:`solve`.

    ``pairs`` lists ``(row, column)`` pairs sorted by row (locked pairs included), ``total`` is
    the sum of their scores, ``unmatched`` the rows left without a partner, ``scale`` the
    factor used to turn float scores into integers (1.0 when they were whole numbers) and
    ``method`` the OR-Tools algorithm that solved the free part of the problem.
    """

    pairs: list[tuple[int, int]]
    total: float
    unmatched: list[int]
    scale: float = 1.0
    method: str = "none"
    column_load: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)

    @property
    def cardinality(self) -> int:
        """Number of matched rows."""
        return len(self.pairs)

    def column_of(self, row: int) -> int | None:
        """The column matched to ``row``, or ``None`` if the row is unmatched."""
        return dict(self.pairs).get(row)


def solve(
    scores: npt.ArrayLike | sp.sparray | sp.spmatrix,
    *,
    capacity: npt.ArrayLike | None = None,
    minimize: bool = False,
    locked: PairsLike = (),
    excluded: PairsLike = (),
    method: str = "auto",
) -> Assignment:
    """Match rows to columns: as many rows as possible, then the best total score.

    ``scores`` is a 2-D array (``nan`` marks a forbidden pair) or a SciPy sparse matrix (an
    absent entry is forbidden; an explicitly stored 0 is an allowed pair with score 0).
    ``capacity`` gives how many rows each column may take (default 1 each). ``locked`` pairs
    are always part of the result; ``excluded`` pairs are never returned. With
    ``minimize=True`` the total is minimised instead of maximised.

    Raises a ``ValueError`` subclass naming the problem for malformed input, for locks that
    contradict the scores, exclusions or capacities, and when nobody can be matched.
    """
    rows, cols, values, shape = _edges_from_scores(scores)
    return solve_edges(
        rows,
        cols,
        values,
        shape=shape,
        capacity=capacity,
        minimize=minimize,
        locked=locked,
        excluded=excluded,
        method=method,
    )


def solve_edges(
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    scores: npt.ArrayLike,
    *,
    shape: tuple[int, int],
    capacity: npt.ArrayLike | None = None,
    minimize: bool = False,
    locked: PairsLike = (),
    excluded: PairsLike = (),
    method: str = "auto",
) -> Assignment:
    """Same as :func:`solve`, for a graph given as edge lists.

    ``rows[i]``, ``cols[i]`` and ``scores[i]`` describe the i-th allowed pair; every pair not
    listed is forbidden. Each pair may be listed only once. ``method`` is ``"auto"`` (linear
    sum assignment when it applies, min-cost flow otherwise) or ``"min_cost_flow"``.
    """
    if method not in ("auto", "min_cost_flow"):
        raise MatchingInputError(f"method must be 'auto' or 'min_cost_flow', got {method!r}")
    n_rows, n_cols = _check_shape(shape)
    r = _index_array(rows, "rows", n_rows)
    c = _index_array(cols, "cols", n_cols)
    w_raw = np.asarray(scores)
    if w_raw.size and w_raw.dtype.kind not in "iuf":
        raise MatchingInputError(f"scores must be real numbers, got dtype {w_raw.dtype}")
    w = w_raw.astype(np.float64)
    if not (r.shape == c.shape == w.shape) or r.ndim != 1:
        raise MatchingInputError(
            "rows, cols and scores must be 1-D arrays of the same length, got lengths "
            f"{np.shape(rows)}, {np.shape(cols)} and {np.shape(scores)}"
        )
    if w.size and not np.all(np.isfinite(w)):
        raise MatchingInputError(
            "scores must be finite numbers; leave a forbidden pair out instead of giving it "
            "nan or inf"
        )
    cap = _capacity_array(capacity, n_cols)
    locked_pairs = _pairs_array(locked, "locked", n_rows, n_cols)
    excluded_pairs = _pairs_array(excluded, "excluded", n_rows, n_cols)

    keys = r * n_cols + c
    order = np.argsort(keys, kind="stable")
    keys, r, c, w = keys[order], r[order], c[order], w[order]
    if keys.size > 1:
        dup = np.flatnonzero(keys[1:] == keys[:-1])
        if dup.size:
            k = int(keys[dup[0]])
            raise MatchingInputError(
                f"scores has more than one entry for (row {k // n_cols}, column {k % n_cols}); "
                "give one value per pair"
            )

    excluded_keys = np.unique(excluded_pairs[:, 0] * n_cols + excluded_pairs[:, 1])
    locked_keys = locked_pairs[:, 0] * n_cols + locked_pairs[:, 1]
    _check_locks(locked_pairs, locked_keys, excluded_keys, keys, cap, n_cols)

    # Scores of the locked pairs (they are known to be allowed edges).
    locked_pos = np.searchsorted(keys, locked_keys)
    locked_values = w[locked_pos]

    keep = np.ones(keys.size, dtype=bool)
    if excluded_keys.size:
        keep &= ~np.isin(keys, excluded_keys)
    locked_rows = np.zeros(n_rows, dtype=bool)
    locked_rows[locked_pairs[:, 0]] = True
    keep &= ~locked_rows[r]
    rest_cap = cap - np.bincount(locked_pairs[:, 1], minlength=n_cols)
    keep &= rest_cap[c] > 0
    r_free, c_free, w_free = r[keep], c[keep], w[keep]

    if locked_pairs.shape[0] == 0 and r_free.size == 0:
        if keys.size == 0:
            raise InfeasibleError("nobody can be matched: every pair is forbidden")
        if excluded_keys.size and np.all(np.isin(keys, excluded_keys)):
            raise InfeasibleError("nobody can be matched: every allowed pair is excluded")
        raise InfeasibleError(
            "nobody can be matched: every column that has an allowed pair has capacity 0"
        )

    sel, scale, used = _solve_free(
        r_free, c_free, w_free, rest_cap, minimize, allow_lsa=method == "auto"
    )
    sel_r, sel_c, chosen_values = r_free[sel], c_free[sel], w_free[sel]

    all_r = np.concatenate([locked_pairs[:, 0], sel_r])
    all_c = np.concatenate([locked_pairs[:, 1], sel_c])
    all_v = np.concatenate([locked_values, chosen_values])
    order = np.argsort(all_r, kind="stable")
    all_r, all_c, all_v = all_r[order], all_c[order], all_v[order]
    matched = np.zeros(n_rows, dtype=bool)
    matched[all_r] = True
    return Assignment(
        pairs=list(zip(all_r.tolist(), all_c.tolist(), strict=True)),
        total=math.fsum(all_v.tolist()),
        unmatched=np.flatnonzero(~matched).tolist(),
        scale=scale,
        method=used,
        column_load=np.bincount(all_c, minlength=n_cols).astype(np.int64),
    )


# ----------------------------------------------------------------------------------------------
# The free problem (locks already removed)


def _solve_free(
    r: IntArray, c: IntArray, w: FloatArray, cap: IntArray, minimize: bool, *, allow_lsa: bool
) -> tuple[IntArray, float, str]:
    """Solve the problem without locks; return the chosen edge indices, scale and method."""
    if r.size == 0:
        return np.zeros(0, dtype=np.int64), 1.0, "none"
    row_ids, r_local = _compact(r)
    col_ids, c_local = _compact(c)
    n_r, n_c = row_ids.size, col_ids.size
    col_cap = cap[col_ids]
    if allow_lsa and n_r == n_c and np.all(col_cap == 1):
        graph = sp.csr_array((np.ones(r.size, dtype=np.int8), (r_local, c_local)), shape=(n_r, n_c))
        mates = maximum_bipartite_matching(graph, perm_type="column")
        if np.all(mates >= 0):
            result = _solve_lsa(r_local, c_local, w, n_r, minimize)
            if result is not None:
                sel, scale = result
                return sel, scale, "linear_sum_assignment"
    sel, scale = _solve_mcf(r_local, c_local, w, n_r, n_c, col_cap, minimize)
    return sel, scale, "min_cost_flow"


def _solve_lsa(
    r: IntArray, c: IntArray, w: FloatArray, n: int, minimize: bool
) -> tuple[IntArray, float] | None:
    """Perfect assignment with OR-Tools; ``None`` if OR-Tools fears an overflow."""
    costs, scale = integer_costs(w, minimize=minimize, limit=_cost_limit(2 * n + 2))
    solver = linear_sum_assignment.SimpleLinearSumAssignment()
    solver.add_arcs_with_cost(r.astype(np.int32), c.astype(np.int32), costs)
    if solver.solve() != solver.OPTIMAL:
        return None  # the caller falls back to min-cost flow
    mate = np.fromiter((solver.right_mate(i) for i in range(n)), dtype=np.int64, count=n)
    # Edges are sorted by (row, column), so each row's chosen edge is found by binary search.
    keys = r * n + c
    return np.searchsorted(keys, np.arange(n, dtype=np.int64) * n + mate), scale


def _solve_mcf(
    r: IntArray,
    c: IntArray,
    w: FloatArray,
    n_r: int,
    n_c: int,
    col_cap: IntArray,
    minimize: bool,
) -> tuple[IntArray, float]:
    """Maximum flow of minimum cost: source -> rows -> columns -> sink."""
    n_edges = r.size
    source, sink = n_r + n_c, n_r + n_c + 1
    degree = np.bincount(c, minlength=n_c)
    sink_cap = np.minimum(col_cap, degree).astype(np.int64)
    tails = np.concatenate(
        [r, np.full(n_r, source, dtype=np.int64), n_r + np.arange(n_c, dtype=np.int64)]
    ).astype(np.int32)
    heads = np.concatenate(
        [n_r + c, np.arange(n_r, dtype=np.int64), np.full(n_c, sink, dtype=np.int64)]
    ).astype(np.int32)
    capacities = np.concatenate([np.ones(n_edges + n_r, dtype=np.int64), sink_cap])
    supply = int(min(n_r, int(sink_cap.sum())))
    limit = _cost_limit(n_r + n_c + 2)
    for _ in range(_MAX_ATTEMPTS):
        costs, scale = integer_costs(w, minimize=minimize, limit=limit)
        unit_costs = np.concatenate([costs, np.zeros(n_r + n_c, dtype=np.int64)])
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
        flow.set_node_supply(source, supply)
        flow.set_node_supply(sink, -supply)
        status = flow.solve_max_flow_with_min_cost()
        if status == flow.OPTIMAL:
            flows = np.asarray(flow.flows(np.arange(n_edges, dtype=np.int32)))
            return np.flatnonzero(flows > 0).astype(np.int64), scale
        if status != flow.BAD_COST_RANGE:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        limit >>= _RETRY_SHIFT
    raise MatchingInputError(
        "the score range is too wide to solve exactly with 64-bit integer costs"
    )


def _compact(values: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct values (sorted) and each value's position among them, without sorting."""
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present).astype(np.int64), position[values].astype(np.int64)


def integer_costs(scores: FloatArray, *, minimize: bool, limit: int) -> tuple[IntArray, float]:
    """Turn float scores into non-negative int64 costs no larger than ``limit``.

    Returns the costs and the scale used (see the module docstring). Whole-number scores whose
    range fits are used unscaled, so their optimum is exact.
    """
    if scores.size == 0:
        return np.zeros(0, dtype=np.int64), 1.0
    lo, hi = float(scores.min()), float(scores.max())
    shifted = scores - lo if minimize else hi - scores
    spread = hi - lo
    if spread == 0.0:
        return np.zeros(scores.size, dtype=np.int64), 1.0
    if spread <= limit and max(abs(lo), abs(hi)) < 2.0**53 and _is_integral(scores):
        return np.rint(shifted).astype(np.int64), 1.0
    exponent = math.floor(math.log2(limit / spread))
    scale = math.ldexp(1.0, exponent)
    while spread * scale > limit:  # guard against rounding in log2
        exponent -= 1
        scale = math.ldexp(1.0, exponent)
    return np.rint(shifted * scale).astype(np.int64), scale


def _cost_limit(n_nodes: int) -> int:
    """Largest cost range OR-Tools accepts for ``n_nodes`` nodes, capped at 2**SCALE_BITS."""
    return int(min(2**SCALE_BITS, _INT64_MAX // (4 * (n_nodes + 1))))


def _is_integral(values: FloatArray) -> bool:
    return bool(np.all(values == np.rint(values)))


# ----------------------------------------------------------------------------------------------
# Input checking


def _edges_from_scores(
    scores: Any,
) -> tuple[IntArray, IntArray, FloatArray, tuple[int, int]]:
    """Allowed pairs of a dense or sparse score matrix as edge lists."""
    if sp.issparse(scores):
        if len(scores.shape) != 2:
            raise MatchingInputError(f"scores must be 2-D, got shape {scores.shape}")
        if scores.dtype.kind not in "iuf":
            raise MatchingInputError(f"scores must hold real numbers, got dtype {scores.dtype}")
        coo = scores.tocoo()  # keeps explicitly stored zeros
        rows = np.asarray(coo.row, dtype=np.int64)
        cols = np.asarray(coo.col, dtype=np.int64)
        values = np.asarray(coo.data, dtype=np.float64)
        if values.size and not np.all(np.isfinite(values)):
            raise MatchingInputError(
                "sparse scores must be finite; leave a forbidden pair out instead of storing "
                "nan or inf"
            )
        shape = (int(scores.shape[0]), int(scores.shape[1]))
        _check_shape(shape)
        return rows, cols, values, shape
    try:
        arr = np.asarray(scores)
    except (TypeError, ValueError) as exc:
        raise MatchingInputError(f"scores must be a 2-D array of numbers: {exc}") from None
    if arr.ndim != 2:
        raise MatchingInputError(f"scores must be a 2-D array, got {arr.ndim} dimension(s)")
    if arr.dtype.kind not in "iuf":
        raise MatchingInputError(
            f"scores must hold real numbers (nan for forbidden pairs), got dtype {arr.dtype}"
        )
    shape = (int(arr.shape[0]), int(arr.shape[1]))
    _check_shape(shape)
    arr = arr.astype(np.float64, copy=False)
    if np.isinf(arr).any():
        r, c = np.argwhere(np.isinf(arr))[0]
        raise MatchingInputError(
            f"scores contains an infinite value at (row {r}, column {c}); "
            "use nan to mark a forbidden pair"
        )
    rows, cols = np.nonzero(~np.isnan(arr))
    return rows.astype(np.int64), cols.astype(np.int64), arr[rows, cols], shape


def _check_shape(shape: tuple[int, int]) -> tuple[int, int]:
    if len(shape) != 2:
        raise MatchingInputError(f"shape must have two numbers, got {shape}")
    n_rows, n_cols = int(shape[0]), int(shape[1])
    if n_rows <= 0:
        raise MatchingInputError("scores has no rows: there is nobody to match")
    if n_cols <= 0:
        raise MatchingInputError("scores has no columns: there is nobody to match with")
    return n_rows, n_cols


def _index_array(values: npt.ArrayLike, name: str, bound: int) -> IntArray:
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind not in "iu":
        raise MatchingInputError(f"{name} must be integer indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64).reshape(arr.shape)
    if arr.size and (arr.min() < 0 or arr.max() >= bound):
        bad = int(arr[(arr < 0) | (arr >= bound)][0])
        raise MatchingInputError(f"{name} has index {bad}, outside 0..{bound - 1}")
    return arr


def _capacity_array(capacity: npt.ArrayLike | None, n_cols: int) -> IntArray:
    if capacity is None:
        return np.ones(n_cols, dtype=np.int64)
    arr = np.asarray(capacity)
    if arr.ndim == 0:
        arr = np.full(n_cols, arr)
    if arr.shape != (n_cols,):
        raise MatchingInputError(
            f"capacity must have one entry per column ({n_cols}), got shape {arr.shape}"
        )
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.rint(arr)):
            raise MatchingInputError("capacity must hold whole numbers")
    elif arr.dtype.kind not in "iu":
        raise MatchingInputError(f"capacity must hold whole numbers, got dtype {arr.dtype}")
    out = arr.astype(np.int64)
    if (out < 0).any():
        col = int(np.flatnonzero(out < 0)[0])
        raise MatchingInputError(
            f"capacity must not be negative (column {col} has {int(out[col])})"
        )
    return out


def _pairs_array(pairs: PairsLike, name: str, n_rows: int, n_cols: int) -> IntArray:
    if isinstance(pairs, np.ndarray):
        arr = pairs
    else:
        try:
            arr = np.asarray(list(pairs))  # type: ignore[arg-type]
        except TypeError:
            raise MatchingInputError(f"{name} must be a list of (row, column) pairs") from None
    if arr.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise MatchingInputError(f"{name} must be a list of (row, column) pairs")
    if arr.dtype.kind not in "iu":
        raise MatchingInputError(f"{name} must hold integer (row, column) indices")
    out = arr.astype(np.int64)
    bad = (out[:, 0] < 0) | (out[:, 0] >= n_rows) | (out[:, 1] < 0) | (out[:, 1] >= n_cols)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise MatchingInputError(
            f"{name} pair ({out[i, 0]}, {out[i, 1]}) is outside the {n_rows} x {n_cols} scores"
        )
    return out


def _check_locks(
    locked: IntArray,
    locked_keys: IntArray,
    excluded_keys: IntArray,
    edge_keys: IntArray,
    cap: IntArray,
    n_cols: int,
) -> None:
    if locked.shape[0] == 0:
        return
    rows_seen, counts = np.unique(locked[:, 0], return_counts=True)
    if (counts > 1).any():
        row = int(rows_seen[np.flatnonzero(counts > 1)[0]])
        raise LockConflictError(f"row {row} is locked more than once; a row has one partner")
    both = np.isin(locked_keys, excluded_keys)
    if both.any():
        i = int(np.flatnonzero(both)[0])
        raise LockConflictError(
            f"pair ({locked[i, 0]}, {locked[i, 1]}) is both locked and excluded"
        )
    pos = np.searchsorted(edge_keys, locked_keys)
    pos_clipped = np.minimum(pos, max(edge_keys.size - 1, 0))
    present = (pos < edge_keys.size) & (
        edge_keys[pos_clipped] == locked_keys if edge_keys.size else False
    )
    if not np.all(present):
        i = int(np.flatnonzero(~np.asarray(present, dtype=bool))[0])
        raise LockConflictError(
            f"locked pair ({locked[i, 0]}, {locked[i, 1]}) is forbidden by the scores"
        )
    load = np.bincount(locked[:, 1], minlength=n_cols)
    over = load > cap
    if over.any():
        col = int(np.flatnonzero(over)[0])
        raise LockConflictError(
            f"column {col} has {int(load[col])} locked rows but capacity {int(cap[col])}"
        )
