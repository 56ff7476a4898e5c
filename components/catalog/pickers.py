"""Model pickers that stay light with any catalogue size.

A picker sends every option to the browser on each rerun: about 24 kB for the seed's 473 models, but 2.4 MB for a
catalogue of 47,000. Up to PICKER_MAX models the picker offers them all and its own type-ahead does the rest;
above that, a search box narrows the list to the models already chosen plus the first MATCHES_SHOWN matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

PICKER_MAX = 2_000
MATCHES_SHOWN = 200


def offered(labels: Mapping[str, str], key: str, chosen: Iterable[str | None] = ()) -> list[str]:
    """The model ids a picker with this key offers: every one, or (in a big catalogue) the chosen plus matches."""
    if len(labels) <= PICKER_MAX:
        return list(labels)
    query = st.text_input(
        f"Find a model among {len(labels):,}",
        key=f"{key}.find",
        max_chars=100,
        placeholder="Part of a name or developer",
    )
    needle = query.strip().casefold()
    found = [m for m, text in labels.items() if needle in text.casefold()] if needle else list(labels)
    kept = [m for m in chosen if m in labels]
    if len(found) > MATCHES_SHOWN:
        st.caption(f"{len(found):,} models match: the list offers the first {MATCHES_SHOWN}; search to narrow it.")
    elif needle:
        st.caption(f"{len(found):,} models match.")
    return list(dict.fromkeys([*kept, *found[:MATCHES_SHOWN]]))


def multiselect(label: str, labels: Mapping[str, str], key: str, default: Iterable[str] = (), **kwargs) -> list[str]:
    """st.multiselect over model ids, shown by their labels, light in a big catalogue."""
    chosen = st.session_state.get(key, list(default)) or []
    options = offered(labels, key, chosen)
    kept = [m for m in default if m in options] or None
    return st.multiselect(label, options, default=kept, format_func=labels.get, key=key, **kwargs)


def selectbox(label: str, labels: Mapping[str, str], key: str, current: str | None = None, **kwargs) -> str | None:
    """st.selectbox over model ids with `current` selected, shown by their labels, light in a big catalogue."""
    options = offered(labels, key, [st.session_state.get(key), current])
    index = options.index(current) if current in options else None
    return st.selectbox(label, options, index=index, format_func=labels.get, key=key, **kwargs)
