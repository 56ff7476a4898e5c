"""Sign-in with st.login (OIDC) and the current user's role. Without [auth] in secrets: one local user, every right."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from llmcompare.teams.roles import LOCAL_USER, RoleRules, User, session_expired

SESSION_HOURS_SETTING = "LLMCOMPARE_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 24.0


def secrets() -> Mapping[str, Any]:
    """st.secrets as a plain mapping; empty when the app has no secrets file (the normal local case)."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def sign_in_configured() -> bool:
    """Whether secrets hold an [auth] section, which turns sign-in and roles on."""
    return bool(secrets().get("auth"))


def _session_hours() -> float:
    raw = secrets().get(SESSION_HOURS_SETTING, os.environ.get(SESSION_HOURS_SETTING))
    try:
        hours = float(raw) if raw not in (None, "") else DEFAULT_SESSION_HOURS
    except (TypeError, ValueError):
        hours = -1.0
    if hours <= 0:
        raise ValueError(f"{SESSION_HOURS_SETTING} must be a positive number of hours, got {raw!r}")
    return hours


def _claims() -> dict[str, Any]:
    return st.user.to_dict() if st.user.is_logged_in else {}


def current_user() -> User:
    """The local user when sign-in is off; else the signed-in user with the role secrets give them."""
    if not sign_in_configured():
        return LOCAL_USER
    claims = _claims()
    if not claims or session_expired(claims, _session_hours(), time.time()):
        return User("anonymous", None)
    return RoleRules.from_mapping(secrets().get("roles")).user(claims)


def require(right: str) -> User:
    """The current user, checked on the server right before a write; raises Forbidden worded for the user."""
    user = current_user()
    user.require(right)
    return user


def who(typed: str | None = None) -> str | None:
    """The name a write records: the signed-in e-mail, else what the local user typed (if anything)."""
    user = current_user()
    return user.name if user.signed_in else ((typed or "").strip() or None)


def gate() -> User:
    """Stop the page unless the visitor may use the app: signed in, not expired, with a role. Draws the sidebar."""
    user = current_user()
    if not sign_in_configured():
        return user
    claims = _claims()
    if user.role is not None:
        st.sidebar.caption(f"Signed in as **{user.name}** · {user.role}")
        st.sidebar.button("Sign out", key="auth.sign_out", icon=":material/logout:", on_click=st.logout)
        return user
    st.title("LLM Compare")
    if not claims:
        st.info("This server is shared by a team. Sign in to continue.", icon=":material/login:")
    elif session_expired(claims, _session_hours(), time.time()):
        st.warning("Your sign-in has expired. Sign in again to continue.", icon=":material/schedule:")
    else:
        st.error(f"{user.name} has no role on this server. Ask one of its editors to add you.", icon=":material/block:")
    st.button("Sign in", key="auth.sign_in", type="primary", icon=":material/login:", on_click=st.login)
    if claims:
        st.button("Sign out", key="auth.sign_out", icon=":material/logout:", on_click=st.logout)
    st.stop()
    return user
