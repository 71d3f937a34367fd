"""Pre/post statistics: the paired change with a confidence interval, an effect size and a test,
explained in plain words. Plain Python on SciPy; the caller checks the anonymity threshold.

- the mean change and its 95% confidence interval from the t distribution;
- Cohen's d for paired data (d_z: the mean change divided by the standard deviation of the
  changes) and the paired t-test;
- the Wilcoxon signed-rank test with its matched-pairs rank-biserial correlation, which does
  not assume the changes are normally distributed (Likert means often are not).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_PAIRS = 3


@dataclass(frozen=True)
class PairedChange:
    pairs: int
    mean_before: float
    mean_after: float
    mean_change: float
    ci_low: float
    ci_high: float
    cohens_d: float
    t_statistic: float
    t_p_value: float
    wilcoxon_statistic: float
    wilcoxon_p_value: float
    rank_biserial: float

    def in_words(self, higher_is: str = "better", confidence: float = 0.95) -> str:
        direction = "rose" if self.mean_change > 0 else "fell" if self.mean_change < 0 else "held"
        size = effect_words(self.cohens_d)
        sure = (
            "The change is unlikely to be chance alone"
            if self.wilcoxon_p_value < 0.05 and self.t_p_value < 0.05
            else "The change could well be chance"
        )
        return (
            f"Across {self.pairs} people who answered both times, the average score {direction} "
            f"from {self.mean_before:.2f} to {self.mean_after:.2f} "
            f"({self.mean_change:+.2f}; {round(confidence * 100)}% confidence interval "
            f"{self.ci_low:+.2f} to {self.ci_high:+.2f}). That is a {size} effect "
            f"(Cohen's d {self.cohens_d:.2f}). {sure} (paired t-test p = {self.t_p_value:.3f}; "
            f"Wilcoxon signed-rank p = {self.wilcoxon_p_value:.3f}). Higher is {higher_is}."
        )


def effect_words(d: float) -> str:
    """Cohen's conventional labels for the size of d."""
    a = abs(d)
    if a < 0.2:
        return "negligible"
    if a < 0.5:
        return "small"
    if a < 0.8:
        return "medium"
    return "large"


def rank_biserial(differences: Sequence[float]) -> float:
    """Matched-pairs rank-biserial correlation: (T+ - T-) / (T+ + T-), zeros dropped."""
    d = np.asarray([x for x in differences if x != 0], dtype=float)
    if d.size == 0:
        return 0.0
    ranks = stats.rankdata(np.abs(d))
    plus = float(ranks[d > 0].sum())
    minus = float(ranks[d < 0].sum())
    return (plus - minus) / (plus + minus)


def paired_change(
    before: Sequence[float], after: Sequence[float], *, confidence: float = 0.95
) -> PairedChange:
    if len(before) != len(after):
        raise ValueError("before and after must hold the same people")
    if len(before) < MIN_PAIRS:
        raise ValueError(f"at least {MIN_PAIRS} pairs are needed")
    b = np.asarray(before, dtype=float)
    a = np.asarray(after, dtype=float)
    d = a - b
    n = int(d.size)
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    if sd == 0:
        t_stat, t_p = (0.0, 1.0) if mean == 0 else (math.copysign(math.inf, mean), 0.0)
        cohen = 0.0 if mean == 0 else math.copysign(math.inf, mean)
    else:
        t = stats.ttest_rel(a, b)
        t_stat, t_p = float(t.statistic), float(t.pvalue)
        cohen = mean / sd
    if np.all(d == 0):
        w_stat, w_p = 0.0, 1.0
    else:
        w = stats.wilcoxon(d)
        w_stat, w_p = float(w.statistic), float(w.pvalue)
    return PairedChange(
        pairs=n,
        mean_before=float(b.mean()),
        mean_after=float(a.mean()),
        mean_change=mean,
        ci_low=mean - half,
        ci_high=mean + half,
        cohens_d=cohen,
        t_statistic=t_stat,
        t_p_value=t_p,
        wilcoxon_statistic=w_stat,
        wilcoxon_p_value=w_p,
        rank_biserial=rank_biserial(d.tolist()),
    )
