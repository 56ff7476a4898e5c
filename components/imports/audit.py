"""The Data page's audit log (every import, what it changed, rollback) and the CSV template for hand-entered facts."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components.imports.flow import AUDIT_TAB, DataPageState
from components.imports.review import CHANGE_COLUMNS, CHANGE_LABELS
from components.shell import auth, ui
from llmcompare.imports.template import COLUMNS, EXAMPLE, HEADER, template_csv
from llmcompare.store.imports import APPLIED, ImportRefused, import_changes, imports_log, rollback_import
from llmcompare.teams.roles import Forbidden

# Counts first, file details after: the hash is long and mostly there to be copied.
LOG_COLUMNS = {
    "id": st.column_config.NumberColumn("#", format="%d", width=40),
    "created_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
    "who": "Who",
    "kind": "Kind",
    "file_name": st.column_config.TextColumn("File", width=220),
    "status": "Status",
    "new": "New",
    "changed": "Changed",
    "unchanged": "Unchanged",
    "confirmed": "Confirmed",
    "gone": "Not in file",
    "unknown": "Unknown",
    "facts_as_of": st.column_config.DateColumn("Facts as of"),
    "size_bytes": st.column_config.NumberColumn("Bytes", format="localized"),
    "sha256": st.column_config.TextColumn("SHA-256", help="Hash of the imported file.", width=120),
}


def audit_log(state: DataPageState, engine: Engine) -> None:
    """Every import, newest first; pick one to see its changes or roll it back."""
    log = imports_log(engine)
    if log.empty:
        ui.empty_state("No imports yet. Everything in the store comes from the seed.", icon=":material/history:")
        return
    shown = log.assign(status=log["status"].str.replace("_", " "))
    ui.show_table(shown[list(LOG_COLUMNS)], "llm-imports", key="data.log", column_config=LOG_COLUMNS)
    labels = {int(r.id): f"#{r.id} {r.kind} {r.file_name}" for r in log.itertuples()}
    # Keyed on the number of imports, so the picker opens on the newest one after each import.
    picked = st.selectbox("Show the changes of", list(labels), format_func=labels.get, key=f"data.pick.{len(log)}")
    changes = import_changes(engine, picked).rename(columns={"old_value": "old", "new_value": "new"})
    order = {kind: rank for rank, kind in enumerate(CHANGE_LABELS)}
    changes = changes.sort_values("change", key=lambda kinds: kinds.map(order), kind="stable")
    config = {"change": st.column_config.TextColumn("Change", width=80), **CHANGE_COLUMNS}
    config |= {"old": st.column_config.TextColumn("Before", width=330), "new": st.column_config.TextColumn("After")}
    ui.show_table(changes, f"llm-import-{picked}", key="data.log_changes", column_config=config)
    record = log[log["id"] == picked].iloc[0]
    if record["status"] == APPLIED:
        _rollback(state, engine, picked)
    else:
        by = f" by {record['rolled_back_by']}" if record["rolled_back_by"] else ""
        st.caption(f"Rolled back on {pd.Timestamp(record['rolled_back_at']):%Y-%m-%d %H:%M} UTC{by}.")


def _rollback(state: DataPageState, engine: Engine, import_id: int) -> None:
    sure = st.checkbox(
        f"Remove every fact import #{import_id} added and restore what it overwrote", key=f"data.sure.{import_id}"
    )
    if st.button(f"Roll back import #{import_id}", disabled=not sure, key="data.rollback", icon=":material/undo:"):
        try:
            auth.require("rollback")
            result = rollback_import(engine, import_id, who=auth.who(st.session_state.get("data.who")))
        except Forbidden as exc:
            state.notice = ("error", f"Not rolled back: {exc}")
        except ImportRefused as exc:
            state.notice = ("error", f"Not rolled back: {exc}.")
        else:
            message = f"Rolled back import #{import_id}: {result.deleted:,} row(s) removed, {result.restored} restored."
            state.notice = ("success", message)
        state.tab = AUDIT_TAB
        st.rerun()


def template() -> None:
    """What each column of the hand-entry template means, the template itself, and an example."""
    st.markdown(
        "Use this template to add facts by hand: list prices a provider publishes and benchmark scores from a paper "
        "or model card. One row per fact; every row names the page it comes from and the date it describes. "
        "Import it with the kind **Hand-entered facts**, review the preview, then apply."
    )
    st.download_button(
        "Download the CSV template",
        template_csv(),
        file_name="llmcompare-facts-template.csv",
        mime="text/csv",
        icon=":material/download:",
        key="data.template",
        on_click="ignore",
    )
    docs = pd.DataFrame(COLUMNS, columns=["column", "used by", "what goes in it"])
    st.table(docs.set_index("column"))
    st.caption("The template's two example rows, to replace with your own:")
    st.dataframe(pd.DataFrame(EXAMPLE, columns=HEADER), hide_index=True, key="data.example")
