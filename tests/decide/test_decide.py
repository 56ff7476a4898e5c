"""The advisor's maths on hand-computed cases, plus hypothesis properties of ranking, constraints and sensitivity."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmcompare.decide import criteria
from llmcompare.decide import ranking as decide
from llmcompare.decide.ranking import AdvisorError, Constraints, describe_constraints, rank_models
from llmcompare.decide.sensitivity import STEP, sensitivity, winners

ONLY = {"quality": 2, "cost": 1}  # every other criterion weighs 0


def fact_row(model_id: str, **overrides) -> dict:
    """One model's facts with neutral defaults: an API model under Apache-like terms with no optional facts."""
    row = {
        "model_id": model_id,
        "model": model_id.upper(),
        "developer": "Dev",
        "access": "api_only",
        "license": "Some licence",
        "commercial_use": "yes",
        "modification": "yes",
        "redistribution": "yes",
        "user_threshold": pd.NA,
        "use_policy": False,
        "quality": np.nan,
        "quality_name": "LMArena text score",
        "quality_unit": "elo",
        "blended": np.nan,
        "openness": np.nan,
        "fmti_latest": np.nan,
        "fmti_edition": None,
        "context_window": np.nan,
        "latency_s": np.nan,
        "latency_runs": np.nan,
        "first_party_offering": False,
        "providers": 0,
    }
    return row | overrides


def frame(*rows: dict) -> pd.DataFrame:
    facts = pd.DataFrame(list(rows))
    facts["user_threshold"] = facts["user_threshold"].astype("Int64")
    return facts


def abc() -> pd.DataFrame:
    """A: best and dearest; B: middling; C: worst and cheapest (quality 1400/1200/1000, price $10/$1/$0.10)."""
    return frame(
        fact_row("a", quality=1400.0, blended=10.0),
        fact_row("b", quality=1200.0, blended=1.0),
        fact_row("c", quality=1000.0, blended=0.1),
    )


def test_min_max_scales_known_values_and_keeps_gaps():
    scaled = criteria.min_max(pd.Series([1000.0, 1200.0, np.nan, 1400.0]))
    assert scaled.tolist()[:2] == [0.0, 0.5] and np.isnan(scaled[2]) and scaled[3] == 1.0
    assert criteria.min_max(pd.Series([7.0, 7.0])).tolist() == [1.0, 1.0]


def test_cost_is_log_scaled_cheapest_best_and_free_counts_as_a_cent():
    scores = criteria.cost_score(frame(*(fact_row(str(p), blended=p) for p in (10.0, 1.0, 0.1, 0.0))))
    assert scores.tolist() == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])


def test_licence_score_weighs_the_five_terms():
    rows = frame(
        fact_row("apache"),
        fact_row("api", modification="no", redistribution="no", use_policy=True),
        fact_row(
            "llama",
            commercial_use="conditional",
            modification="conditional",
            redistribution="conditional",
            user_threshold=700_000_000,
            use_policy=True,
        ),
    )
    assert criteria.licence_score(rows).tolist() == pytest.approx([1.0, 0.4, 0.45])


def test_access_based_criteria():
    rows = frame(
        fact_row("open-free", access="open_weights", providers=0),
        fact_row("open-cond", access="open_weights", modification="conditional", providers=2),
        fact_row("open-nd", access="open_weights", modification="no", first_party_offering=True, providers=1),
        fact_row("api", first_party_offering=True, providers=1),
    )
    assert criteria.data_control_score(rows).tolist() == [1.0, 1.0, 1.0, 0.0]
    assert criteria.customisation_score(rows).tolist() == [1.0, 0.75, 0.25, 0.0]
    assert criteria.vendor_support_score(rows).tolist() == [0.0, 0.5, 1.0, 1.0]


def test_openness_transparency_context_and_latency():
    rows = frame(
        fact_row("x", openness=50.0, fmti_latest=40.0, context_window=1_000.0, latency_s=0.1),
        fact_row("y", openness=100.0, fmti_latest=80.0, context_window=1_000_000.0, latency_s=10.0),
    )
    scores = criteria.score_matrix(rows)
    assert scores.loc["x", ["openness", "transparency", "context", "latency"]].tolist() == [0.5, 0.4, 0.0, 1.0]
    assert scores.loc["y", ["openness", "transparency", "context", "latency"]].tolist() == [1.0, 0.8, 1.0, 0.0]


