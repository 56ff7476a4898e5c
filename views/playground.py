"""Playground: one prompt to a local open model and an API at once, both answers streaming side by side.

Deep links: ?left=SPEC&right=SPEC pick the providers (e.g. openai:gpt-4o-mini@http://localhost:8000/v1);
?from_run=ID loads a stored run's prompt and settings to send again.
"""

import streamlit as st

from components.playground import batch, panel, setup
from components.shell import data
from components.shell.state import page_state

SINGLE, BATCH = "One prompt", "Batch"

st.title("Playground")
st.caption(
    "Send one prompt to two models at once, for example a small open model running here and a closed API, and "
    "watch both answers arrive side by side with their speed and cost. Every run is saved to History."
)

engine = data.engine()
state = page_state(panel.PlaygroundState, "playground")
state.settle()
setup.apply_query(state, engine)
with st.sidebar:
    st.subheader("Playground settings")
    key = setup.api_key_input()
    st.caption(f"API key: {key.origin}. A key is sent only to the endpoint it is for, and never saved.")
    hardware = setup.hardware_input()

choices = []
for index, column in enumerate(st.columns(2)):
    with column.container(border=True):
        choices.append(setup.side_form(index, engine, key, hardware))
setup.link_drawn(state)

mode = st.segmented_control("Mode", [SINGLE, BATCH], default=SINGLE, required=True, key="playground.mode")
if mode == BATCH:
    prompts = batch.prompt_file()
else:
    if state.loaded_from is not None:
        st.info(f"Loaded the prompt and settings of run #{state.loaded_from}. Press Run to send it again.")
    prompt = st.text_area(
        "Prompt",
        key=setup.PROMPT_WIDGET,
        height=110,
        placeholder="Ask both models the same thing, e.g. Explain in two sentences what a context window is.",
        persist_state="session",
    )
    blind = st.toggle(
        "Blind mode",
        key="playground.blind",
        help="Show the answers as A and B in random order, without names or metrics, until you vote.",
    )

buttons = st.columns([1, 1, 5], vertical_alignment="center")
run = buttons[0].button("Run", type="primary", icon=":material/play_arrow:", key="playground.run", width="stretch")
# Any click reruns the page, and a rerun stops the generation in progress: that is all Stop needs to do.
buttons[1].button("Stop", icon=":material/stop:", key="playground.stop", width="stretch")

if run and None in choices:
    st.warning("Fix the provider settings marked above, then press Run again.", icon=":material/edit:")
elif run and mode == BATCH and not prompts:
    st.warning("Upload a usable prompts file first.", icon=":material/upload_file:")
elif run and mode == BATCH:
    batch.run_live(state, engine, prompts, setup.build_sides(choices, key, engine))
elif run and mode == SINGLE and not prompt.strip():
    st.warning("Type a prompt first.", icon=":material/edit:")
elif run and mode == SINGLE:
    state.loaded_from = None
    panel.run_live(state, engine, prompt, setup.build_sides(choices, key, engine), blind)
elif mode == SINGLE and state.shown:
    panel.show_run(state.shown)

if mode == BATCH and state.batch is not None:
    batch.show_results(state.batch)
elif mode == SINGLE and state.shown:
    panel.vote_bar(state.shown, engine)
    if not state.shown.hidden:
        st.page_link(
            "views/history.py",
            label=f"Open run #{state.shown.run_id} in History",
            icon=":material/history:",
            query_params={"run": str(state.shown.run_id)},
        )
