"""Baby clinic reach: the data source (demo or upload with mapping and checking), and the
suppressed tables and charts. Patient-level rows live only in ``st.session_state``."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import reach
from dashboard.clinic_import import FIELDS, LABELS, Checked, check_extract, guess_mapping, read_extract
from dashboard.demo_extract import PERIOD, generate
from dashboard.exports import csv_bytes, footer_text, with_footer
from dashboard.services import text_problem
from dashboard.starter import illustrative_services
from dashboard.suppression import MARKER
from dashboard.ui import data, register, show
from data_access.repositories import AuditRepository, SettingsRepository
from data_access.store import ReferenceStore

MAPPING_PREFIX = "clinic_mapping:"
NONE = "(not in the file)"


@st.cache_data(show_spinner="Making the synthetic demonstration extract…", max_entries=2)
def _demo(version: str) -> tuple[pd.DataFrame, Checked]:
    store = ReferenceStore()
    lsoas = store.lsoas("iod2025")
    clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
    clinics = clinics[clinics["service_type"] == "health-visitor baby clinic"]
    extract = generate(lsoas, store.postcodes(), clinics)
    checked = check_extract(extract.astype("string"), guess_mapping(list(extract.columns)), postcode_lookup(), set(lsoas["lsoa_code"]), PERIOD[1])
    return extract, checked


def demo() -> tuple[pd.DataFrame, Checked]:
    return _demo(data.store_or_stop().version)


@st.cache_data(show_spinner=False, max_entries=2)
def _postcodes(version: str) -> pd.Series:
    pcs = ReferenceStore().postcodes()
    return pcs.set_index("postcode")["lsoa21_code"]


def postcode_lookup() -> pd.Series:
    return _postcodes(data.store_or_stop().version)


def _settings() -> SettingsRepository:
    from dashboard.ui import identity

    return SettingsRepository(register.engine(), identity.current())


def upload_flow() -> Checked | None:
    """Upload, map columns, check; returns the accepted check, or None while not accepted."""
    upload = st.file_uploader(
        "Attendance extract (CSV or XLSX, one row per attendance)", type=["csv", "xlsx"], key="extract_upload",
        help="UTF-8 (with or without BOM) or Windows-1252 CSV, or an Excel workbook; dates as 31/03/2026 or 2026-03-31.",
    )
    if upload is None:
        return None
    try:
        raw = _read(upload.getvalue(), upload.name)
    except ValueError as exc:
        st.error(f"The file could not be read: {show.escape_md(str(exc))}", icon=":material/error:")
        return None
    st.session_state["read_notes"] = list(raw.attrs.get("notes", []))
    st.markdown(f"**{show.escape_md(upload.name)}**: {len(raw):,} rows, {raw.shape[1]} columns. Match the file's columns to the fields:")
    saved = [k.removeprefix(MAPPING_PREFIX) for k in _settings().keys(MAPPING_PREFIX)]
    preset = st.selectbox("Saved column mapping", ["(guess from the headings)", *saved], key="mapping_preset")
    guess = guess_mapping(list(raw.columns))
    if preset in saved:
        stored = json.loads(_settings().get(MAPPING_PREFIX + preset) or "{}")
        guess = {k: (v if v in raw.columns else None) for k, v in stored.items()} | {k: guess.get(k) for k in FIELDS if k not in stored}
    options = [NONE, *map(str, raw.columns)]
    mapping = {}
    cols = st.columns(3)
    for i, (key, (label, required, _)) in enumerate(FIELDS.items()):
        current = guess.get(key)
        mapping[key] = cols[i % 3].selectbox(
            label + (" *" if required else ""), options, index=options.index(current) if current in options else 0,
            key=f"map_{key}_{preset}",
        )
    mapping = {k: (None if v == NONE else v) for k, v in mapping.items()}
    with st.expander("Save this column mapping for next time"):
        name = st.text_input("Mapping name", key="mapping_name", max_chars=60)
        if st.button("Save mapping", key="save_mapping", disabled=not name.strip()):
            if problem := text_problem(name.strip(), 60):
                st.error(f"Not saved: the mapping name {problem}.", icon=":material/error:")
            else:
                _settings().set(MAPPING_PREFIX + name.strip(), json.dumps(mapping))
                st.toast(f"Saved the column mapping '{show.escape_md(name.strip())}'")
    if st.button("Check the file", type="primary", key="check_file"):
        with st.spinner("Checking every row…"):
            lsoas = data.lsoas("iod2025")
            st.session_state["checked"] = check_extract(raw, mapping, postcode_lookup(), set(lsoas["lsoa_code"]))
            st.session_state["checked_file"] = upload.file_id
            st.session_state.pop("accepted_file", None)
    checked: Checked | None = st.session_state.get("checked")
    if checked is None or st.session_state.get("checked_file") != upload.file_id:
        return None
    return _report(checked, upload)


@st.cache_data(show_spinner="Reading the file…", max_entries=2)
def _read(content: bytes, name: str) -> pd.DataFrame:
    return read_extract(content, name)


def _report(checked: Checked, upload) -> Checked | None:
    st.markdown(
        f"**Check report.** {checked.rows_read:,} rows read; **{len(checked.valid):,} valid** and placed in an LSOA; "
        f"**{len(checked.rejected_rows):,} rejected** ({len(checked.problems):,} problem(s)); "
        f"{checked.unmatched_postcodes:,} valid row(s) whose postcode could not be placed in an LSOA."
    )
    for note in checked.notes:
        st.caption(show.escape_md(note))
    for note in st.session_state.get("read_notes", []):
        st.caption(show.escape_md(note))
    if not checked.problems.empty:
        if checked.problems["Row"].eq(1).any():
            st.error(show.escape_md(checked.problems.iloc[0]["Problem"]), icon=":material/error:")
            return None
        st.dataframe(checked.summary, hide_index=True, key="problem_summary")
        st.dataframe(checked.problems.head(1000), hide_index=True, key="problem_rows")
        st.download_button(
            "Download the rejected rows (CSV)", csv_bytes(with_footer(checked.rejected_rows.assign(Row=checked.rejected_rows.index + 2),
                                   footer_text(f"rows of {upload.name} refused by the PAIR Atlas check", "Patient-level: keep within your organisation"))),
            file_name=f"rejected_rows_{upload.name.rsplit('.', 1)[0]}.csv", mime="text/csv", on_click="ignore", key="rejected_dl",
        )
    if checked.valid.empty:
        st.error("No valid rows to use.", icon=":material/error:")
        return None
    accepted = st.checkbox(f"I have read the report: use the {len(checked.valid):,} valid rows", key=f"accept_{upload.file_id}")
    return checked if accepted else None


def register_catchment(name: str, lsoas: pd.DataFrame) -> set[str]:
    """The LSOAs a register service of this name reaches (empty if there is none)."""
    from dashboard.coverage import reach as reach_pairs

    services = register.services()
    match = services[services["name"] == name]
    return set(reach_pairs(lsoas, match)["lsoa_code"]) if len(match) else set()


def la_features(table: pd.DataFrame) -> list[dict]:
    """Local-authority polygons with their (suppressed) reach, for a Vega-Lite map."""
    from dashboard.mapview import features

    polys = data.store_or_stop().polygons("iod2025", "lad")
    geo = polys.merge(table[["lad_code", "reach_per_1000"]], on="lad_code", how="inner").reset_index(drop=True)
    props = pd.DataFrame({"name": geo["lad_name"], "reach": geo["reach_per_1000"].astype(float).round(1)})
    props["reach"] = props["reach"].astype(object).where(props["reach"].notna(), None)
    return features(geo, props, d3_winding=True)


def save_audit(valid: pd.DataFrame) -> None:
    with st.expander("Save the aggregated audit to the database", key="audit_open", on_change="rerun") as box:
        if not box.open:  # made when opened: no text box to load for the first screen
            return
        st.caption("Only counts by clinic, LSOA and month are saved: no child identifiers, dates, ages or postcodes.")
        name = st.text_input("Audit name", key="audit_name", max_chars=100)
        if st.button("Save aggregated audit", key="save_audit", disabled=not name.strip()):
            from dashboard.ui import identity

            if problem := text_problem(name.strip(), 100):
                st.error(f"Not saved: the audit name {problem}.", icon=":material/error:")
                return

            regions = set(data.lsoas("iod2025").set_index("lsoa_code")["region"].reindex(valid["lsoa_code"].dropna().unique()).dropna())
            region = regions.pop() if len(regions) == 1 else None
            n = AuditRepository(register.engine(), identity.current()).save(name.strip(), reach.audit_counts(valid), region=region)
            st.toast(f"Saved {n:,} aggregated rows as '{show.escape_md(name.strip())}'")


__all__ = ["demo", "upload_flow", "save_audit", "register_catchment", "la_features", "MARKER", "LABELS"]
