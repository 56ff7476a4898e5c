"""LLM Compare: the frame around every page (page config, navigation, shared sidebar)."""

import streamlit as st

from components.shell import auth, data
from llmcompare import style

st.set_page_config(page_title="LLM Compare", page_icon="⚖️", layout="wide")

# Page scripts live in views/, not pages/: with a pages/ folder beside the entrypoint, a deep link opened as the
# first request to a fresh server runs in Streamlit's legacy pages/ mode, which skips this file (tests/e2e checks it).
PAGES = {
    "Decide": [
        st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("views/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
        st.Page("views/tradeoffs.py", title="Trade-offs", icon=":material/scatter_plot:", url_path="tradeoffs"),
        st.Page("views/advisor.py", title="Advisor", icon=":material/recommend:", url_path="advisor"),
        st.Page("views/tco.py", title="Cost of ownership", icon=":material/savings:", url_path="tco"),
    ],
    "Try": [
        st.Page("views/playground.py", title="Playground", icon=":material/play_circle:", url_path="playground"),
        st.Page("views/history.py", title="History", icon=":material/history:", url_path="history"),
        st.Page("views/votes.py", title="Votes", icon=":material/how_to_vote:", url_path="votes"),
    ],
    "Share": [
        st.Page("views/report.py", title="Decision report", icon=":material/summarize:", url_path="report"),
    ],
    "Data": [
        st.Page("views/catalogue.py", title="Catalogue", icon=":material/table_view:", url_path="catalogue"),
        st.Page("views/model.py", title="Model details", icon=":material/description:", url_path="model"),
        st.Page("views/data.py", title="Import & audit", icon=":material/upload_file:", url_path="data"),
    ],
}
page = st.navigation(PAGES)
auth.gate()  # with [auth] in secrets: sign in first; without it, the local user has every right

with st.sidebar:
    facts = data.headline()
    st.caption(
        f"**Data as of {style.format_date(facts.newest_fact)}**  \n"
        f"{facts.models:,} models from {facts.developers:,} developers · {facts.sources:,} sources  \n"
        f"Facts dated {style.format_date(facts.oldest_fact)} to {style.format_date(facts.newest_fact)}. "
        "Every figure links to its source."
    )

page.run()
