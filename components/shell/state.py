"""Per-page state: one small typed object per page, kept under a namespaced session key."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def page_state(cls: type[T], page: str) -> T:
    """The page's state object, created on first use and kept for the session."""
    key = f"{page}.state"
    if key not in st.session_state:
        st.session_state[key] = cls()
    return st.session_state[key]


def ids_from_param(raw: str, valid: Collection[str], limit: int) -> tuple[list[str], list[str]]:
    """Split '?models=a,b' into (known ids in order without repeats, unknown ids), at most `limit` known."""
    asked = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    return [i for i in asked if i in valid][:limit], [i for i in asked if i not in valid]


@dataclass
class CompareState:
    """The ?models= value last applied to the picker: a new link re-seeds it; reruns keep the pick."""

    applied_param: str | None = None

    def seed_picker(self, widget_key: str, raw: str, valid: Collection[str], limit: int) -> list[str]:
        """Copy the URL's models into the picker when the URL names new ones; return the ids that were not found."""
        known, unknown = ids_from_param(raw, valid, limit)
        if raw and raw != self.applied_param:
            st.session_state[widget_key] = known
            self.applied_param = raw
        return unknown

    def publish(self, picked: list[str]) -> None:
        """Mirror the picker in the URL, so the view can be bookmarked and shared."""
        param = ",".join(picked)
        if param:
            st.query_params["models"] = param
        else:
            st.query_params.pop("models", None)
        self.applied_param = param
