"""Value-for-money model: a hand-computed scenario, uncertainty, equity, scenario storage."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import numpy as np
import pytest

from dashboard import vfm
from data_access.db import migrate
from data_access.repositories import ScenarioRepository

HAND = vfm.Inputs(
    cohort=1000, prevalence=0.1, identified=0.5, uptake=0.8, completion=0.5, budget=100_000, cost_per_family=2000,
    effect=0.5, deadweight=0.2, attribution=0.5, drop_off=0.0, optimism_bias=0.25, horizon=3, value_per_outcome=30_000,
    share_nhs=0.15, share_la=0.06, value_mode="annual",
)


def test_hand_computed_scenario_annual_value():
    out = vfm.run(HAND)
    # need 100 -> referred 50 -> 40 take up; capacity 100,000 / (2,000 x 1.25) = 40
    assert float(out["families_reached"]) == pytest.approx(40) and float(out["cost"]) == pytest.approx(100_000)
    assert float(out["cost_per_family"]) == pytest.approx(2500)
    # 20 complete; 20 x 0.5 x 0.8 x 0.5 = 4 improved outcomes
    assert float(out["improved_outcomes"]) == pytest.approx(4)
    # 30,000 a year for 3 years, discounted at 3.5%: 1/1.035 + 1/1.035^2 + 1/1.035^3 = 2.801637
    assert float(out["pv_benefits"]) == pytest.approx(4 * 30_000 * 2.801637, abs=1)
    assert float(out["pv_benefits"]) == pytest.approx(336_196.4, abs=0.5)
    assert float(out["npv"]) == pytest.approx(236_196.4, abs=0.5) and float(out["bcr"]) == pytest.approx(3.361964, abs=1e-6)
    assert float(out["fiscal_return"]) == pytest.approx(3.361964 * 0.21, abs=1e-6)
    assert float(out["break_even_effect"]) == pytest.approx(0.5 / 3.361964, abs=1e-6)
    # cumulative discounted benefit: 115,942 after year 1 (>= the cost of 100,000)
    assert vfm.payback_year(HAND) == 1
    assert vfm.payback_year(replace(HAND, value_per_outcome=10_000)) == 3  # 38,647 / 75,988 / 112,065
    assert vfm.payback_year(replace(HAND, value_per_outcome=8_000)) is None  # 89,652 < cost


def test_hand_computed_scenario_lifetime_value():
    """A lifetime present value counts once and is not discounted again: 4 x 30,000."""
    lifetime = replace(HAND, value_mode="lifetime")
    out = vfm.run(lifetime)
    assert float(out["pv_benefits"]) == pytest.approx(120_000) and float(out["npv"]) == pytest.approx(20_000)
    assert vfm.payback_year(lifetime) == 1
    # horizon and drop-off do not touch a lifetime value
    assert float(vfm.run(replace(lifetime, horizon=40, drop_off=0.3))["pv_benefits"]) == pytest.approx(120_000)


def test_green_book_schedules_across_year_31():
    df = vfm.discount_factors(32)
    assert df[0] == pytest.approx(1 / 1.035) and df[29] == pytest.approx(1.035**-30)
    assert df[30] == pytest.approx(1.035**-30 / 1.03) and df[31] == pytest.approx(1.035**-30 / 1.03**2)
    health = vfm.discount_factors(32, health=True)
    assert health[29] == pytest.approx(1.015**-30) and health[30] == pytest.approx(1.015**-30 / 1.01286)
    assert vfm.discount_factors(77)[76] == pytest.approx(1.035**-30 * 1.03**-45 / 1.025**2)
    assert vfm.discount_factors(77, health=True)[76] == pytest.approx(1.015**-30 * 1.01286**-45 / 1.01071**2)


def test_health_discounting_applies_only_to_the_family_and_society_share():
    on = vfm.run(replace(HAND, health_discounting=True))
    standard = sum(1.035**-t for t in (1, 2, 3))
    health = sum(1.015**-t for t in (1, 2, 3))
    assert float(on["pv_benefits"]) == pytest.approx(4 * 30_000 * (0.21 * standard + 0.79 * health))
    # in lifetime mode nothing is discounted, so the switch changes nothing
    assert float(vfm.run(replace(HAND, value_mode="lifetime", health_discounting=True))["pv_benefits"]) == pytest.approx(120_000)


@pytest.mark.parametrize("mode", ["annual", "lifetime"])
def test_a_longer_horizon_never_lowers_the_present_value(mode):
    values = [float(vfm.run(replace(HAND, value_mode=mode, horizon=h))["pv_benefits"]) for h in (1, 5, 18, 30, 31, 40, 75, 76, 100)]
    assert all(b >= a - 1e-9 for a, b in zip(values, values[1:]))


def test_drop_off_and_budget_cap():
    faded = vfm.run(replace(HAND, drop_off=0.5))
    factor = 1 / 1.035 + 0.5 / 1.035**2 + 0.25 / 1.035**3
    assert float(faded["pv_benefits"]) == pytest.approx(4 * 30_000 * factor)
    capped = vfm.run(replace(HAND, budget=50_000))
    assert float(capped["families_reached"]) == pytest.approx(20) and float(capped["cost"]) == pytest.approx(50_000)


def test_fitted_distributions_hit_the_plausible_percentiles():
    from scipy import stats

    a, b = vfm.beta_for(0.05, 0.35)  # the effect's plausible range, asymmetric around 0.23
    assert stats.beta.ppf(0.025, a, b) == pytest.approx(0.05, abs=1e-6) and stats.beta.ppf(0.975, a, b) == pytest.approx(0.35, abs=1e-6)
    mu, sigma = vfm.lognormal_for(14_000, 51_000)
    assert stats.lognorm.ppf(0.025, sigma, scale=np.exp(mu)) == pytest.approx(14_000) and stats.lognorm.ppf(0.975, sigma, scale=np.exp(mu)) == pytest.approx(51_000)
    sample = vfm.draws(vfm.Inputs.from_defaults(28055), n=200_000)
    assert np.percentile(sample["effect"], [2.5, 97.5]) == pytest.approx([0.05, 0.35], abs=0.004)
    assert np.percentile(sample["value_per_outcome"], [2.5, 97.5]) == pytest.approx([14_000, 51_000], rel=0.02)
    assert not set(vfm.FIXED) & set(sample)  # the budget (a decision) and the optimism bias (a fixed uplift) are not drawn


def test_deadweight_defaults_to_zero_for_a_trial_effect():
    spec = vfm.defaults()["inputs"]["deadweight"]
    assert vfm.Inputs.from_defaults(1000).deadweight == 0 and "randomised controlled trials" in spec["source"]
    assert "not specialised PAIR teams" in vfm.defaults()["inputs"]["effect"]["source"]


def test_probabilistic_mean_converges_to_the_deterministic_result():
    inputs = vfm.Inputs.from_defaults(28055)
    base = vfm.run(inputs)
    tight = vfm.probabilistic(inputs, n=20_000, spread=0.001)
    assert tight["npv"]["mean"] == pytest.approx(float(base["npv"]), rel=1e-2)
    # all but a rare draw agree (deadweight's range starts at 0, so its fitted beta keeps a thin tail)
    assert min(tight["p_benefits_exceed_costs"], 1 - tight["p_benefits_exceed_costs"]) < 1e-3
    wide = vfm.probabilistic(inputs, n=10_000)
    assert wide["npv"][10] < float(base["npv"]) < wide["npv"][90]
    assert vfm.probabilistic(inputs, n=2000)["draws"]["npv"].tolist() == vfm.probabilistic(inputs, n=2000)["draws"]["npv"].tolist()  # seeded


def test_vectorised_run_equals_the_per_draw_loop():
    inputs = vfm.Inputs.from_defaults(5000)
    assert vfm.probabilistic(inputs, n=500)["p_benefits_exceed_costs"] == pytest.approx(vfm.probabilistic_loop(inputs, n=500))


def test_tornado_covers_every_input():
    torn = vfm.tornado(HAND)
    assert set(torn["input"]) == set(vfm.defaults()["inputs"])
    assert (torn["swing"].diff().dropna() <= 0).all()  # sorted, largest first
    effect = torn.set_index("input").loc["effect"]
    assert effect["at_high"] > effect["at_low"]


def test_bad_and_extreme_inputs():
    assert any("between 0% and 100%" in p for p in vfm.validate(replace(HAND, uptake=1.2)))
    assert any("must not be negative" in p for p in vfm.validate(replace(HAND, budget=-1)))
    assert any("time horizon" in p for p in vfm.validate(replace(HAND, horizon=0)))
    assert any("more than 100%" in p for p in vfm.validate(replace(HAND, share_nhs=0.7, share_la=0.5)))
    for extreme in (replace(HAND, budget=0), replace(HAND, cohort=0), replace(HAND, effect=0), replace(HAND, horizon=100, drop_off=1.0),
                    replace(HAND, budget=1e9, cost_per_family=0.01)):
        assert vfm.validate(extreme) == []
        out = vfm.run(extreme)
        assert np.isfinite(float(out["families_reached"])) and np.isfinite(float(out["npv"]))
        vfm.payback_year(extreme)
        vfm.tornado(extreme)


def test_equity_allocation_and_sii():
    infants = [1000, 800, 600, 400, 200]
    inputs = replace(HAND, cohort=3000, budget=1e6)
    equal = vfm.equity_table(inputs, infants, "equal")
    assert equal["reach_per_1000"].round(6).nunique() == 1 and vfm.reach_sii(equal) == pytest.approx(0, abs=1e-9)
    need = vfm.equity_table(inputs, infants, "need")
    assert need["families_reached"].sum() == pytest.approx(float(vfm.run(inputs)["families_reached"]))
    assert need.loc[0, "reach_per_1000"] == pytest.approx(2 * need.loc[4, "reach_per_1000"])
    assert vfm.reach_sii(need) < 0  # more reach where deprivation is higher
    custom = vfm.equity_table(inputs, infants, "custom", [0, 0, 0, 0, 1])
    assert custom.loc[4, "families_reached"] == pytest.approx(need["families_reached"].sum()) and vfm.reach_sii(custom) > 0
    with pytest.raises(ValueError):
        vfm.allocate(10, infants, "custom", [0, 0, 0, 0, 0])


def test_scenarios_round_trip_exactly(engine):
    migrate(engine)
    repo = ScenarioRepository(engine)
    inputs = replace(vfm.Inputs.from_defaults(28055.123456789), effect=0.123456789012345, health_discounting=True, horizon=7)
    repo.save("Plan A", "E54000050", inputs.to_json())
    assert vfm.Inputs.from_json(repo.get("Plan A")["inputs"]) == inputs
    repo.duplicate("Plan A", "Plan B")
    assert repo.names() == ["Plan A", "Plan B"] and repo.get("Plan B")["inputs"] == repo.get("Plan A")["inputs"]
    with pytest.raises(ValueError):
        repo.duplicate("Plan A", "Plan B")
    repo.save("Plan A", "E08000021", replace(inputs, budget=1.0).to_json())
    assert vfm.Inputs.from_json(repo.get("Plan A")["inputs"]).budget == 1.0 and repo.get("Plan A")["area_code"] == "E08000021"
    assert repo.delete("Plan B") and repo.names() == ["Plan A"]


def test_npv_histogram_counts_every_draw_once_in_equal_bins():
    psa = {"draws": pd.DataFrame({"npv": [0.0, 1.0, 1.0, 2.0, 10.0]})}
    hist = vfm.npv_histogram(psa, bins=5)
    assert hist["low"].tolist() == [0.0, 2.0, 4.0, 6.0, 8.0] and hist["high"].tolist() == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert hist["draws"].tolist() == [3, 1, 0, 0, 1]  # 2.0 falls in [2, 4); the last bin includes its upper edge (10.0)
