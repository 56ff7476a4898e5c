"""The "Data handling" provider matrix: API providers against their data and service terms, like the licence matrix."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from llmcompare import style
from llmcompare.charts.catalog import empty_figure, frame_layout
from llmcompare.charts.chart import Chart

# For these attributes "no" is the answer that protects the customer's data; for the rest it is "yes".
NO_IS_GOOD = frozenset({"trains_on_api_data", "retention"})
NOT_FOUND, AGAINST, CONDITIONAL, FOR = 0, 1, 2, 3
LEVEL_COLORS = {
    NOT_FOUND: "#F2F2F2",
    AGAINST: style.GRADE_COLORS["closed"],
    CONDITIONAL: style.GRADE_COLORS["partial"],
    FOR: style.GRADE_COLORS["open"],
}
# A discrete scale: each level gets one flat band of colour.
LEVEL_SCALE = [pair for level, color in LEVEL_COLORS.items() for pair in ([level / 4, color], [(level + 1) / 4, color])]
ANSWER_WORDS = {"yes": "Yes", "no": "No", "conditional": "Conditions"}
NOT_FOUND_WORD = "not found"
CAPTION = (
    "Each cell quotes a stored public page: the provider's own docs, terms or trust centre, or where none was "
    "found, a third-party page that quotes or summarises them (hover for the page, its date and the quote). "
    "Green: the answer that protects the customer (no training or retention by default; yes for the other "
    "terms). Amber: with conditions (on approval, on request, some plans). Grey: the other answer. Light: not "
    "found in the pages searched, which is a gap, not a no. The maintainers' reading; not legal advice."
)


def cell_level(attribute: str, basis: str, answer: str | None) -> int:
    """The colour level of one cell: not found, against the customer, with conditions, or for the customer."""
    if basis != "fact" or answer not in ANSWER_WORDS:
        return NOT_FOUND
    if answer == "conditional":
        return CONDITIONAL
    good = "no" if attribute in NO_IS_GOOD else "yes"
    return FOR if answer == good else AGAINST


def _hover(row: pd.Series) -> str:
    if row["basis"] != "fact":
        return f"<b>{row['provider_name']}</b> · {row['attribute_label']}<br>{row['value']}"
    day = row["as_of"].isoformat() if not style.is_missing(row["as_of"]) else "page undated"
    quote = "<br>".join(textwrap.wrap(f"“{row['quote']}”", 70, max_lines=4, placeholder=" …”"))
    return (
        f"<b>{row['provider_name']}</b> · {row['attribute_label']}<br>{row['value']}<br>"
        f"<i>{quote}</i><br>{row['source']} ({day})"
    )


def _wrap(label: str) -> str:
    """Column labels on short lines (hyphenated words may break after the hyphen), so eleven columns fit."""
    lines = textwrap.wrap(label.replace("-", "- "), 12, break_long_words=False)
    return "<br>".join(line.replace("- ", "-") for line in lines)


def _cell(cells: pd.DataFrame, provider: str, label: str) -> tuple[float, str, str]:
    """Colour position (the middle of its band), word and hover text of one provider x attribute cell."""
    if (provider, label) not in cells.index:
        return NOT_FOUND + 0.5, NOT_FOUND_WORD, f"{provider} · {label}"
    row = pd.concat([cells.loc[(provider, label)], pd.Series({"provider_name": provider, "attribute_label": label})])
    level = cell_level(row["attribute"], row["basis"], row["answer"])
    word = ANSWER_WORDS[row["answer"]] if level != NOT_FOUND else NOT_FOUND_WORD
    return level + 0.5, word, _hover(row)


def data_handling_matrix(policies: pd.DataFrame) -> Chart:
    """Providers (rows) against data-handling and service attributes (columns), one coloured cell each."""
    if policies.empty:
        return Chart(empty_figure("No provider terms to show."), CAPTION)
    providers = list(dict.fromkeys(policies["provider_name"]))
    labels = list(dict.fromkeys(policies["attribute_label"]))
    cells = policies.set_index(["provider_name", "attribute_label"])
    grid = [[_cell(cells, provider, label) for label in labels] for provider in providers]
    z = [[c[0] for c in row] for row in grid]
    text = [[c[1] for c in row] for row in grid]
    hover = [[c[2] for c in row] for row in grid]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(label) for label in labels],
            y=providers,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            zmin=0,
            zmax=4,
            colorscale=LEVEL_SCALE,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(side="top", title=None, tickangle=0)
    facts = int((policies["basis"] == "fact").sum())
    title = f"How does each API provider handle your data? ({facts} of {len(policies)} cells sourced)"
    fig = frame_layout(fig, title, height=180 + 34 * len(providers))
    return Chart(fig.update_layout(margin={"t": 150}), CAPTION)
