"""Equity statistics against published worked examples and hand-computed answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.equity import byars, concentration_index, rate_ratio, relative_ranks, sii, wilson

# ---------------------------------------------------------------------------------------------
# Wilson: Newcombe (1998) Statistics in Medicine 17:857, Table I, method 3 (score).


@pytest.mark.parametrize(
    "count,n,lower,upper",
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_newcombe_examples(count, n, lower, upper):
    lo, hi = wilson(count, n)
    assert (round(float(lo), 4), round(float(hi), 4)) == (lower, upper)


def test_wilson_vectorised_and_bad_input():
    lo, hi = wilson([10, 0], [100, 0])
    assert lo[0] < 0.1 < hi[0] and np.isnan(lo[1])
    with pytest.raises(ValueError):
        wilson(11, 10)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000), st.data())
def test_wilson_contains_estimate_and_widens(n, data):
    x = data.draw(st.integers(0, n))
    lo95, hi95 = wilson(x, n, 0.95)
    lo998, hi998 = wilson(x, n, 0.998)
    p = x / n
    assert lo95 <= p + 1e-12 and p - 1e-12 <= hi95
    assert lo998 <= lo95 + 1e-12 and hi95 <= hi998 + 1e-12
    assert 0 <= lo998 and hi998 <= 1


# ---------------------------------------------------------------------------------------------
# Byar's and exact Poisson limits (Fingertips technical guide; Breslow and Day 1987).


def test_byars_known_values():
    lo, hi = byars([0, 5, 100])
    assert np.round(lo, 4).tolist() == [0.0, 1.6235, 81.3621]
    assert np.round(hi, 4).tolist() == [3.6889, 11.6683, 121.6279]
    lo, hi = byars(100, 0.998)
    assert (round(float(lo[()]), 2), round(float(hi[()]), 2)) == (71.9, 134.94)


def test_byars_rate_per_1000():
    lo, hi = byars([100], denominator=[2000], multiplier=1000)
    assert lo[0] == pytest.approx(81.3621 / 2, abs=1e-3) and hi[0] == pytest.approx(121.6279 / 2, abs=1e-3)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 100000))
def test_byars_contains_count_and_widens(count):
    lo95, hi95 = byars(count, 0.95)
    lo998, hi998 = byars(count, 0.998)
    assert lo95 <= count <= hi95
    assert lo998 <= lo95 and hi95 <= hi998


# ---------------------------------------------------------------------------------------------
# SII and RII


def test_relative_ranks():
    assert relative_ranks([12, 10, 78]).tolist() == pytest.approx([0.06, 0.17, 0.61])


def test_sii_hand_computed():
    # Equal populations: relative ranks 0.1..0.9; least squares slope of [10, 12, 15, 16, 20]
    # on them is 4.8 / 0.4 = 12, intercept 14.6 - 12 * 0.5 = 8.6.
    result = sii([1, 2, 3, 4, 5], [100] * 5, [10, 12, 15, 16, 20], se=[1] * 5, repetitions=10000)
    assert result.sii == pytest.approx(12)
    assert result.intercept == pytest.approx(8.6)
    assert result.rii == pytest.approx(20.6 / 8.6)
    assert result.rii_mean == pytest.approx(12 / 14.6)


def test_sii_interval_matches_the_analytic_one_for_normal_values():
    # The slope is linear in the values: its standard error with se 1 in every quintile is
    # sqrt(sum(c^2)) with c = (b - 0.5) / 0.4 = [-1, -0.5, 0, 0.5, 1], i.e. sqrt(2.5).
    result = sii([1, 2, 3, 4, 5], [100] * 5, [10, 12, 15, 16, 20], se=[1] * 5, repetitions=200_000)
    half = 1.959964 * np.sqrt(2.5)
    lo, hi = result.ci("sii", 0.95)
    assert lo == pytest.approx(12 - half, abs=0.05) and hi == pytest.approx(12 + half, abs=0.05)
    lo998, hi998 = result.ci("sii", 0.998)
    assert lo998 < lo and hi < hi998


def test_sii_exact_for_linear_data_with_unequal_populations():
    pop = np.array([500, 2000, 800, 1200, 3000])
    b = relative_ranks(pop)
    result = sii(range(1, 6), pop, 50 + 30 * b, se=np.full(5, 0.5), repetitions=5000)
    assert result.sii == pytest.approx(30) and result.intercept == pytest.approx(50) and result.rii == pytest.approx(80 / 50)


def test_sii_quantile_order_does_not_matter():
    a = sii([1, 2, 3, 4, 5], [10, 20, 30, 40, 50], [1.0, 2, 2.5, 3, 5], se=[0.2] * 5, repetitions=2000)
    b = sii([5, 3, 1, 4, 2], [50, 30, 10, 40, 20], [5, 2.5, 1.0, 3, 2], se=[0.2] * 5, repetitions=2000)
    assert a.sii == pytest.approx(b.sii) and a.rii == pytest.approx(b.rii)


def test_sii_proportion_from_counts_with_logit_transform_and_seed():
    counts, pops = [120, 150, 170, 200, 230], [1000] * 5
    one = sii(range(1, 6), pops, count=counts, value_type="proportion", repetitions=20000, seed=1)
    two = sii(range(1, 6), pops, count=counts, value_type="proportion", repetitions=20000, seed=1)
    other = sii(range(1, 6), pops, count=counts, value_type="proportion", repetitions=20000, seed=2)
    assert one.intervals == two.intervals and one.intervals != other.intervals
    # Positive: higher in the less deprived quintiles (quintile 1 = most deprived at rank 0).
    # Least squares slope of 0.12, 0.15, 0.17, 0.20, 0.23 on ranks 0.1..0.9: 0.054 / 0.4.
    assert one.sii == pytest.approx(0.135)
    lo, hi = one.ci()
    assert lo < one.sii < hi and lo > 0


def test_sii_rate_uses_log_limits():
    values, lower, upper = [50.0, 40, 35, 30, 20], [45.0, 36, 31, 26, 17], [55.0, 44, 39, 34, 23]
    result = sii(range(1, 6), [1000] * 5, values, value_type="rate", lower=lower, upper=upper, repetitions=20000)
    assert result.sii < 0 and result.rii < 1
    lo, hi = result.ci("rii")
    assert lo < result.rii < hi


def test_sii_refuses_bad_input():
    with pytest.raises(ValueError, match="between 5 and 100"):
        sii([1, 2, 3], [1, 1, 1], [1, 2, 3], se=[1, 1, 1])
    with pytest.raises(ValueError, match="positive population"):
        sii(range(5), [1, 0, 1, 1, 1], [1] * 5, se=[1] * 5)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        sii(range(5), [10] * 5, count=[0, 1, 2, 3, 4], value_type="proportion")
    with pytest.raises(ValueError, match="1,000 repetitions"):
        sii(range(5), [10] * 5, [1] * 5, se=[1] * 5, repetitions=10)


# ---------------------------------------------------------------------------------------------
# Comparisons: Newcombe (1998) Statistics in Medicine 17:873, Table II, method 10.


@pytest.mark.parametrize(
    "x1,n1,x2,n2,lower,upper",
    [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090), (5, 56, 0, 29, -0.0381, 0.1926)],
)
def test_newcombe_hybrid_difference(x1, n1, x2, n2, lower, upper):
    c = rate_ratio(x1, n1, x2, n2)
    assert (round(c.difference_ci[0], 4), round(c.difference_ci[1], 4)) == (lower, upper)


def test_rate_ratio_hand_computed():
    # Proportions 30/100 vs 10/100: RR 3, SE(log) = sqrt(1/30 - 1/100 + 1/10 - 1/100) = 0.33665.
    c = rate_ratio(30, 100, 10, 100)
    assert c.ratio == pytest.approx(3) and c.ratio_ci == pytest.approx((1.5508, 5.8034), abs=1e-4)
    # Poisson rates: SE(log) = sqrt(1/30 + 1/10) = 0.36515.
    r = rate_ratio(30, 1000, 10, 1000, kind="rate")
    assert r.ratio == pytest.approx(3) and r.ratio_ci == pytest.approx((1.4666, 6.1367), abs=1e-4)
    assert r.difference == pytest.approx(0.02)


def test_rate_ratio_with_zero_count_has_no_ratio_interval():
    c = rate_ratio(0, 100, 10, 100)
    assert c.ratio == 0 and np.isnan(c.ratio_ci[0])


# ---------------------------------------------------------------------------------------------
# Concentration index (Kakwani, Wagstaff and van Doorslaer 1997), grouped data.


def test_concentration_index_hand_computed():
    assert concentration_index([1] * 5, [5, 4, 3, 2, 1]) == pytest.approx(-4 / 15)
    assert concentration_index([1] * 5, [3] * 5) == pytest.approx(0)
    assert concentration_index([1] * 5, [1, 0, 0, 0, 0]) == pytest.approx(-0.8)
    assert concentration_index([1] * 5, [0, 0, 0, 0, 1]) == pytest.approx(0.8)


# ---------------------------------------------------------------------------------------------
# Deprivation groups on the real store
