"""The Observed section of Value for money: enter what a service achieved in a period, see it
beside the model's assumptions, and use it in the scenario."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import observed
from dashboard.regions import region_label
from dashboard.ui import data, show
from dashboard.views import observed_view


def observed_section(region: str, inputs) -> None:
    st.markdown(
        f"What a service in **{region_label(region)}** actually achieved in a period: referrals, families seen, completions and, "
        "if you measured it, a before-and-after outcome. Set beside the model's assumptions, and one click puts the observed "
        "uptake, completion and share improving into this scenario. Counts of families below 5 are hidden."
    )
    services = data.services()
    names = sorted(set(services.loc[services["status"] != "illustrative", "name"])) if len(services) else []
    with st.form("observed_form"):
        c1, c2, c3 = st.columns([3, 2, 2])
        service = c1.selectbox("Service", names, key="obs_service", help="From the service register (illustrative services are not offered)")
        start = c2.date_input("Period start", value=dt.date(dt.date.today().year - 1, 4, 1), format="DD/MM/YYYY", key="obs_start")
        end = c3.date_input("Period end", value=dt.date(dt.date.today().year, 3, 31) if dt.date(dt.date.today().year, 3, 31) <= dt.date.today()
                            else dt.date.today(), format="DD/MM/YYYY", key="obs_end")
        n1, n2, n3 = st.columns(3)
        referrals = n1.number_input("Referrals", min_value=0, max_value=observed.MAX_COUNT, step=1, key="obs_referrals")
        seen = n2.number_input("Families seen", min_value=0, max_value=observed.MAX_COUNT, step=1, key="obs_seen")
        completions = n3.number_input("Completions", min_value=0, max_value=observed.MAX_COUNT, step=1, key="obs_completions")
        m1, m2, m3, m4 = st.columns([3, 2, 2, 2])
        measure = m1.text_input("Outcome measure (optional)", max_chars=200, key="obs_measure", placeholder="e.g. PIR-GAS")
        scale = m2.text_input("Its scale", max_chars=200, key="obs_scale", placeholder="e.g. 0-100, higher is better")
        measured = m3.number_input("Families measured before and after", min_value=0, max_value=observed.MAX_COUNT, step=1, key="obs_measured")
        improved = m4.number_input("Families who improved", min_value=0, max_value=observed.MAX_COUNT, step=1, key="obs_improved")
        source = st.text_input("Source (report or extract, with its date)", max_chars=1000, key="obs_source")
        saved = st.form_submit_button("Save observed figures", type="primary")
    if saved:
        record, problems = observed.validate({
            "service": service, "region": region, "period_start": start, "period_end": end, "referrals": referrals,
            "families_seen": seen, "completions": completions, "measure": measure, "measure_scale": scale,
            "measured": measured if measured or improved or measure.strip() else None, "improved": improved if measured or improved or measure.strip() else None,
            "source": source,
        })
        if problems:
            st.error("Not saved: " + " ".join(f"{observed.LABELS[k]}: {show.escape_md(m)}." for k, m in problems.items()), icon=":material/error:")
        else:
            data.save_observed(record)
            st.toast("Saved the observed figures")
    records = data.observed(region)
    chosen = None
    if len(records):
        labels = {int(r["id"]): f"{r['service']} ({observed.period_text(r)})" for r in records.to_dict("records")}
        chosen = st.selectbox("Observed period to compare", list(labels), format_func=labels.get, key="obs_pick")
    view = observed_view(region, records, inputs, chosen)
    show.headline(view)
    for table in view.tables:
        show.table(table, view, f"obs_{table.key}")
    show.notes(view)
    if chosen is not None:
        record = records[records["id"] == chosen].iloc[0].to_dict()
        new, changed = observed.apply(inputs, record)
        hidden = view.table("observed_vs_assumed").hidden("observed").any()
        if changed and st.button("Use the observed values in this scenario", key="obs_apply", disabled=bool(hidden),
                                 help="Sets " + ", ".join(changed) + " to the observed values" + (" (hidden: small numbers)" if hidden else "")):
            st.session_state["vfm_observed_apply"] = ({k: getattr(new, k) for k in changed}, (
                f"Observed values in use: {', '.join(changed)} from {record['service']}, {observed.period_text(record)}. Source: {record['source']}. "
                "The observed share improving has no comparison group: set the deadweight to the share you expect to improve anyway."))
            st.rerun()
