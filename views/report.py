"""Share: a decision report from a saved scenario, previewed here and downloaded as HTML, Markdown or PDF."""

import re

import streamlit as st

from components.decide import decide_data
from components.reports import form
from components.shell import data, ui
from llmcompare.reports.build import FORMATS, ReportError
from llmcompare.reports.chromium import find_chromium
from llmcompare.reports.html import render_html
from llmcompare.reports.render import report_bytes
from llmcompare.store.scenarios import list_scenarios

MIME = {"html": "text/html", "md": "text/markdown", "pdf": "application/pdf"}
LABELS = {"html": "HTML", "md": "Markdown", "pdf": "PDF"}

st.title("Decision report")
st.caption(
    "Carry a saved advisor scenario into a meeting: its question, weights, ranking with reasons, a fact sheet per "
    "shortlisted model, the key charts and the cost of ownership, with every source and the attribution the data "
    "licences ask for."
)
decide_data.add_examples()
names = [s.name for s in list_scenarios(data.engine())]
if not names:
    ui.empty_state("Save a scenario on the Advisor page first; the report is built from it.")
    st.stop()

picks = form.choices(names)
if not picks.models and "factsheets" in picks.sections:
    st.info("No model is picked for a fact sheet, so the report has none.")
try:
    report = decide_data.report(picks.scenario, picks.title, picks.author, picks.sections, picks.models, picks.workload)
except ReportError as err:
    ui.empty_state(str(err), icon=":material/error:")
    st.stop()

stem = re.sub(r"[^a-z0-9]+", "-", report.title.lower()).strip("-") or "decision-report"
chromium = find_chromium()
row = st.container(horizontal=True)
for fmt in FORMATS:
    if fmt == "pdf" and chromium is None:
        continue
    row.download_button(
        f"Download {LABELS[fmt]}",
        lambda fmt=fmt: report_bytes(report, fmt),
        file_name=f"{stem}.{fmt}",
        mime=MIME[fmt],
        icon=":material/download:",
        key=f"report.download.{fmt}",
        on_click="ignore",
    )
if chromium is None:
    st.info("PDF needs Chromium on the server (apt-get install chromium); HTML and Markdown still work.")
st.caption("Markdown downloads hold the tables; the HTML and PDF hold the charts too.")

st.subheader("Preview")
st.iframe(render_html(report), height=900)  # the HTML is built from escaped text only
