"""Value-for-money model for parent-infant relationship services (no Streamlit).

**The question it answers**: if we fund support for this many families for one year, what does
it cost, and what is the value of the outcomes it improves, in today's money?

For one year's funding in an area whose annual infant cohort is ``N`` (infants aged 0):

    need       = N x prevalence
    referred   = need x identified
    capacity   = budget / (cost_per_family x (1 + optimism_bias))
    reached    = min(referred x uptake, capacity)                     families reached
    cost       = reached x cost_per_family x (1 + optimism_bias)      (never above the budget; year 0)
    completers = reached x completion
    improved   = completers x effect x (1 - deadweight) x attribution  improved outcomes

The value of an improved outcome enters in one of two ways, chosen by the user (``value_mode``):

* ``lifetime``: ``value_per_outcome`` is already a lifetime present value at the time of the
  outcome (as the cited figures are). It is counted once and **not discounted again**, and the
  horizon and drop-off do not apply: ``PV = improved x value``.
* ``annual``: ``value_per_outcome`` is an annual benefit per improved outcome, undiscounted,
  received in years ``t = 1..H`` and fading by ``drop_off`` a year (``(1 - drop_off)^(t-1)``),
  then discounted: ``PV = improved x value x sum_t (1 - drop_off)^(t-1) x DF_t``. A longer
  horizon only adds years, so it never lowers the present value.

Discount factors follow the HM Treasury Green Book schedules year by year,
``DF_t = prod_{k<=t} 1 / (1 + r_k)``: standard 3.5% (years 1-30), 3.0% (31-75), 2.5% (76-125);
health effects 1.5%, 1.286%, 1.071%. Cash savings to the NHS, social services and other public
services (``share_nhs``, ``share_la``) stay on the standard schedule; only the remaining share
(health and quality of life of the family and child) uses the health schedule, and only when
``health_discounting`` is on.

    PV by bearer: NHS and social services (share_nhs), other public services (share_la), family and society (rest)
    NPV = PV - cost;  BCR = PV / cost;  fiscal return = (PV_nhs + PV_la) / cost
    payback = first year whose cumulative discounted benefit reaches the cost
    break-even effect = effect x cost / PV  (PV is proportional to the effect)

Every function takes numbers or numpy arrays, so the probabilistic run is one vectorised call.
The probabilistic run draws only uncertain parameters (not the budget, a decision, nor the
optimism-bias uplift, a fixed adjustment, nor the horizon), each from a distribution whose
2.5th and 97.5th percentiles are the input's plausible low and high (a beta distribution for
proportions, a log-normal for money), asymmetric where the range is.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from dashboard import prices

CONTENT = Path(__file__).resolve().parent / "content" / "vfm_defaults.yaml"
MAX_YEARS = 100


@lru_cache(maxsize=1)
def defaults() -> dict:
    """The inputs' defaults and ranges, with money re-based to :data:`prices.PRICE_YEAR` where
    the GDP deflator series is kept (see :mod:`dashboard.prices`)."""
    return price_base(yaml.safe_load(CONTENT.read_text(encoding="utf-8")), prices.load())


def price_base(raw: dict, series: pd.Series | None) -> dict:
    """``raw`` with each input's range given at another price year (``range_price_year``)
    re-based to :data:`prices.PRICE_YEAR` by ``series``, and ``price_note``: one sentence on
    what was re-based, or that nothing could be."""
    out = copy.deepcopy(raw)
    notes = []
    for spec in out["inputs"].values():
        year = spec.get("range_price_year")
        if not year:
            continue
        low, high = float(spec["low"]), float(spec["high"])
        if series is None:
            notes.append(f"{spec['label']}: range £{low:,.0f} to £{high:,.0f} at {prices.label(year)} prices, not re-based "
                         f"(add HM Treasury's GDP deflator CSV as dashboard/content/gdp_deflators.csv to re-base it)")
            continue
        f = prices.factor(series, year)
        spec["low"], spec["high"] = round(low * f, -2), round(high * f, -2)
        notes.append(f"{spec['label']}: range £{low:,.0f} to £{high:,.0f} at {prices.label(year)} prices, re-based to "
                     f"£{spec['low']:,.0f} to £{spec['high']:,.0f} at {prices.label(prices.PRICE_YEAR)} prices (x {f:.3f}, {prices.PUBLISHER})")
    out["price_note"] = (f"Money in {prices.label(prices.PRICE_YEAR)} prices. " + "; ".join(notes) + ".") if notes else \
        f"Money in {prices.label(prices.PRICE_YEAR)} prices."
    return out


@dataclass(frozen=True)
class Inputs:
    cohort: float
    prevalence: float = 0.10
    identified: float = 0.30
    uptake: float = 0.70
    completion: float = 0.75
    budget: float = 500_000
    cost_per_family: float = 3000
    effect: float = 0.23
    deadweight: float = 0.0
    attribution: float = 0.80
    drop_off: float = 0.10
    optimism_bias: float = 0.15
    horizon: int = 18
    value_per_outcome: float = 40_000
    share_nhs: float = 0.15
    share_la: float = 0.06
    health_discounting: bool = False
    value_mode: str = "lifetime"

    @classmethod
    def from_defaults(cls, cohort: float) -> "Inputs":
        values = {k: v["default"] for k, v in defaults()["inputs"].items()}
        values["horizon"] = int(values["horizon"])
        values["value_mode"] = defaults()["value_mode"]["default"]
        return cls(cohort=cohort, **values)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Inputs":
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})


VALUE_MODES = {
    "lifetime": "a lifetime present value per improved outcome (counted once, not discounted again)",
    "annual": "an annual benefit per improved outcome over the horizon (undiscounted, fading by the drop-off, then discounted)",
}
#: Inputs held fixed in the probabilistic run: decisions and fixed adjustments, not uncertain quantities.
FIXED = ("budget", "optimism_bias", "horizon")
PROPORTIONS = ("prevalence", "identified", "uptake", "completion", "effect", "deadweight", "attribution", "drop_off", "share_nhs", "share_la")


def validate(inputs: Inputs) -> list[str]:
    """Impossible values, each with a message (extreme but legal values are allowed)."""
    problems = []
    for name in PROPORTIONS:
        value = getattr(inputs, name)
        if not 0 <= value <= 1:
            problems.append(f"{defaults()['inputs'][name]['label']} must be between 0% and 100% (got {value:.0%})")
    if inputs.share_nhs + inputs.share_la > 1:
        problems.append("The shares of the value falling to the NHS and social services and to other public services add up to more than 100%")
    if inputs.value_mode not in VALUE_MODES:
        problems.append(f"The value mode must be one of: {', '.join(VALUE_MODES)}")
    for name in ("budget", "cost_per_family", "value_per_outcome", "cohort"):
        if getattr(inputs, name) < 0:
            problems.append(f"{name.replace('_', ' ').capitalize()} must not be negative")
    if inputs.cost_per_family == 0 and inputs.budget > 0:
        problems.append("Cost per family must be above zero")
    if not 1 <= inputs.horizon <= MAX_YEARS:
        problems.append(f"The time horizon must be between 1 and {MAX_YEARS} years")
    if inputs.optimism_bias < 0:
        problems.append("Optimism bias must not be negative")
    return problems


#: Green Book discount rates by band of years (upper year of the band, rate).
STANDARD_RATES = ((30, 0.035), (75, 0.03), (125, 0.025))
HEALTH_RATES = ((30, 0.015), (75, 0.01286), (125, 0.01071))


def discount_factors(years: int, health: bool = False) -> np.ndarray:
    """Green Book discount factors for years 1..years, year by year across the bands."""
    t = np.arange(1, years + 1)
    bands = HEALTH_RATES if health else STANDARD_RATES
    rate = np.select([t <= upper for upper, _ in bands], [r for _, r in bands], default=bands[-1][1])
    return np.cumprod(1 / (1 + rate))


def benefit_profile(horizon: int, drop_off, health: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(weights w_t, discounted weights w_t x DF_t) for years 1..horizon of an annual benefit;
    ``drop_off`` may be an array (one row per draw)."""
    t = np.arange(horizon)
    drop = np.atleast_1d(np.asarray(drop_off, dtype=float))[:, None]
    w = (1 - drop) ** t
    return w, w * discount_factors(horizon, health)