def test_weighted_ranking_by_hand():
    ranking = rank_models(abc(), ONLY)
    # A: (2*1 + 0)/3, B: (2*0.5 + 0.5)/3, C: (0 + 1)/3
    assert ranking.table["model_id"].tolist() == ["a", "b", "c"]
    assert ranking.table["score"].tolist() == pytest.approx([200 / 3, 50.0, 100 / 3])
    assert ranking.points.loc["a", "quality"] == pytest.approx(200 / 3)
    assert ranking.points.loc["c", "cost"] == pytest.approx(100 / 3)
    assert ranking.table["rank"].tolist() == [1, 2, 3]


def test_points_add_up_to_the_score():
    ranking = rank_models(abc(), decide.DEFAULT_WEIGHTS)
    assert ranking.points.sum(axis=1).to_numpy() == pytest.approx(ranking.table["score"].to_numpy())


@pytest.mark.parametrize(
    ("policy", "expected_d"),
    [("average", 200 / 3), ("worst", 100 / 3), ("exclude", 100.0)],
)
def test_missing_data_policies(policy, expected_d):
    facts = pd.concat([abc(), frame(fact_row("d", blended=0.1))], ignore_index=True)
    ranking = rank_models(facts, ONLY, policy=policy)
    scores = ranking.table.set_index("model_id")["score"]
    # D has no quality: average counts it as 0.5 (the mean of 1, 0.5, 0), worst as 0, exclude drops it.
    assert scores["d"] == pytest.approx(expected_d)
    assert ranking.missing.loc["d", "quality"] and not ranking.missing.loc["d", "cost"]
    assert ranking.table.set_index("model_id").loc["d", "missing"] == "Quality"
    assert ranking.table.set_index("model_id").loc["d", "coverage"] == pytest.approx(1 / 3)


def test_ties_share_a_rank_and_go_by_name():
    ranking = rank_models(frame(fact_row("z", quality=1.0), fact_row("y", quality=1.0)), {"quality": 1})
    assert ranking.table["model_id"].tolist() == ["y", "z"]
    assert ranking.table["rank"].tolist() == [1, 1]


def test_bad_weights_are_refused():
    with pytest.raises(AdvisorError, match="above zero"):
        rank_models(abc(), {"quality": 0})
    with pytest.raises(AdvisorError, match="zero or more"):
        rank_models(abc(), {"quality": -1})
    with pytest.raises(AdvisorError, match="Unknown criteria"):
        rank_models(abc(), {"charisma": 3})
    with pytest.raises(AdvisorError, match="missing-data policy"):
        rank_models(abc(), ONLY, policy="guess")


def test_constraints_round_trip_and_refuse_unknown_keys():
    limits = Constraints(commercial_use=True, max_price=2.5, exclude_developers=("Acme",), min_coverage=0.5)
    assert Constraints.from_dict(limits.to_dict()) == limits
    with pytest.raises(AdvisorError, match="Unknown constraint"):
        Constraints.from_dict({"max_price": 1, "colour": "blue"})


def test_each_constraint_says_why_a_model_is_left_out():
    facts = frame(
        fact_row("nc", commercial_use="no", access="open_weights", blended=0.5, context_window=8000.0),
        fact_row("api", blended=5.0, context_window=200_000.0),
        fact_row("capped", access="open_weights", user_threshold=100_000_000, blended=0.2, context_window=4000.0),
        fact_row("unpriced", access="open_weights", developer="Acme"),
    )
    limits = Constraints(
        commercial_use=True, self_hostable=True, max_price=1.0, min_context=8000, min_user_cap=1_000_000_000
    )
    why = decide.constraint_failures(facts, limits)
    assert why["nc"] == "its licence does not allow commercial use"
    assert why["api"] == "API only: it cannot run on your own servers; $5.00 per 1M tokens is over the budget"
    assert "context window (4K tokens) is too small" in why["capped"]
    assert "caps use at 100 million monthly active users" in why["capped"]
    assert why["unpriced"] == "no price on record; no context window on record"
    dropped = decide.constraint_failures(facts, Constraints(exclude_developers=("Acme",)), shortlist=["api", "nc"])
    assert dropped["unpriced"] == "its developer is excluded; not on the shortlist"
    assert dropped["api"] == ""


def test_coverage_limit_leaves_out_thinly_known_models():
    facts = pd.concat([abc(), frame(fact_row("d", blended=0.1))], ignore_index=True)
    ranking = rank_models(facts, ONLY, Constraints(min_coverage=0.5))
    assert "d" not in set(ranking.table["model_id"])
    assert ranking.excluded.set_index("model_id").loc["d", "reason"] == "its facts carry only 33% of the weight"


