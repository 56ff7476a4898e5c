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


def ranked(rows, as_of, source_id):
    """One arena version with developers: (model, developer, access, score)."""
    frame = pd.DataFrame(rows, columns=["model", "developer", "access", "score"])
    return frame.assign(as_of=pd.Timestamp(as_of), source_id=source_id, source=f"LMArena board {as_of}")


# Gamma-1 and Beta-2 tie on 1270: the fourth place goes to Beta-2, first by name.
JANUARY = [
    ("Alpha-1", "Alpha", OPEN_WEIGHTS, 1300.0),
    ("Beta-1", "Beta", API_ONLY, 1290.0),
    ("Alpha-2", "Alpha", API_ONLY, 1280.0),
    ("Gamma-1", "Gamma", OPEN_WEIGHTS, 1270.0),
    ("Beta-2", "Beta", API_ONLY, 1270.0),
    ("Delta-1", "Delta", OPEN_WEIGHTS, 1200.0),
]
FEBRUARY = [(f"Gamma-{i}", "Gamma", OPEN_WEIGHTS, 1250.0 - i) for i in range(3)]


def test_concentration_of_the_top_by_hand():
    versions = pd.concat(
        [ranked(JANUARY, "2025-01-01", "jan"), ranked(FEBRUARY, "2025-02-01", "feb")], ignore_index=True
    )
    table = arena.concentration(versions, sizes=(3, 4, 5, 10)).set_index(["source_id", "top"])
    # Top 3: Alpha 2, Beta 1. HHI = 66.67² + 33.33² = 5555.6.
    top3 = table.loc[("jan", 3)]
    assert (top3["models"], top3["developers"], top3["leader"], top3["leader_models"]) == (3, 2, "Alpha", 2)
    assert top3["leader_share"] == pytest.approx(2 / 3) and top3["hhi"] == 5555.6
    assert (top3["open_models"], top3["closed_models"]) == (1, 2)
    # Top 4: the tie on 1270 is cut by name, so Beta-2 (not Gamma-1) is in; Alpha and Beta tie for the lead.
    top4 = table.loc[("jan", 4)]
    assert (top4["developers"], top4["leader"], top4["leader_share"], top4["hhi"]) == (2, "Alpha, Beta", 0.5, 5000.0)
    assert top4["split"] == "Alpha 2, Beta 2" and top4["open_models"] == 1
    top5 = table.loc[("jan", 5)]
    assert (top5["developers"], top5["leader_share"], top5["hhi"], top5["open_share"]) == (3, 0.4, 3600.0, 0.4)
    # Six models on a board asked for its top 10: the whole board counts. Shares 1/3, 1/3, 1/6, 1/6.
    top10 = table.loc[("jan", 10)]
    assert (top10["models"], top10["developers"], top10["hhi"]) == (6, 4, 2777.8)
    assert top10["split"] == "Alpha 2, Beta 2, Delta 1, Gamma 1" and top10["open_share"] == 0.5
    # One developer holding the whole top is the index's maximum; every row keeps its version's date and source.
    feb = table.loc[("feb", 3)]
    assert (feb["developers"], feb["leader"], feb["leader_share"], feb["hhi"]) == (1, "Gamma", 1.0, 10000.0)
    assert (feb["as_of"], feb["source"]) == (pd.Timestamp("2025-02-01"), "LMArena board 2025-02-01")


def test_concentration_chart_draws_developers_and_shares():
    versions = pd.concat(
        [ranked(JANUARY, "2025-01-01", "jan"), ranked(FEBRUARY, "2025-02-01", "feb")], ignore_index=True
    )
    chart = charts_arena.concentration_chart(arena.concentration(versions, sizes=(4, 10)))
    by_name = {t.name: t for t in chart.figure.data}
    assert list(by_name) == [
        "Developers, top 4",
        "Largest developer's share, top 4",
        "Developers, top 10",
        "Largest developer's share, top 10",
        "Open weights' share, top 4",
    ]
    assert list(by_name["Developers, top 4"].y) == [2, 1] and list(by_name["Developers, top 10"].y) == [4, 1]
    assert list(by_name["Largest developer's share, top 4"].y) == [0.5, 1.0]
    assert list(by_name["Open weights' share, top 4"].y) == [0.25, 1.0]
    # The hover names each developer's count in that version.
    assert by_name["Developers, top 4"].customdata[0][2] == "Alpha 2, Beta 2"
    assert (
        chart.figure.layout.title.text == "On the 2025-02-01 board the top 4 come from 1 developer; the largest holds 3"
    )
    assert "LMArena board 2025-01-01" in chart.caption and "2 early versions rate fewer models" in chart.caption


def test_concentration_chart_without_versions_says_why():
    chart = charts_arena.concentration_chart(arena.concentration(ranked([], "2025-01-01", "none")))
    assert chart.caption == "No dated arena version is in the store."


def test_store_versions_give_the_concentration(engine):
    table = arena.concentration(arena.arena_versions(engine)).set_index(["as_of", "top"])
    # 2025-08-04: ten models; Google, Meta and OpenAI two each, Qwen, Anthropic, DeepSeek and Mistral one each.
    newest = table.loc[(pd.Timestamp("2025-08-04"), 10)]
    assert (newest["models"], newest["developers"], newest["leader"]) == (10, 7, "Google, Meta, OpenAI")
    assert (newest["leader_share"], newest["hhi"], newest["open_models"]) == (0.2, 1600.0, 6)
    assert newest["source"] == "LMArena text leaderboard (2025-08-04)"
    # 2025-03-07 rates nine models: its top 10 and top 20 are the whole board.
    march = table.loc[(pd.Timestamp("2025-03-07"), 20)]
    assert (march["models"], march["developers"], march["hhi"]) == (9, 6, 1851.9)
