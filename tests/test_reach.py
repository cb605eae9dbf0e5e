"""Reach figures on a small extract with hand-computed answers, and their suppression."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import reach
from dashboard.suppression import MARKER, suppress
from dashboard.views import REACH_DEPENDENT


def _area():
    return pd.DataFrame({
        "lsoa_code": [f"L{q}" for q in range(1, 6)], "region": "NENC", "lad_code": ["A", "A", "B", "B", "B"],
        "lad_name": ["Ay", "Ay", "Bee", "Bee", "Bee"], "imd_quintile": [1, 2, 3, 4, 5], "imd_decile": [1, 3, 5, 7, 9],
        "infants_0": [100.0, 100.0, 100.0, 100.0, 200.0],
    })


def _valid():
    """Quintile q sends 10 * q infants (20 from quintile 5's bigger LSOA: 50 in all); every
    third infant comes twice; one older child (60 weeks) does not count as an infant."""
    rows = []
    child = 0
    for q, n in ((1, 10), (2, 20), (3, 30), (4, 40), (5, 50)):
        for i in range(n):
            child += 1
            visits = 2 if i % 3 == 0 else 1
            for v in range(visits):
                rows.append({"attendance_date": pd.Timestamp(2025, 4 + v, 1 + q), "clinic": "Clinic A", "child_id": f"C{child}",
                             "age_weeks": 10.0 + v * 4, "lsoa_code": f"L{q}"})
    rows.append({"attendance_date": pd.Timestamp(2025, 6, 1), "clinic": "Clinic B", "child_id": "OLD", "age_weeks": 60.0, "lsoa_code": "L1"})
    frame = pd.DataFrame(rows)
    frame["month"] = frame["attendance_date"].dt.to_period("M").astype(str)
    return frame


def test_reach_by_quintile_hand_computed():
    kids = reach.children(_valid())
    assert kids["infant"].sum() == 150 and not kids.set_index("child_id").at["OLD", "infant"]
    table = reach.reach_table(kids, _area()).set_index("group")
    assert table["infants_attending"].tolist() == [10, 20, 30, 40, 50]
    assert table["reach_per_1000"].tolist() == pytest.approx([100, 200, 300, 400, 250])
    # Twice-attending: i = 0, 3, 6, ... -> ceil(n / 3)
    assert table["two_plus"].tolist() == [4, 7, 10, 14, 17]
    assert table["attendances"].tolist() == [14, 27, 40, 54, 67]
    assert table.loc[1, "share_two_plus"] == pytest.approx(0.4) and table.loc[1, "median_attendances"] == 1
    # Byar's 95% limits for 10 events: 10 (1 - 1/90 - 1.96 / (3 sqrt 10))^3 and 11 (1 - 1/99 + 1.96 / (3 sqrt 11))^3
    lower, upper = 10 * (1 - 1 / 90 - 1.96 / (3 * 10**0.5)) ** 3, 11 * (1 - 1 / 99 + 1.96 / (3 * 11**0.5)) ** 3
    assert (table.loc[1, "reach_lower"], table.loc[1, "reach_upper"]) == pytest.approx((1000 * lower / 100, 1000 * upper / 100), rel=1e-3)


def test_reach_is_annualised_over_infant_years():
    """The extract runs from 2 April to 1 June 2025: 61 days, 0.167 years. Quintile 1 has 10
    infants attending and 100 infants aged 0, so 16.7 infant-years at risk: 598.8 per 1,000
    infant-years; a half-year extract with the same attenders would read 200."""
    years = reach.period_years(_valid())
    assert years == pytest.approx(61 / 365.25)
    kids = reach.children(_valid())
    table = reach.reach_table(kids, _area(), years=years).set_index("group")
    assert table.loc[1, "infant_years"] == pytest.approx(100 * 61 / 365.25)
    assert table.loc[1, "reach_per_1000"] == pytest.approx(1000 * 10 / (100 * 61 / 365.25)) == pytest.approx(598.77, abs=0.01)
    half = reach.reach_table(kids, _area(), years=0.5).set_index("group")
    assert half["reach_per_1000"].tolist() == pytest.approx([200, 400, 600, 800, 500])  # may exceed 1,000 for a short period
    assert reach.overall(half.reset_index()) == (150, pytest.approx(1000 * 150 / 300))
    grad = reach.gradient(half.reset_index(), repetitions=2000)
    assert grad.ratio == pytest.approx(0.4) and grad.gap_per_1000 == pytest.approx(200 - 500)
    # the rate difference's interval: normal approximation sqrt(x1 / n1^2 + x2 / n2^2), per 1,000
    half_width = 1.959964 * (10 / 50**2 + 50 / 100**2) ** 0.5 * 1000
    assert grad.gap_ci == pytest.approx((-300 - half_width, -300 + half_width), rel=1e-4)


def test_gradient_and_months():
    kids = reach.children(_valid())
    table = reach.reach_table(kids, _area())
    grad = reach.gradient(table, repetitions=5000)
    assert grad.ratio == pytest.approx(100 / 250) and grad.gap_per_1000 == pytest.approx(-150)
    assert grad.sii_per_1000 > 0 and grad.sii_ci[0] < grad.sii_per_1000 < grad.sii_ci[1]
    months = reach.monthly(_valid(), kids).set_index("month")
    assert months.loc["2025-04", "infants_attending"] == 150 and months.loc["2025-05", "attendances"] == 52
    la = reach.by_local_authority(kids, _area()).set_index("lad_code")
    assert la.loc["A", "infants_attending"] == 30 and la.loc["A", "reach_per_1000"] == pytest.approx(150)


def test_small_groups_are_suppressed_with_their_rates():
    kids = reach.children(_valid())
    kids = kids[~((kids["lsoa_code"] == "L1") & (kids["child_id"] != "C1"))]  # quintile 1: one infant
    table = reach.reach_table(kids, _area())
    shown = suppress(table, ["infants_attending", "attendances", "two_plus"], dependent=REACH_DEPENDENT)
    text = shown.display()
    assert text.loc[0, "infants_attending"] == MARKER and text.loc[0, "reach_per_1000"] == MARKER
    assert text.loc[0, "reach_lower"] == MARKER and text.loc[0, "attendances"] == MARKER
    assert (text["infants_attending"] == MARKER).sum() >= 2  # a complement hides it from the total
    assert "1" not in set(text["infants_attending"])


def test_audit_counts_hold_no_child_identifiers():
    counts = reach.audit_counts(_valid())
    assert list(counts.columns) == ["clinic", "lsoa_code", "month", "infants", "attendances"]
    assert counts["attendances"].sum() == len(_valid())


def test_clinic_catchment_fallback():
    kids = reach.children(_valid())
    area, basis = reach.clinic_catchment(kids, "Clinic A", _area())
    assert set(area["lad_code"]) == {"A", "B"} and "10%" in basis
    area, basis = reach.clinic_catchment(kids, "Clinic A", _area(), register_lsoas={"L1"})
    assert area["lsoa_code"].tolist() == ["L1"] and "register" in basis


def test_overall_reach_hides_small_totals():
    table = reach.reach_table(reach.children(_valid()), _area())
    assert reach.overall(table) == (150, pytest.approx(1000 * 150 / 600))
    assert reach.overall(table.assign(infants_attending=[1, 1, 1, 0, 0])) == (None, None)


def test_extremes_skip_suppressed_rows():
    table = pd.DataFrame({"month": ["2025-04", "2025-05", "2025-06"], "attendances": [pd.NA, 12, 40]}).astype({"attendances": "Float64"})
    assert reach.extremes(table, "attendances", "month") == ("2025-06", 40.0, "2025-05", 12.0)
    assert reach.extremes(table.iloc[:1], "attendances", "month") is None


def _two_model_extract():
    """Clinic A (social) serves L1-L2, clinic B (drop-in) L3-L5. Before 1 Oct 2025 (183 days),
    A sees 10 infants from L1 and 10 from L2, B sees 10 from each of L3-L5; from 1 Oct (182
    days) A, now with more families, sees 30 from L1 and 20 from L2. Every infant comes once."""
    rows, n = [], 0
    def add(q, count, clinic, day):
        nonlocal n
        for _ in range(count):
            n += 1
            rows.append({"attendance_date": day, "clinic": clinic, "child_id": f"K{n}", "age_weeks": 8.0, "lsoa_code": f"L{q}"})
    early, late = pd.Timestamp(2025, 4, 1), pd.Timestamp(2026, 3, 31)
    for q, count in ((1, 10), (2, 10)):
        add(q, count, "Clinic A", early)
    for q in (3, 4, 5):
        add(q, 10, "Clinic B", early)
    for q, count in ((1, 30), (2, 20)):
        add(q, count, "Clinic A", late)
    frame = pd.DataFrame(rows)
    frame["month"] = frame["attendance_date"].dt.to_period("M").astype(str)
    return frame


def test_reach_by_clinic_model_and_the_difference():
    valid = _two_model_extract()
    kids = reach.children(valid)
    register = {"Clinic A": {"L1", "L2"}, "Clinic B": {"L3", "L4", "L5"}}
    models = reach.clinic_models(valid, {"Clinic A": "social", "Clinic B": "drop-in"})
    years = reach.period_years(valid)  # 1 April 2025 to 31 March 2026: 365 days
    table = reach.reach_by_model(kids, _area(), models, register, years).set_index("model")
    # social: 70 infants over 200 infants x 365/365.25 years; drop-in: 30 over 400 x 365/365.25
    assert table.loc["social", "reach_per_1000"] == pytest.approx(1000 * 70 / (200 * 365 / 365.25))
    assert table.loc["drop-in", "reach_per_1000"] == pytest.approx(1000 * 30 / (400 * 365 / 365.25))
    diff = reach.model_difference(table.reset_index())
    d = 1000 * (70 / (200 * years) - 30 / (400 * years))
    half = 1.959964 * 1000 * (70 / (200 * years) ** 2 + 30 / (400 * years) ** 2) ** 0.5
    assert diff["difference"] == pytest.approx(d) and diff["difference_ci"] == pytest.approx((d - half, d + half), rel=1e-4)
    assert diff["distinguishable"] is True


def test_before_and_after_a_model_change():
    valid = _two_model_extract()
    before, after = reach.split_at(valid, "2025-10-01")
    assert len(before) == 50 and len(after) == 50
    t_before = reach.reach_table(reach.children(before), _area(), years=1 / 365.25)
    t_after = reach.reach_table(reach.children(after), _area(), years=1 / 365.25)
    # before: 10 in each quintile; after: quintiles 1 and 2 only (30 and 20)
    assert t_before["infants_attending"].tolist() == [10, 10, 10, 10, 10] and t_after["infants_attending"].tolist() == [30, 20, 0, 0, 0]
    g_before = reach.gradient(t_before, repetitions=4000)
    assert reach.gradient(t_after, repetitions=4000).sii_per_1000 is None  # no attenders in quintiles 3-5: no SII
    # the SII by weighted least squares, worked out here: populations 100,100,100,100,200 -> ranks 1/12,3/12,5/12,7/12,10/12
    import numpy as np
    rates = t_before["reach_per_1000"].to_numpy()
    a = np.array([100, 100, 100, 100, 200]) / 600
    b = np.array([1, 3, 5, 7, 10]) / 12
    X = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    slope = np.linalg.lstsq(X, rates * np.sqrt(a), rcond=None)[0][1]
    assert g_before.sii_per_1000 == pytest.approx(slope)
    change = reach.sii_change(g_before, g_before)
    assert change[0] == 0 and change[1][0] < 0 < change[1][1]
    se = (g_before.sii_ci[1] - g_before.sii_ci[0]) / (2 * 1.959964)
    assert change[1][1] == pytest.approx(1.959964 * se * 2**0.5)


def _ten_lsoas():
    """Two catchments of five LSOAs each, one LSOA per national quintile, 100 infants aged 0 in each:
    S1-S5 served by the social clinic, D1-D5 by the drop-in clinic."""
    codes = [f"{k}{q}" for k in "SD" for q in range(1, 6)]
    return pd.DataFrame({"lsoa_code": codes, "region": "BNSSG", "lad_code": "A", "lad_name": "Ay",
                         "imd_quintile": [int(c[1]) for c in codes], "imd_decile": [2 * int(c[1]) - 1 for c in codes], "infants_0": 100.0})


def _model_change_extract():
    """Before 1 Oct 2025 (1 Apr to 30 Sep: 183 days) the social clinic sees 10 infants from each of
    S1-S5 and the drop-in 5, 10, 15, 20, 25 from D1-D5. From 1 Oct (to 31 Mar 2026: 182 days),
    after the social clinic's change, it sees 30, 25, 20, 15, 10 and the drop-in 5, 5, 10, 10, 10.
    Every infant comes once; each group's infants alternate between the first and last day of the half."""
    rows, n = [], 0
    halves = {"before": (pd.Timestamp(2025, 4, 1), pd.Timestamp(2025, 9, 30)), "after": (pd.Timestamp(2025, 10, 1), pd.Timestamp(2026, 3, 31))}
    plan = {("before", "Social clinic", "S"): [10] * 5, ("before", "Drop-in clinic", "D"): [5, 10, 15, 20, 25],
            ("after", "Social clinic", "S"): [30, 25, 20, 15, 10], ("after", "Drop-in clinic", "D"): [5, 5, 10, 10, 10]}
    for (half, clinic, prefix), counts in plan.items():
        for q, count in enumerate(counts, start=1):
            for i in range(count):
                n += 1
                rows.append({"attendance_date": halves[half][i % 2], "clinic": clinic, "child_id": f"K{n}", "age_weeks": 8.0, "lsoa_code": f"{prefix}{q}"})
    frame = pd.DataFrame(rows)
    frame["month"] = frame["attendance_date"].dt.to_period("M").astype(str)
    return frame


def _ols_sii(counts, years):
    """Equal populations (100 each): ranks 0.1 ... 0.9 with equal weights, so the SII is the
    ordinary least-squares slope of reach (per 1,000 infant-years) on rank."""
    rank = [0.1, 0.3, 0.5, 0.7, 0.9]
    rates = [1000 * c / (100 * years) for c in counts]
    mean = sum(rates) / 5
    return sum((r - 0.5) * (y - mean) for r, y in zip(rank, rates)) / sum((r - 0.5) ** 2 for r in rank)


def test_sii_by_clinic_model_and_its_change_across_a_model_change():
    valid, area = _model_change_extract(), _ten_lsoas()
    register = {"Social clinic": {f"S{q}" for q in range(1, 6)}, "Drop-in clinic": {f"D{q}" for q in range(1, 6)}}
    models = reach.clinic_models(valid, {"Social clinic": "social", "Drop-in clinic": "drop-in"})
    kids = reach.children(valid)
    years = reach.period_years(valid)
    assert years == pytest.approx(365 / 365.25)
    whole = reach.model_gradients(kids, area, models, register, years, repetitions=4000)
    # whole year: social 40, 35, 30, 25, 20 (150 infants); drop-in 10, 15, 25, 30, 35 (115)
    assert whole["social"].sii_per_1000 == pytest.approx(_ols_sii([40, 35, 30, 25, 20], years))  # sum((rank - 0.5) x count) = -10: favours the deprived
    assert whole["drop-in"].sii_per_1000 == pytest.approx(_ols_sii([10, 15, 25, 30, 35], years))
    assert whole["social"].sii_per_1000 < 0 < whole["drop-in"].sii_per_1000
    by_model = reach.reach_by_model(kids, area, models, register, years).set_index("model")
    assert by_model.loc["social", "reach_per_1000"] == pytest.approx(1000 * 150 / (500 * years))
    assert by_model.loc["drop-in", "reach_per_1000"] == pytest.approx(1000 * 115 / (500 * years))

    before, after = reach.split_at(valid, "2025-10-01")
    y_before, y_after = reach.period_years(before), reach.period_years(after)
    assert (y_before, y_after) == (pytest.approx(183 / 365.25), pytest.approx(182 / 365.25))
    g = [reach.model_gradients(reach.children(part), area, models, register, y, repetitions=4000) for part, y in ((before, y_before), (after, y_after))]
    assert g[0]["social"].sii_per_1000 == pytest.approx(0, abs=1e-9)  # 10 from every quintile: no gradient
    assert g[1]["social"].sii_per_1000 == pytest.approx(_ols_sii([30, 25, 20, 15, 10], y_after))
    assert g[1]["social"].sii_per_1000 == pytest.approx(-250 / y_after)  # sum((rank - 0.5) x count) = -10; x 10 / (0.4 y)
    assert g[0]["drop-in"].sii_per_1000 == pytest.approx(250 / y_before)  # sum((rank - 0.5) x count) = +10
    assert g[1]["drop-in"].sii_per_1000 == pytest.approx(75 / y_after)    # sum = +3
    change = reach.sii_change(g[0]["social"], g[1]["social"])
    assert change[0] == pytest.approx(-250 / y_after)
    halves = [(x.sii_ci[1] - x.sii_ci[0]) / 2 for x in (g[0]["social"], g[1]["social"])]
    assert change[1][1] - change[0] == pytest.approx((halves[0] ** 2 + halves[1] ** 2) ** 0.5)


def test_clinic_model_view_shows_the_sii_by_model_before_and_after(monkeypatch):
    """The view's tables carry the same worked-out figures (catchments as a register would give them)."""
    import dashboard.views as views
    valid, area = _model_change_extract(), _ten_lsoas()
    catchments = ({"Social clinic": {f"S{q}" for q in range(1, 6)}, "Drop-in clinic": {f"D{q}" for q in range(1, 6)}},
                  {"Social clinic": "social", "Drop-in clinic": "drop-in"})
    monkeypatch.setattr(views, "_register_clinics", lambda a, r: catchments)
    view = views.clinic_model_view("BNSSG", area, valid, False, None, split="2025-10-01", repetitions=4000)
    sii = {t.key: t for t in view.tables}["sii_by_model"].formatted().set_index("Clinic model")
    years = 365 / 365.25
    social = [lbl for lbl in sii.index if "ocial" in lbl][0]
    assert sii.loc[social, "SII per 1,000 infant-years"] == "−" + f"{abs(_ols_sii([40, 35, 30, 25, 20], years)):,.1f}"
    change = {t.key: t for t in view.tables}["sii_change_by_model"].formatted().set_index("Clinic model")
    assert change.loc[social, "Change"] == "−" + f"{250 / (182 / 365.25):,.1f}"
    assert view.extras["sii_change_by_model"]["social"][0] == pytest.approx(-250 / (182 / 365.25))
    periods = {t.key: t for t in view.tables}["by_model_periods"].frame.set_index(["model", "period"])["reach_per_1000"].astype(float)
    # the social clinic's catchments: 50 infants before (183 days) and 100 after (182 days), of 500 resident
    assert periods[("social", "Before 01 Oct 2025")] == pytest.approx(1000 * 50 / (500 * 183 / 365.25))
    assert periods[("social", "After 01 Oct 2025")] == pytest.approx(1000 * 100 / (500 * 182 / 365.25))
