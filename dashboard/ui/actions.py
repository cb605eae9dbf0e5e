"""The Barriers page's path from a prioritised barrier to actions (Michie, Atkins and West 2014):
barrier -> COM-B -> candidate intervention functions -> APEASE -> kept functions -> policy
categories -> actions with owners, due dates and status, stored per region."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import bcw
from dashboard.ui import data, register, show
from dashboard.ui.state import bound
from dashboard.ui.widgets import choice
from dashboard.views import actions_view, barriers_view
from data_access.repositories import ActionRepository, StaleAction

ANSWER_LABELS = {"yes": "Yes", "unsure": "Unsure", "no": "No"}
OTHER_ROLE = "Another role…"


def repo() -> ActionRepository:
    from dashboard.ui import identity

    return ActionRepository(register.engine(), identity.current())


def _ordered(region: str, barriers: list[bcw.Barrier]) -> tuple[list[bcw.Barrier], str]:
    """The barriers amenable to change, the region's latest workshop's priorities first."""
    frame, ratings = data.workshops()
    view = barriers_view(region, frame, ratings, data.area_lookup()[1], top=None)
    ranked = view.table("priorities").frame
    order = list(ranked["barrier_id"]) if "barrier_id" in ranked else []
    amenable = [b for b in barriers if b.amenable]
    amenable.sort(key=lambda b: (order.index(b.id) if b.id in order else len(order), b.id))
    basis = "in the order of the region's latest workshop priorities" if order else "(no workshop for this region yet: in the study's order)"
    return amenable, basis


def section(barriers: list[bcw.Barrier], version: str) -> None:
    region = bound(choice, "Region of the action plan", ["NENC", "BNSSG"], default="NENC", required=True, key="plan_region") or "NENC"
    actions_repo = repo()
    amenable, basis = _ordered(region, barriers)
    st.markdown(f"**1. Choose a barrier** {basis}. Structural factors (such as funding rules) are context, not behaviours to change, so they are not listed here.")
    by_id = {b.id: b for b in amenable}
    bid = st.selectbox("Barrier or enabler", list(by_id), format_func=lambda i: f"{i}. {by_id[i].title} ({by_id[i].direction})", key="plan_barrier")
    barrier = by_id[bid]
    wheel = bcw.wheel()
    st.markdown(f"**2. Its COM-B components** ({bcw.SUGGESTED}): {show.escape_md(', '.join(barrier.com_b))}.")
    cands = bcw.candidates(barrier, version)
    apease = actions_repo.apease(region)
    st.markdown(f"**3. Candidate intervention functions** from the COM-B matrix ({version}); rate each against **APEASE** and keep the ones "
                "the group will use. Keeping needs all six criteria answered, and a note when a criterion is *no* or the function is not suggested.")
    for cand in cands:
        _apease_form(actions_repo, region, barrier, cand, apease)
    kept = bcw.kept_functions(actions_repo.apease(region), barrier.id)
    policies = wheel.policies_for(kept)
    st.markdown(f"**4. Kept functions:** {', '.join(kept) or 'none yet'}. **Policy categories** that can deliver them: {', '.join(policies) or 'none yet'}.")
    st.markdown("**5. Actions.**")
    if barrier.actions:
        st.caption(bcw.OURS_ACTIONS)
        suggestion = st.selectbox("Start from a suggestion (optional)", ["", *barrier.actions], key=f"plan_suggest_{bid}",
                                  format_func=lambda a: "Write your own" if not a else a)
    else:
        suggestion = ""
    _action_form(actions_repo, region, barrier, kept, suggestion)
    _plan(actions_repo, region, barriers)


def _apease_form(actions_repo: ActionRepository, region: str, barrier: bcw.Barrier, cand: bcw.Candidate, apease) -> None:
    saved = apease[(apease["barrier_id"] == barrier.id) & (apease["function"] == cand.function)] if len(apease) else apease
    row = saved.iloc[0] if len(saved) else None
    status = "kept" if row is not None and bool(row["kept"]) else ("rated, not kept" if row is not None else "not rated")
    flag = "" if cand.suggested else f" · {cand.reason}"
    with st.expander(f"{cand.function}: {status}{flag}", expanded=False):
        st.caption(bcw.wheel().functions.get(cand.function, ""))
        with st.form(f"apease_{region}_{barrier.id}_{cand.function}"):
            cols = st.columns(3)
            answers = {}
            for i, (key, label) in enumerate(bcw.APEASE.items()):
                current = row[key] if row is not None and row[key] in bcw.ANSWERS else None
                answers[key] = choice(label, bcw.ANSWERS, within=cols[i % 3], default=current, format_func=ANSWER_LABELS.get,
                                                             key=f"ap_{region}_{barrier.id}_{cand.function}_{key}")
            note = st.text_input("Note (why kept, or what would make it work)", value=(row["note"] or "") if row is not None else "", max_chars=500)
            kept = st.checkbox("Keep this function", value=bool(row["kept"]) if row is not None else False)
            if st.form_submit_button("Save APEASE rating"):
                problems = bcw.apease_problems(cand, answers, note, kept)
                if problems:
                    st.error("Not saved: " + "; ".join(problems) + ".", icon=":material/error:")
                else:
                    actions_repo.rate_function(region, barrier.id, cand.function, answers, note.strip() or None, kept)
                    st.rerun()


def _action_form(actions_repo: ActionRepository, region: str, barrier: bcw.Barrier, kept: list[str], suggestion: str) -> None:
    if not kept:
        st.info("Keep at least one intervention function through APEASE to add actions for this barrier.", icon=":material/info:")
        return
    with st.form(f"action_{region}_{barrier.id}", clear_on_submit=True):
        text = st.text_area("Action", value=suggestion, max_chars=1000)
        a1, a2, a3, a4 = st.columns(4)
        function = a1.selectbox("Intervention function", kept)
        role = a2.selectbox("Owner (a role, not a name)", [*bcw.OWNER_ROLES, OTHER_ROLE])
        other = a2.text_input("Other role", max_chars=120, placeholder="e.g. Head of early years")
        due = a3.date_input("Due", value=dt.date.today() + dt.timedelta(days=90), format="DD/MM/YYYY")
        status = a4.selectbox("Status", bcw.ACTION_STATUSES)
        if st.form_submit_button("Add to the action plan", type="primary"):
            values = {"region": region, "barrier_id": barrier.id, "function": function, "action": text.strip(),
                      "owner": other.strip() if role == OTHER_ROLE else role, "due": due, "status": status}
            problems = bcw.action_problems(values, kept)
            if problems:
                st.error("Not added: " + "; ".join(problems) + ".", icon=":material/error:")
            else:
                actions_repo.add(values)
                st.toast("Added to the action plan")


def _plan(actions_repo: ActionRepository, region: str, barriers: list[bcw.Barrier]) -> None:
    frame = actions_repo.list(region)
    view = actions_view(region, frame, barriers)
    st.subheader(f"Action plan: {region}")
    show.headline(view)
    show.table(view.table("actions"), view, "action_plan")
    if frame.empty:
        return
    with st.expander("Update an action (status, owner, due date)"):
        ids = frame["id"].tolist()
        pick = st.selectbox("Action", ids, format_func=lambda i: frame.set_index("id").at[i, "action"][:90], key="plan_edit_pick")
        row = frame.set_index("id").loc[pick]
        opened = st.session_state.setdefault(f"plan_opened_{pick}", int(row["version"]))
        with st.form(f"plan_edit_{pick}"):
            e1, e2, e3 = st.columns(3)
            status = e1.selectbox("Status", bcw.ACTION_STATUSES, index=bcw.ACTION_STATUSES.index(row["status"]))
            owner = e2.text_input("Owner (a role)", value=row["owner"], max_chars=120)
            due = e3.date_input("Due", value=row["due"], format="DD/MM/YYYY")
            if st.form_submit_button("Save the change"):
                values = {"action": row["action"], "function": row["function"], "owner": owner.strip(), "due": due, "status": status}
                kept = [row["function"]]
                problems = bcw.action_problems(values, kept)
                if problems:
                    st.error("Not saved: " + "; ".join(problems) + ".", icon=":material/error:")
                else:
                    try:
                        actions_repo.update(int(pick), {"owner": owner.strip(), "due": due, "status": status}, opened)
                        st.session_state.pop(f"plan_opened_{pick}", None)
                        st.toast("Saved")
                        st.rerun()
                    except StaleAction as stale:
                        st.session_state.pop(f"plan_opened_{pick}", None)
                        st.error(str(stale), icon=":material/sync_problem:")
        history = actions_repo.history(int(pick))
        st.caption("History: " + "; ".join(f"v{r.version} {r.changed_at:%d %b %Y %H:%M}: {show.escape_md(r.change)}" for r in history.itertuples()))

