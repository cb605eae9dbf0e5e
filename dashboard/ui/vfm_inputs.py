"""Value-for-money page helpers: input widgets bound to a scenario, the scenario store."""

from __future__ import annotations

from dataclasses import asdict, fields

import pandas as pd
import streamlit as st

from dashboard import vfm
from dashboard.formatting import money  # one money format everywhere ("−£")
from dashboard.ui import data, register
from data_access.repositories import ScenarioRepository

PREFIX = "vfm_"
PERCENT = set(vfm.PROPORTIONS) | {"optimism_bias"}
STATUS_ICON = {"illustrative": "Status: **illustrative** (no published figure)", "derived": "Status: derived from sources", "verified": "Status: verified source"}




def repo() -> ScenarioRepository:
    from dashboard.ui import identity

    return ScenarioRepository(register.engine(), identity.current(), data.area_lookup()[1].get)


def areas() -> tuple[dict[str, str], dict[str, float]]:
    """Area code -> name (ICBs, then local authorities' parts in their ICB) and -> infants aged 0 (worked out once per store)."""
    return _areas(data.store_or_stop().version)


@st.cache_data(show_spinner=False, max_entries=2)
def _areas(version: str) -> tuple[dict[str, str], dict[str, float]]:
    lsoas = data.lsoas("iod2025")
    names, cohort = {}, {}
    for code, g in lsoas.groupby("icb_code"):
        names[code] = f"{g['region'].iloc[0]} ICB"
        cohort[code] = float(g["infants_0"].sum())
    for (code, name), g in lsoas.groupby(["lad_code", "lad_name"]):
        names[code] = name
        cohort[code] = float(g["infants_0"].sum())
    return names, cohort


def load_into_state(inputs: vfm.Inputs, area_code: str) -> None:
    """Put a scenario's inputs into the widgets' state (percentages shown as 0-100)."""
    for f in fields(vfm.Inputs):
        if f.name == "cohort":
            continue
        if f.name == "value_mode":
            st.session_state[PREFIX + f.name] = inputs.value_mode
            continue
        value = getattr(inputs, f.name)
        st.session_state[PREFIX + f.name] = round(value * 100, 6) if f.name in PERCENT else (int(value) if f.name == "horizon" else value)
    st.session_state["vfm_area"] = area_code


def status_of(name: str) -> str:
    spec = vfm.defaults()["inputs"][name]
    return STATUS_ICON.get(spec["status"].split(" ")[0], spec["status"])


#: The inputs as last set (widget units: percentages as 0-100), kept while the inputs' panel is closed
#: (Streamlit drops a widget's state when the widget is not drawn).
KEPT = "vfm_inputs_kept"
GROUPS = {
    "Need and reach": ["prevalence", "identified", "uptake", "completion"],
    "Money": ["budget", "cost_per_family", "optimism_bias"],
    "Effect": ["effect", "deadweight", "attribution", "drop_off", "horizon"],
    "Value": ["value_per_outcome", "share_nhs", "share_la"],
}


def _current(name: str, default):
    """An input's value in widget units: its widget's state (or a value put there by loading a
    scenario, the observed values or a what-if site), else the kept value, else the default."""
    key = PREFIX + name
    kept = st.session_state.setdefault(KEPT, {})
    if key in st.session_state:
        kept[name] = st.session_state[key]
    return kept.get(name, default)


