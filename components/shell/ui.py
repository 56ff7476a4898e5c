"""Display helpers: figures, tables with CSV, XLSX and JSON downloads, access badges and source captions."""

from __future__ import annotations

import re
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from llmcompare import style
from llmcompare.exports.tables import FORMATS, MIME, frame_bytes
from llmcompare.reports.chromium import find_chromium
from llmcompare.reports.figures import IMAGE_FORMATS, figure_image
from llmcompare.store.models import ACCESS_TYPES
from llmcompare.store.queries import SourceRef

# A translucent tint reads on light and dark themes alike.
BEST_CELL_CSS = "background-color: rgba(46, 139, 87, 0.22); font-weight: 600"
# Column settings for the source, link and as-of columns that every fact table carries.
SOURCE_COLUMNS = {
    "source": st.column_config.TextColumn("Source"),
    "source_url": st.column_config.LinkColumn("", display_text=":material/open_in_new:", width="small"),
    "as_of": st.column_config.DateColumn("As of", format="YYYY-MM-DD"),
}

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def show_fig(fig: go.Figure, key: str | None = None) -> None:
    """Render a figure with the app's shared plotly config; keyed figures also get PNG and SVG downloads."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch")
    if key is None or find_chromium() is None:
        return
    row = st.container(horizontal=True)
    for fmt in IMAGE_FORMATS:
        row.download_button(
            fmt.upper(),
            lambda fmt=fmt: figure_image(fig, fmt),  # drawn only when clicked: kaleido takes seconds
            file_name=f"{key.replace('.', '-')}.{fmt}",
            mime="image/png" if fmt == "png" else "image/svg+xml",
            icon=":material/image:",
            key=f"{key}.{fmt}",
            on_click="ignore",
            type="tertiary",
        )


def show_table(
    df: pd.DataFrame,
    download_name: str,
    *,
    download: pd.DataFrame | None = None,
    key: str | None = None,
    max_rows: int | None = None,
    **dataframe_args,
):
    """A read-only table plus CSV, XLSX and JSON downloads of `download` (default: the table); returns its value.

    max_rows: show only the first rows (every row travels to the browser on each rerun), and say so; the
    downloads still hold them all."""
    head = df if max_rows is None or len(df) <= max_rows else df.head(max_rows)
    shown = st.dataframe(head, hide_index=True, key=key, placeholder="–", **dataframe_args)
    if len(head) < len(df):
        st.caption(f"The table shows the first {len(head):,} of {len(df):,} rows; the downloads hold them all.")
    download_table(df if download is None else download, download_name, key=f"{key or download_name}.download")
    return shown


def download_table(df: pd.DataFrame, download_name: str, key: str) -> None:
    """CSV, XLSX and JSON download buttons (spreadsheets formula-safe) that do not rerun the page.

    The files are written only when a button is clicked: an XLSX of 47,000 rows takes a minute, so building all
    three on every rerun would make a big table's page unusable. The CSV button keeps `key`; the others add their
    format to it."""
    row = st.container(horizontal=True)
    for fmt in FORMATS:
        row.download_button(
            f"Download {fmt.upper()}",
            lambda fmt=fmt: frame_bytes(df, fmt),
            file_name=f"{download_name}.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            key=key if fmt == "csv" else f"{key}.{fmt}",
            on_click="ignore",
        )


def badge_html(label: str, color: str) -> str:
    """A solid pill with white text: readable on light and dark backgrounds alike."""
    return (
        f'<span style="background:{color};color:#fff;border-radius:0.75rem;padding:0.15rem 0.6rem;'
        f'font-size:0.8rem;font-weight:600;white-space:nowrap">{escape(label)}</span>'
    )


def fill_css(color: str) -> str:
    """Styler CSS for a cell filled like a badge."""
    return f"background-color: {color}; color: #fff; font-weight: 600"


def markdown_link(text: str, url: str | None) -> str:
    """A Markdown link for st.table cells, or the bare text when there is no URL."""
    if not url or style.is_missing(url):
        return text
    return f"[{text.replace('[', '(').replace(']', ')')}]({url.replace(' ', '%20').replace(')', '%29')})"


def access_badge(access: str) -> str:
    """The access badge in the one colour used for this access type everywhere."""
    return badge_html(style.access_label(access), style.access_color(access))


def show_badges(*badges: str) -> None:
    """Badges in one row; the HTML is built here from escaped labels only."""
    st.markdown("&nbsp;".join(badges), unsafe_allow_html=True)


def access_column(label: str = "Access", **kwargs) -> st.column_config.Column:
    """A table column that shows the access type as a pill in its palette colour; cells must be one-item lists."""
    return st.column_config.MultiselectColumn(
        label,
        options=[style.access_label(a) for a in ACCESS_TYPES],
        color=[style.access_color(a) for a in ACCESS_TYPES],
        **kwargs,
    )


def as_pill(values: pd.Series) -> pd.Series:
    """Wrap each value in a one-item list so a MultiselectColumn can colour it."""
    return values.map(lambda v: [] if style.is_missing(v) else [v])


def cite(source: SourceRef | None, as_of: date | None, lead: str = "Source") -> str:
    """'Source: [title](url) · as of 2024-12-24' as Markdown."""
    parts = [f"{lead}: {markdown_link(source.title, source.url)}" if source else f"{lead}: not recorded"]
    if not style.is_missing(as_of):
        parts.append(f"as of {style.format_date(as_of)}")
    return " · ".join(parts)


def source_of(frame: pd.DataFrame) -> SourceRef | None:
    """The source of a table whose rows share one, from its source and source_url columns."""
    if frame.empty:
        return None
    first = frame.iloc[0]
    url = None if style.is_missing(first["source_url"]) else first["source_url"]
    return SourceRef(first["source"], url, url or first["source"])


def caption_source(source: SourceRef | None, as_of: date | None, lead: str = "Source") -> None:
    """A small line under a section naming its source and date."""
    st.caption(cite(source, as_of, lead))


def empty_state(message: str, icon: str = ":material/search_off:") -> None:
    """A friendly note instead of an empty table."""
    st.info(message, icon=icon)


# An unescaped "![" (after an even run of backslashes) starts a Markdown image, which the browser would fetch.
IMAGE_START = re.compile(r"(?<!\\)((?:\\\\)*)!\[")


def inert_markdown(text: str) -> str:
    """Text from a model, a URL or a file as Markdown that fetches nothing: images show as their characters "![x](u)".

    Streamlit already shows raw HTML as text (unsafe_allow_html is off), so images are what is left to neutralise;
    the rest of Markdown (lists, code, emphasis) still renders, which suits model answers.
    """
    return IMAGE_START.sub(r"\1!\\[", text)
