"""Playground set-up: per-side provider and settings widgets, the API key, prices, and the cached local model loader."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from components.playground import local_model
from components.playground.panel import PlaygroundState, inert_markdown
from components.shell import auth
from llmcompare.catalog import pricing
from llmcompare.catalog.tokenizers import token_counter
from llmcompare.playground.metrics import HardwarePrice, Pricing
from llmcompare.playground.run import Side
from llmcompare.providers.base import (
    BUNDLED,
    OPENAI_BASE_URL,
    GenerationSettings,
    ProviderSpec,
    SpecError,
    parse_spec,
)
from llmcompare.providers.endpoints import EndpointRules, Refused, check_local
from llmcompare.providers.openai_compat import resolve_api_key
from llmcompare.providers.registry import DEFAULT_LEFT, DEFAULT_RIGHT, checked_route, guarded_provider
from llmcompare.store.history import load_run
from llmcompare.store.runs import endpoint_spend

SIDE_NAMES = ("Left", "Right")
DEFAULT_SPECS = (DEFAULT_LEFT, DEFAULT_RIGHT)
KINDS = {"local": "Local model", "openai": "OpenAI-compatible API"}
OTHER_URL = "Other URL"
KEY_WIDGET = "playground.api_key"
HARDWARE_WIDGET = "playground.hardware_usd_per_hour"
PROMPT_WIDGET = "playground.prompt"
KEEP = "session"  # widget values survive a visit to another page
# Widgets take their defaults from session state, so that a URL or a stored run can seed them without a clash.
SETTING_DEFAULTS = {"system_prompt": "", "max_new_tokens": 256, "temperature": 0.7, "top_p": 0.95, "timeout_s": 60.0}


@dataclass(frozen=True)
class ApiKey:
    """The key the visitor typed this session, if any; it is never shown, logged or stored."""

    value: str | None
    origin: str


@dataclass(frozen=True)
class SideChoice:
    """What one side's widgets say: the provider spec, its settings and the price it will be charged at."""

    spec: ProviderSpec
    settings: GenerationSettings
    price: Pricing | None


def _key(index: int, name: str) -> str:
    return f"playground.side{index}.{name}"


def endpoint_rules() -> EndpointRules:
    """The server's endpoints and rules, from secrets over the environment; a bad entry stops with its message."""
    try:
        return EndpointRules.from_mapping(auth.secrets(), os.environ)
    except ValueError as exc:
        st.error(inert_markdown(f"The server's endpoint settings are wrong: {exc}"), icon=":material/settings:")
        st.stop()


def seed_side(index: int, spec: str, settings: GenerationSettings | None = None, from_link: bool = False) -> None:
    """Put a spec and settings into side index's widgets (from a URL or a stored run) before they are drawn."""
    rules = endpoint_rules()
    parsed = rules.expand(parse_spec(spec))
    st.session_state[_key(index, "kind")] = parsed.kind
    if parsed.kind == "local":
        st.session_state[_key(index, "source")] = parsed.target
        # A local source a link put here stays limited to the bundled model and the models folder until retyped.
        st.session_state[_key(index, "linked")] = parsed.target if from_link else None
    else:
        endpoint = rules.named(parsed)
        st.session_state[_key(index, "endpoint")] = endpoint.name if endpoint else OTHER_URL
        st.session_state[_key(index, "model")] = parsed.target
        st.session_state[_key(index, "base_url")] = parsed.base_url or OPENAI_BASE_URL
    if settings is not None:
        for name in ("system_prompt", "max_new_tokens", "temperature", "top_p", "seed", "timeout_s"):
            st.session_state[_key(index, name)] = getattr(settings, name)


def api_key_input() -> ApiKey:
    """The sidebar key field: the only key that may go to a URL the server has not configured."""
    typed = st.sidebar.text_input(
        "API key",
        type="password",
        key=KEY_WIDGET,
        placeholder="sk-...",
        persist_state=KEEP,
        help="Used for this session only, never stored. Without it, only the server's own endpoints can run, "
        "each with the key configured for it.",
    )
    value = resolve_api_key(typed)
    return ApiKey(value, "yours, typed in the sidebar" if value else "none typed; the server's endpoints use theirs")


def hardware_input() -> HardwarePrice:
    """What the machine running local models costs per hour; the default is labelled as an assumption."""
    usd = st.sidebar.number_input(
        "Local hardware, USD per hour",
        min_value=0.0,
        max_value=1000.0,
        value=pricing.DEFAULT_HARDWARE_USD_PER_HOUR,
        step=0.1,
        format="%.2f",
        key=HARDWARE_WIDGET,
        persist_state=KEEP,
        help="Local runs cost this hourly price times their run time. The default is an assumption; "
        "put in what your machine or cloud instance costs.",
    )
    return pricing.hardware_price(usd)


