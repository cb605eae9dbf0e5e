"""Small-number suppression: nothing below the threshold reaches the screen, and no hidden
small count can be worked out from the totals, checked by an attacker that solves for it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from dashboard.suppression import MARKER, suppress


def attacker_bounds(frame: pd.DataFrame, col: str, hidden: np.ndarray, lines: list[list[str]]) -> dict[int, tuple[float, float]]:
    """The tightest bounds on each hidden cell from the published line totals, the visible
    cells and non-negativity (linear programming), as someone with the table would compute."""
    idx = np.flatnonzero(hidden)
    values = frame[col].to_numpy(float)
    a_eq, b_eq = [], []
    for keys in lines:
        groups = [np.arange(len(frame))] if not keys else list(frame.groupby(keys).indices.values())
        for members in groups:
            members = np.asarray(members)
            in_hidden = np.isin(idx, members)
            if in_hidden.any():
                a_eq.append(in_hidden.astype(float))
                b_eq.append(values[members].sum() - values[members][~hidden[members]].sum())
    bounds = {}
    for k, cell in enumerate(idx):
        c = np.zeros(len(idx))
        c[k] = 1
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(idx)).fun
        hi = -linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(idx)).fun
        bounds[cell] = (lo, hi)
    return bounds


def assert_safe(frame, col, result, lines, threshold=5):
    hidden = result.mask[col].to_numpy()
    values = frame[col].to_numpy(float)
    assert hidden[values < threshold].all(), "a count below the threshold is visible"
    shown = result.display()[col]
    assert (shown[hidden] == MARKER).all() and not shown[~hidden].eq(MARKER).any()
    assert result.table[col][hidden].isna().all()
    for cell, (lo, hi) in attacker_bounds(frame, col, hidden, lines).items():
        if values[cell] < threshold:
            assert hi - lo > 0.5, f"hidden cell {cell} ({values[cell]}) is pinned to [{lo}, {hi}]"


def test_one_way_table_with_rates():
    table = pd.DataFrame({"quintile": [1, 2, 3, 4, 5], "infants": [3, 40, 12, 8, 100], "rate": [0.1, 0.2, 0.3, 0.4, 0.5]})
    result = suppress(table, "infants", dependent={"infants": ["rate"]})
    assert result.display()["infants"].tolist() == [MARKER, "40", "12", MARKER, "100"]
    assert result.display()["rate"].tolist() == [MARKER, "0.2", "0.3", MARKER, "0.5"]
    assert (result.primary, result.secondary) == (1, 1)
    assert pd.isna(result.table.loc[0, "infants"]) and result.table.loc[1, "infants"] == 40
    assert "below 5" in result.note and MARKER in result.note


def test_nothing_to_hide():
    table = pd.DataFrame({"q": [1, 2], "n": [50, 60]})
    result = suppress(table, "n")
    assert not result.mask.any(axis=None) and result.display()["n"].tolist() == ["50", "60"]


def test_two_way_table_hides_a_rectangle():
    table = pd.DataFrame({"la": ["A"] * 3 + ["B"] * 3, "q": [1, 2, 3] * 2, "n": [2, 10, 20, 30, 40, 50]})
    result = suppress(table, "n", lines=[["la"], ["q"]])
    assert result.display()["n"].tolist() == [MARKER, MARKER, "20", MARKER, MARKER, "50"]
    assert_safe(table, "n", result, [["la"], ["q"]])


def test_two_hidden_zeros_are_not_left_as_a_known_zero_sum():
    table = pd.DataFrame({"q": [1, 2, 3, 4, 5], "n": [0, 0, 30, 40, 50]})
    result = suppress(table, "n")
    assert result.mask["n"].tolist() == [True, True, True, False, False]
    assert_safe(table, "n", result, [[]])


def test_threshold_is_configurable():
    table = pd.DataFrame({"q": [1, 2, 3], "n": [7, 8, 50]})
    assert not suppress(table, "n").mask["n"].any()
    assert suppress(table, "n", threshold=10).mask["n"].tolist() == [True, True, False]
    with pytest.raises(ValueError):
        suppress(table, "n", threshold=0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 40), min_size=2, max_size=10), st.integers(2, 10))
def test_one_way_tables_are_safe(values, threshold):
    table = pd.DataFrame({"k": range(len(values)), "n": values})
    result = suppress(table, "n", threshold=threshold)
    if result.unprotected:  # every cell hidden and still a small total: the total must go too
        assert result.mask["n"].all() and sum(values) < threshold
        return
    assert_safe(table, "n", result, [[]], threshold)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5), st.integers(2, 5), st.data())
def test_two_way_tables_are_safe(rows, cols, data):
    values = data.draw(st.lists(st.integers(0, 30), min_size=rows * cols, max_size=rows * cols))
    table = pd.DataFrame({"r": np.repeat(range(rows), cols), "c": list(range(cols)) * rows, "n": values})
    lines = [["r"], ["c"]]
    result = suppress(table, "n", lines=lines)
    if result.unprotected:  # a line whose every cell is hidden: its total must be hidden by the caller
        hidden = result.mask["n"].to_numpy().reshape(rows, cols)
        assert hidden.all(axis=1).any() or hidden.all(axis=0).any()
        return
    assert_safe(table, "n", result, lines)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.data())
def test_bridges_find_exactly_the_cells_the_null_space_finds(rows, cols, data):
    """The fast two-way test (a hidden cell is determined when its edge is a bridge) agrees with
    the general linear-algebra one on every mask."""
    from dashboard.suppression import _bridges, _line_matrix, _two_way, recoverable
    table = pd.DataFrame({"r": np.repeat(range(rows), cols), "c": list(range(cols)) * rows})
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=rows * cols, max_size=rows * cols)), dtype=bool)
    lines = [["r"], ["c"]]
    ends = _two_way(table, lines)
    assert ends is not None
    assert (_bridges(mask, ends) == recoverable(mask, _line_matrix(table, lines))).all()


def test_a_large_two_way_table_is_safe_and_quick_to_suppress():
    """74 clinics by 6 reasons, mostly small counts (like NENC's reason-by-clinic table): every
    small count hidden and none pinned by the totals."""
    rng = np.random.default_rng(7)
    table = pd.DataFrame({"r": np.repeat(range(74), 6), "c": list(range(6)) * 74, "n": rng.poisson(4, 74 * 6)})
    lines = [["r"], ["c"]]
    result = suppress(table, "n", lines=lines)
    assert result.primary == int((table["n"] < 5).sum()) and not result.unprotected
    assert_safe(table, "n", result, lines)
