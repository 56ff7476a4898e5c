"""Cost of ownership: a closed API's monthly bill against running an open model yourself, as volume grows."""

import streamlit as st

from components.decide import decide_data
from components.decide import tco as inputs
from components.shell import ui
from llmcompare import style
from llmcompare.charts import advice as charts_advice
from llmcompare.decide.hybrid import compare_hybrid
from llmcompare.decide.tco import TcoError, compare_costs

st.title("Cost of ownership")
st.caption(
    "An API costs nothing when idle and more with every token; your own hardware costs the same every month "
    "until it runs out of capacity. Where the two lines cross is the volume at which self-hosting starts to pay."
)

facts = decide_data.facts()
volume_col, api_col, own_col = st.columns(3, gap="large")
with volume_col:
    st.subheader("Your volume")
    load = inputs.workload()
    st.caption(
        "For scale: a support chat of a few turns uses about 3,000 tokens, so 20,000 chats a month come to about "
        "60 million tokens."
    )
with api_col:
    st.subheader("Closed API")
    api = inputs.api_option(facts)
with st.expander("Hardware and hourly prices", expanded=True, icon=":material/memory:"):
    hardware = inputs.hardware_table(decide_data.hardware())
with own_col:
    st.subheader("Self-hosted")
    own = inputs.self_hosted(facts, hardware)

if api is None:
    st.stop()
try:
    result = compare_costs(api, own, load)
except TcoError as err:
    ui.empty_state(str(err), icon=":material/error:")
    st.stop()

api_cost, own_cost, crossing = st.columns(3)
api_cost.metric("API, per month", f"${result.api_monthly:,.0f}", border=True)
own_cost.metric(
    "Self-hosted, per month",
    f"${result.self_monthly:,.0f}",
    border=True,
    help=f"{result.instances:,.2f} instance(s) running all month at your volume.",
)
crossing.metric(
    "Break-even, tokens a month",
    "never" if result.break_even_tokens is None else charts_advice.format_tokens_short(result.break_even_tokens),
    border=True,
    help="Above this monthly volume self-hosting is cheaper; 'never' means the API is cheaper per token.",
)
chart = charts_advice.tco_curves(result, api.label, own.label, load.total)
ui.show_fig(chart.figure, key="tco.chart")
st.caption(chart.caption)

st.subheader("Hybrid: part self-hosted, part API")
st.caption(
    "The articles expect many teams to mix the two (article-001 line 258; article-004 line 13): run a share of "
    "the traffic on your own servers, send the rest to the API, and let the API take what your servers cannot."
)
mix = inputs.hybrid_mix()
try:
    hybrid = compare_hybrid(api, own, load, mix)
except TcoError as err:
    ui.empty_state(str(err), icon=":material/error:")
    st.stop()
mix_cost, best_cost, mix_crossing = st.columns(3)
mix_cost.metric(f"Hybrid ({mix.share:.0%} self-hosted), per month", f"${hybrid.monthly:,.0f}", border=True)
best_cost.metric("Cheapest share at your volume", f"{hybrid.best_share:.0%}", border=True)
mix_crossing.metric(
    "Hybrid break-even, tokens a month",
    "never" if hybrid.break_even_tokens is None else charts_advice.format_tokens_short(hybrid.break_even_tokens),
    border=True,
    help="Above this monthly volume the mix costs less than the API alone.",
)
mix_chart = charts_advice.hybrid_chart(hybrid, load.total, mix.fallback)
ui.show_fig(mix_chart.figure, key="tco.hybrid.chart")
st.caption(mix_chart.caption)

st.subheader("Assumptions")
st.markdown("\n".join(f"- {line}" for line in result.assumptions))
st.caption(
    f"Volume you entered: {style.format_number(load.total)} tokens a month. Change any input above; the hardware "
    "table's hourly prices are yours to set."
)
