"""The provider-policy matrix and model facts, read from a SQLite file built from the committed seed, and drawn."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from llmcompare.catalog.policies import POLICY_COLUMNS, model_facts, provider_policies
from llmcompare.charts.policies import AGAINST, CONDITIONAL, FOR, NOT_FOUND, cell_level, data_handling_matrix
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.policy_tables import ATTRIBUTES

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('policies') / 'store.db'}")
    build_db(engine, SEED)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def policies(seeded) -> pd.DataFrame:
    return provider_policies(seeded)


def test_the_matrix_has_every_attribute_of_every_provider_with_its_basis(policies) -> None:
    assert list(policies.columns) == POLICY_COLUMNS
    providers = policies["provider"].unique()
    assert len(providers) >= 12
    assert len(policies) == len(providers) * len(ATTRIBUTES)
    assert set(policies["basis"]) == {"fact", "none"}
    openai = policies[policies["provider"] == "openai"]
    assert list(openai["attribute"]) == list(ATTRIBUTES)


def test_facts_carry_the_page_and_gaps_carry_nothing(policies) -> None:
    facts = policies[policies["basis"] == "fact"]
    assert facts["source"].str.startswith("https://").all()
    assert facts["quote"].str.len().gt(10).all()
    assert facts["retrieved"].notna().all()
    gaps = policies[policies["basis"] == "none"]
    assert gaps["source"].isna().all() and gaps["quote"].isna().all() and gaps["answer"].isna().all()


def test_a_known_cell_reads_back_as_written(policies) -> None:
    cell = policies.set_index(["provider", "attribute"]).loc[("xai", "retention")]
    assert cell["answer"] == "yes" and cell["basis"] == "fact"
    assert cell["source"] == "https://docs.x.ai/docs/faq/security"
    assert "30 days" in cell["quote"]
    dated = policies.set_index(["provider", "attribute"]).loc[("cohere", "trains_on_api_data")]
    assert dated["as_of"].isoformat() == "2025-12-05"


def test_model_facts_keep_deprecation_dates_hosts_and_training_cost(seeded) -> None:
    facts = model_facts(seeded)
    assert {"deprecation_date", "independent_hosts", "training_compute_flop", "hf_likes"} <= set(facts["attribute"])
    deprecations = model_facts(seeded, ["deprecation_date"])
    assert set(deprecations["attribute"]) == {"deprecation_date"}
    assert pd.to_datetime(deprecations["value"]).notna().all()
    assert deprecations["detail"].notna().all()
    hosts = facts[facts["attribute"] == "independent_hosts"].set_index("model_id")
    assert hosts.loc["gpt-oss-120b", "number"] >= 10
    assert (hosts["source"] != "").all()


def test_cell_levels_follow_the_customer_side_of_each_attribute() -> None:
    assert cell_level("trains_on_api_data", "fact", "no") == FOR
    assert cell_level("trains_on_api_data", "fact", "yes") == AGAINST
    assert cell_level("soc2_type2", "fact", "yes") == FOR
    assert cell_level("data_residency", "fact", "no") == AGAINST
    assert cell_level("zero_data_retention", "fact", "conditional") == CONDITIONAL
    assert cell_level("soc2_type2", "none", None) == NOT_FOUND


def test_the_matrix_chart_draws_one_cell_per_provider_and_attribute(policies) -> None:
    chart = data_handling_matrix(policies)
    heat = chart.figure.data[0]
    providers = list(dict.fromkeys(policies["provider_name"]))
    columns = [label.replace("-<br>", "-").replace("<br>", " ") for label in heat.x]
    assert list(heat.y) == providers and columns == list(ATTRIBUTES.values())
    cell = {(y, x): (heat.z[i][j], heat.text[i][j]) for i, y in enumerate(heat.y) for j, x in enumerate(columns)}
    assert cell[("OpenAI", ATTRIBUTES["trains_on_api_data"])] == (FOR + 0.5, "No")
    assert cell[("Cohere", ATTRIBUTES["trains_on_api_data"])] == (AGAINST + 0.5, "Yes")
    assert cell[("DeepSeek", ATTRIBUTES["data_residency"])] == (AGAINST + 0.5, "No")
    assert cell[("Anthropic", ATTRIBUTES["uptime_sla"])] == (NOT_FOUND + 0.5, "not found")
    assert cell[("OpenAI", ATTRIBUTES["uptime_sla"])] == (CONDITIONAL + 0.5, "Conditions")
    hover = heat.customdata[providers.index("xAI")][list(ATTRIBUTES).index("retention")]
    assert "docs.x.ai" in hover and "page undated" in hover
    assert "not legal advice" in chart.caption


def test_an_empty_matrix_says_so() -> None:
    chart = data_handling_matrix(pd.DataFrame(columns=POLICY_COLUMNS))
    assert chart.figure.layout.annotations[0].text == "No provider terms to show."
