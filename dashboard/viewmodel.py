"""The objects a screen is made of: one :class:`View` per screen, holding its metrics, tables,
charts' data, headline sentence, caveats and source footer (no Streamlit).

A page, a meeting step and the briefing pack only lay a view out; they never compute a number.
Tables that count people carry the suppression mask they went through: :meth:`Table.check`
refuses one that did not, so no renderer can show an unsuppressed count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard.exports import footer_text
from dashboard.formatting import fmt
from dashboard.suppression import MARKER, Suppressed


class Unsuppressed(ValueError):
    """A table with counts of people that did not go through :func:`dashboard.suppression.suppress`."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"


@dataclass(frozen=True)
class Metric:
    label: str
    value: object
    kind: str = "count"
    detail: str = ""  # a second line, already in words ("11% of infants aged 0")
    help: str = ""
    suppressed: bool = False

    @property
    def text(self) -> str:
        return MARKER if self.suppressed else fmt(self.value, self.kind)


@dataclass
class Table:
    key: str
    title: str
    frame: pd.DataFrame
    columns: list[Column]
    #: True where a cell was hidden by suppression (None: the table went through no suppression).
    mask: pd.DataFrame | None = None
    #: Columns that count people: they must have been through suppression.
    people: tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def from_suppressed(cls, key: str, title: str, shown: Suppressed, columns: list[Column], people, note: str = "") -> "Table":
        return cls(key, title, shown.table.reset_index(drop=True), columns, shown.mask.reset_index(drop=True), tuple(people), note or shown.note)

    def check(self) -> "Table":
        """The table itself, or :class:`Unsuppressed` when a count of people was not suppressed."""
        missing = [c for c in self.people if self.mask is None or c not in self.mask.columns]
        if missing:
            raise Unsuppressed(f"Table {self.key!r} shows counts of people that were not suppressed: {', '.join(missing)}")
        return self

    def hidden(self, column: str) -> pd.Series:
        if self.mask is not None and column in self.mask.columns:
            return self.mask[column].astype(bool)
        return pd.Series(False, index=self.frame.index)

    def formatted(self) -> pd.DataFrame:
        """Human column labels, every value formatted by its kind, ``[c]`` where suppressed."""
        self.check()
        out = {}
        for col in self.columns:
            text = self.frame[col.key].map(lambda v, k=col.kind: fmt(v, k))
            out[col.label] = text.mask(self.hidden(col.key), MARKER)
        return pd.DataFrame(out, index=self.frame.index).reset_index(drop=True)

    def export(self) -> pd.DataFrame:
        """For CSV / XLSX: human labels, numbers kept as numbers, ``[c]`` where suppressed."""
        self.check()
        out = {}
        for col in self.columns:
            values = self.frame[col.key].astype(object)
            if col.kind in ("infants", "count"):
                values = values.map(lambda v: v if pd.isna(v) else round(float(v)))
            out[col.label] = values.mask(self.hidden(col.key), MARKER)
        return pd.DataFrame(out, index=self.frame.index).reset_index(drop=True)

    def cell(self, row: int, key: str) -> str:
        """One formatted cell (by row position and column key)."""
        col = next(c for c in self.columns if c.key == key)
        return MARKER if bool(self.hidden(key).iloc[row]) else fmt(self.frame[key].iloc[row], col.kind)


@dataclass
class Chart:
    """A chart's data and the name of its spec in :mod:`dashboard.charts`; ``summary`` is its text alternative."""

    key: str
    title: str
    spec: str
    data: pd.DataFrame
    summary: str = ""
    options: dict = field(default_factory=dict)


@dataclass
class View:
    key: str
    title: str
    region: str
    question: str
    summary: str  # one sentence a commissioner could read out
    metrics: list[Metric] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)  # synthetic / illustrative flags, in words
    source: str = ""
    notes: list[str] = field(default_factory=list)  # definitions and further sentences
    #: What a renderer needs beyond numbers (e.g. the per-LSOA frame a map is coloured from).
    extras: dict = field(default_factory=dict)

    def metric(self, label: str) -> Metric:
        return next(m for m in self.metrics if m.label == label)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)

    def footer(self, today: dt.date | None = None) -> str:
        return footer_text(self.source, ". ".join(self.caveats), today)
