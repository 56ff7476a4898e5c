"""The sections of a model's fact sheet; each shows its facts with their source and as-of date."""

from __future__ import annotations

from functools import partial

import streamlit as st

from components.shell import ui
from llmcompare import style
from llmcompare.catalog.factsheet import ModelDetail
from llmcompare.catalog.freshness import FACT_DATES, StaleRule, age_days, format_age
from llmcompare.charts import catalog as charts
from llmcompare.store.queries import GRADE_POINTS, current_prices

LICENCE_BADGE = "#5f6368"
FACT_LABELS = {
    "license_id": "licence",
    "release_date": "release date",
    "params_b": "parameters",
    "developer_id": "developer",
}
SCHEME_NAMES = {"eu_osai": "European Open Source AI Index", "ouc": "Opening up ChatGPT (superseded by the EU index)"}


def header(detail: ModelDetail, rule: StaleRule) -> None:
    """Badges, identity line and the headline numbers, each number's source and age in its tooltip."""
    ui.show_badges(ui.access_badge(detail.access), ui.badge_html(detail.license.name, LICENCE_BADGE))
    facts = [detail.developer, detail.family]
    if detail.release_date.value:
        facts.append(f"released {style.format_date(detail.release_date.value)}")
    if not style.is_missing(detail.params_b.value):
        facts.append(f"{detail.params_b.value:,.1f}B parameters")
    st.caption(" · ".join(f for f in facts if f) + " · " + ui.cite(detail.identity.source, detail.identity.as_of))
    row, context = detail.summary, detail.context_window
    note = partial(_note, rule=rule)
    price_note = note(row["price_source"], row["price_as_of"], f"Offered by {row['price_provider']}. ")
    fmti = style.format_number(row["fmti_latest"], suffix="/100")
    metrics = [
        ("Input $/1M", style.format_usd(row["input_usd_per_1m"]), price_note),
        ("Output $/1M", style.format_usd(row["output_usd_per_1m"]), price_note),
        ("Context", _short_tokens(context.value), ui.cite(context.source, context.as_of)),
        ("Arena score", style.format_number(row["arena_score"]), note(row["arena_source"], row["arena_as_of"])),
        (
            "Openness",
            style.format_number(row["openness"], suffix="%"),
            note(row["openness_source"], row["openness_as_of"]),
        ),
        ("FMTI", fmti, note(row["fmti_source"], row["fmti_as_of"], "Developer transparency. ")),
    ]
    for col, (label, value, help_text) in zip(st.columns(len(metrics)), metrics, strict=True):
        col.metric(label, value, help=help_text, border=True)
    _stale_warning(row, rule)
    _overrides(detail)


def _overrides(detail: ModelDetail) -> None:
    """Where a reviewed correction replaced what a source said, with the reason and the evidence."""
    for o in detail.overrides:
        was = "" if o.source_value is None else f" The source said {o.source_value}."
        now = "removed (no source gives it correctly)" if o.value is None else f"set to {o.value}"
        st.info(
            f"**Corrected {FACT_LABELS.get(o.fact, o.fact)}:** {now}.{was} {o.reason} "
            f'Evidence: [{o.evidence_url}]({o.evidence_url}), "{o.evidence_quote}"',
            icon=":material/fact_check:",
        )


def _stale_warning(row, rule: StaleRule) -> None:
    """Name each headline fact past the threshold, with its date and age."""
    stale = [
        f"{name} ({style.format_date(row[column])}, {format_age(age_days(row[column], rule.today))} old)"
        for name, column in FACT_DATES.items()
        if rule.is_stale(row[column])
    ]
    if stale:
        st.warning(
            f"Older than {rule.after_days} days: {', '.join(stale)}. Check the source before relying on them, or "
            "import a newer edition on the Import & audit page.",
            icon=":material/schedule:",
        )


def _short_tokens(value: object) -> str:
    return style.format_tokens(value).removesuffix(" tokens")


def _note(ref: object, as_of: object, lead: str = "", *, rule: StaleRule) -> str | None:
    """A metric tooltip naming the source, date and age, or None when the fact is missing."""
    if style.is_missing(ref):
        return None
    return f"{lead}Source: {ref}, as of {style.format_date(as_of)}{rule.note(as_of)}"


def licence(detail: ModelDetail) -> None:
    """Structured licence terms, the summary and a link to the full text."""
    terms = detail.license
    st.subheader("Licence terms")
    left, right = st.columns([3, 2])
    rows = {
        "Licence": terms.name + (f" (SPDX `{terms.spdx_id}`)" if terms.spdx_id else ""),
        "Commercial use": style.COMMERCIAL_LABELS.get(terms.commercial_use, terms.commercial_use),
        "User threshold": style.format_users(terms.user_threshold_mau),
        "Acceptable use policy": "Applies" if terms.use_policy else "None",
        "Modification": style.PERMISSION_LABELS.get(terms.modification, terms.modification),
        "Redistribution": style.PERMISSION_LABELS.get(terms.redistribution, terms.redistribution),
        "Attribution": terms.attribution or "Not required",
        "OSI-approved": "Yes" if terms.osi_approved else "No",
    }
    left.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows.items()))
    right.info(terms.summary, icon=":material/gavel:")
    if terms.text_url:
        right.link_button("Read the licence text", terms.text_url, icon=":material/open_in_new:")
    ui.caption_source(terms.source, terms.as_of)


