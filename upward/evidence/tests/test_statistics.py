"""Pre/post statistics against known values (no database)."""

from __future__ import annotations

import math

import pytest

from upward.evidence.statistics import effect_words, paired_change, rank_biserial

# SciPy's documentation of scipy.stats.wilcoxon: differences in height of cross- and
# self-fertilised Zea mays pairs (Fisher's data); wilcoxon(d) gives statistic 24, p 0.041259765625.
SCIPY_D = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]


def test_wilcoxon_matches_the_worked_example_in_scipys_documentation() -> None:
    result = paired_change([0.0] * 15, [float(x) for x in SCIPY_D])
    assert result.wilcoxon_statistic == 24.0
    assert result.wilcoxon_p_value == pytest.approx(0.041259765625, abs=1e-12)
    # Ranks of the negatives are 10 (48) and 14 (67): T- = 24, T+ = 96, r = 72/120.
    assert result.rank_biserial == pytest.approx(0.6, abs=1e-12)
    assert rank_biserial([0, 1, -2]) == pytest.approx((1 - 2) / 3)
    assert "unlikely to be chance" in result.in_words()


def test_paired_t_and_interval_by_hand() -> None:
    before = [3.0, 3.5, 4.0, 2.5, 3.0]
    after = [4.0, 5.5, 7.0, 6.5, 8.0]  # changes 1, 2, 3, 4, 5
    r = paired_change(before, after)
    sd = math.sqrt(2.5)
    assert r.pairs == 5
    assert r.mean_before == 3.2 and r.mean_after == 6.2
    assert r.mean_change == 3.0
    assert r.cohens_d == pytest.approx(3 / sd, abs=1e-12)
    assert r.t_statistic == pytest.approx(3 / (sd / math.sqrt(5)), abs=1e-12)  # 4.2426
    assert r.t_p_value == pytest.approx(0.013236, abs=1e-6)
    # t(0.975, 4) = 2.776445105
    half = 2.7764451051977987 * sd / math.sqrt(5)
    assert r.ci_low == pytest.approx(3 - half, abs=1e-9)
    assert r.ci_high == pytest.approx(3 + half, abs=1e-9)
    assert r.rank_biserial == 1.0
    words = r.in_words()
    assert "from 3.20 to 6.20 (+3.00" in words and "large effect" in words
    # With 5 pairs the exact Wilcoxon p cannot fall below 0.0625: the words stay cautious.
    assert r.wilcoxon_p_value == 0.0625
    assert "could well be chance" in words


def test_no_change_and_bad_input() -> None:
    r = paired_change([3.0, 4.0, 5.0], [3.0, 4.0, 5.0])
    assert (r.mean_change, r.cohens_d, r.t_p_value, r.wilcoxon_p_value) == (0.0, 0.0, 1.0, 1.0)
    assert "held" in r.in_words() and "could well be chance" in r.in_words()
    with pytest.raises(ValueError, match="same people"):
        paired_change([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 3"):
        paired_change([1.0, 2.0], [1.0, 2.0])
    assert [effect_words(x) for x in (0.1, -0.3, 0.6, 1.2)] == [
        "negligible",
        "small",
        "medium",
        "large",
    ]
