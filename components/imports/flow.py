"""The Data page's import flow: the page state, the upload form, the cached preview, and apply or cancel."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from sqlalchemy import Engine

from components.shell import auth, data
from llmcompare.imports.apply import apply_plan
from llmcompare.imports.context import StoreContext, load_context
from llmcompare.imports.plan import Decisions, Plan, build_plan
from llmcompare.imports.refresh import RefreshError, fetch
from llmcompare.imports.upload import KINDS, SUFFIXES, Options, Upload
from llmcompare.store.imports import ImportRefused
from llmcompare.store.queries import data_version
from llmcompare.teams.roles import Forbidden

IMPORT_TAB, AUDIT_TAB, TEMPLATE_TAB = "Import a file", "Audit log", "CSV template"


@dataclass
class DataPageState:
    """The preview on screen, the user's decisions about unknown names, and a one-off notice after an action."""

    plan: Plan | None = None
    plan_key: tuple | None = None
    ctx: StoreContext | None = None  # the store as the preview saw it: names for the mapping pickers
    decisions: Decisions = field(default_factory=Decisions)
    fetched: Upload | None = None  # a LiteLLM map downloaded with the refresh button
    round: int = 0  # bumped to empty the uploader after apply or cancel
    notice: tuple[str, str] | None = None  # (kind, message), shown on the next run only
    tab: str = IMPORT_TAB  # the tab to open on: the audit log after a rollback

    def reset(self, notice: tuple[str, str] | None = None) -> None:
        """Forget the file, its preview and decisions; the next run starts with an empty form."""
        self.plan, self.plan_key, self.ctx, self.decisions, self.fetched = None, None, None, Decisions(), None
        self.round += 1
        self.notice = notice
        self.tab = IMPORT_TAB


def show_notice(state: DataPageState) -> None:
    if state.notice is not None:
        kind, message = state.notice
        (st.success if kind == "success" else st.error)(message, icon=":material/info:")
        state.notice = None


def file_form(state: DataPageState) -> tuple[Upload | None, Options, str | None]:
    """Kind, file, the facts' date, FMTI edition and the importer's name; returns the upload, options and name."""
    settings = data.settings()
    top = st.columns([2, 3])
    kind = top[0].selectbox("Kind of file", list(KINDS), format_func=KINDS.get, key="data.kind")
    file = top[1].file_uploader(
        "File",
        type=list(SUFFIXES[kind]),
        key=f"data.file.{kind}.{state.round}",
        max_upload_size=math.ceil(settings.import_max_mb),
        help=f"At most {settings.import_max_mb:g} MB (LLMCOMPARE_IMPORT_MAX_MB).",
    )
    row = st.columns(3)
    today = date.today()
    # Template rows carry their own dates; the others describe one date the user gives.
    as_of = (
        today
        if kind == "csv"
        else row[0].date_input(
            "Facts as of",
            value=today,
            max_value=today,
            key="data.as_of",
            help="The date the file's facts describe. LiteLLM maps carry no date of their own: for an older map, set "
            "the day it was published, or its prices are recorded as today's.",
        )
    )
    who = row[1].text_input("Your name (optional)", key="data.who", help="Recorded in the audit log.", max_chars=100)
    edition, indicators = None, None
    if kind == "fmti":
        edition = row[2].text_input("Edition", placeholder="2025-12", key="data.edition", help="YYYY or YYYY-MM.")
        extra = st.file_uploader(
            "Indicators CSV (only for sheets without a Domain column)", type=["csv"], key=f"data.ind.{state.round}"
        )
        indicators = extra.getvalue() if extra is not None else None
    elif kind == "litellm":
        _refresh_button(state, row[2], settings)
    confirm = kind in ("litellm", "eu-osai") and st.checkbox(
        "Record unchanged prices and grades as confirmed on this date",
        value=True,
        key="data.confirm",
        help="Adds a point dated as above for each fact the file repeats unchanged, so it is not flagged as "
        "stale. Off: unchanged facts are only counted.",
    )
    limit = int(settings.import_max_mb * 1_000_000)
    options = Options(as_of, today, limit, edition, indicators, confirm)
    if file is not None:
        return Upload(kind, file.name, file.getvalue()), options, who
    if kind == "litellm" and state.fetched is not None:
        st.caption(f"Using the map fetched from {state.fetched.source_url}.")
        return state.fetched, options, who
    return None, options, who