def _init(index: int, name: str, value: object) -> str:
    """The widget key for side index's setting, holding value unless the user or a seed set one."""
    key = _key(index, name)
    st.session_state.setdefault(key, value)
    return key


def _settings_widgets(index: int) -> GenerationSettings:
    keys = {name: _init(index, name, value) for name, value in SETTING_DEFAULTS.items()}
    with st.expander("Generation settings"):
        system = st.text_area("System prompt", key=keys["system_prompt"], height=68, persist_state=KEEP)
        left, right = st.columns(2)
        max_new = left.number_input("Max new tokens", 1, 32768, key=keys["max_new_tokens"], persist_state=KEEP)
        seed = right.number_input(
            "Seed", 0, 2**31 - 1, None, key=_key(index, "seed"), placeholder="random", persist_state=KEEP
        )
        temperature = left.slider("Temperature", 0.0, 2.0, step=0.05, key=keys["temperature"], persist_state=KEEP)
        top_p = right.slider("Top-p", 0.05, 1.0, step=0.05, key=keys["top_p"], persist_state=KEEP)
        timeout = left.number_input("Timeout, s", 1.0, 600.0, key=keys["timeout_s"], persist_state=KEEP)
    return GenerationSettings(system, int(max_new), temperature, top_p, None if seed is None else int(seed), timeout)


def _local_widgets(index: int) -> ProviderSpec:
    source = st.text_input(
        "Model",
        key=_init(index, "source", BUNDLED),
        persist_state=KEEP,
        help="`bundled` is SmolLM2-135M-Instruct, shipped with the app. Or a Hugging Face id "
        "(e.g. Qwen/Qwen2.5-0.5B-Instruct), a local folder or a .gguf file.",
    )
    return ProviderSpec("local", source.strip() or BUNDLED)


def _endpoint_choice(index: int, rules: EndpointRules) -> str:
    """Which configured endpoint this side uses, or OTHER_URL; the only choice when there are none."""
    options = [*rules.endpoints, *([OTHER_URL] if rules.custom_urls else [])]
    if not rules.endpoints:
        return OTHER_URL
    key = _init(index, "endpoint", options[0])
    if st.session_state[key] not in options:  # a link or a stored run named one that is no longer offered
        st.session_state[key] = options[0]
    return st.selectbox(
        "Endpoint",
        options,
        key=key,
        persist_state=KEEP,
        help="The team's endpoints run with the key set up for them.",
    )


def _spec_widgets(index: int, rules: EndpointRules) -> ProviderSpec:
    default = parse_spec(DEFAULT_SPECS[index])
    kind = st.segmented_control(
        "Provider",
        list(KINDS),
        format_func=KINDS.get,
        key=_init(index, "kind", default.kind),
        required=True,
        persist_state=KEEP,
    )
    if kind == "local":
        return _local_widgets(index)
    choice = _endpoint_choice(index, rules)
    if choice != OTHER_URL:
        endpoint = rules.endpoints[choice]
        fallback = parse_spec(DEFAULT_RIGHT).target
        model = st.text_input("Model", key=_init(index, "model", (*endpoint.models, fallback)[0]), persist_state=KEEP)
        if endpoint.models:
            st.caption(inert_markdown(f"Allowed here: {', '.join(endpoint.models)}."))
        return ProviderSpec("openai", model.strip(), endpoint.base_url)
    if not rules.custom_urls:
        raise SpecError("This server runs only its own endpoints, and none is configured.")
    model_col, url_col = st.columns([2, 3])
    model = model_col.text_input(
        "Model", key=_init(index, "model", default.target if default.kind == "openai" else ""), persist_state=KEEP
    )
    base_url = url_col.text_input(
        "Base URL",
        key=_init(index, "base_url", OPENAI_BASE_URL),
        persist_state=KEEP,
        help="Any OpenAI-compatible endpoint: OpenAI, or vLLM, Ollama, llama.cpp server or TGI, e.g. "
        "http://localhost:11434/v1. It runs with the key you type in the sidebar.",
    )
    url = base_url.strip().rstrip("/") or OPENAI_BASE_URL
    if not url.startswith(("http://", "https://")):
        raise SpecError(f"The base URL must start with http:// or https://, as in http://{url}.")
    return ProviderSpec("openai", model.strip(), url)


def _from_link(index: int, spec: ProviderSpec) -> bool:
    """Whether a local source is still the one a link put on this side."""
    return spec.kind == "local" and st.session_state.get(_key(index, "linked")) == spec.target


