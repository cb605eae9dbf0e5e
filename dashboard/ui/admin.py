"""The administrator's view: who has which role, and the audit trail of every change."""

from __future__ import annotations

import streamlit as st

from data_access.access import REGIONS, ROLES, Refused
from dashboard.ui import identity, register, show
from dashboard.viewmodel import Column, Table, View
from data_access.repositories import UserRepository, audit_trail_rows


def allowed() -> bool:
    """Whether the signed-in user administers the app (roles and the audit trail)."""
    return identity.current().role == "admin"


def section() -> None:
    actor = identity.current()
    if actor.role != "admin":
        return
    if actor.local:
        st.caption("Local mode: roles take effect once sign-in is configured ([auth] in .streamlit/secrets.toml).")
    users = UserRepository(register.engine(), actor)
    with st.form("set_role", clear_on_submit=True):
        u1, u2, u3 = st.columns([3, 2, 2])
        email = u1.text_input("E-mail (as the identity provider sends it)", max_chars=254)
        role = u2.selectbox("Role", list(ROLES), format_func=ROLES.get)
        regions = u3.multiselect("Regions (editors)", list(REGIONS))
        if st.form_submit_button("Save the role"):
            try:
                users.set_role(email, role, ",".join(regions))
                st.toast("Role saved")
            except (ValueError, Refused) as exc:
                st.error(f"Not saved: {show.escape_md(str(exc))}", icon=":material/error:")
    view = View("admin", "Administration", "NENC", "Who changed what?", "", [], [
        Table("users", "Users and roles", users.list(), [Column("email", "E-mail"), Column("role", "Role"), Column("regions", "Regions"),
                                                         Column("updated_at", "Changed")]),
        Table("audit_trail", "Audit trail (newest first)", audit_trail_rows(register.engine()), [
            Column("at", "When"), Column("who", "Who"), Column("action", "Action"), Column("table_name", "Table"), Column("record", "Record"),
            Column("before", "Before"), Column("after", "After")]),
    ], [], [], "PAIR Atlas database (append-only audit trail)", [])
    for table in view.tables:
        st.markdown(f"**{table.title}**")
        show.table(table, view, f"admin_{table.key}", height=260)


__all__ = ["allowed", "section"]
