"""Advisor widgets: weights, constraints, missing-data policy and scenarios, kept in one typed state object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from components.catalog import pickers
from components.decide import decide_data
from components.shell import auth, data, ui
from llmcompare import style
from llmcompare.catalog.filters import CONTEXT_STEPS
from llmcompare.decide.criteria import CRITERIA
from llmcompare.decide.ranking import DEFAULT_WEIGHTS, MAX_WEIGHT, MISSING_POLICIES, AdvisorError, Constraints
from llmcompare.store.queries import ARENA_BENCHMARK
from llmcompare.store.scenarios import Scenario, ScenarioError, delete_scenario, list_scenarios, save_scenario
from llmcompare.teams.roles import Forbidden

USER_CAPS = (0, 1_000_000, 100_000_000, 1_000_000_000)  # 0: no requirement
DEFAULT_COVERAGE = 50
# Every widget of the page by key, with its default; the keys double as the names the state object remembers.
DEFAULTS: dict[str, Any] = {
    **{f"advisor.w.{c}": w for c, w in DEFAULT_WEIGHTS.items()},
    "advisor.benchmark": ARENA_BENCHMARK,
    "advisor.commercial": False,
    "advisor.selfhost": False,
    "advisor.budget": None,
    "advisor.context": 0,
    "advisor.usercap": 0,
    "advisor.devs": [],
    "advisor.coverage": DEFAULT_COVERAGE,
    "advisor.policy": "average",
    "advisor.shortlist": [],
}


@dataclass(frozen=True)
class AdvisorChoices:
    """What the widgets ask the advisor for."""

    weights: dict[str, float]
    limits: Constraints
    policy: str
    shortlist: list[str]
    benchmark: str


@dataclass
class AdvisorState:
    """The widgets' last values (so they survive a trip to another page) and a one-off message to show."""

    values: dict[str, Any] = field(default_factory=dict)
    notice: tuple[str, str] | None = None  # (success | error, text) from the last scenario action

    def seed(self) -> None:
        """Give each widget its remembered value, or its default, unless it already has one."""
        for key, default in DEFAULTS.items():
            if key not in st.session_state:
                st.session_state[key] = self.values.get(key, default)

    def remember(self) -> None:
        """Copy the widgets' values into the state object."""
        self.values = {key: st.session_state[key] for key in DEFAULTS if key in st.session_state}


def read_choices() -> AdvisorChoices:
    """The advisor settings the widgets hold now."""
    get = st.session_state.get
    context = get("advisor.context") or None
    limits = Constraints(
        commercial_use=bool(get("advisor.commercial")),
        self_hostable=bool(get("advisor.selfhost")),
        max_price=get("advisor.budget"),
        min_context=context,
        min_user_cap=get("advisor.usercap") or None,
        exclude_developers=tuple(get("advisor.devs") or ()),
        min_coverage=(get("advisor.coverage") or 0) / 100,
    )
    weights = {c.id: float(get(f"advisor.w.{c.id}", 0)) for c in CRITERIA}
    return AdvisorChoices(
        weights, limits, get("advisor.policy"), list(get("advisor.shortlist") or []), get("advisor.benchmark")
    )


def _apply(state: AdvisorState, scenario: Scenario) -> None:
    """Put a scenario's settings into every widget; settings it does not mention go back to their defaults."""
    limits = Constraints.from_dict(scenario.constraints)
    values = {f"advisor.w.{c.id}": int(round(scenario.weights.get(c.id, 0))) for c in CRITERIA}
    values |= {
        "advisor.commercial": limits.commercial_use,
        "advisor.selfhost": limits.self_hostable,
        "advisor.budget": limits.max_price,
        "advisor.context": limits.min_context if limits.min_context in CONTEXT_STEPS else 0,
        "advisor.usercap": limits.min_user_cap if limits.min_user_cap in USER_CAPS else 0,
        "advisor.devs": list(limits.exclude_developers),
        "advisor.coverage": int(round(limits.min_coverage * 100)),
        "advisor.policy": scenario.missing_policy,
        "advisor.shortlist": [m for m in scenario.shortlist if m in data.model_labels()],
        "advisor.name": scenario.name,
        "advisor.description": scenario.description,
    }
    for key, value in values.items():
        st.session_state[key] = value
    state.values |= values


def _load(state: AdvisorState) -> None:
    name = st.session_state.get("advisor.scenario")
    found = next((s for s in list_scenarios(data.engine()) if s.name == name), None)
    if found is None:
        state.notice = ("error", "Pick a saved scenario to load.")
        return
    try:
        _apply(state, found)
    except AdvisorError as err:
        state.notice = ("error", f"“{name}” could not be loaded: {err}")
        return
    state.notice = ("success", f"Loaded “{found.name}”.")


def _save(state: AdvisorState) -> None:
    settings = read_choices()
    scenario = Scenario(
        name=st.session_state.get("advisor.name", ""),
        description=st.session_state.get("advisor.description", ""),
        weights=settings.weights,
        constraints=settings.limits.to_dict(),
        shortlist=settings.shortlist,
        missing_policy=settings.policy,
    )
    try:
        auth.require("save_scenario")
        saved = save_scenario(data.engine(), scenario, overwrite=bool(st.session_state.get("advisor.replace")))
    except (Forbidden, ScenarioError) as err:
        state.notice = ("error", str(err))
        return
    st.session_state["advisor.scenario"] = saved.name
    state.notice = ("success", f"Saved “{saved.name}”.")


