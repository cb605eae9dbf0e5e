"""Equity statistics, as OHID (Fingertips) computes them.

Plain functions on numbers and DataFrames, no Streamlit. Public API (stable names):

* :func:`wilson` — Wilson score interval for a proportion.
* :func:`byars` — Byar's interval for a count (exact chi-squared below 10 events), and for a
  rate when a denominator is given.
* :func:`quantile_groups` — national or local deprivation deciles/quintiles, and aggregation
  of LSOA numerators and denominators to them.
* :func:`sii` — slope and relative index of inequality (``phe_sii``), with simulated
  confidence intervals, plus the alternative RII (SII / population mean).
* :func:`rate_ratio` — most to least deprived quantile ratio, and the absolute gap with
  Newcombe's hybrid score interval.
* :func:`concentration_index` — for grouped data.

**Conventions.** Quantile 1 is always the *most deprived*. In :func:`sii` the quantiles are
ordered from most deprived (relative rank 0) to least deprived (relative rank 1), so
``SII = fitted value at the least deprived end - fitted value at the most deprived end``:
for reach (higher is better) a positive SII means reach is *lower* in more deprived areas.
``RII = least / most deprived fitted value`` (OHID). The alternative RII is ``SII / mean``
(ScotPHO, the Strategy Unit): never compare one with the other.

Wilson and Byar's intervals call OHID's ``PHStatsMethods`` (``wilson_lower``/``_upper``,
``byars_lower``/``_upper``, ``exact_lower``/``_upper``). Its ``byars()`` wrapper is not used:
version 0.1.16 passes ``1 - confidence`` to the limit functions (for 100 events it returns
99.0-101.3 instead of 81.4-121.6).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Iterable, Literal

import numpy as np
import PHStatsMethods as phs
from scipy.stats import norm

CONFIDENCE_LEVELS = (0.95, 0.998)

# --------------------------------------------------------------------------------------------
# Intervals


def _confidence(confidence: float) -> float:
    if confidence > 1:
        confidence = confidence / 100
    if not 0.5 <= confidence < 1:
        raise ValueError(f"confidence must be between 0.5 and 1 (or 50 and 100), got {confidence}")
    return confidence


def wilson(count, denominator, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for the proportion ``count / denominator``.

    ``(2O + z² ± z√(z² + 4O(1 - O/n))) / (2(n + z²))`` — Wilson (1927); Newcombe and Altman in
    *Statistics with Confidence* (2000). Vectorised; returns (lower, upper) as proportions
    (multiply by 1,000 for a rate per 1,000). A zero denominator gives NaN.
    """
    confidence = _confidence(confidence)
    count = np.asarray(count, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    if np.any(count < 0) or np.any(count > denominator):
        raise ValueError("Wilson interval needs 0 <= count <= denominator")
    lower = np.vectorize(lambda o, n: phs.wilson_lower(o, n, confidence) if n > 0 else np.nan, otypes=[float])
    upper = np.vectorize(lambda o, n: phs.wilson_upper(o, n, confidence) if n > 0 else np.nan, otypes=[float])
    # clipped: at count = 0 or count = n the formula's limits are 0 or 1 up to rounding
    return np.clip(lower(count, denominator), 0, 1), np.clip(upper(count, denominator), 0, 1)


def _byars_lower(o: float, confidence: float) -> float:
    return 0.0 if o == 0 else float(phs.byars_lower(o, confidence))


def _byars_upper(o: float, confidence: float) -> float:
    return float(phs.exact_upper(0, confidence)) if o == 0 else float(phs.byars_upper(o, confidence))


def byars(count, confidence: float = 0.95, denominator=None, multiplier: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Byar's interval for a Poisson count, with the exact chi-squared method below 10 events.

    Lower ``O(1 - 1/(9O) - z/(3√O))³``, upper ``(O+1)(1 - 1/(9(O+1)) + z/(3√(O+1)))³``
    (Breslow and Day 1987); below 10 events ``χ²(α/2; 2O)/2`` and ``χ²(1-α/2; 2O+2)/2``.
    With a ``denominator`` the limits are for the rate ``count / denominator * multiplier``.
    """
    confidence = _confidence(confidence)
    count = np.asarray(count, dtype=float)
    if np.any(count < 0):
        raise ValueError("Byar's interval needs a count of 0 or more")
    lower = np.vectorize(lambda o: _byars_lower(o, confidence), otypes=[float])(count)
    upper = np.vectorize(lambda o: _byars_upper(o, confidence), otypes=[float])(count)
    if denominator is not None:
        denominator = np.asarray(denominator, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(denominator > 0, multiplier / np.where(denominator > 0, denominator, 1), np.nan)
        return lower * scale, upper * scale
    return lower, upper


# --------------------------------------------------------------------------------------------
# Deprivation groups


@dataclass
class SIIResult:
    """SII, RII and their simulated intervals. See the module notes for the sign convention."""

    sii: float
    rii: float
    rii_mean: float
    intercept: float
    intervals: dict[float, dict[str, tuple[float, float]]] = field(default_factory=dict)
    value_type: str = "normal"
    repetitions: int = 0
    quantiles: int = 0

    def ci(self, measure: str = "sii", confidence: float = 0.95) -> tuple[float, float]:
        return self.intervals[_confidence(confidence)][measure]


def relative_ranks(population) -> np.ndarray:
    """Midpoint of each quantile in the cumulative population share (quantiles in order)."""
    pop = np.asarray(population, dtype=float)
    a = pop / pop.sum()
    return np.cumsum(a) - a / 2


def _transform(v, value_type):
    v = np.asarray(v, dtype=float)
    if value_type == "rate":
        return np.log(v)
    if value_type == "proportion":
        return np.log(v / (1 - v))
    return v


def _untransform(v, value_type):
    if value_type == "rate":
        return np.exp(v)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-v))
    return v


def sii(
    quantile,
    population,
    value=None,
    *,
    count=None,
    value_type: Literal["normal", "rate", "proportion"] = "normal",
    lower=None,
    upper=None,
    se=None,
    multiplier: float = 1.0,
    confidence: float | Iterable[float] = CONFIDENCE_LEVELS,
    repetitions: int = 100_000,
    seed: int | None = 20251030,
) -> SIIResult:
    """Slope index of inequality and relative index of inequality, as ``phe_sii``.

    Inputs are one value per quantile (1 = most deprived): ``population`` (denominator), the
    indicator ``value`` (or ``count`` for a proportion, value = count / population), and its
    uncertainty as ``se`` or 95% ``lower`` and ``upper`` limits. For ``value_type='rate'`` the
    limits are log-transformed and for ``'proportion'`` logit-transformed before
    ``se = (upper - lower) / (2 × 1.96)``; for a proportion without limits the 95% Wilson
    limits of ``count / population`` are used.

    Method (Low and Low 2004; PHEindicatormethods ``phe_sii``): relative rank ``b`` = midpoint
    of the quantile's population share; weighted least squares of ``value`` on ``b`` with
    weights ``a`` (the population shares), fitted as ``y√a = β₀√a + β₁ b√a``. SII = ``β₁``
    (times ``multiplier``), the fitted difference from the most to the least deprived end;
    RII = ``(β₀ + β₁) / β₀``; alternative RII = SII / population-weighted mean.

    Intervals: ``repetitions`` draws of each quantile's value from a normal distribution
    (on the transformed scale) with its standard error, back-transformed, refitted; the
    interval is the matching percentiles of the simulated SIIs (and RIIs). Seeded.
    """
    q = np.asarray(quantile)
    order = np.argsort(q, kind="stable")
    pop = np.asarray(population, dtype=float)[order]
    n_q = len(pop)
    if not 5 <= n_q <= 100:
        raise ValueError("SII needs between 5 and 100 quantiles")
    if np.any(~np.isfinite(pop)) or np.any(pop <= 0):
        raise ValueError("SII needs a positive population in every quantile")
    if repetitions < 1000:
        raise ValueError("SII intervals need at least 1,000 repetitions")
    if value is None:
        if count is None or value_type != "proportion":
            raise ValueError("give value, or count with value_type='proportion'")
        value = np.asarray(count, dtype=float) / np.asarray(population, dtype=float)
    y = np.asarray(value, dtype=float)[order]
    if value_type == "proportion" and (np.any(y <= 0) or np.any(y >= 1)):
        raise ValueError("proportions must lie strictly between 0 and 1 in every quantile (logit transform)")
    if value_type == "rate" and np.any(y <= 0):
        raise ValueError("rates must be above 0 in every quantile (log transform)")

    if se is not None:
        s = np.asarray(se, dtype=float)[order]
    else:
        if lower is None or upper is None:
            if value_type == "proportion" and count is not None:
                lo, hi = wilson(np.asarray(count, dtype=float), np.asarray(population, dtype=float), 0.95)
                lower, upper = lo, hi
            else:
                raise ValueError("give se, or lower and upper 95% limits")
        lo = _transform(np.asarray(lower, dtype=float)[order], value_type)
        hi = _transform(np.asarray(upper, dtype=float)[order], value_type)
        s = (hi - lo) / (2 * norm.ppf(0.975))
    if np.any(~np.isfinite(s)) or np.any(s < 0):
        raise ValueError("standard errors must be finite and not negative")

    a = pop / pop.sum()
    b = relative_ranks(pop)
    sqrt_a = np.sqrt(a)
    X = np.column_stack([sqrt_a, b * sqrt_a])
    solver = np.linalg.solve(X.T @ X, X.T)  # (2, n_q): least-squares coefficients from y√a
    beta0, beta1 = solver @ (y * sqrt_a)
    mean = float(np.sum(a * y))
    result = SIIResult(
        sii=float(multiplier * beta1),
        rii=float((beta0 + beta1) / beta0) if multiplier >= 0 else float(beta0 / (beta0 + beta1)),
        rii_mean=float(beta1 / mean),
        intercept=float(beta0),
        value_type=value_type,
        repetitions=repetitions,
        quantiles=n_q,
    )

    rng = np.random.default_rng(seed)
    draws = _untransform(rng.normal(_transform(y, value_type)[:, None], s[:, None], size=(n_q, repetitions)), value_type)
    params = solver @ (draws * sqrt_a[:, None])
    sim_sii = multiplier * params[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        sim_rii = (params[0] + params[1]) / params[0]
        if multiplier < 0:
            sim_rii = 1 / sim_rii
        sim_rii_mean = params[1] / (a @ draws)
    levels = [confidence] if np.isscalar(confidence) else list(confidence)
    for level in levels:
        level = _confidence(level)
        tail = (1 - level) / 2
        result.intervals[level] = {
            name: tuple(float(x) for x in np.quantile(sim, [tail, 1 - tail]))
            for name, sim in (("sii", sim_sii), ("rii", sim_rii), ("rii_mean", sim_rii_mean))
        }
    return result


# --------------------------------------------------------------------------------------------
# Comparisons


@dataclass
class Comparison:
    """Most deprived (group 1) against least deprived (group 2)."""

    ratio: float
    ratio_ci: tuple[float, float]
    difference: float
    difference_ci: tuple[float, float]
    kind: str
    confidence: float


def rate_ratio(
    count_1, denominator_1, count_2, denominator_2, *, kind: Literal["proportion", "rate"] = "proportion", confidence: float = 0.95
) -> Comparison:
    """Ratio and difference of two proportions or Poisson rates (group 1 / group 2).

    Ratio interval on the log scale (Katz): ``SE = √(1/x₁ - 1/n₁ + 1/x₂ - 1/n₂)`` for
    proportions, ``√(1/x₁ + 1/x₂)`` for rates. Difference of proportions with Newcombe's
    hybrid score interval (method 10, Newcombe 1998) from the two Wilson intervals:
    ``d - √((p₁-l₁)² + (u₂-p₂)²)`` to ``d + √((u₁-p₁)² + (p₂-l₂)²)``; for rates the
    difference interval is the normal approximation ``√(x₁/n₁² + x₂/n₂²)``.
    """
    confidence = _confidence(confidence)
    x1, n1, x2, n2 = (float(v) for v in (count_1, denominator_1, count_2, denominator_2))
    if min(n1, n2) <= 0:
        raise ValueError("denominators must be positive")
    z = norm.ppf(0.5 + confidence / 2)
    p1, p2 = x1 / n1, x2 / n2
    if x1 > 0 and x2 > 0:
        se = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2) if kind == "proportion" else np.sqrt(1 / x1 + 1 / x2)
        ratio = p1 / p2
        ratio_ci = (float(ratio * np.exp(-z * se)), float(ratio * np.exp(z * se)))
    else:
        ratio = p1 / p2 if p2 > 0 else np.nan
        ratio_ci = (np.nan, np.nan)
    d = p1 - p2
    if kind == "proportion":
        (l1,), (u1,) = wilson([x1], [n1], confidence)
        (l2,), (u2,) = wilson([x2], [n2], confidence)
        diff_ci = (d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    elif kind == "rate":
        half = z * np.sqrt(x1 / n1**2 + x2 / n2**2)
        diff_ci = (d - half, d + half)
    else:
        raise ValueError("kind must be 'proportion' or 'rate'")
    return Comparison(float(ratio), ratio_ci, float(d), (float(diff_ci[0]), float(diff_ci[1])), kind, confidence)


def concentration_index(population, value) -> float:
    """Concentration index for grouped data, groups ordered from most to least deprived.

    ``C = (2 / μ) Σ fₜ μₜ Rₜ - 1`` with ``fₜ`` the population share, ``μₜ`` the group's mean,
    ``Rₜ`` its relative rank (midpoint of the cumulative share) and ``μ`` the overall mean
    (Kakwani, Wagstaff and van Doorslaer 1997). Ranges from -1 to 1: negative when the
    quantity (e.g. reach) is concentrated in the more deprived groups, positive when in the
    less deprived.
    """
    pop = np.asarray(population, dtype=float)
    mu_t = np.asarray(value, dtype=float)
    if np.any(pop <= 0):
        raise ValueError("populations must be positive")
    f = pop / pop.sum()
    mu = float(np.sum(f * mu_t))
    if mu == 0:
        warnings.warn("concentration index undefined for a zero mean")
        return float("nan")
    return float(2 / mu * np.sum(f * mu_t * relative_ranks(pop)) - 1)


__all__ = [
    "wilson",
    "byars",
    "sii",
    "rate_ratio",
    "concentration_index",
    "relative_ranks",
    "SIIResult",
    "Comparison",
]
