"""The arena's gap, cadence and category figures, on real rows whose results are worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from llmcompare.catalog import arena
from llmcompare.charts import arena as charts_arena
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS
from tests.arena_seed import arena_seed

SOURCE = "LMArena text leaderboard as committed on 2025-03-07 (lmarena/arena-catalog)"


def board(rows, as_of="2025-03-07", source_id="lmarena-catalog-2025-03-07"):
    """One arena version as arena_versions returns it: (model, access, score, release date or None)."""
    frame = pd.DataFrame(rows, columns=["model", "access", "score", "release_date"])
    return frame.assign(
        model_id=frame["model"].str.lower(),
        as_of=pd.Timestamp(as_of),
        source_id=source_id,
        source=SOURCE,
        release_date=pd.to_datetime(frame["release_date"]),
    )


# Real ratings of the 2025-03-07 board; release dates as the fixture seed gives them.
MARCH = [
    ("Gemini-1.5-Pro", API_ONLY, 1302.239, "2024-02-15"),
    ("GPT-4o", API_ONLY, 1284.9005, "2024-05-13"),
    ("Claude-3.5-Sonnet", API_ONLY, 1283.5063, "2024-06-20"),
    ("GPT-4o-mini", API_ONLY, 1272.2941, "2024-07-18"),
    ("Qwen2.5-72B-Instruct", OPEN_WEIGHTS, 1257.1935, "2024-09-19"),
    ("Llama-3.1-70B-Instruct", OPEN_WEIGHTS, 1247.6549, "2024-07-23"),
]


def test_gap_in_points_and_months_by_hand():
    gap = arena.gap_over_time(board(MARCH)).iloc[0]
    assert (gap["best_open"], gap["best_closed"]) == ("Qwen2.5-72B-Instruct", "Gemini-1.5-Pro")
    assert gap["gap_points"] == pytest.approx(1302.239 - 1257.1935)  # 45.0455
    # Four closed models rate at least 1257.19; the earliest, Gemini 1.5 Pro, came out 386 days before.
    assert gap["matched_closed"] == "Gemini-1.5-Pro" and gap["date_basis"] == arena.RELEASED
    assert gap["gap_months"] == round(386 / (365.25 / 12), 1) == 12.7


def test_months_fall_back_to_first_seen_on_the_arena():
    rows = [(m, a, s, None if a == API_ONLY else d) for m, a, s, d in MARCH]
    earlier = board([("Gemini-1.5-Pro", API_ONLY, 1300.0, None)], "2024-12-20", "older")
    gap = arena.gap_over_time(pd.concat([earlier, board(rows)], ignore_index=True))
    march = gap[gap["as_of"] == pd.Timestamp("2025-03-07")].iloc[0]
    # Without release dates, Gemini counts from the 2024-12-20 board (77 days earlier), the other closed models from
    # 2025-03-07; the older board has no open model, so it gives no row of its own.
    assert len(gap) == 1
    assert (march["matched_closed"], march["date_basis"]) == ("Gemini-1.5-Pro", arena.FIRST_SEEN)
    assert march["gap_months"] == round(77 / (365.25 / 12), 1) == 2.5


def test_an_open_lead_is_zero_months_and_negative_points():
    rows = [*MARCH, ("DeepSeek-V3", OPEN_WEIGHTS, 1318.2337, "2024-12-26")]
    gap = arena.gap_over_time(board(rows)).iloc[0]
    assert gap["gap_points"] == pytest.approx(1302.239 - 1318.2337)
    assert gap["gap_months"] == 0 and gap["matched_closed"] is None
    chart = charts_arena.gap_chart(arena.gap_over_time(board(rows)))
    assert chart.figure.layout.title.text.startswith("Open weights lead the best closed API by 16 points")


def test_gap_chart_draws_both_sides_and_the_months():
    chart = charts_arena.gap_chart(arena.gap_over_time(board(MARCH)))
    names = [t.name for t in chart.figure.data]
    assert names == ["Best Closed API", "Best Open weights", "Months behind"]
    assert list(chart.figure.data[0].y) == [1302.239] and list(chart.figure.data[2].y) == [12.7]
    assert "trail the best closed API by 45 points and about 13 months" in chart.figure.layout.title.text
    assert SOURCE in chart.caption


def test_cadence_median_months_between_releases():
    releases = pd.DataFrame(
        {
            "model": ["a", "b", "c", "d"],
            "developer": ["Meta", "Meta", "Meta", "Solo"],
            "access": OPEN_WEIGHTS,
            "release_date": pd.to_datetime(["2024-04-18", "2024-07-23", "2024-12-06", "2024-01-01"]),
            "source": "Epoch",
        }
    )
    table = arena.cadence(releases)
    assert list(table["developer"]) == ["Meta"]  # Solo has one release, under the three needed
    # Gaps of 96 and 136 days: the median is 116 days, 3.8 months.
    assert table.iloc[0]["median_months"] == round(116 / (365.25 / 12), 1) == 3.8
    chart = charts_arena.cadence_chart(releases, table)
    assert list(chart.figure.data[0].y) == ["Meta (3, every 3.8 mo)"] * 3


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("arena")
    eng = make_engine(f"sqlite:///{folder / 'arena.db'}")
    build_db(eng, arena_seed(folder))
    yield eng
    eng.dispose()


def test_store_versions_give_the_same_gap(engine):
    gap = arena.gap_over_time(arena.arena_versions(engine)).set_index("as_of")
    march = gap.loc[pd.Timestamp("2025-03-07")]
    assert (march["best_open"], march["best_closed"]) == ("Qwen2.5 72B Instruct", "Gemini 1.5 Pro")
    assert march["gap_points"] == pytest.approx(45.0455) and march["gap_months"] == 12.7
    # DeepSeek-V3 (1314.86) leads Gemini 1.5 Pro (1298.64) on 2025-05-24, and on the 2025-08-04 snapshot (1333, 1320).
    assert gap.loc[pd.Timestamp("2025-05-24"), "gap_points"] == pytest.approx(1298.6427 - 1314.8639)
    assert gap.loc[pd.Timestamp("2025-08-04"), "gap_points"] == pytest.approx(1320 - 1333)


def test_category_scores_keep_intervals_and_groups(engine):
    scores = arena.category_scores(engine, ["deepseek-v3", "gpt-4o"])
    assert set(scores["group"]) == {"Task", "Language", "Domain"}
    french = scores[(scores["model_id"] == "deepseek-v3") & (scores["category"] == "French")].iloc[0]
    assert (french["score"], french["lower"], french["upper"]) == (1349.4821, 1312.7, 1386.3)
    assert french["as_of"].date() == date(2025, 12, 11)
    chart = charts_arena.category_chart(scores)
    deepseek = next(t for t in chart.figure.data if t.name == "DeepSeek-V3")
    i = list(deepseek.y).index("Language · French")
    assert deepseek.error_x.array[i] == pytest.approx(1386.3 - 1349.4821)
    assert deepseek.error_x.arrayminus[i] == pytest.approx(1349.4821 - 1312.7)


def test_no_categories_gives_an_empty_chart_that_says_why(engine):
    chart = charts_arena.category_chart(arena.category_scores(engine, ["olmo-2-13b-instruct"]))
    assert "None of the chosen models" in chart.caption
