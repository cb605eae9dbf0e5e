"""The improvement cycle section of the reach page: the four steps of the region's plan, each
with its dates, status, what was found and what changed, stored in the database."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import improvement
from dashboard.regions import region_label
from dashboard.ui import show


def _repo():
    from data_access.repositories import ImprovementRepository
    from dashboard.ui.data import _engine

    from dashboard.ui import identity

    return ImprovementRepository(_engine(), identity.current())


def section(region: str) -> None:
    st.markdown(f"The region's improvement cycle (**{region_label(region)}**). No personal data: write summaries, not quotes.")
    saved = _repo().list(region).set_index("step") if region != "Both" else pd.DataFrame()
    rows = []
    for key, (title, what) in improvement.STEPS.items():
        row = saved.loc[key] if key in saved.index else None
        rows.append({"Step": title, "What": what, "Status": row["status"] if row is not None else "not recorded",
                     "Started": row["started"] if row is not None else None, "Completed": row["completed"] if row is not None else None,
                     "Found": row["found"] if row is not None else None, "Changed": row["changed"] if row is not None else None})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="improvement_table")
    if region == "Both":
        st.caption("Choose one region to record its steps.")
        return
    with st.form("improvement_form"):
        c1, c2, c3, c4 = st.columns(4)
        step = c1.selectbox("Step", list(improvement.STEPS), format_func=lambda k: improvement.STEPS[k][0], key="imp_step")
        status = c2.selectbox("Status", improvement.STATUSES, key="imp_status")
        started = c3.date_input("Started", value=None, format="DD/MM/YYYY", key="imp_started")
        completed = c4.date_input("Completed", value=None, format="DD/MM/YYYY", key="imp_completed")
        found = st.text_area("What was found (summary, no personal details)", max_chars=2000, key="imp_found")
        changed = st.text_area("What changed as a result", max_chars=2000, key="imp_changed")
        submitted = st.form_submit_button("Save this step", type="primary")
    if submitted:
        record, problems = improvement.validate({"region": region, "step": step, "status": status, "started": started,
                                                 "completed": completed, "found": found, "changed": changed})
        if problems:
            st.error("Not saved: " + " ".join(f"{show.escape_md(m)}." for m in problems.values()), icon=":material/error:")
        else:
            _repo().save(record)
            st.toast("Saved the step")
            st.rerun()