def test_reasons_cite_value_source_and_date():
    facts = abc().assign(
        quality_source="LMArena snapshot",
        quality_url="https://example.org/arena",
        quality_as_of=date(2025, 8, 4),
        price_source="LiteLLM map",
        price_url=None,
        price_as_of=date(2026, 11, 1),
    )
    ranking = rank_models(facts, ONLY)
    lines = decide.reasons(ranking, facts, "a")
    assert lines[0] == (
        "**Quality** +66.7 points: LMArena text score 1,400 ([LMArena snapshot](https://example.org/arena), "
        "as of 2025-08-04)."
    )
    assert any("$10.00 per 1M tokens blended (LiteLLM map, as of 2026-11-01)" in line for line in lines)


def test_reasons_name_a_proxy_as_one():
    ranking = rank_models(abc(), {"vendor_support": 5, "quality": 1})
    lines = decide.reasons(ranking, abc(), ranking.table["model_id"].iloc[0])
    support = next(line for line in lines if "vendor support" in line.lower())
    assert "(a proxy: a price listing stands in for vendor support" in support
    quality = next(line for line in lines if line.startswith("**Quality**"))
    assert "proxy" not in quality  # a benchmark score is a fact about the model


def test_reasons_say_how_a_missing_fact_was_counted():
    facts = pd.concat([abc(), frame(fact_row("d", blended=0.1))], ignore_index=True)
    ranking = rank_models(facts, ONLY, policy="worst")
    assert "**Quality**: not on record, counted as the worst score (0 points)." in decide.reasons(ranking, facts, "d")


def test_lead_reason_names_the_separating_criteria():
    text = decide.lead_reason(rank_models(abc(), ONLY))
    assert text == "A leads B by 16.7 points, mostly on quality (+33.3); B is ahead on cost (-16.7)."


def test_sensitivity_finds_the_exact_flip_weights():
    facts = frame(fact_row("a", quality=1.0, blended=10.0), fact_row("b", quality=0.0, blended=1.0))
    result = sensitivity(rank_models(facts, ONLY))
    flips = {f.criterion: f for f in result.flips}
    # A = 2q/(2q + c) against B = c/(2q + c): they tie at cost 2 or quality 1 (A first by name), and B leads past
    # that; a flip is reported at the first 0.01 step past the change, a weight the page shows and a user can set.
    assert flips["cost"].to == 2.01 and flips["cost"].new_winner == "b"
    assert flips["quality"].to == 0.99
    assert result.flips[0].criterion in {"quality", "cost"}
    assert set(flips) == {"quality", "cost"}


def test_sensitivity_without_noise_always_keeps_the_winner():
    result = sensitivity(rank_models(abc(), ONLY), runs=50, spread=0.0)
    assert result.kept == 1.0 and result.challengers == {}


def test_sensitivity_is_seeded_and_needs_two_models():
    ranking = rank_models(abc(), {"quality": 1, "cost": 2})
    assert sensitivity(ranking, seed=7) == sensitivity(ranking, seed=7)
    assert sensitivity(rank_models(abc(), ONLY, shortlist=["a"])) is None


# --- properties ---------------------------------------------------------------------------------------------

maybe = st.one_of(st.none(), st.floats(0.01, 100, allow_nan=False))
terms = st.sampled_from(["yes", "conditional", "no"])


@st.composite
def catalogues(draw) -> pd.DataFrame:
    count = draw(st.integers(2, 7))
    rows = []
    for i in range(count):
        rows.append(
            fact_row(
                f"m{i}",
                access=draw(st.sampled_from(["open_weights", "api_only"])),
                developer=draw(st.sampled_from(["Acme", "Beta", "Core"])),
                commercial_use=draw(terms),
                modification=draw(terms),
                user_threshold=draw(st.sampled_from([pd.NA, 100_000_000, 700_000_000])),
                quality=draw(maybe),
                blended=draw(maybe),
                openness=draw(maybe),
                fmti_latest=draw(maybe),
                context_window=draw(st.sampled_from([np.nan, 4096.0, 32_000.0, 128_000.0, 1_000_000.0])),
                first_party_offering=draw(st.booleans()),
                providers=draw(st.integers(0, 3)),
            )
        )
    return frame(*rows).replace({None: np.nan})