def prices(detail: ModelDetail, rule: StaleRule) -> None:
    """Current price per offering with its age, then the history of every dated point."""
    st.subheader("Prices")
    if detail.prices.empty:
        ui.empty_state("No list price is recorded for this model.", icon=":material/money_off:")
        return
    now = current_prices(detail.prices)
    now = now.assign(
        first_party=now["first_party"].map({True: "Developer", False: "Third party"}), age=now["as_of"].map(rule.age)
    )
    columns = ["provider", "first_party", "input_usd_per_1m", "output_usd_per_1m", "cached_input_usd_per_1m"]
    columns += ["context_window", "as_of", "age", "source", "source_url", "offering"]
    if now["cached_input_usd_per_1m"].isna().all():
        columns.remove("cached_input_usd_per_1m")
    config = {
        "provider": "Provider",
        "first_party": "Sold by",
        "input_usd_per_1m": st.column_config.NumberColumn("Input $/1M", format="$%.3f"),
        "output_usd_per_1m": st.column_config.NumberColumn("Output $/1M", format="$%.3f"),
        "cached_input_usd_per_1m": st.column_config.NumberColumn("Cached input $/1M", format="$%.3f"),
        "context_window": st.column_config.NumberColumn("Context", format="localized"),
        "offering": st.column_config.TextColumn("Offering id", width="medium"),
        **ui.SOURCE_COLUMNS,
        "age": st.column_config.TextColumn("Age", help=f"Marked stale past {rule.after_days} days."),
    }
    for flagged in now[now["artefact"].notna()].itertuples():
        st.warning(
            f"{flagged.offering}: listed at {style.format_usd(flagged.input_usd_per_1m)} in / "
            f"{style.format_usd(flagged.output_usd_per_1m)} out per 1M tokens, kept as the source lists it but left "
            f"out of the price shown above, the price-vs-quality frontier, the advisor and cost of ownership: "
            f"{flagged.artefact}.",
            icon=":material/price_change:",
        )
    st.caption("Newest list price of each offering. The download holds every dated price point.")
    ui.show_table(
        now[columns], f"{detail.model_id}-prices", download=detail.prices, key="model.prices", column_config=config
    )
    ui.show_fig(charts.price_history_chart(detail.prices, detail.access), key="model.price_history")


def openness(detail: ModelDetail) -> None:
    """Openness grades per dimension, one table per index, with evidence links."""
    st.subheader("Openness")
    if detail.openness.empty:
        ui.empty_state("No openness index has graded this model.", icon=":material/help:")
        return
    for scheme, grades in detail.openness.groupby("scheme", sort=False):
        graded = grades["grade"].dropna()
        counts = " · ".join(f"{(graded == g).sum()} {g}" for g in GRADE_POINTS)
        st.markdown(
            f"**{SCHEME_NAMES.get(scheme, scheme)}** ({grades['system_name'].iloc[0]}): "
            f"**{graded.map(GRADE_POINTS).mean() * 100:.0f}%** over {len(graded)} graded dimensions ({counts})"
        )
        shown = grades.assign(
            dimension=grades["dimension"].map(style.dimension_label), grade=ui.as_pill(grades["grade"])
        )
        config = {
            "dimension": "Dimension",
            "grade": st.column_config.MultiselectColumn(
                "Grade", options=list(style.GRADE_COLORS), color=list(style.GRADE_COLORS.values())
            ),
            "evidence_url": st.column_config.LinkColumn("Evidence", display_text=":material/open_in_new:"),
        }
        with st.expander(f"Grades for each of the {len(grades)} dimensions"):
            st.dataframe(
                shown[["dimension", "grade", "evidence_url"]],
                hide_index=True,
                column_config=config,
                key=f"model.openness.{scheme}",
                placeholder="–",
                height="content",
            )
        ui.caption_source(
            ui.source_of(grades), grades["as_of"].max(), lead="Grades: open 1, partial ½, closed 0. Source"
        )


def transparency(detail: ModelDetail) -> None:
    """The developer's FMTI scores per edition, with the 2025 caveat."""
    st.subheader(f"Developer transparency: {detail.developer}")
    scores = detail.transparency
    if scores.empty:
        ui.empty_state("The Foundation Model Transparency Index has not scored this developer.", icon=":material/help:")
        return
    ui.show_fig(charts.transparency_chart(scores), key="model.fmti")
    st.caption(
        "The index scores the developer's flagship model at the time, not necessarily this model. The 2025 "
        "edition uses a new set of 100 indicators, so compare its totals with earlier editions with care."
    )
    meta = scores.drop_duplicates("edition")[["edition", "as_of", "source", "source_url"]]
    table = meta.merge(scores.pivot(index="edition", columns="domain", values="score").reset_index(), on="edition")
    order = ["edition", "Total", "Upstream", "Model", "Downstream", "as_of", "source", "source_url"]
    config = {"edition": "Edition", **ui.SOURCE_COLUMNS}
    st.dataframe(table[[c for c in order if c in table]], hide_index=True, column_config=config, key="model.fmti.table")


def benchmarks(detail: ModelDetail) -> None:
    st.subheader("Benchmarks")
    if detail.benchmarks.empty:
        ui.empty_state("No benchmark results are recorded for this model.", icon=":material/help:")
        return
    score = st.column_config.NumberColumn("Score", format="%.1f")
    config = {"benchmark": "Benchmark", "score": score, "unit": "Unit", "setting": "Setting", **ui.SOURCE_COLUMNS}
    st.dataframe(detail.benchmarks, hide_index=True, column_config=config, key="model.benchmarks")


def aliases(detail: ModelDetail) -> None:
    st.subheader("Names used by each source")
    if detail.aliases.empty:
        st.caption("No other names recorded.")
        return
    config = {"scheme": "Source", "name": "Name there"}
    st.dataframe(detail.aliases, hide_index=True, column_config=config, key="model.aliases")
