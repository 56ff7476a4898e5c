"""Hybrid cost of ownership, checked against figures worked out by hand."""

from __future__ import annotations

import pytest

from llmcompare.charts.advice import hybrid_chart
from llmcompare.decide.hybrid import Hybrid, break_even_volume, compare_hybrid, hybrid_cost
from llmcompare.decide.tco import ApiOption, SelfHostOption, TcoError, Workload

# $3 input and $15 output per 1M tokens; 75 M input + 25 M output a month, so $6 per 1M blended.
API = ApiOption("API", 3.0, 15.0)
# $2 an hour, 1,000 tokens/s at 50% use: 1.8 M tokens per paid hour; one instance always on; $2,000 a month fixed.
OWN = SelfHostOption("Own", hourly_usd=2.0, tokens_per_s=1000.0, utilisation=0.5, fixed_monthly_usd=2000.0)
LOAD = Workload(75e6, 25e6)


def test_a_mix_bills_the_api_for_its_part_and_the_fleet_for_the_rest():
    # Half self-hosted, a tenth of that falls back: the API serves 55 M tokens ($330), the fleet 45 M, which one
    # instance covers (730 h x $2 = $1,460) plus $2,000 fixed.
    assert hybrid_cost(API, OWN, Hybrid(0.5, 0.1), LOAD.total, LOAD.input_share) == pytest.approx(330 + 1460 + 2000)
    assert hybrid_cost(API, OWN, Hybrid(0.0), LOAD.total, LOAD.input_share) == pytest.approx(600)


def test_break_even_volume_grows_as_less_is_self_hosted():
    # Alone, self-hosting pays above $3,460 / $6 per 1M = 576.67 M tokens (one instance serves up to 1,314 M).
    assert break_even_volume(API, OWN, Hybrid(1.0), LOAD.input_share) == pytest.approx(576.6667e6, rel=1e-6)
    # With 50% self-hosted and 10% of that falling back, 45% is served in house: 576.67 M / 0.45 = 1,281.48 M.
    assert break_even_volume(API, OWN, Hybrid(0.5, 0.1), LOAD.input_share) == pytest.approx(1281.4815e6, rel=1e-6)
    assert break_even_volume(API, OWN, Hybrid(0.0), LOAD.input_share) is None


def test_compare_hybrid_finds_the_cheapest_share():
    result = compare_hybrid(API, OWN, Workload(750e6, 250e6), Hybrid(0.5))
    # At 1,000 M tokens: all API $6,000; all in house one instance ($1,460) + $2,000 = $3,460; half: $3,000 +
    # $3,460 = $6,460, dearer than either end.
    assert result.api_only == pytest.approx(6000) and result.self_only == pytest.approx(3460)
    assert result.monthly == pytest.approx(6460) and result.best_share == 1.0
    assert len(result.by_share) == 21 and result.break_even_tokens == pytest.approx(1153.3333e6, rel=1e-6)
    chart = hybrid_chart(result, 1e9, 0.0)
    assert {t.name for t in chart.figure.data} == {"Hybrid bill", "Cheapest share", "Break-even volume"}


@pytest.mark.parametrize("mix", [Hybrid(1.2), Hybrid(0.5, 1.0), Hybrid(-0.1)])
def test_a_split_out_of_range_gets_a_clear_message(mix):
    with pytest.raises(TcoError, match="share"):
        compare_hybrid(API, OWN, LOAD, mix)
