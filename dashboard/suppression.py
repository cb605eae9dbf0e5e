"""Small-number suppression: one function between the numbers and any page, download or URL.

:func:`suppress` hides every count of people below the threshold (default 5, configurable),
then hides further cells (secondary suppression) until no hidden count can be worked out from
the totals of the rows or columns it belongs to. Rates and intervals are computed from the
unsuppressed data *before* suppression, and are hidden wherever their count is hidden (a rate
and its denominator would give the count back).

A hidden value is a marker (:data:`MARKER`, ``[c]``, as ONS writes it) in
:meth:`Suppressed.display` and ``NA`` in :attr:`Suppressed.table`: never a number such as -99
that a chart or a spreadsheet could use.

**Recoverability.** A table's published totals are linear equations on its cells: for each
*line* (the cells sharing the same values of one of the ``lines`` key sets) the sum is known.
A hidden cell can be recovered exactly when its value is fixed by those equations, that is
when its unit vector lies in the row space of the equations restricted to the hidden cells;
equivalently, when every solution of the homogeneous system leaves it at zero. The function
checks exactly that (by the null space of the system), which covers the familiar rule "never
one hidden cell alone in a line" and also the less obvious cases, such as a hidden cell that
joins two otherwise separate groups of hidden cells in a two-way table.

For a two-way table (two key sets, each cell in one line of each) the same test is a graph
one, and much faster: take the lines as nodes and the hidden cells as edges of a bipartite
graph; the perturbations that keep every total are its cycles (alternating signs), so a hidden
cell is determined exactly when its edge is a bridge (lies on no cycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy.linalg import null_space

DEFAULT_THRESHOLD = 5
MARKER = "[c]"


def note(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The sentence every page, chart and download carries with suppressed figures."""
    return (
        f"{MARKER} = suppressed: counts of people below {threshold} are hidden, with further cells hidden "
        "where a hidden count could otherwise be worked out from a total. Rates and intervals are "
        "computed from the full data before suppression and hidden with their count."
    )


@dataclass
class Suppressed:
    table: pd.DataFrame
    mask: pd.DataFrame
    threshold: int
    primary: int
    secondary: int
    #: hidden cells still fixed by a total because their whole line is hidden (e.g. a line of
    #: one cell): the caller must hide that line's total wherever it is shown.
    unprotected: int = 0

    @property
    def note(self) -> str:
        return note(self.threshold)

    def display(self, formats: Mapping[str, str | Callable] | None = None) -> pd.DataFrame:
        """The table as text for a screen or a download: hidden cells show :data:`MARKER`."""
        formats = dict(formats or {})
        out = pd.DataFrame(index=self.table.index)
        for col in self.table.columns:
            values = self.table[col]
            fmt = formats.get(col)
            if fmt is None:
                text = values.astype("string").fillna("")
            else:
                fn = fmt if callable(fmt) else fmt.format
                text = values.map(lambda v: "" if pd.isna(v) else fn(v)).astype("string")
            if col in self.mask:
                text = text.mask(self.mask[col], MARKER)
            out[col] = text
        return out


def _line_matrix(frame: pd.DataFrame, lines: list[list[str]]) -> np.ndarray:
    """One row per line (cells sharing the values of one key set), one column per cell."""
    rows = []
    n = len(frame)
    for keys in lines:
        if not keys:
            rows.append(np.ones(n))
            continue
        codes = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
        for g in np.unique(codes):
            rows.append((codes == g).astype(float))
    return np.array(rows).reshape(len(rows), n)


def recoverable(mask: np.ndarray, lines: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Which hidden cells are fixed by the line totals (boolean, same length as ``mask``)."""
    hidden = np.flatnonzero(mask)
    out = np.zeros(len(mask), dtype=bool)
    if len(hidden) == 0:
        return out
    system = lines[:, hidden]
    system = system[system.any(axis=1)]
    if len(system) == 0:
        return out
    basis = null_space(system)  # every hidden-value perturbation that keeps all totals
    fixed = np.all(np.abs(basis) < tol, axis=1) if basis.size else np.ones(len(hidden), dtype=bool)
    out[hidden[fixed]] = True
    return out


def _two_way(frame: pd.DataFrame, lines: list[list[str]]) -> np.ndarray | None:
    """For two key sets, each cell's pair of line nodes (row line, column line); ``None`` when
    the table is not a two-way table of distinct cells."""
    if len(lines) != 2 or not all(lines) or frame.empty:
        return None
    a = frame.groupby(lines[0], sort=False, dropna=False).ngroup().to_numpy()
    b = frame.groupby(lines[1], sort=False, dropna=False).ngroup().to_numpy() + a.max() + 1
    if len(set(zip(a.tolist(), b.tolist()))) < len(a):
        return None
    return np.column_stack([a, b])


def _bridges(mask: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`recoverable` for a two-way table: the hidden cells whose edge is a bridge
    (Tarjan's low-link, iteratively; a parallel edge is never a bridge)."""
    hidden = np.flatnonzero(mask)
    out = np.zeros(len(mask), dtype=bool)
    adjacent: dict[int, list[tuple[int, int]]] = {}
    for cell in hidden.tolist():
        u, v = int(ends[cell, 0]), int(ends[cell, 1])
        adjacent.setdefault(u, []).append((v, cell))
        adjacent.setdefault(v, []).append((u, cell))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    for root in adjacent:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, -1, iter(adjacent[root]))]
        while stack:
            node, via, edges = stack[-1]
            for nxt, cell in edges:
                if cell == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, cell, iter(adjacent[nxt])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        out[via] = True
    return out


