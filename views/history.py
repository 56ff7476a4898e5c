"""History: every playground run, filtered, reopened with answers and metrics, and sent again. Deep link: ?run=ID."""

import streamlit as st

from components.playground import history
from components.shell import data, ui
from components.shell.state import page_state
from llmcompare.store.history import count_runs, list_runs

st.title("History")
st.caption(
    "Every playground run is stored here with its prompt, both answers, settings, metrics and errors. "
    "API keys are never stored. Pick a row to reopen it."
)

engine = data.engine()
if count_runs(engine) == 0:
    ui.empty_state("No runs yet. Send a prompt from the playground and it appears here.", icon=":material/history:")
    st.page_link("views/playground.py", label="Open the playground", icon=":material/play_circle:")
    st.stop()

state = page_state(history.HistoryState, "history")
wanted = history.filter_bar(engine)
runs = list_runs(engine, wanted)
if runs.empty:
    ui.empty_state("No run matches these filters. Clear the search, pick any model or widen the dates.")
    st.stop()

st.markdown(f"**{len(runs)}** runs")
picked = state.current(history.runs_table(runs))
if picked is None:
    st.caption("Pick a row to see both answers, their metrics and votes.")
else:
    history.show_stored(engine, picked)