weightings = st.dictionaries(st.sampled_from(criteria.IDS), st.integers(0, 10), min_size=1).filter(
    lambda w: sum(w.values()) > 0
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    catalogues(),
    weightings,
    st.sampled_from(criteria.IDS),
    st.integers(1, 10),
    st.sampled_from(["average", "worst"]),
)
def test_raising_a_weight_never_lowers_the_model_best_on_it(facts, weights, criterion, raise_by, policy):
    # Not under "exclude": a model without the fact keeps its score while the best model's average moves towards
    # its score on the criterion, which can be below its average, so the property does not hold there.
    scores = criteria.score_matrix(facts)[criterion]
    if scores.isna().all():
        return
    best = scores.idxmax()
    before = rank_models(facts, weights, policy=policy).table.set_index("model_id")["rank"][best]
    raised = {**weights, criterion: weights.get(criterion, 0) + raise_by}
    after = rank_models(facts, raised, policy=policy).table.set_index("model_id")["rank"][best]
    assert after <= before


def _meets(row: pd.Series, limits: Constraints) -> bool:
    """A plain reading of each constraint, one model at a time."""
    if limits.commercial_use and row["commercial_use"] == "no":
        return False
    if limits.self_hostable and row["access"] != "open_weights":
        return False
    if limits.max_price is not None and not (row["blended"] <= limits.max_price):
        return False
    if limits.min_context is not None and not (row["context_window"] >= limits.min_context):
        return False
    cap = row["user_threshold"]
    if limits.min_user_cap is not None and not pd.isna(cap) and cap < limits.min_user_cap:
        return False
    return row["developer"] not in limits.exclude_developers


limit_sets = st.builds(
    Constraints,
    commercial_use=st.booleans(),
    self_hostable=st.booleans(),
    max_price=st.one_of(st.none(), st.floats(0.01, 50)),
    min_context=st.one_of(st.none(), st.sampled_from([8000, 32_000, 200_000])),
    min_user_cap=st.one_of(st.none(), st.sampled_from([1_000_000, 500_000_000, 1_000_000_000])),
    exclude_developers=st.lists(st.sampled_from(["Acme", "Beta", "Core"]), max_size=2).map(tuple),
)


@FAST
@given(catalogues(), limit_sets)
def test_constraints_filter_exactly(facts, limits):
    ranking = rank_models(facts, {"quality": 1}, limits)
    expected = {r["model_id"] for _, r in facts.iterrows() if _meets(r, limits)}
    assert set(ranking.table["model_id"]) == expected
    assert set(ranking.excluded["model_id"]) == set(facts["model_id"]) - expected
    assert (ranking.excluded["reason"] != "").all()


@FAST
@given(catalogues(), weightings, st.sampled_from(list(decide.MISSING_POLICIES)))
def test_each_reported_flip_really_changes_the_winner(facts, weights, policy):
    ranking = rank_models(facts, weights, policy=policy)
    result = sensitivity(ranking, runs=20)
    if result is None or not result.flips:
        return
    flip = result.flips[0]
    moved = rank_models(facts, {**ranking.weights, flip.criterion: flip.to}, policy=policy)
    assert moved.winner == flip.new_winner != ranking.winner


def test_constraints_read_as_sentences():
    limits = Constraints(commercial_use=True, max_price=2.5, min_context=128_000, exclude_developers=("Acme",))
    lines = describe_constraints(limits)
    assert lines[0].startswith("The licence must allow commercial use")
    assert any("$2.50 per 1M tokens" in line for line in lines)
    assert any("128,000 tokens" in line for line in lines)
    assert any(line.endswith("Acme.") for line in lines)
    assert describe_constraints(Constraints()) == []


@FAST
@given(catalogues(), weightings, st.sampled_from(list(decide.MISSING_POLICIES)))
def test_no_weight_nearer_than_a_reported_flip_changes_the_winner(facts, weights, policy):
    # The flips come from where totals cross, not from a grid: a dense scan of each weight must find no change of
    # leader nearer than the flip reported for it (give or take the step it is reported on), and none at all where
    # no flip is reported.
    ranking = rank_models(facts, weights, policy=policy)
    result = sensitivity(ranking, runs=5)
    if result is None:
        return
    flips = {f.criterion: f.to for f in result.flips}
    w = np.array([ranking.weights[c] for c in criteria.IDS])
    scan = np.linspace(0, decide.MAX_WEIGHT, 2001)
    for j, name in enumerate(criteria.IDS):
        trials = np.repeat(w[:, None], len(scan), axis=1)
        trials[j] = scan
        top = winners(ranking, trials)
        top[trials.sum(axis=0) <= 0] = 0
        changed = scan[top != 0]
        if changed.size == 0:
            continue
        nearest = float(np.min(np.abs(changed - w[j])))
        assert name in flips, (name, nearest)
        assert abs(flips[name] - w[j]) <= nearest + STEP + 1e-6  # reported on the first 0.01 step past the change
