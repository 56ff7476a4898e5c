"""Import & audit: bring in newer facts after a review, browse every import, roll one back, get the CSV template."""

import streamlit as st

from components.imports import audit, flow, review
from components.shell import auth, data
from components.shell.state import page_state

st.title("Import & audit")
st.caption(
    "Bring in a newer LiteLLM price map, an EU Open Source AI Index edition, FMTI scores or your own hand-entered "
    "facts. Every row is checked first; you see what would change and apply it or cancel. Each import is logged "
    "with its file and hash, and can be rolled back."
)

engine = data.engine()

state = page_state(flow.DataPageState, "data")
flow.show_notice(state)
tabs = (flow.IMPORT_TAB, flow.AUDIT_TAB, flow.TEMPLATE_TAB)
importing, log, template = st.tabs(tabs, default=state.tab)

with importing:
    if not auth.current_user().may("import"):
        st.error(
            "Only an editor may import facts. You can browse the audit log and the template.", icon=":material/block:"
        )
        upload = None
    else:
        upload, options, who = flow.file_form(state)
        if upload is None:
            st.info(
                "Pick the kind of file and upload it. Nothing is written before you review and apply.",
                icon=":material/upload_file:",
            )
    if upload is not None:
        plan = flow.preview(state, engine, upload, options)
        st.subheader("Preview")
        review.summary(plan)
        review.show_problems(plan)
        review.unknown_names(state, plan, state.ctx)
        review.changes(plan)
        flow.apply_or_cancel(state, engine, plan, who)

with log:
    audit.audit_log(state, engine)

with template:
    audit.template()