def _delete(state: AdvisorState) -> None:
    name = st.session_state.get("advisor.scenario")
    try:
        auth.require("delete_scenario")
    except Forbidden as err:
        state.notice = ("error", str(err))
        return
    if name and delete_scenario(data.engine(), name):
        st.session_state["advisor.scenario"] = None
        state.notice = ("success", f"Deleted “{name}”.")
    else:
        state.notice = ("error", "Pick a saved scenario to delete.")


def scenario_panel(state: AdvisorState) -> None:
    """Load, save and delete named scenarios, with a message about the last action."""
    with st.expander("Scenarios", expanded=True, icon=":material/bookmarks:"):
        decide_data.add_examples()
        saved = list_scenarios(data.engine())
        chosen = st.selectbox("Saved scenario", [s.name for s in saved], index=None, key="advisor.scenario")
        description = next((s.description for s in saved if s.name == chosen), "")
        if description:
            st.caption(description)
        load, delete = st.columns(2)
        load.button("Load", key="advisor.load", on_click=_load, args=(state,), width="stretch")
        delete.button("Delete", key="advisor.delete", on_click=_delete, args=(state,), width="stretch")
        st.text_input("Name", key="advisor.name", placeholder="e.g. Support bot, tight budget", max_chars=80)
        st.text_area("Description (optional)", key="advisor.description", height=68)
        st.checkbox("Replace a scenario with the same name", key="advisor.replace")
        st.button("Save these settings", key="advisor.save", on_click=_save, args=(state,), type="primary")
        if state.notice:
            kind, text = state.notice
            (st.success if kind == "success" else st.error)(text)
            state.notice = None


def _apply_preset(state: AdvisorState) -> None:
    preset = next((p for p in decide_data.presets() if p.id == st.session_state.get("advisor.preset")), None)
    if preset is None:
        state.notice = ("error", "Pick a preset to apply.")
        return
    _apply(state, preset.scenario)
    state.notice = ("success", f"Applied the “{preset.name}” preset.")


def preset_panel(state: AdvisorState) -> None:
    """Presets for the decision-makers the articles name, each with the article lines it is read from."""
    with st.expander("Presets from the articles", expanded=False, icon=":material/menu_book:"):
        presets = {p.id: p for p in decide_data.presets()}
        chosen = st.selectbox(
            "Who is deciding", list(presets), index=None, format_func=lambda i: presets[i].name, key="advisor.preset"
        )
        if chosen:
            st.caption(presets[chosen].who)
            st.markdown("\n".join(f"- {ui.inert_markdown(c.text())}" for c in presets[chosen].cites))
            st.caption("The weights are the maintainers' reading of these lines, not figures from the articles.")
        st.button("Apply preset", key="advisor.apply_preset", on_click=_apply_preset, args=(state,))


def weights_panel(benchmarks: dict[str, str]) -> None:
    """One slider per criterion, with its normalisation in the help text."""
    with st.expander("Weights: how much each criterion matters", expanded=True, icon=":material/tune:"):
        st.selectbox("Quality measured by", list(benchmarks), format_func=benchmarks.get, key="advisor.benchmark")
        for c in CRITERIA:
            basis = f"Basis: proxy. {c.proxy_for[0].upper()}{c.proxy_for[1:]}." if c.proxy_for else "Basis: fact."
            st.slider(c.label, 0, MAX_WEIGHT, key=f"advisor.w.{c.id}", help=f"{c.how}\n\n{basis}")
        proxies = ", ".join(c.label for c in CRITERIA if c.proxy_for)
        st.caption(f"Scored from a proxy, not a fact about the model: {proxies}. The help (?) says what stands in.")


def constraints_panel(developers: list[str], labels: dict[str, str]) -> None:
    """Hard limits, the missing-data policy and an optional shortlist."""
    with st.expander("Must-haves and missing data", expanded=True, icon=":material/rule:"):
        st.toggle("Commercial use allowed", key="advisor.commercial")
        st.toggle("Can run on our own servers (open weights)", key="advisor.selfhost")
        st.number_input(
            "Budget: most USD per 1M tokens (blended)",
            min_value=0.0,
            step=0.5,
            key="advisor.budget",
            placeholder="No limit",
            help="Models without a list price fail this limit.",
        )
        st.selectbox(
            "Smallest context window",
            CONTEXT_STEPS,
            key="advisor.context",
            format_func=lambda n: "Any" if not n else style.format_tokens(n),
        )
        st.selectbox(
            "Licence must allow at least",
            USER_CAPS,
            key="advisor.usercap",
            format_func=lambda n: style.format_users(n) if n else "Any number of users",
        )
        st.multiselect("Leave out developers", developers, key="advisor.devs", placeholder="None")
        st.slider(
            "Facts must cover at least this share of the weight",
            0,
            100,
            step=10,
            format="%d%%",
            key="advisor.coverage",
            help="Leaves out models the store knows too little about to judge.",
        )
        st.radio(
            "When a fact is missing", list(MISSING_POLICIES), format_func=MISSING_POLICIES.get, key="advisor.policy"
        )
        pickers.multiselect(
            "Shortlist (optional)", labels, key="advisor.shortlist", placeholder="Rank the whole catalogue"
        )
