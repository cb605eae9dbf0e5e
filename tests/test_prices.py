"""Re-basing money to one price year with HM Treasury's GDP deflator: the published CSV's layout
is read, and a re-based range is worked out by hand. The series here is made up for the test
(round numbers), laid out as HM Treasury publishes it."""

from __future__ import annotations

import pytest

from dashboard import prices, vfm

HMT_LAYOUT = """GDP DEFLATORS AT MARKET PRICES, AND MONEY GDP,,,,,,,,,
,,,,,,,,,
Outturn data are the latest National Accounts figures from ONS,,,,,,,,,
Financial year,,,,,,Calendar year,,,
,GDP deflator at market prices,,Money GDP (3),,,,GDP deflator at market prices,,Money GDP
Financial year,2025-26 = 100,per cent change on previous year,Cash £ million,Cash £ million,,Calendar year,2025 = 100,per cent change,Cash £ million
2011-12,69.0,,"1,500,000",,,2011,68.5,,"1,490,000"
2012-13,70.0,1.45,"1,550,000",,,2012,69.8,1.9,"1,540,000"
2024-25,96.0,,"2,800,000",,,2024,95.0,,"2,780,000"
2025-26,100.0,4.17,"2,900,000",,,2025,99.0,,"2,890,000"
(1) Footnote: forecasts from the OBR,,,,,,,,,
"""


def test_the_financial_year_column_is_read_from_the_published_layout():
    series = prices.parse_deflators(HMT_LAYOUT)
    assert series.to_dict() == {"2011-12": 69.0, "2012-13": 70.0, "2024-25": 96.0, "2025-26": 100.0}
    assert prices.financial_year("2012/13") == "2012-13" and prices.financial_year("2012-14") is None
    with pytest.raises(ValueError, match="No financial-year rows"):
        prices.parse_deflators("Clinic,Date\nA,01/04/2025\n")


def test_a_range_at_2012_13_prices_is_re_based_to_2025_26():
    series = prices.parse_deflators(HMT_LAYOUT)
    # one pound of 2012/13 is 100 / 70 = 1.4286 pounds of 2025/26
    assert prices.factor(series, "2012-13") == pytest.approx(100 / 70)
    assert prices.rebase(14_000, series, "2012-13") == pytest.approx(20_000)
    raw = {"inputs": {"value_per_outcome": {"label": "Value of one improved outcome (GBP)", "default": 40_000, "low": 14_000, "high": 51_000,
                                            "range_price_year": "2012-13"}}}
    based = vfm.price_base(raw, series)
    spec = based["inputs"]["value_per_outcome"]
    assert (spec["low"], spec["high"]) == (20_000, round(51_000 * 100 / 70, -2))  # 72,857 -> 72,900
    assert spec["default"] == 40_000 and raw["inputs"]["value_per_outcome"]["low"] == 14_000
    assert "re-based to £20,000 to £72,900 at 2025/26 prices (x 1.429" in based["price_note"]
    with pytest.raises(KeyError, match="2030-31"):
        prices.factor(series, "2012-13", "2030-31")


def test_without_the_series_the_page_says_nothing_was_re_based():
    raw = {"inputs": {"v": {"label": "Value", "default": 40_000, "low": 14_000, "high": 51_000, "range_price_year": "2012-13"}}}
    note = vfm.price_base(raw, None)["price_note"]
    assert "£14,000 to £51,000 at 2012/13 prices, not re-based" in note and "gdp_deflators.csv" in note
    assert vfm.price_base(raw, None)["inputs"]["v"]["low"] == 14_000


def test_the_shipped_defaults_carry_their_price_note():
    note = vfm.defaults()["price_note"]
    assert note.startswith("Money in 2025/26 prices.") and "2012/13" in note
    if prices.load() is None:
        assert "not re-based" in note