def _refresh_button(state: DataPageState, slot, settings) -> None:
    """Optional: download the public LiteLLM map; offline machines get a clear message instead."""
    slot.markdown("&nbsp;")
    if slot.button("Fetch the latest public map", key="data.fetch", icon=":material/cloud_download:"):
        try:
            with st.spinner(f"Downloading {settings.litellm_url}"):
                body = fetch(settings.litellm_url, settings.refresh_timeout_s, int(settings.import_max_mb * 1e6))
        except RefreshError as exc:
            st.warning(str(exc), icon=":material/cloud_off:")
            return
        name = settings.litellm_url.rsplit("/", 1)[-1] or "litellm.json"
        state.fetched = Upload("litellm", name, body, settings.litellm_url)


def preview(state: DataPageState, engine: Engine, upload: Upload, options: Options) -> Plan:
    """The plan for this file, options and decisions, rebuilt only when one of them (or the data) changes."""
    decided = (tuple(sorted(state.decisions.mapped.items())), tuple(sorted(state.decisions.added.items())))
    extra = hashlib.sha256(options.indicators).hexdigest() if options.indicators else None
    key = (upload.kind, upload.name, upload.sha256, options.as_of, options.edition, extra, decided)
    key += (options.confirm_unchanged,)
    key += (data_version(engine),)
    if state.plan is None or state.plan_key != key:
        with st.spinner("Checking every row and comparing it with the store..."):
            state.ctx = load_context(engine)
            state.plan = build_plan(state.ctx, upload, options, state.decisions)
        state.plan_key = key
    return state.plan


def apply_or_cancel(state: DataPageState, engine: Engine, plan: Plan, who: str | None) -> None:
    """Apply writes everything in one transaction; cancel forgets the file. Either way the form starts over."""
    rows = len(plan.writes)
    left, right, note = st.columns([2.6, 0.8, 3], vertical_alignment="center")
    if plan.blocked:
        note.caption("Fix the problems above and upload the file again; nothing is written until then.")
    elif not rows:
        note.caption("Nothing to apply: the store already holds every fact in this file.")
    else:
        note.caption("Apply writes every change above in one transaction, or nothing. You can roll it back later.")
    label = f"Apply: {_summary(plan)}" if rows else "Apply"
    if left.button(label, type="primary", disabled=plan.blocked or not rows, key="data.apply", icon=":material/check:"):
        try:
            auth.require("import")
            import_id = apply_plan(engine, plan, who=auth.who(who))
        except Forbidden as exc:
            state.notice = ("error", f"Not applied: {exc}")
        except ImportRefused as exc:
            state.notice = ("error", f"Not applied: {exc}.")
        else:
            state.reset(("success", f"Applied as import #{import_id}: {_summary(plan)}. See it in the audit log."))
        st.rerun()
    if right.button("Cancel", key="data.cancel", icon=":material/close:"):
        state.reset(("success", "Cancelled: nothing was written."))
        st.rerun()


def _summary(plan: Plan) -> str:
    """'746 new, 74 changed, 293 confirmed': what applying writes, in the preview's words."""
    counts = plan.counts
    parts = [f"{counts['new']:,} new", f"{counts['changed']:,} changed"]
    if counts["confirmed"]:
        parts.append(f"{counts['confirmed']:,} confirmed")
    if counts["models_added"]:
        parts.append(f"{counts['models_added']} model(s) added")
    return ", ".join(parts)