def refusal(index: int, spec: ProviderSpec, engine: Engine, key: ApiKey) -> str | None:
    """Why the server's rules will not run this side, or None when they will."""
    rules = endpoint_rules()
    try:
        if spec.kind == "local":
            check_local(spec.target, rules, _from_link(index, spec))
        else:
            team = auth.current_user().may("team_endpoints")
            checked_route(spec, rules, key.value, team, lambda name: endpoint_spend(engine, name))
    except Refused as exc:
        return str(exc)
    return None


def side_form(index: int, engine: Engine, key: ApiKey, hardware: HardwarePrice) -> SideChoice | None:
    """One side's widgets in the current container; None (with a message) when they do not name a provider."""
    st.markdown(f"**{SIDE_NAMES[index]}**")
    try:
        spec = _spec_widgets(index, endpoint_rules())
    except SpecError as exc:
        st.warning(inert_markdown(str(exc)), icon=":material/edit:")
        return None
    if spec.kind == "openai" and not spec.target:
        st.warning("Name the model this endpoint should run.", icon=":material/edit:")
        return None
    settings = _settings_widgets(index)
    quote = pricing.api_price(engine, spec) if spec.kind == "openai" else None
    price = hardware if spec.kind == "local" else quote.price
    problem = refusal(index, spec, engine, key)
    if spec.kind == "local":
        if not problem:
            local_model.preload(spec.target)
        local_model.show_note(spec.target, f"Cost: {hardware.basis}, times run time")
    else:
        # The note and the message name the model and URL as typed, or as a link put them: shown inert.
        st.caption(inert_markdown(_price_caption(quote)))
    if problem:
        st.warning(inert_markdown(problem), icon=":material/key_off:")
    return SideChoice(spec, settings, price)


def _price_caption(quote: pricing.PriceQuote) -> str:
    if quote.price is None:
        return f"Cost: {quote.note}."
    per_1m = f"{quote.price.input_usd_per_1m:g} in / {quote.price.output_usd_per_1m:g} out per 1M tokens"
    return f"Cost: USD {per_1m}, the {quote.note}."


def build_sides(choices: list[SideChoice], key: ApiKey, engine: Engine) -> list[Side]:
    """Providers for every side under the server's rules; a refused side fails on its own when the run starts."""
    rules, team = endpoint_rules(), auth.current_user().may("team_endpoints")
    sides = []
    for index, choice in enumerate(choices):
        provider = guarded_provider(
            choice.spec,
            rules,
            typed_key=key.value,
            team_access=team,
            spent_usd=lambda name: endpoint_spend(engine, name),
            from_link=_from_link(index, choice.spec),
            local_loader=local_model.local_model,
        )
        counter = token_counter(engine, choice.spec.target) if choice.spec.kind == "openai" else None
        sides.append(Side(provider, choice.settings, choice.price, counter))
    return sides


def apply_query(state: PlaygroundState, engine: Engine) -> None:
    """Seed the widgets once per new URL: ?from_run=ID (a stored run's prompt and settings), ?left=/?right= specs.

    The URL counts as applied only once the side forms have been drawn with it (`link_drawn`). A rerun that interrupts
    the first run, such as a key typed while the page is still drawing, seeds the widgets again; marked applied before
    the forms were drawn, the link's endpoint was lost to the default under load.
    """
    params = {name: st.query_params.get(name, "") for name in ("from_run", "left", "right")}
    raw = "&".join(f"{k}={v}" for k, v in params.items() if v)
    if not raw or raw == state.applied:
        return
    state.pending = raw
    try:
        if params["from_run"]:
            _seed_from_run(state, engine, params["from_run"])
        for index, name in enumerate(("left", "right")):
            if params[name]:
                seed_side(index, params[name], from_link=True)
    except SpecError as exc:
        st.warning(inert_markdown(f"Could not use the link's settings: {exc}"), icon=":material/link_off:")


def link_drawn(state: PlaygroundState) -> None:
    """The side forms now show the URL's settings: later reruns leave them to the user."""
    if state.pending is not None:
        state.applied, state.pending = state.pending, None


def _seed_from_run(state: PlaygroundState, engine: Engine, raw_id: str) -> None:
    stored = load_run(engine, int(raw_id)) if raw_id.isdigit() else None
    if stored is None:
        st.warning(inert_markdown(f"There is no stored run {raw_id!r} to load."), icon=":material/link_off:")
        return
    st.session_state[PROMPT_WIDGET] = stored.result.prompt
    for index, side in enumerate(stored.result.sides[: len(SIDE_NAMES)]):
        seed_side(index, side.spec, side.settings, from_link=True)
    state.loaded_from = stored.id
