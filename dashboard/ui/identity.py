"""Who is using the app: sign-in with the organisation's identity provider through Streamlit's
OpenID Connect support (``st.login``, ``st.user``), configured under ``[auth]`` in
``.streamlit/secrets.toml`` (see ``.streamlit/secrets.example.toml``). Without that section the
app runs in local mode: one person on their own computer, who may change everything, and the
sidebar says so. Signed in, a person's role comes from the ``users`` table (an administrator
manages it on the Data and sources page); someone without a role is refused."""

from __future__ import annotations

import streamlit as st

from data_access.access import LOCAL, Actor

KEY = "actor"


def configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: local mode
        return False


def role_of(email: str) -> Actor | None:
    from data_access.repositories import UserRepository

    from dashboard.ui import register

    return UserRepository(register.engine()).role_of(email)


LOCAL_NOTE = ("**Local mode**: one user on this computer, who may change everything. Sign-in is off "
              "(configure [auth] in .streamlit/secrets.toml to share the app).")


def note() -> str:
    """What the sidebar says of who may change what: in local mode, that anyone at this computer may; else ""."""
    return LOCAL_NOTE if not configured() else ""


def gate() -> Actor:
    """The current actor, or stop the page with the sign-in (or refusal) screen."""
    if not configured():
        st.session_state[KEY] = LOCAL
        return LOCAL
    if not st.user.is_logged_in:
        st.title("PAIR Atlas")
        st.markdown("Sign in with your organisation's account to use PAIR Atlas.")
        st.button("Sign in", type="primary", on_click=st.login, key="sign_in")
        st.stop()
    email = str(st.user.get("email") or "").strip().lower()
    known = role_of(email) if email else None
    if known is None:
        st.title("PAIR Atlas")
        st.error("Your account has no role in PAIR Atlas yet: ask your PAIR Atlas administrator to add you. Nothing is shown until then.",
                 icon=":material/lock:")
        st.button("Sign out", on_click=st.logout, key="sign_out_refused")
        st.stop()
    st.session_state[KEY] = known
    with st.sidebar:
        st.caption(f"Signed in: {known.label}")
        st.button("Sign out", on_click=st.logout, key="sign_out")
    return known


def current() -> Actor:
    """The actor of this session (local mode before the gate has run)."""
    return st.session_state.get(KEY, LOCAL)
