"""Reviewing a preview: the counts, problems per row and field, unknown names to map or add, and the changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.imports.flow import DataPageState
from llmcompare.imports.context import StoreContext
from llmcompare.imports.plan import NewModel, Plan, Unknown
from llmcompare.imports.upload import KINDS

CHANGE_LABELS = {
    "changed": "Changed",
    "new": "New",
    "gone": "Not in this file",
    "added": "Names and models added",
    "confirmed": "Unchanged, recorded as confirmed",
    "unchanged": "Unchanged",
}
# Pixel widths: before and after carry whole prices with their dates, so they get the room; the grid scrolls.
CHANGE_COLUMNS = {
    "subject": st.column_config.TextColumn("Model or developer", width=230),
    "fact": st.column_config.TextColumn("Fact", width=250),
    "old": st.column_config.TextColumn("In the store now", width=330),
    "new": st.column_config.TextColumn("In the file", width=300),
    "note": st.column_config.TextColumn("Note", width=260),
}
SHOWN_ROWS = 2000  # enough for any real diff; the counts above stay exact


def summary(plan: Plan) -> None:
    """The preview's counts as metrics, with the file's name, size and hash beneath."""
    counts = plan.counts
    metrics = [
        ("New", counts["new"], "Facts the store does not have yet."),
        ("Changed", counts["changed"], "Facts whose value moved; prices get a new dated point, history is kept."),
        (
            "Unchanged",
            counts["unchanged"] + counts["confirmed"],
            "Already in the store with the same value. Nothing is written, unless you chose to record them as "
            "confirmed on this date.",
        ),
        ("Not in file", counts["gone"], "In the store from an earlier edition but not in this file; they are kept."),
        ("Unknown", counts["unknown"], "Names that match no model; map or add them below, or leave them out."),
        ("Problems", counts["errors"], "Rows that cannot be imported; any problem blocks the whole file."),
    ]
    for col, (label, value, help_text) in zip(st.columns(len(metrics)), metrics, strict=True):
        col.metric(label, f"{value:,}", help=help_text, border=True)
    skipped = ", ".join(f"{count:,} {reason}" for reason, count in sorted(plan.skipped.items()))
    st.caption(
        f"{KINDS[plan.kind]} · `{plan.file_name}` · {plan.size_bytes:,} bytes · sha256 `{plan.sha256[:16]}…` · "
        f"facts as of {plan.as_of}" + (f" · left out: {skipped}" if skipped else "")
    )


def show_problems(plan: Plan) -> None:
    """Every problem with its row and field, so the file can be fixed in one pass."""
    if not plan.problems:
        return
    st.error(
        f"**{len(plan.problems):,} problem(s)** in this file. Nothing from it can be imported until they are fixed.",
        icon=":material/error:",
    )
    frame = pd.DataFrame(
        [{"row": None if p.row is None else str(p.row), "field": p.field, "problem": p.reason} for p in plan.problems]
    )
    config = {"row": "Row or file", "field": "Field", "problem": st.column_config.TextColumn("Problem", width="large")}
    st.dataframe(frame, hide_index=True, column_config=config, key="data.problems", placeholder="–")


def unknown_names(state: DataPageState, plan: Plan, ctx: StoreContext) -> None:
    """Unknown names with their likely matches, and a form to map one to a known model or add it as a new model."""
    decided = {**state.decisions.mapped, **{k: f"new model {v.name}" for k, v in state.decisions.added.items()}}
    if not plan.unknown and not decided:
        return
    developers = plan.kind == "fmti"
    noun = "developer" if developers else "model"
    if decided:
        line, forget = st.columns([5, 1], vertical_alignment="center")
        line.markdown("**Your decisions:** " + "; ".join(f"`{k}` → {v}" for k, v in decided.items()))
        if forget.button("Forget them", key="data.forget"):
            state.decisions.mapped.clear()
            state.decisions.added.clear()
            st.rerun()
    # The label holds no count, so the expander stays open while names are mapped one by one.
    with st.expander("**Unknown names**: not imported unless you map or add them", expanded=bool(decided)):
        st.caption(
            f"{len(plan.unknown):,} name(s) match no {noun} in the store; their facts are left out of this import."
        )
        table = pd.DataFrame(
            {
                "name": [u.name for u in plan.unknown],
                "facts": [u.facts for u in plan.unknown],
                "suggestions": [", ".join(s.label for s in u.suggestions) for u in plan.unknown],
            }
        )
        config = {"name": "Name in the file", "facts": "Facts", "suggestions": "Did you mean"}
        st.dataframe(table.head(SHOWN_ROWS), hide_index=True, column_config=config, key="data.unknown", height=250)
        if plan.unknown:
            _decide(state, list(plan.unknown), ctx, developers)


def _decide(state: DataPageState, unknown: list[Unknown], ctx: StoreContext, developers: bool) -> None:
    by_name = {u.name: u for u in unknown}
    name = st.selectbox("Unknown name", list(by_name), key="data.unknown_name")
    pick = by_name[name]
    if developers:
        choices = [s.id for s in pick.suggestions] + sorted(set(ctx.developers) - {s.id for s in pick.suggestions})
        target = st.selectbox("Is the developer", choices, format_func=ctx.developers.get, key=f"data.map_to.{name}")
        if st.button("Map", key="data.map", icon=":material/link:"):
            state.decisions.mapped[name] = target
            st.rerun()
        return
    modes = ["Map to a known model", "Add as a new model"]
    mode = st.segmented_control("Decision", modes, default=modes[0], key="data.mode")
    if mode == "Add as a new model":
        _add_form(state, name, ctx)
        return
    suggested = [s.id for s in pick.suggestions]
    choices = suggested + sorted(set(ctx.models) - set(suggested), key=lambda i: ctx.models[i]["name"].lower())
    target = st.selectbox("Is the model", choices, format_func=ctx.model_label, key=f"data.map_to.{name}")
    if st.button("Map", key="data.map", icon=":material/link:"):
        state.decisions.mapped[name] = target
        st.rerun()


def _add_form(state: DataPageState, name: str, ctx: StoreContext) -> None:
    cols = st.columns(3)
    display = cols[0].text_input("Model name", value=name.rsplit("/", 1)[-1], key="data.new_name", max_chars=200)
    developer = cols[1].selectbox(
        "Developer", sorted(ctx.developers, key=str.lower), format_func=ctx.developers.get, key="data.new_dev"
    )
    licence = cols[2].selectbox("Licence", sorted(ctx.licenses), key="data.new_licence")
    if st.button("Add model", key="data.add", icon=":material/add:", disabled=not display.strip()):
        state.decisions.added[name] = NewModel(display.strip(), developer, licence)
        st.rerun()


def changes(plan: Plan) -> None:
    """One table per kind of change, changed first: the lines a reviewer reads before applying."""
    frame = pd.DataFrame([c.__dict__ for c in plan.changes], columns=["change", *CHANGE_COLUMNS])
    present = [k for k in CHANGE_LABELS if (frame["change"] == k).any()]
    if not present:
        return
    shown = st.segmented_control(
        "Show",
        present,
        default=present[0],
        format_func=lambda k: f"{CHANGE_LABELS[k]} ({(frame['change'] == k).sum():,})",
        key="data.show",
    )
    rows = frame[frame["change"] == (shown or present[0])].drop(columns="change")
    st.dataframe(
        rows.head(SHOWN_ROWS), hide_index=True, column_config=CHANGE_COLUMNS, key="data.changes", placeholder="–"
    )
    if len(rows) > SHOWN_ROWS:
        st.caption(f"Showing the first {SHOWN_ROWS:,} of {len(rows):,}.")