def _thin_lines(hide: np.ndarray, matrix: np.ndarray, values: np.ndarray, threshold: int) -> list[int]:
    """A hidden cell in each line whose hidden cells add up to less than the threshold: their
    sum is known from the total, so a sum of 0 would reveal zeros and a small sum narrows them."""
    out = []
    for line in matrix[:, hide].any(axis=1).nonzero()[0]:
        members = (matrix[line] > 0) & hide
        if np.nansum(values[members]) < threshold:
            out.append(int(np.flatnonzero(members)[0]))
    return out


def _best_complement(hide: np.ndarray, matrix: np.ndarray, values: np.ndarray, candidates: np.ndarray, determined, limit: int = 8) -> list[int]:
    """Cells to hide next: the candidate that leaves the fewest determined cells (then the
    smallest count); if no single cell lowers that number, the best pair of a candidate and a
    visible cell sharing one of its lines (in a two-way table a hidden cell needs a whole
    rectangle of partners). Singles are sought among the ``2 * limit`` smallest candidates, pairs
    among the ``limit`` smallest and their ``limit`` smallest partners, which keeps big tables
    quick; safety does not depend on it, since :func:`suppress` repeats until nothing is
    determined."""

    def cost(cells) -> tuple[int, float]:
        trial = hide.copy()
        trial[list(cells)] = True
        return int(determined(trial).sum()), float(values[list(cells)].sum())

    def smallest(cells, n=limit):
        cells = np.asarray(cells)
        return cells[np.argsort(values[cells], kind="stable")][:n]

    now = int(determined(hide).sum())
    costs = {int(c): cost([c]) for c in smallest(candidates, 2 * limit)}
    single = min(costs, key=costs.get)
    if costs[single][0] < now:
        return [single]
    visible = ~hide & ~np.isnan(values)
    pairs = [
        (int(c), int(d))
        for c in smallest(candidates)
        for d in smallest(np.flatnonzero(matrix[matrix[:, c] > 0].any(axis=0) & visible))
        if d != c
    ]
    best = min(pairs, key=cost, default=None)
    if best is not None and cost(best)[0] < costs[single][0]:
        return list(best)
    return [single]


def suppress(
    table: pd.DataFrame,
    counts: str | Iterable[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    lines: Iterable[Iterable[str]] | None = None,
    dependent: Mapping[str, Iterable[str]] | None = None,
) -> Suppressed:
    """Hide small counts of people and whatever would reveal them.

    ``counts``: the columns that count people. ``lines``: key sets whose totals are (or may
    be) published; the default ``[[]]`` means the column total. For a table of quintile by
    local authority use ``[["lad_code"], ["quantile"]]`` (each authority's total and each
    quintile's total). ``dependent``: for a count column, the columns computed from it
    (rates, interval limits), hidden with it.

    Primary suppression hides counts below ``threshold`` (zero included). Secondary
    suppression then repeatedly takes a hidden cell that the line totals still determine and
    hides a visible count sharing a line with it (the one that leaves the fewest determined
    cells, then the smallest), until no hidden cell is determined and the hidden cells of every
    line add up to at least ``threshold`` (else two hidden zeros would show as a hidden 0).
    """
    if threshold < 1:
        raise ValueError("threshold must be 1 or more")
    counts = [counts] if isinstance(counts, str) else list(counts)
    lines = [list(k) for k in (lines if lines is not None else [[]])]
    dependent = {k: list(v) for k, v in (dependent or {}).items()}
    frame = table.reset_index(drop=True)
    matrix = _line_matrix(frame, lines)
    ends = _two_way(frame, lines)
    determined = (lambda m: _bridges(m, ends)) if ends is not None else (lambda m: recoverable(m, matrix))
    # a column may depend on two counts (a ratio): one mask column each, hidden when either is
    mask = pd.DataFrame(False, index=frame.index, columns=list(dict.fromkeys(counts + [c for v in dependent.values() for c in v])))
    primary = secondary = unprotected = 0
    for col in counts:
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        hide = np.nan_to_num(values, nan=np.inf) < threshold
        primary += int(hide.sum())
        stuck: set[int] = set()
        while True:
            exposed = [c for c in np.flatnonzero(determined(hide)) if c not in stuck]
            exposed += [c for c in _thin_lines(hide, matrix, values, threshold) if c not in stuck]
            if not exposed:
                break
            cell = exposed[0]
            sharing = matrix[matrix[:, cell] > 0].any(axis=0) & ~hide & ~np.isnan(values)
            if not sharing.any():
                stuck.add(cell)  # every cell of its lines is hidden: only hiding a total can help
                continue
            chosen = _best_complement(hide, matrix, values, np.flatnonzero(sharing), determined)
            hide[chosen] = True
            secondary += len(chosen)
        unprotected += len(stuck)
        mask[col] = hide
        for dep in dependent.get(col, []):
            mask[dep] = mask[dep] | hide
    out = frame.copy()
    for col in mask.columns:
        if mask[col].any():
            numeric = pd.to_numeric(out[col], errors="coerce")
            kind = "Int64" if pd.api.types.is_integer_dtype(numeric) else "Float64"
            out[col] = numeric.astype(kind).mask(mask[col])
    out.index = table.index
    mask.index = table.index
    return Suppressed(out, mask, threshold, primary, secondary, unprotected)


__all__ = ["suppress", "Suppressed", "recoverable", "note", "MARKER", "DEFAULT_THRESHOLD"]
