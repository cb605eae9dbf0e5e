"""The service register's forms: add, edit, delete, import and export, with validation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.exports import csv_bytes, footer_text, xlsx_bytes
from dashboard.services import (
    CATCHMENT_LEVELS,
    LABELS,
    SERVICE_TYPES,
    STATUSES,
    TIERS,
    export_frame,
    parse_register,
    validate_service,
)
from dashboard.ui import register, show
from data_access.repositories import StaleEdit

NEW = 0


def _blank(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


def _show_problems(problems: dict[str, str]) -> None:
    st.error("Not saved. Please correct: " + " ".join(f"**{LABELS[k]}**: {m}." for k, m in problems.items()), icon=":material/error:")


def register_editor(services: pd.DataFrame) -> None:
    st.subheader("Add, edit or delete a service")
    names = dict(zip(services["id"], services["name"]))
    choice = st.selectbox(
        "Service", [NEW, *names], format_func=lambda i: "New service" if i == NEW else f"{names[i]} (#{i})", key="edit_choice"
    )
    current = services.set_index("id").loc[choice].to_dict() if choice != NEW else {}
    opened_key = f"service_opened_{choice}"
    if choice != NEW:  # the version this person opened: a save over someone else's newer change is refused
        st.session_state.setdefault(opened_key, int(current.get("version") or 1))

    def val(k, default=None):
        v = _blank(current.get(k))
        return default if v is None else v

    with st.form(f"service_form_{choice}"):
        a, b = st.columns(2)
        name = a.text_input("Name", val("name", ""), max_chars=200)
        provider = b.text_input("Provider", val("provider", ""), max_chars=200)
        c, d, e = st.columns(3)
        stype = c.selectbox("Type", SERVICE_TYPES, index=SERVICE_TYPES.index(val("service_type", SERVICE_TYPES[0])))
        tier = d.selectbox("Tier", TIERS, index=TIERS.index(val("tier", TIERS[0])))
        status = e.selectbox("Status", list(STATUSES), index=list(STATUSES).index(val("status", "local")), format_func=STATUSES.get)
        f, g, h = st.columns(3)
        postcode = f.text_input("Postcode", val("postcode", ""), help="A postcode in NENC or BNSSG; its location is looked up")
        travel = g.number_input("Travel distance (km)", min_value=0.0, max_value=50.0, value=float(val("travel_km", 0.0)), step=0.5, help="0 = no distance-based catchment")
        level = h.selectbox("Catchment level", ["", *CATCHMENT_LEVELS], index=(["", *CATCHMENT_LEVELS]).index(val("catchment_level", "")), format_func=lambda x: CATCHMENT_LEVELS.get(x, "none"))
        codes = st.text_input("Catchment codes", val("catchment_codes", ""), help="Local authority, sub-ICB or ICB codes separated by ; e.g. E08000021")
        i, j, k, l = st.columns(4)
        age_min = i.number_input("Youngest age (months)", min_value=0, max_value=72, value=int(val("age_min_months", 0)))
        age_max = j.number_input("Oldest age (months)", min_value=0, max_value=72, value=int(val("age_max_months", 24)))
        capacity = k.number_input("Capacity (families a year)", min_value=0, max_value=100000, value=int(val("capacity_families", 0)))
        cost = l.number_input("Annual cost (GBP)", min_value=0.0, value=float(val("annual_cost_gbp", 0.0)), step=1000.0)
        m, n, o = st.columns(3)
        commissioner = m.text_input("Commissioner", val("commissioner", ""))
        funding_end = n.date_input("Funding end date", val("funding_end"), format="DD/MM/YYYY")
        as_of = o.date_input("As of", val("as_of"), format="DD/MM/YYYY", max_value=dt.date.today())
        source = st.text_area("Source", val("source", ""), max_chars=1000)
        save = st.form_submit_button("Save service", type="primary")
    if save:
        raw = {
            "name": name, "provider": provider, "service_type": stype, "tier": tier, "status": status,
            "postcode": postcode, "travel_km": travel or None, "catchment_level": level or None, "catchment_codes": codes,
            "age_min_months": age_min, "age_max_months": age_max, "capacity_families": capacity or None,
            "annual_cost_gbp": cost or None, "commissioner": commissioner, "funding_end": funding_end, "as_of": as_of, "source": source,
        }
        clean, problems = validate_service(raw, register.places())
        if problems:
            _show_problems(problems)
        else:
            repo = register.repository()
            if choice == NEW:
                new_id = repo.add(clean)
                st.toast(f"Saved {show.escape_md(clean['name'])} (#{new_id})")
            else:
                try:
                    repo.update(choice, clean, version=st.session_state.get(opened_key))
                except StaleEdit as stale:
                    st.session_state.pop(opened_key, None)
                    st.error(show.escape_md(str(stale)), icon=":material/sync_problem:")
                    st.stop()
                st.session_state.pop(opened_key, None)
                st.toast(f"Updated {show.escape_md(clean['name'])}")
            st.rerun()
    if choice != NEW:
        confirm = st.checkbox(f"Yes, delete {show.escape_md(names[choice])}", key=f"confirm_delete_{choice}")
        if st.button("Delete service", disabled=not confirm, key=f"delete_{choice}"):
            register.repository().delete(choice)
            st.toast(f"Deleted {show.escape_md(names[choice])}")
            st.rerun()


def save_hypothetical(site: dict) -> None:
    raw = {k: v for k, v in site.items() if k != "id"} | {"status": "local", "source": "Hypothetical site saved from the what-if tool"}
    clean, problems = validate_service(raw, register.places())
    if problems:
        _show_problems(problems)
        return
    register.repository().add(clean)
    st.toast(f"Saved {show.escape_md(clean['name'])} to the register as local data")
    st.rerun()


def import_section() -> None:
    st.subheader("Import and export")
    services = register.services()
    footer = footer_text(
        "PAIR Atlas service register",
        "Rows with status 'illustrative' are synthetic demonstration data, not real services",
    )
    table = export_frame(services, footer)
    a, b = st.columns(2)
    a.download_button("Export register (CSV)", csv_bytes(table), "pair_atlas_services.csv", "text/csv", icon=":material/download:", on_click="ignore")
    b.download_button(
        "Export register (XLSX)", xlsx_bytes(table, "Services"), "pair_atlas_services.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:", on_click="ignore",
    )
    upload = st.file_uploader(
        "Import services from CSV or XLSX (columns as in the export)", type=["csv", "xlsx"], key="register_upload",
        help="The whole file is checked first; nothing is written unless every row is valid.",
    )
    if upload is None:
        return
    result = parse_register(upload.getvalue(), upload.name, register.places())
    if result.problems:
        st.error(
            f"The file was not imported: {len(result.problems)} problem(s). Nothing was written. "
            "Correct the rows below and upload again.",
            icon=":material/error:",
        )
        st.dataframe(result.problem_table(), hide_index=True, key="import_problems")
        return
    for note in result.notes:
        st.caption(show.escape_md(note))
    st.success(f"{len(result.records)} valid service(s) ready to import.")
    if st.button(f"Import {len(result.records)} service(s)", type="primary", key="do_import"):
        added = register.repository().add_many(result.records)
        skipped = len(result.records) - len(added)
        st.toast(f"Imported {len(added)} service(s)" + (f"; {skipped} already in the register, not added again" if skipped else ""))
