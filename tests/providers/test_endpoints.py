"""Where a key may go: the server's keys only to their own endpoints, visitor URLs only with the visitor's key."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from llmcompare.providers.base import GenerationSettings, ProviderError, ProviderSpec, RunResult, SideResult, parse_spec
from llmcompare.providers.endpoints import (
    Endpoint,
    EndpointRules,
    Refused,
    blocked_address,
    check_budget,
    check_local,
    check_url,
    route,
)
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.providers.registry import UnavailableProvider, guarded_provider
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from llmcompare.store.runs import endpoint_spend, save_run

TEAM = {"base_url": "http://10.0.0.5:8000/v1", "api_key": "sk-team", "models": ["llama-3"], "daily_budget_usd": 2}
SECRETS = {"endpoints": {"team": TEAM}, "OPENAI_API_KEY": "sk-server"}


def rules(secrets=SECRETS, env=None) -> EndpointRules:
    return EndpointRules.from_mapping(secrets, env or {})


def test_the_servers_key_goes_only_to_its_own_endpoint():
    chosen = route(parse_spec("openai:gpt-4o-mini"), rules(), None, team_access=True)
    assert chosen.api_key == "sk-server" and chosen.spec.base_url == "https://api.openai.com/v1"
    with pytest.raises(Refused, match="not one of this server's endpoints"):
        route(parse_spec("openai:gpt-4o@http://evil.example/v1"), rules(), None, team_access=True)


def test_a_visitor_url_runs_with_the_visitors_key_only():
    chosen = route(parse_spec("openai:gpt-4o@http://evil.example/v1"), rules(), " sk-mine ", team_access=True)
    assert chosen.api_key == "sk-mine" and chosen.endpoint is None and chosen.stored_spec.endswith("evil.example/v1")


def test_openai_base_url_moves_the_server_key_with_it():
    moved = rules({"OPENAI_API_KEY": "sk-server"}, {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1/"})
    assert route(parse_spec("openai:m@http://127.0.0.1:9/v1"), moved, None, True).api_key == "sk-server"
    with pytest.raises(Refused):
        route(parse_spec("openai:gpt-4o-mini"), moved, None, True)


def test_a_link_names_an_endpoint_and_the_run_keeps_the_name():
    chosen = route(parse_spec("openai:llama-3@team"), rules(), None, team_access=True)
    assert chosen.spec.base_url == TEAM["base_url"] and chosen.api_key == "sk-team"
    assert chosen.stored_spec == "openai:llama-3@team"
    with pytest.raises(Refused, match="allows only llama-3"):
        route(parse_spec("openai:gpt-4o@team"), rules(), None, team_access=True)


def test_team_endpoints_need_the_member_role_unless_the_visitor_brings_a_key():
    with pytest.raises(Refused, match="may not use the team's key for team"):
        route(parse_spec("openai:llama-3@team"), rules(), None, team_access=False)
    assert route(parse_spec("openai:llama-3@team"), rules(), "sk-mine", team_access=False).api_key == "sk-mine"


def test_custom_urls_can_be_turned_off():
    closed = rules({**SECRETS, "LLMCOMPARE_CUSTOM_ENDPOINTS": "false"})
    assert not closed.custom_urls
    with pytest.raises(Refused, match="other URLs are turned off"):
        route(parse_spec("openai:m@http://localhost:11434/v1"), closed, "sk-mine", team_access=True)
    assert not rules(SECRETS, {"LLMCOMPARE_CUSTOM_ENDPOINTS": "0"}).custom_urls


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://metadata.google.internal/computeMetadata/v1",
        "http://METADATA.GOOGLE.INTERNAL./v1",
        "http://[fd00:ec2::254]/latest",
        "http://[::ffff:169.254.169.254]/v1",
        "http://[fe80::1]/v1",
        "http://100.100.100.200/v1",
        "file:///etc/passwd",
        "http://user:pass@example.com/v1",
    ],
)
def test_metadata_link_local_and_odd_urls_are_refused_always(url):
    with pytest.raises(Refused):
        check_url(url)
    with pytest.raises(Refused):
        route(ProviderSpec("openai", "m", url), rules(), "sk-mine", team_access=True)


def test_ordinary_addresses_are_not_blocked():
    assert not any(blocked_address(a) for a in ("127.0.0.1", "10.0.0.5", "::1", "8.8.8.8", "example.com"))
    assert blocked_address("169.254.0.1") and blocked_address("fd00:ec2::254")


def test_a_bad_endpoint_entry_is_an_error_naming_it():
    for bad in ({"base_url": "http://169.254.169.254/v1"}, {}, {"base_url": "http://x/v1", "daily_budget_usd": -1}):
        with pytest.raises(ValueError, match=r"\[endpoints.bad\]"):
            rules({"endpoints": {"bad": bad}})


def test_a_link_may_load_only_the_bundled_model_or_one_in_the_models_folder(tmp_path):
    (tmp_path / "models" / "tiny").mkdir(parents=True)
    folder = EndpointRules(models_dir=(tmp_path / "models").resolve())
    assert check_local("bundled", folder, from_link=True) == "bundled"
    assert check_local("tiny", folder, from_link=True) == str((tmp_path / "models" / "tiny").resolve())
    for source in ("/etc", "../models/tiny/../../..", "Qwen/Qwen2.5-0.5B-Instruct", "~/.ssh"):
        with pytest.raises(Refused, match="A link may only run the bundled model"):
            check_local(source, folder, from_link=True)
    assert check_local("Qwen/Qwen2.5-0.5B-Instruct", folder, from_link=False) == "Qwen/Qwen2.5-0.5B-Instruct"


def test_a_refused_side_fails_with_the_reason_and_holds_no_key():
    provider = guarded_provider(
        "openai:gpt-4o@http://evil.example/v1", rules(), typed_key=None, team_access=True, spent_usd=lambda _: 0.0
    )
    assert isinstance(provider, UnavailableProvider) and "not one of this server's endpoints" in provider.message
    assert "sk-server" not in repr(vars(provider))


def _side(spec: str, cost: float | None) -> SideResult:
    return SideResult(spec, "llama-3", GenerationSettings(), "hi", 0.1, 1.0, 3, 2, 5.0, cost, "test price")


def test_the_daily_budget_counts_todays_runs_paid_by_the_endpoint(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'budget.db'}")
    migrate(engine)
    now = datetime.now(UTC)
    for when, spec, cost in (
        (now, "openai:llama-3@team", 1.5),
        (now, "openai:llama-3@http://10.0.0.5:8000/v1", 9.0),  # the visitor's own key: not the team's money
        (now - timedelta(days=1, hours=1), "openai:llama-3@team", 9.0),  # yesterday
        (now, "openai:llama-3@team", None),
    ):
        save_run(engine, RunResult("p", when, 1.0, [_side(spec, cost)]), who="a@example.test")
    assert endpoint_spend(engine, "team", now) == pytest.approx(1.5)
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT who FROM runs")).scalars()) == {"a@example.test"}
    endpoint = Endpoint("team", TEAM["base_url"], "sk-team", daily_budget_usd=2.0)
    check_budget(endpoint, endpoint_spend(engine, "team", now))
    save_run(engine, RunResult("p", now, 1.0, [_side("openai:llama-3@team", 0.6)]))
    with pytest.raises(Refused, match="spent USD 2.10 of its USD 2.00 budget today"):
        check_budget(endpoint, endpoint_spend(engine, "team", now))
    refused = guarded_provider(
        "openai:llama-3@team",
        rules(),
        typed_key=None,
        team_access=True,
        spent_usd=lambda name: endpoint_spend(engine, name),
    )
    assert isinstance(refused, UnavailableProvider) and "budget today" in refused.message
    engine.dispose()


def test_the_connection_itself_refuses_a_metadata_address():
    """Checked again where the socket opens, after the name lookup, so a DNS name cannot lead there either."""
    provider = OpenAICompatProvider("m", "http://169.254.169.254/v1", "sk-mine")
    with pytest.raises(ProviderError, match="link-local or cloud-metadata"):
        list(provider.stream("hi", GenerationSettings(timeout_s=5), threading.Event()))
