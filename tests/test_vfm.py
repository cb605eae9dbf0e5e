"""Value-for-money model: a hand-computed scenario, uncertainty, equity, scenario storage."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dashboard import vfm
from data_access.db import migrate
from data_access.repositories import ScenarioRepository

HAND = vfm.Inputs(
    cohort=1000, prevalence=0.1, identified=0.5, uptake=0.8, completion=0.5, budget=100_000, cost_per_family=2000,
    effect=0.5, deadweight=0.2, attribution=0.5, drop_off=0.0, optimism_bias=0.25, horizon=3, value_per_outcome=30_000,
    share_nhs=0.15, share_la=0.06,
)


def test_hand_computed_scenario():
    out = vfm.run(HAND)
    # need 100 -> referred 50 -> 40 take up; capacity 100,000 / (2,000 x 1.25) = 40
    assert float(out["families_reached"]) == pytest.approx(40) and float(out["cost"]) == pytest.approx(100_000)
    assert float(out["cost_per_family"]) == pytest.approx(2500)
    # 20 complete; 20 x 0.5 x 0.8 x 0.5 = 4 improved outcomes
    assert float(out["improved_outcomes"]) == pytest.approx(4)
    # 30,000 spread over 3 years, discounted at 3.5%: (1/1.035 + 1/1.035^2 + 1/1.035^3) / 3
    factor = (1 / 1.035 + 1 / 1.035**2 + 1 / 1.035**3) / 3
    assert float(out["pv_benefits"]) == pytest.approx(4 * 30_000 * factor)
    assert float(out["pv_benefits"]) == pytest.approx(112_065.5, abs=0.5)
    assert float(out["npv"]) == pytest.approx(12_065.5, abs=0.5) and float(out["bcr"]) == pytest.approx(1.120655, abs=1e-6)
    assert float(out["fiscal_return"]) == pytest.approx(1.120655 * 0.21, abs=1e-6)
    assert float(out["break_even_effect"]) == pytest.approx(0.5 / 1.120655, abs=1e-6)
    # cumulative discounted benefit: 38,647 after year 1, 75,988 after year 2, 112,066 after year 3
    assert vfm.payback_year(HAND) == 3
    assert vfm.payback_year(replace(HAND, value_per_outcome=20_000)) is None  # PV 74,710 < cost


def test_green_book_schedule_and_health_rate():
    df = vfm.discount_factors(32)
    assert df[0] == pytest.approx(1 / 1.035) and df[29] == pytest.approx(1.035**-30)
    assert df[30] == pytest.approx(1.035**-30 / 1.03) and df[31] == pytest.approx(1.035**-30 / 1.03**2)
    assert vfm.discount_factors(3, health=True)[2] == pytest.approx(1.015**-3)
    health = vfm.run(replace(HAND, health_discounting=True))
    assert float(health["pv_benefits"]) == pytest.approx(4 * 30_000 * (1 / 1.015 + 1 / 1.015**2 + 1 / 1.015**3) / 3)


def test_drop_off_and_budget_cap():
    faded = vfm.run(replace(HAND, drop_off=0.5))
    factor = (1 / 1.035 + 0.5 / 1.035**2 + 0.25 / 1.035**3) / 3
    assert float(faded["pv_benefits"]) == pytest.approx(4 * 30_000 * factor)
    capped = vfm.run(replace(HAND, budget=50_000))
    assert float(capped["families_reached"]) == pytest.approx(20) and float(capped["cost"]) == pytest.approx(50_000)


def test_probabilistic_mean_converges_to_the_deterministic_result():
    inputs = vfm.Inputs.from_defaults(28055)
    base = vfm.run(inputs)
    tight = vfm.probabilistic(inputs, n=20_000, spread=0.001)
    assert tight["npv"]["mean"] == pytest.approx(float(base["npv"]), rel=1e-3)
    assert tight["p_benefits_exceed_costs"] in (0.0, 1.0)
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
