"""Article presets: every one cites article lines and loads as advisor settings; the worked scenarios stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmcompare.decide.presets import PresetError, load_presets
from llmcompare.decide.ranking import Constraints, rank_models
from llmcompare.store.decide_queries import decision_facts
from llmcompare.store.scenarios import read_examples

ROOT = Path(__file__).resolve().parents[2]


def test_the_article_presets_cite_their_lines():
    presets = {p.id: p for p in load_presets()}
    assert {"researcher", "start-up", "regulated-enterprise"} <= set(presets)
    for preset in presets.values():
        assert preset.cites and all(c.article.startswith("article-") and c.line > 0 and c.quote for c in preset.cites)
    assert presets["researcher"].scenario.constraints["self_hostable"] is True


def test_each_preset_ranks_the_catalogue(engine):
    facts = decision_facts(engine)
    for preset in load_presets():
        limits = Constraints.from_dict(preset.scenario.constraints)
        ranking = rank_models(facts, preset.scenario.weights, limits, preset.scenario.missing_policy)
        assert not ranking.table.empty, preset.id


def test_the_three_worked_scenarios_are_kept():
    names = [s.name for s in read_examples(ROOT / "data" / "curated" / "scenarios.yaml")]
    assert len(names) == 3 and names[1] == "Bank that keeps customer data on its own servers"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("weights: {kindness: 3}\n  cites: [{article: a, file: f, line: 1, quote: q}]", "unknown criteria"),
        ("weights: {cost: 3}\n  cites: []", "must cite"),
    ],
)
def test_a_broken_preset_file_says_what_is_wrong(tmp_path, bad, message):
    path = tmp_path / "presets.yaml"
    path.write_text(f"- id: x\n  name: X\n  who: someone\n  {bad}\n", encoding="utf-8")
    with pytest.raises(PresetError, match=message):
        load_presets(path)
