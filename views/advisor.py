"""Advisor: weigh the criteria, set must-haves, and get a ranked, explained and stress-tested recommendation."""

import streamlit as st

from components.decide import advisor, advisor_results, decide_data
from components.shell import data, ui
from components.shell.state import page_state
from llmcompare.decide.ranking import AdvisorError

st.title("Advisor")
st.caption(
    "Say what matters to you and what you cannot do without. The advisor scores every model in the catalogue "
    "from its recorded facts, explains each score with its sources, and tests how firm the top choice is. The "
    "default weights are ours, not a recommendation: set your own, or load one of the worked examples under Scenarios."
)

state = page_state(advisor.AdvisorState, "advisor")
state.seed()
labels = data.model_labels()
catalogue = data.catalog()
if catalogue.empty:
    ui.empty_state("The store holds no models yet. Build it from the seed with `make db`.", icon=":material/database:")
    st.stop()

settings_col, results_col = st.columns([1, 2], gap="large")
with settings_col:
    advisor.preset_panel(state)
    advisor.scenario_panel(state)
    advisor.weights_panel(decide_data.benchmarks())
    advisor.constraints_panel(sorted(catalogue["developer"].dropna().unique()), labels)
state.remember()
chosen = advisor.read_choices()
facts = decide_data.facts(chosen.benchmark)

with results_col:
    try:
        settings = (chosen.benchmark, chosen.weights, chosen.limits, chosen.policy, chosen.shortlist)
        ranking = decide_data.ranked(*settings)
    except AdvisorError as err:
        ui.empty_state(str(err), icon=":material/tune:")
        st.stop()
    if ranking.table.empty:
        ui.empty_state(
            "No model meets every must-have. Loosen one: the list of models left out says which limit each broke.",
            icon=":material/filter_alt_off:",
        )
        advisor_results.excluded_table(ranking)
        st.stop()
    advisor_results.top_choice(ranking)
    advisor_results.contributions(ranking)
    st.subheader("Why these models")
    advisor_results.reason_lists(ranking, facts)
    stability_slot = st.container()  # filled last: everything else shows while the check runs
    st.subheader("Full ranking")
    advisor_results.full_table(ranking)
    advisor_results.excluded_table(ranking)
    st.caption(
        "How each criterion turns facts into a 0-1 score is in the help (?) beside its slider. Scales are set over "
        "the whole catalogue, so a must-have never changes another model's score."
    )
    with stability_slot:
        advisor_results.sensitivity_panel(decide_data.stability(*settings), ranking)
