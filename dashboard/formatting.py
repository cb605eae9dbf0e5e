"""One formatter for every number the product shows: pages, meeting steps, the pack and downloads.

Each value has a *kind*; :func:`fmt` turns it into text the same way everywhere:

===========  ==========================  ===============
kind         meaning                     example
===========  ==========================  ===============
count        a whole count               ``1,234``
infants      people (estimates rounded)  ``28,055``
money        pounds                      ``£1,234`` / ``−£227,646``
percent      a share 0-1                 ``59%``
percent1     a share 0-1, one decimal    ``20.1%``
rate         per 1,000, one decimal      ``107.3``
rate0        per 1,000, whole            ``107``
signed       a difference, one decimal   ``+3.2`` / ``−3.2``
ratio        two decimals                ``1.23``
decimal1     one decimal                 ``2.5``
int          an integer label            ``3``
text         as it is                    ``NENC``
link         a web address, as it is     ``https://…``
code         an identifier, as it is     ``1eeb099c…`` (a checksum)
===========  ==========================  ===============

Negative numbers use the minus sign (U+2212), money puts it before the pound sign. A missing value
is ``n/a``; a suppressed one is the suppression marker, decided by the table that holds it.
"""

from __future__ import annotations

import math

import pandas as pd

MINUS = "\u2212"
MISSING = "n/a"

KINDS = ("count", "infants", "money", "percent", "percent1", "rate", "rate0", "signed", "signed0", "ratio", "decimal1", "int", "text", "date", "link", "code")


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))  # NaN, pd.NA
    except (TypeError, ValueError):
        return str(value) in ("<NA>", "nan")


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text


def fmt(value, kind: str = "text") -> str:
    """``value`` as text, formatted by its kind (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown number kind {kind!r}")
    if _missing(value):
        return MISSING
    if kind in ("text", "link", "code"):
        return str(value)
    if kind == "date":
        return f"{pd.Timestamp(value):%d %b %Y}"
    v = float(value)
    neg = v < 0 and round(abs(v), 6) > 0
    a = abs(v)
    if kind in ("count", "infants", "int"):
        text = f"{a:,.0f}" if kind != "int" else f"{a:.0f}"
        return _signed(text, neg and round(a) > 0)
    if kind == "money":
        return _signed(f"£{a:,.0f}", neg and round(a) > 0)
    if kind == "percent":
        return _signed(f"{a:.0%}", neg and round(a * 100) > 0)
    if kind == "percent1":
        return _signed(f"{a:.1%}", neg and round(a * 1000) > 0)
    if kind == "rate":
        return _signed(f"{a:,.1f}", neg and round(a, 1) > 0)
    if kind == "rate0":
        return _signed(f"{a:,.0f}", neg and round(a) > 0)
    if kind == "signed":
        return ("+" if not neg and round(a, 1) > 0 else "") + _signed(f"{a:,.1f}", neg and round(a, 1) > 0)
    if kind == "signed0":
        return ("+" if not neg and round(a) > 0 else "") + _signed(f"{a:,.0f}", neg and round(a) > 0)
    if kind == "ratio":
        return _signed(f"{a:.2f}", neg and round(a, 2) > 0)
    return _signed(f"{a:,.1f}", neg and round(a, 1) > 0)  # decimal1


def money(value) -> str:
    return fmt(value, "money")


def interval(low, high, kind: str) -> str:
    """``12.3 to 45.6`` in the value's own format."""
    return f"{fmt(low, kind)} to {fmt(high, kind)}"


def sii_sentence(sii_per_1000: float | None, ci: tuple[float, float] | None, measure: str = "reach", unit: str = "per 1,000") -> str:
    """The slope index of inequality in words, with the product's one sign convention.

    **Convention**: the SII is the fitted value at the least deprived end minus the fitted value at
    the most deprived end (OHID), so a *positive* SII means the measure is *lower* in the most
    deprived areas. The sentence says which way, so nobody has to remember the sign.
    """
    if sii_per_1000 is None or _missing(sii_per_1000):
        return f"The slope index of inequality of {measure} could not be estimated."
    size = abs(sii_per_1000)
    direction = "lower" if sii_per_1000 > 0 else "higher"
    text = (f"{measure[:1].upper() + measure[1:]} is {fmt(size, 'rate')} {unit} {direction} in the most deprived areas than in the least "
            f"deprived (slope index of inequality, SII {fmt(sii_per_1000, 'signed')}")
    if ci is not None and not (_missing(ci[0]) or _missing(ci[1])):
        text += f", 95% CI {fmt(ci[0], 'signed')} to {fmt(ci[1], 'signed')}"
        if ci[0] <= 0 <= ci[1]:
            text += "; the interval includes no difference"
    return text + ")."