def input_widgets(cohort: float, shown: bool = True) -> vfm.Inputs:
    """One widget per input, each with its source and status (``shown``), or the inputs as last set
    without drawing them (the panel closed); returns the model inputs."""
    spec = vfm.defaults()["inputs"]
    base = vfm.Inputs.from_defaults(cohort)
    values = {}
    for title, names in GROUPS.items():
        cols = None
        if shown:
            st.markdown(f"**{title}**")
            cols = st.columns(len(names))
        for i, name in enumerate(names):
            s = spec[name]
            key = PREFIX + name
            default = getattr(base, name)
            value = _current(name, default * 100 if name in PERCENT else default)
            if not shown:
                values[name] = value / 100 if name in PERCENT else (int(value) if name == "horizon" else float(value))
                continue
            st.session_state[key] = value if name in PERCENT or name == "horizon" else float(value)
            with cols[i]:
                if name in PERCENT:
                    values[name] = st.number_input(f"{s['label']} (%)", min_value=0.0, max_value=100.0, step=1.0, key=key, help=s["source"]) / 100
                elif name == "horizon":
                    values[name] = int(st.number_input(s["label"], min_value=1, max_value=vfm.MAX_YEARS, step=1, key=key, help=s["source"]))
                else:
                    values[name] = st.number_input(s["label"], min_value=0.0, max_value=1e9, step=100.0 if name == "cost_per_family" else 1000.0,
                                                   key=key, help=s["source"])
                st.caption(f"{status_of(name)}")
            st.session_state[KEPT][name] = st.session_state[key]
    values["value_mode"] = _current("value_mode", base.value_mode)
    values["health_discounting"] = bool(_current("health_discounting", False))
    if shown:
        st.session_state[PREFIX + "value_mode"] = values["value_mode"]
        values["value_mode"] = st.radio("The value of an improved outcome is", list(vfm.VALUE_MODES), format_func=vfm.VALUE_MODES.get,
                                        key=PREFIX + "value_mode", help=vfm.defaults()["value_mode"]["source"])
        st.session_state[PREFIX + "health_discounting"] = values["health_discounting"]
        values["health_discounting"] = st.checkbox("Discount the family-and-society share on the Green Book health schedule (1.5%, 1.286%, 1.071%)",
                                                   key=PREFIX + "health_discounting", disabled=values["value_mode"] == "lifetime",
                                                   help=vfm.defaults()["discounting"]["source"] + " In lifetime mode nothing is discounted again.")
        st.session_state[KEPT].update(value_mode=values["value_mode"], health_discounting=values["health_discounting"])
        if values["value_mode"] == "lifetime":
            st.caption("Lifetime mode: each improved outcome counts its lifetime value once; the horizon and drop-off do not apply.")
    return vfm.Inputs(cohort=cohort, **values)


def in_brief(inputs: vfm.Inputs) -> str:
    """The inputs that set the scale, in one line (the panel closed)."""
    from dashboard.formatting import fmt

    return (f"Budget {money(inputs.budget)} a year; {money(inputs.cost_per_family)} per family; uptake {fmt(inputs.uptake, 'percent')}, "
            f"completion {fmt(inputs.completion, 'percent')}; effect {fmt(inputs.effect, 'percent')}; "
            f"value of an improved outcome {money(inputs.value_per_outcome)}; horizon {inputs.horizon} years.")


def comparison(names: list[str], area_names: dict[str, str], cohorts: dict[str, float]) -> pd.DataFrame:
    """Inputs and outputs of up to four saved scenarios, one column each."""
    columns = {}
    for name in names[:4]:
        row = repo().get(name)
        inputs = vfm.Inputs.from_json(row["inputs"])
        out = vfm.run(inputs)
        col = {"Area": area_names.get(row["area_code"], row["area_code"])}
        col |= {k: v for k, v in asdict(inputs).items()}
        col |= {f"→ {k}": float(out[k]) for k in ("families_reached", "cost", "improved_outcomes", "pv_benefits", "npv", "bcr", "fiscal_return", "break_even_effect")}
        col["→ payback_year"] = vfm.payback_year(inputs)
        columns[name] = col
    return pd.DataFrame(columns)


def printable(name: str, area: str, inputs: pd.DataFrame, outputs: pd.DataFrame, psa: dict, caveats: str, footer: str) -> str:
    """A one-page HTML summary with print styles (open it and print, or save as PDF)."""
    from html import escape

    def table(frame: pd.DataFrame) -> str:
        head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
        body = "".join("<tr>" + "".join(f"<td>{escape(f'{v:,.2f}' if isinstance(v, float) else str(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False))
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(name)}: value for money</title>
<style>body{{font-family:Arial,sans-serif;color:#231F20;margin:1.5cm;font-size:10pt}} h1{{color:#005EB8;font-size:16pt}}
table{{border-collapse:collapse;width:100%;margin:0.4cm 0}} th,td{{border:1px solid #AEB7BD;padding:3px 5px;text-align:left;vertical-align:top}}
th{{background:#E8EDEE}} footer{{color:#425563;font-size:8pt;margin-top:0.5cm}} @page{{size:A4;margin:1cm}}</style></head>
<body><h1>{escape(name)}: value for money, {escape(area)}</h1>
<p>Probability that benefits exceed costs: <b>{psa['p_benefits_exceed_costs']:.0%}</b>; net present value 10th to 90th percentile
{money(psa['npv'][10])} to {money(psa['npv'][90])} ({psa['n']:,} seeded draws).</p>
<h2>Outputs</h2>{table(outputs)}<h2>Inputs and sources</h2>{table(inputs)}
<p>{escape(caveats)}</p><footer>{escape(footer)}</footer></body></html>"""