def value_factor(inputs: "Inputs", drop_off=None, share_cash=None) -> np.ndarray:
    """Present value of one pound of ``value_per_outcome`` (per draw when arrays are given):
    1 in lifetime mode; in annual mode the discounted faded annual stream, the cash share on the
    standard schedule and the rest on the health schedule when health discounting is on."""
    drop = inputs.drop_off if drop_off is None else drop_off
    cash = (inputs.share_nhs + inputs.share_la) if share_cash is None else share_cash
    if inputs.value_mode == "lifetime":
        return np.ones_like(np.atleast_1d(np.asarray(drop, dtype=float)))
    _, standard = benefit_profile(int(inputs.horizon), drop, False)
    _, health = benefit_profile(int(inputs.horizon), drop, inputs.health_discounting)
    cash = np.asarray(cash, dtype=float)
    return cash * standard.sum(axis=1) + (1 - cash) * health.sum(axis=1)


def run(inputs: Inputs, **arrays) -> dict:
    """The model's outputs. Keyword ``arrays`` override inputs with numpy arrays (one value per
    draw) for the probabilistic run; the horizon is always a single number."""
    p = {f.name: getattr(inputs, f.name) for f in fields(Inputs)} | arrays
    cost_each = np.asarray(p["cost_per_family"], dtype=float) * (1 + np.asarray(p["optimism_bias"], dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        capacity = np.where(cost_each > 0, np.asarray(p["budget"], dtype=float) / np.where(cost_each > 0, cost_each, 1), 0.0)
    need = p["cohort"] * np.asarray(p["prevalence"])
    referred = need * np.asarray(p["identified"])
    reached = np.minimum(referred * np.asarray(p["uptake"]), capacity)
    cost = reached * cost_each
    completers = reached * np.asarray(p["completion"])
    improved = completers * np.asarray(p["effect"]) * (1 - np.asarray(p["deadweight"])) * np.asarray(p["attribution"])
    share_nhs, share_la = np.asarray(p["share_nhs"]), np.asarray(p["share_la"])
    factor = value_factor(inputs, p["drop_off"], share_nhs + share_la)  # one value per draw (a single one unless drawn)
    per_outcome = np.asarray(p["value_per_outcome"], dtype=float) * (factor if arrays else factor[0])
    pv = improved * per_outcome
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(cost > 0, pv / np.where(cost > 0, cost, 1), np.nan)
        fiscal = np.where(cost > 0, pv * (share_nhs + share_la) / np.where(cost > 0, cost, 1), np.nan)
        cost_per_family = np.where(reached > 0, cost / np.where(reached > 0, reached, 1), np.nan)
        break_even = np.where(pv > 0, np.asarray(p["effect"]) * cost / np.where(pv > 0, pv, 1), np.nan)
    return {
        "cohort": p["cohort"], "need": need, "referred": referred, "capacity": capacity, "families_reached": reached,
        "cost": cost, "cost_per_family": cost_per_family, "completers": completers, "improved_outcomes": improved,
        "pv_benefits": pv, "pv_nhs": pv * share_nhs, "pv_la": pv * share_la, "pv_society": pv * (1 - share_nhs - share_la),
        "npv": pv - cost, "bcr": bcr, "fiscal_return": fiscal, "break_even_effect": break_even,
    }


def yearly(inputs: Inputs) -> pd.DataFrame:
    """Benefits by year: undiscounted and discounted, and cumulative discounted against cost.
    In lifetime mode the whole present value falls in year 1 (the year of the outcome)."""
    out = run(inputs)
    improved = float(out["improved_outcomes"]) * inputs.value_per_outcome
    if inputs.value_mode == "lifetime":
        frame = pd.DataFrame({"year": [1], "benefit": [improved], "discounted_benefit": [improved]})
    else:
        cash = inputs.share_nhs + inputs.share_la
        w, standard = benefit_profile(inputs.horizon, inputs.drop_off, False)
        _, health = benefit_profile(inputs.horizon, inputs.drop_off, inputs.health_discounting)
        frame = pd.DataFrame({"year": np.arange(1, inputs.horizon + 1), "benefit": improved * w[0],
                              "discounted_benefit": improved * (cash * standard[0] + (1 - cash) * health[0])})
    frame["cumulative_discounted"] = frame["discounted_benefit"].cumsum()
    frame["cost"] = float(out["cost"])
    return frame


def payback_year(inputs: Inputs) -> int | None:
    """First year whose cumulative discounted benefits reach the cost (None: not reached)."""
    years = yearly(inputs)
    cost = float(years["cost"].iloc[0])
    hit = np.flatnonzero(years["cumulative_discounted"].to_numpy() >= cost - 1e-9)
    return int(years["year"].iloc[hit[0]]) if len(hit) and cost > 0 else None


# --------------------------------------------------------------------------------------------
# Uncertainty


def tornado(inputs: Inputs, output: str = "npv") -> pd.DataFrame:
    """One-way sensitivity: ``output`` at each input's plausible low and high, others at base."""
    base = float(run(inputs)[output])
    rows = []
    for name, spec in defaults()["inputs"].items():
        lo, hi = spec["low"], spec["high"]
        cast = int if name == "horizon" else float
        at_lo = float(run(replace(inputs, **{name: cast(lo)}))[output])
        at_hi = float(run(replace(inputs, **{name: cast(hi)}))[output])
        rows.append({"input": name, "label": spec["label"], "low": lo, "high": hi, "at_low": at_lo, "at_high": at_hi,
                     "swing": abs(at_hi - at_lo), "base": base})
    return pd.DataFrame(rows).sort_values("swing", ascending=False).reset_index(drop=True)


Z975 = 1.959963984540054


@lru_cache(maxsize=256)
def beta_for(low: float, high: float) -> tuple[float, float]:
    """Beta parameters (a, b) whose 2.5th and 97.5th percentiles are ``low`` and ``high``."""
    from scipy import optimize, stats

    low, high = min(max(low, 1e-4), 1 - 2e-4), min(max(high, 2e-4), 1 - 1e-4)
    mid = (low + high) / 2
    guess = np.log([mid * 20, (1 - mid) * 20])

    def gap(log_ab):
        a, b = np.exp(log_ab)
        return [stats.beta.ppf(0.025, a, b) - low, stats.beta.ppf(0.975, a, b) - high]

    fit = optimize.least_squares(gap, guess, xtol=1e-12, ftol=1e-12)
    return tuple(float(v) for v in np.exp(fit.x))


def lognormal_for(low: float, high: float) -> tuple[float, float]:
    """Log-normal (mu, sigma) whose 2.5th and 97.5th percentiles are ``low`` and ``high``."""
    lo, hi = np.log(max(low, 1e-9)), np.log(max(high, 2e-9))
    return float((lo + hi) / 2), float((hi - lo) / (2 * Z975))


def plausible_range(name: str, value: float) -> tuple[float, float]:
    """The input's plausible low and high: the documented range when the value is the default,
    otherwise that range moved with the value (scaled for money, shifted and kept in 0-1 for
    proportions), so a user's own figure is the centre of its own uncertainty."""
    spec = defaults()["inputs"][name]
    low, high, default = float(spec["low"]), float(spec["high"]), float(spec["default"])
    if value == default:
        return low, high
    if spec["kind"] == "proportion":
        low, high = low + value - default, high + value - default
        return float(np.clip(low, 0.0, 1.0)), float(np.clip(high, 0.0, 1.0))
    scale = value / default if default else 1.0
    return low * scale, high * scale


def draws(inputs: Inputs, n: int = 10_000, seed: int = 2026, spread: float = 1.0) -> dict[str, np.ndarray]:
    """Random values of the uncertain inputs (not those in :data:`FIXED`): beta for proportions,
    log-normal for money, fitted so that the 2.5th and 97.5th percentiles are the plausible low
    and high; ``spread`` narrows (below 1) or widens the ranges around the input. Seeded."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, spec in defaults()["inputs"].items():
        if name in FIXED:
            continue
        value = float(getattr(inputs, name))
        low, high = plausible_range(name, value)
        low, high = value - (value - low) * spread, value + (high - value) * spread
        if high - low <= 1e-12:
            out[name] = np.full(n, value)
        elif spec["kind"] == "proportion":
            a, b = beta_for(round(low, 6), round(high, 6))
            out[name] = rng.beta(a, b, n)
        else:
            mu, sigma = lognormal_for(low, high)
            out[name] = rng.lognormal(mu, sigma, n)
    return out


def probabilistic(inputs: Inputs, n: int = 10_000, seed: int = 2026, spread: float = 1.0) -> dict:
    """The model over ``n`` draws (vectorised): 10th/50th/90th percentiles and P(benefits > costs)."""
    sample = run(inputs, **draws(inputs, n, seed, spread))
    summary = {
        key: {q: float(np.nanpercentile(sample[key], q)) for q in (10, 50, 90)} | {"mean": float(np.nanmean(sample[key]))}
        for key in ("families_reached", "improved_outcomes", "pv_benefits", "cost", "npv", "bcr", "fiscal_return")
    }
    summary["p_benefits_exceed_costs"] = float(np.mean(sample["pv_benefits"] > sample["cost"]))
    summary["n"] = n
    summary["draws"] = sample
    return summary


def npv_histogram(psa: dict, bins: int = 50) -> pd.DataFrame:
    """The draws' net present values in ``bins`` equal-width bins: each bin's low and high edge and its number of draws."""
    counts, edges = np.histogram(psa["draws"]["npv"], bins=bins)
    return pd.DataFrame({"low": edges[:-1], "high": edges[1:], "draws": counts})


def probabilistic_loop(inputs: Inputs, n: int = 10_000, seed: int = 2026) -> float:
    """The same run as a plain per-draw Python loop (for the benchmark): P(benefits > costs)."""
    sample = draws(inputs, n, seed)
    wins = 0
    for i in range(n):
        one = replace(inputs, **{k: float(v[i]) for k, v in sample.items()})
        out = run(one)
        wins += float(out["pv_benefits"]) > float(out["cost"])
    return wins / n


# --------------------------------------------------------------------------------------------
# Equity


NEED_WEIGHTS = (2.0, 1.6, 1.3, 1.1, 1.0)  # illustrative: need 2x higher in the most deprived quintile


def allocate(families: float, infants_by_quintile, method: str = "need", custom=None) -> np.ndarray:
    """Families reached by IMD quintile (1 = most deprived): in proportion to need (infants x
    an illustrative need weight, twice as high in quintile 1 as in quintile 5, after the 2-3
    times higher rates of disorganised attachment in high-risk groups), to infants (equal
    chance for every infant), or by ``custom`` shares."""
    infants = np.asarray(infants_by_quintile, dtype=float)
    if method == "need":
        weights = infants * np.asarray(NEED_WEIGHTS)
    elif method == "equal":
        weights = infants
    elif method == "custom":
        weights = np.asarray(custom, dtype=float)
        if weights.shape != (5,) or np.any(weights < 0) or weights.sum() <= 0:
            raise ValueError("custom shares need five non-negative numbers that do not all be zero")
    else:
        raise ValueError("method must be 'need', 'equal' or 'custom'")
    return families * weights / weights.sum()


def equity_table(inputs: Inputs, infants_by_quintile, method: str = "need", custom=None) -> pd.DataFrame:
    out = run(inputs)
    families = allocate(float(out["families_reached"]), infants_by_quintile, method, custom)
    share = families / families.sum() if families.sum() > 0 else np.zeros(5)
    infants = np.asarray(infants_by_quintile, dtype=float)
    return pd.DataFrame({
        "quintile": range(1, 6), "infants": infants, "families_reached": families,
        "reach_per_1000": np.where(infants > 0, 1000 * families / np.where(infants > 0, infants, 1), np.nan),
        "improved_outcomes": float(out["improved_outcomes"]) * share, "pv_benefits": float(out["pv_benefits"]) * share,
    })


def reach_sii(table: pd.DataFrame) -> float | None:
    """SII of reach per 1,000 infants across quintiles (least minus most deprived fitted value,
    OHID convention): negative means the service reaches more in the most deprived areas."""
    from dashboard.equity import relative_ranks

    if (table["infants"] <= 0).any():
        return None
    a = table["infants"] / table["infants"].sum()
    b = relative_ranks(table["infants"])
    sqrt_a = np.sqrt(a)
    X = np.column_stack([sqrt_a, b * sqrt_a])
    beta = np.linalg.lstsq(X, table["reach_per_1000"] * sqrt_a, rcond=None)[0]
    return float(beta[1])


def summary_rows(inputs: Inputs) -> pd.DataFrame:
    """Inputs with their values, sources and status, for the one-page summary."""
    spec = defaults()["inputs"]
    rows = [{"input": "Infants aged 0 in the area (annual cohort)", "value": inputs.cohort, "source": "ONS mid-2020 small-area estimates", "status": "official"}]
    for name, s in spec.items():
        rows.append({"input": s["label"], "value": getattr(inputs, name), "source": s["source"], "status": s["status"]})
    rows.append({"input": "How the value enters", "value": VALUE_MODES[inputs.value_mode], "source": defaults()["value_mode"]["source"], "status": "model choice"})
    rows.append({"input": "Discounting", "value": "Green Book standard; health schedule for the family-and-society share" if inputs.health_discounting else "Green Book standard (3.5% / 3.0% / 2.5%)", "source": defaults()["discounting"]["source"], "status": "verified"})
    return pd.DataFrame(rows)


def quintile_infants(lsoas: pd.DataFrame) -> np.ndarray:
    """Infants aged 0 by national IMD quintile (1..5) for the LSOAs given."""
    return lsoas.groupby("imd_quintile")["infants_0"].sum().reindex(range(1, 6), fill_value=0).to_numpy()
