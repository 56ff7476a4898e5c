"""Win rates and Bradley-Terry scores from blind votes: hand-computed cases and properties."""

import math

import numpy as np
import pandas as pd
import pytest

from llmcompare.playground.votes import (
    ELO_BASE,
    ELO_SCALE,
    MIN_VOTES,
    bradley_terry,
    comparable_votes,
    fit_strengths,
    summarise,
    to_elo,
    win_rates,
)


def votes(*rows):
    """Rows of (winner, model_a, model_b)."""
    return pd.DataFrame(rows, columns=["winner", "model_a", "model_b"])


def by_model(frame):
    return frame.set_index("model")


def test_win_rates_count_ties_half_and_both_bad_apart():
    table = by_model(
        win_rates(votes(("a", "X", "Y"), ("a", "X", "Y"), ("b", "X", "Y"), ("tie", "Y", "X"), ("both_bad", "X", "Y")))
    )
    assert table.loc["X"][["votes", "wins", "losses", "ties", "both_bad"]].tolist() == [5, 2, 1, 1, 1]
    assert table.loc["Y"][["votes", "wins", "losses", "ties", "both_bad"]].tolist() == [5, 1, 2, 1, 1]
    assert table.loc["X", "win_rate"] == pytest.approx(2.5 / 4)
    assert table.loc["Y", "win_rate"] == pytest.approx(1.5 / 4)


def test_a_model_with_only_both_bad_votes_has_no_win_rate_and_self_matches_are_ignored():
    table = by_model(win_rates(votes(("both_bad", "X", "Y"), ("a", "Z", "Z"))))
    assert set(table.index) == {"X", "Y"}
    assert math.isnan(table.loc["X", "win_rate"]) and table.loc["X", "both_bad"] == 1


def test_bradley_terry_matches_the_closed_form_for_two_models():
    # 3 wins to 1: the maximum-likelihood odds are 3, so the scores are 400*log10(3) apart, centred on 1000.
    theta = fit_strengths(np.array([0, 0, 0, 0]), np.array([1, 1, 1, 1]), np.array([1, 1, 1, 0.0]), 2, l2=0)
    scores = to_elo(theta)
    assert scores[0] - scores[1] == pytest.approx(400 * math.log10(3))
    assert scores.mean() == pytest.approx(ELO_BASE)


def test_ties_count_half_a_win_in_the_fit():
    # one win and two ties for A: 2 "wins" to 1, so odds of 2.
    theta = fit_strengths(np.array([0, 0, 0]), np.array([1, 1, 1]), np.array([1, 0.5, 0.5]), 2, l2=0)
    assert (theta[0] - theta[1]) * ELO_SCALE == pytest.approx(400 * math.log10(2))


def test_three_models_in_a_consistent_order_are_ranked_that_way():
    rows = [("a", "strong", "middle")] * 4 + [("b", "strong", "middle")]
    rows += [("a", "middle", "weak")] * 4 + [("b", "middle", "weak")]
    rows += [("a", "strong", "weak")] * 5
    scores = bradley_terry(votes(*rows), rounds=50)
    assert scores["model"].tolist() == ["strong", "middle", "weak"]


def test_both_bad_votes_do_not_move_the_scores():
    base = [("a", "X", "Y")] * 6 + [("b", "X", "Y")] * 4 + [("tie", "X", "Y")] * 2
    plain = bradley_terry(votes(*base), rounds=30)
    padded = bradley_terry(votes(*base, *[("both_bad", "X", "Y")] * 7), rounds=30)
    pd.testing.assert_frame_equal(plain, padded)


def test_scores_do_not_depend_on_which_side_a_model_was_shown_on():
    rows = [("a", "X", "Y")] * 7 + [("b", "X", "Y")] * 3 + [("tie", "Y", "Z")] * 2 + [("a", "Z", "X")] * 2
    mirrored = [({"a": "b", "b": "a"}.get(w, w), b, a) for w, a, b in rows]
    first = bradley_terry(votes(*rows), rounds=5).set_index("model")["score"]
    second = bradley_terry(votes(*mirrored), rounds=5).set_index("model")["score"]
    pd.testing.assert_series_equal(first.sort_index(), second.sort_index())


def test_bootstrap_is_seeded_and_its_interval_holds_the_estimate():
    rows = [("a", "X", "Y")] * 8 + [("b", "X", "Y")] * 5 + [("tie", "X", "Y")] * 3
    once, again = bradley_terry(votes(*rows), seed=7), bradley_terry(votes(*rows), seed=7)
    pd.testing.assert_frame_equal(once, again)
    assert ((once["low"] <= once["score"]) & (once["score"] <= once["high"])).all()
    assert not once.equals(bradley_terry(votes(*rows), seed=8))


def test_a_model_that_never_lost_still_gets_a_finite_score():
    scores = bradley_terry(votes(*[("a", "X", "Y")] * 10), rounds=20)
    assert np.isfinite(scores[["score", "low", "high"]].to_numpy()).all()
    assert scores["model"].tolist() == ["X", "Y"]


def test_scores_wait_for_enough_comparable_votes_and_say_how_many_more():
    few = votes(*[("a", "X", "Y")] * (MIN_VOTES - 3), *[("both_bad", "X", "Y")] * 5)
    summary = summarise(few)
    assert summary.scores is None
    assert (summary.comparable, summary.needed) == (MIN_VOTES - 3, 3)
    assert len(summary.win_rates) == 2
    enough = summarise(votes(*[("a", "X", "Y")] * MIN_VOTES))
    assert enough.scores is not None and enough.needed == 0


def test_no_votes_at_all():
    summary = summarise(votes())
    assert summary.win_rates.empty and summary.scores is None and summary.needed == MIN_VOTES
    assert comparable_votes(votes()).empty


def test_chart_labels_from_runs_are_escaped_so_plotly_draws_no_tags():
    from llmcompare.charts import advice as charts_advice
    from llmcompare.charts import votes as charts_votes

    hostile = "<b>m</b> & <a href='x'>"
    rates = win_rates(votes(("a", hostile, "plain"), ("tie", hostile, "plain")))
    bars = charts_votes.win_rate_chart(rates).data[0]
    assert "&lt;b&gt;m&lt;/b&gt; &amp; &lt;a href='x'&gt;" in list(bars.y)
    sides = pd.DataFrame(
        {
            "run_id": [1, 1],
            "position": [0, 1],
            "model_name": [hostile, "plain"],
            "ttft_s": [0.1, 0.2],
            "tokens_per_s": [5.0, 6.0],
            "cost_usd": [None, 0.01],
            "error": [None, None],
            "access": [None, None],
        }
    )
    run_votes = pd.DataFrame({"run_id": [1], "winner": ["a"]})
    assert all("<b>" not in str(y) for y in charts_advice.win_rate_bars(sides, run_votes).figure.data[0].y)
    assert all("<b>" not in str(t.y[0]) for t in charts_advice.run_metrics(sides).figure.data)
