"""Cost of ownership: hand-computed bills and break-even volumes, the hardware file, and where the curves meet."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmcompare.decide import tco
from llmcompare.decide.tco import ApiOption, SelfHostOption, TcoError, Workload

API = ApiOption("Closed", 2.5, 10.0)  # $4.375 per 1M tokens at 3 input : 1 output
SHARE = 0.75
# $2 an hour, 1,000 tokens/s busy half the time: 1.8M tokens per paid hour, 1.314B a month on one instance.
OWN = SelfHostOption("Own", hourly_usd=2.0, tokens_per_s=1000, utilisation=0.5, fixed_monthly_usd=1000)


def test_api_bill():
    assert tco.api_cost(API, 1e6, SHARE) == pytest.approx(4.375)
    assert tco.api_cost(API, np.array([0, 2e6]), 0.5).tolist() == pytest.approx([0.0, 12.5])


def test_self_hosted_bill_is_flat_until_the_minimum_fleet_is_full():
    assert tco.self_hosted_cost(OWN, 0) == pytest.approx(730 * 2 + 1000)
    assert tco.self_hosted_cost(OWN, 1e9) == pytest.approx(2460)
    assert tco.self_hosted_cost(OWN, 2 * 1.314e9) == pytest.approx(2 * 730 * 2 + 1000)
    assert tco.instances_needed(OWN, 2 * 1.314e9) == pytest.approx(2.0)


def test_break_even_on_the_flat_part():
    volume = tco.break_even(API, OWN, SHARE)
    assert volume == pytest.approx(2460 / 4.375e-6)  # 562.3M tokens, before the first instance is full


def test_break_even_on_the_rising_part():
    costly = SelfHostOption("Own", 2.0, 1000, 0.5, fixed_monthly_usd=10_000)
    volume = tco.break_even(API, costly, SHARE)
    assert volume == pytest.approx(10_000 / (4.375e-6 - 2 / 1.8e6))  # 3.06B tokens, past one instance's 1.314B
    assert tco.api_cost(API, volume, SHARE) == pytest.approx(tco.self_hosted_cost(costly, volume))


def test_no_break_even_when_the_api_is_cheaper_per_token():
    assert tco.break_even(ApiOption("Cheap", 0.1, 0.1), OWN, SHARE) is None


def test_free_hardware_breaks_even_at_zero():
    free = SelfHostOption("Free", 0.0, 100, 1.0)
    assert tco.break_even(API, free, SHARE) == 0.0


@pytest.mark.parametrize(
    ("option", "workload", "message"),
    [
        (SelfHostOption("x", 1, 0, 0.5), Workload(1, 1), "Throughput"),
        (SelfHostOption("x", 1, 10, 0), Workload(1, 1), "Utilisation"),
        (SelfHostOption("x", 1, 10, 1.5), Workload(1, 1), "Utilisation"),
        (SelfHostOption("x", -1, 10, 0.5), Workload(1, 1), "negative"),
        (OWN, Workload(-5, 1), "negative"),
    ],
)
def test_bad_inputs_are_refused(option, workload, message):
    with pytest.raises(TcoError, match=message):
        tco.compare_costs(API, option, workload)


def test_compare_costs_at_the_users_volume():
    load = Workload(input_tokens=300e6, output_tokens=100e6)
    result = tco.compare_costs(API, OWN, load)
    assert result.api_monthly == pytest.approx(400 * 4.375)
    assert result.self_monthly == pytest.approx(2460)
    assert result.instances == pytest.approx(1.0)
    assert result.curves["tokens"].min() < load.total < result.curves["tokens"].max()
    assert result.curves["tokens"].min() < result.break_even_tokens < result.curves["tokens"].max()
    assert any("Not included" in line for line in result.assumptions)
    assert any("75% input" in line for line in result.assumptions)


def test_hardware_file_keeps_the_sourced_prices_and_labels_the_rates_as_assumptions():
    table = tco.load_hardware()
    h100 = table.get("nvidia-h100-sxm5-80gb")
    assert (h100.purchase_usd, h100.memory_gb, h100.release_date) == (33600, 80, date(2022, 9, 20))
    assert h100.hourly_usd == pytest.approx(33600 / (3 * 8760) * 2, abs=0.005)
    assert table.as_of == date(2025, 12, 24) and "epoch.ai" in table.attribution
    assert all(h.hourly_basis.startswith("assumption") for h in table.rows)
    cpu = table.get("cpu-server")
    assert cpu.purchase_usd is None and cpu.hourly_usd == 0.4


def test_cards_needed_for_the_weights():
    assert tco.gpus_for(70, 80) == 3  # 70B x 2 bytes x 1.2 = 168 GB
    assert tco.gpus_for(8, 24) == 1
    assert tco.gpus_for(None, 80) is None
    assert tco.gpus_for(7, None) is None


positive = st.floats(0.01, 1e3, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    api_in=positive,
    api_out=positive,
    hourly=positive,
    speed=st.floats(1, 1e5),
    utilisation=st.floats(0.05, 1.0),
    fixed=st.floats(0, 1e5),
    instances=st.sampled_from([0.0, 1.0, 2.0]),
    share=st.floats(0, 1),
)
def test_break_even_is_where_the_curves_meet(api_in, api_out, hourly, speed, utilisation, fixed, instances, share):
    api = ApiOption("api", api_in, api_out)
    own = SelfHostOption("own", hourly, speed, utilisation, fixed, instances)
    volume = tco.break_even(api, own, share)
    probes = np.logspace(3, 15, 25)
    if volume is None:
        assert (tco.api_cost(api, probes, share) <= tco.self_hosted_cost(own, probes) * (1 + 1e-9)).all()
        return
    api_bill, own_bill = tco.api_cost(api, volume, share), tco.self_hosted_cost(own, volume)
    assert api_bill == pytest.approx(own_bill, rel=1e-6, abs=1e-6)
    below, above = probes[probes < volume * 0.999], probes[probes > volume * 1.001]
    assert (tco.api_cost(api, below, share) <= tco.self_hosted_cost(own, below)).all()
    assert (tco.api_cost(api, above, share) >= tco.self_hosted_cost(own, above)).all()
