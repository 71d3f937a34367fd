"""Independent reference answers for the tests (SciPy), written as plainly as possible."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

BIG = 1e7


def scipy_optimum(
    scores: npt.NDArray[np.float64],
    capacity: npt.ArrayLike | None = None,
    *,
    minimize: bool = False,
) -> tuple[int, float]:
    """(number of matched rows, best total among matchings of that size) via SciPy.

    Columns are cloned ``capacity`` times. A forbidden pair (nan) costs 0 and means
    "unmatched"; an allowed pair costs ``-BIG -/+ score``, so SciPy first maximises the number
    of real pairs and then optimises the total. Scores must be far smaller than BIG.
    """
    n_cols = scores.shape[1]
    cap = np.ones(n_cols, dtype=int) if capacity is None else np.asarray(capacity, dtype=int)
    cloned = np.repeat(scores, cap, axis=1)
    if cloned.shape[1] == 0:
        return 0, 0.0
    allowed = ~np.isnan(cloned)
    values = np.nan_to_num(cloned)
    cost = np.where(allowed, -BIG + (values if minimize else -values), 0.0)
    rows, cols = linear_sum_assignment(cost)
    real = allowed[rows, cols]
    return int(real.sum()), float(values[rows[real], cols[real]].sum())
