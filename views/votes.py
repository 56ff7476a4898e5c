"""Votes: what blind votes in the playground say, as win rates and Bradley-Terry scores with 95% intervals."""

import streamlit as st

from components.shell import data, ui
from llmcompare.charts import votes as charts_votes
from llmcompare.playground.votes import BOOTSTRAP_ROUNDS, MIN_VOTES, keyed_votes, summarise
from llmcompare.store.history import vote_frame
from llmcompare.store.identity import model_key, name_index

WIN_COLUMNS = {
    "model": st.column_config.TextColumn("Model", width="large"),
    "votes": st.column_config.NumberColumn("Votes"),
    "wins": st.column_config.NumberColumn("Won"),
    "losses": st.column_config.NumberColumn("Lost"),
    "ties": st.column_config.NumberColumn("Tied"),
    "both_bad": st.column_config.NumberColumn("Both bad"),
    "win_rate": st.column_config.NumberColumn("Win rate", format="percent"),
}
SCORE_COLUMNS = {
    "model": st.column_config.TextColumn("Model", width="large"),
    "score": st.column_config.NumberColumn("Score", format="%.0f"),
    "low": st.column_config.NumberColumn("95% low", format="%.0f"),
    "high": st.column_config.NumberColumn("95% high", format="%.0f"),
    "votes": st.column_config.NumberColumn("Votes used"),
}


st.title("Votes")
st.caption(
    "Results of blind votes in the playground, where the two answers were shown as A and B in random order. "
    "Models go by their catalogue name where the catalogue knows them; otherwise (local) runs in-process and @ names "
    "the host of an OpenAI-compatible server."
)

engine = data.engine()
votes = vote_frame(engine)
if votes.empty:
    ui.empty_state(
        "No votes yet. Turn on Blind mode in the playground, run a prompt and say which answer is better.",
        icon=":material/how_to_vote:",
    )
    st.page_link("views/playground.py", label="Open the playground", icon=":material/play_circle:")
    st.stop()

index = name_index(engine)
summary = summarise(keyed_votes(votes, lambda spec: model_key(index, spec)))
cols = st.columns(3)
cols[0].metric("Votes", len(votes), border=True)
cols[1].metric("With a winner or a tie", summary.comparable, border=True)
cols[2].metric("Both bad", int(votes["winner"].eq("both_bad").sum()), border=True)

st.subheader("Bradley-Terry scores")
if summary.scores is None:
    ui.empty_state(
        f"Scores appear after {MIN_VOTES} votes that name a winner or a tie: {summary.comparable} so far, "
        f"{summary.needed} more needed. Win rates are below.",
        icon=":material/hourglass_top:",
    )
else:
    ui.show_fig(charts_votes.scores_chart(summary.scores), key="votes.scores")
    ui.show_table(summary.scores, "llm-vote-scores", key="votes.scores_table", column_config=SCORE_COLUMNS)
    st.caption(
        "A Bradley-Terry model fitted to every vote with a winner or a tie (a tie counts half a win to each), on an "
        f"Elo-like scale. Intervals: {BOOTSTRAP_ROUNDS} bootstrap resamples of the votes, seeded, so the figures "
        "are reproducible. Overlapping intervals mean the votes cannot yet tell the models apart."
    )

st.subheader("Win rates")
ui.show_fig(charts_votes.win_rate_chart(summary.win_rates), key="votes.rates")
ui.show_table(summary.win_rates, "llm-vote-win-rates", key="votes.rates_table", column_config=WIN_COLUMNS)
st.caption(
    "Win rate = (won + tied / 2) / (won + lost + tied). Both-bad votes are counted but left out of win rates and "
    "scores, since they say nothing about which model is better. A model compared with itself is left out."
)
