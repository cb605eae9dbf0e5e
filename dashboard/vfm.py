"""Value-for-money model for parent-infant relationship services (no Streamlit).

For one year's funding in an area whose annual infant cohort is ``N`` (infants aged 0):

    need       = N x prevalence
    referred   = need x identified
    capacity   = budget / (cost_per_family x (1 + optimism_bias))
    reached    = min(referred x uptake, capacity)                     families reached
    cost       = reached x cost_per_family x (1 + optimism_bias)      (never above the budget)
    completers = reached x completion
    improved   = completers x effect x (1 - deadweight) x attribution  improved outcomes

Each improved outcome is worth ``value_per_outcome`` (undiscounted, over the horizon ``H``
years), spread evenly over the years and fading by ``drop_off`` a year: the benefit in year
``t = 1..H`` is ``value / H x (1 - drop_off)^(t-1)``, discounted by the HM Treasury Green Book
schedule (3.5% a year to year 30, 3.0% to year 75, 2.5% after; 1.5% throughout for health
effects): ``DF_t = prod_{k<=t} 1 / (1 + r_k)``. Costs fall in year 0.

    PV          = improved x value x sum_t w_t DF_t,   w_t = (1 - drop_off)^(t-1) / H
    PV by bearer: NHS and social services (share_nhs), local authority (share_la), wider society (rest)
    NPV         = PV - cost;  BCR = PV / cost;  fiscal return = (PV_nhs + PV_la) / cost
    payback     = first year whose cumulative discounted benefit reaches the cost
    break-even effect = effect x cost / PV  (PV is proportional to the effect)

Every function takes numbers or numpy arrays, so the probabilistic run is one vectorised call.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

CONTENT = Path(__file__).resolve().parent / "content" / "vfm_defaults.yaml"
MAX_YEARS = 100


@lru_cache(maxsize=1)
def defaults() -> dict:
    return yaml.safe_load(CONTENT.read_text(encoding="utf-8"))


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
    deadweight: float = 0.10
    attribution: float = 0.80
    drop_off: float = 0.10
    optimism_bias: float = 0.15
    horizon: int = 18
    value_per_outcome: float = 40_000
    share_nhs: float = 0.15
    share_la: float = 0.06
    health_discounting: bool = False

    @classmethod
    def from_defaults(cls, cohort: float) -> "Inputs":
        values = {k: v["default"] for k, v in defaults()["inputs"].items()}
        values["horizon"] = int(values["horizon"])
        return cls(cohort=cohort, **values)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Inputs":
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})


PROPORTIONS = ("prevalence", "identified", "uptake", "completion", "effect", "deadweight", "attribution", "drop_off", "share_nhs", "share_la")


def validate(inputs: Inputs) -> list[str]:
    """Impossible values, each with a message (extreme but legal values are allowed)."""
    problems = []
    for name in PROPORTIONS:
        value = getattr(inputs, name)
        if not 0 <= value <= 1:
            problems.append(f"{defaults()['inputs'][name]['label']} must be between 0% and 100% (got {value:.0%})")
    if inputs.share_nhs + inputs.share_la > 1:
        problems.append("The NHS and local authority shares of the value add up to more than 100%")
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


def discount_factors(years: int, health: bool = False) -> np.ndarray:
    """Green Book discount factors for years 1..years."""
    t = np.arange(1, years + 1)
    rate = np.full(years, 0.015) if health else np.where(t <= 30, 0.035, np.where(t <= 75, 0.03, 0.025))
    return np.cumprod(1 / (1 + rate))


def benefit_profile(horizon: int, drop_off, health: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(weights w_t, discounted weights w_t x DF_t) for years 1..horizon; ``drop_off`` may be an
    array (one row per draw)."""
    t = np.arange(horizon)
    drop = np.atleast_1d(np.asarray(drop_off, dtype=float))[:, None]
    w = (1 - drop) ** t / horizon
    return w, w * discount_factors(horizon, health)


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
    _, discounted = benefit_profile(int(p["horizon"]), p["drop_off"], bool(p["health_discounting"]))
    dsum = discounted.sum(axis=1)  # one value per drop-off (a single one unless drawn)
    per_outcome = np.asarray(p["value_per_outcome"], dtype=float) * (dsum if arrays else dsum[0])
    pv = improved * per_outcome
    share_nhs, share_la = np.asarray(p["share_nhs"]), np.asarray(p["share_la"])
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


def payback_year(inputs: Inputs) -> int | None:
    """First year whose cumulative discounted benefits reach the cost (None: not in the horizon)."""
    out = run(inputs)
    _, discounted = benefit_profile(inputs.horizon, inputs.drop_off, inputs.health_discounting)
    cumulative = float(out["improved_outcomes"]) * inputs.value_per_outcome * np.cumsum(discounted[0])
    hit = np.flatnonzero(cumulative >= float(out["cost"]) - 1e-9)
    return int(hit[0]) + 1 if len(hit) and float(out["cost"]) > 0 else None


def yearly(inputs: Inputs) -> pd.DataFrame:
    """Benefits by year: undiscounted and discounted, and cumulative discounted against cost."""
    out = run(inputs)
    w, discounted = benefit_profile(inputs.horizon, inputs.drop_off, inputs.health_discounting)
    value = float(out["improved_outcomes"]) * inputs.value_per_outcome
    frame = pd.DataFrame({"year": np.arange(1, inputs.horizon + 1), "benefit": value * w[0], "discounted_benefit": value * discounted[0]})
    frame["cumulative_discounted"] = frame["discounted_benefit"].cumsum()
    frame["cost"] = float(out["cost"])
    return frame


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


def _beta(rng, mean, sd, n):
    mean = float(np.clip(mean, 1e-6, 1 - 1e-6))
    var = min(sd**2, mean * (1 - mean) * 0.999)
    if var <= 0:
        return np.full(n, mean)
    k = mean * (1 - mean) / var - 1
    return rng.beta(mean * k, (1 - mean) * k, n)


def _gamma(rng, mean, sd, n):
    if mean <= 0 or sd <= 0:
        return np.full(n, float(mean))
    shape = (mean / sd) ** 2
    return rng.gamma(shape, mean / shape, n)


def draws(inputs: Inputs, n: int = 10_000, seed: int = 2026, spread: float = 1.0) -> dict[str, np.ndarray]:
    """Random inputs: beta for proportions, gamma for costs and values, each with the input's
    value as mean and (high - low) / 4 x ``spread`` as standard deviation. Seeded."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, spec in defaults()["inputs"].items():
        if name == "horizon":
            continue
        mean = float(getattr(inputs, name))
        sd = (spec["high"] - spec["low"]) / 4 * spread
        out[name] = _beta(rng, mean, sd, n) if spec["kind"] == "proportion" else _gamma(rng, mean, sd, n)
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
    rows.append({"input": "Discounting", "value": "health effects 1.5%" if inputs.health_discounting else "Green Book 3.5% / 3.0%", "source": defaults()["discounting"]["source"], "status": "verified"})
    return pd.DataFrame(rows)


def quintile_infants(lsoas: pd.DataFrame) -> np.ndarray:
    """Infants aged 0 by national IMD quintile (1..5) for the LSOAs given."""
    return lsoas.groupby("imd_quintile")["infants_0"].sum().reindex(range(1, 6), fill_value=0).to_numpy()
