"""Provider policy facts (data handling, SLA, certifications, compatibility) as cells of the dimension table.

The facts arrive as a frame with one row per provider and attribute. Each attribute is filed under one article
dimension by the words in its name, so that a new attribute lands somewhere sensible without a code change; an
attribute no rule knows is left out.
"""

from __future__ import annotations

import re

import pandas as pd

from llmcompare import style

# The columns read: provider, attribute, value, basis, source, as_of; provider_name, attribute_label and retrieved
# where the frame has them (llmcompare.catalog.policies.provider_policies).
# First matching rule wins: words in the attribute name -> the dimension it answers.
ATTRIBUTE_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("train",), "data-ownership"),
    (("retention", "retain", "zdr", "zero_data", "residen", "region", "encrypt"), "security-privacy"),
    (("sla", "uptime", "availability", "deprecat", "retire"), "reliability"),
    (("soc", "iso", "hipaa", "baa", "gdpr", "indemn", "certif", "jurisdiction", "country"), "legal-compliance"),
    (("openai_compat", "compatible", "sdk"), "interoperability"),
    (("fine_tun", "finetun", "lora"), "fine-tuning-paths"),
    (("support",), "support"),
    (("like", "download", "derivative", "community"), "community-support"),
)


def dimension_of(attribute: str) -> str | None:
    """The dimension a policy attribute answers, or None when no rule knows it."""
    name = attribute.lower().replace("-", "_").replace(" ", "_")
    return next((dim for words, dim in ATTRIBUTE_RULES if any(w in name for w in words)), None)


def first_word(name: object) -> str:
    """'Google (Google DeepMind)' -> 'google': how provider and developer names are matched."""
    words = re.findall(r"[a-z0-9]+", str(name).lower())
    return words[0] if words else ""


def _statement(row: pd.Series) -> str:
    """'Anthropic: trains on api data: no ...': the provider, the attribute and the value in its own words."""
    name = row.get("provider_name") or row["provider"]
    label = row.get("attribute_label") or str(row["attribute"]).replace("_", " ")
    text = f"{name}: {label}: {row['value']}"
    if style.is_missing(row.get("as_of")) and not style.is_missing(row.get("retrieved")):
        text += f" (page undated; read {row['retrieved']})"
    return text


def policy_by_dimension(policies: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, object]]:
    """(provider key, dimension) -> one combined cell: the statements joined, the oldest date, every source named.

    A row whose basis is `none` (the pages searched did not say) is a gap and is left out. An undated page keeps
    the date it was read, and says so. The cell is a fact only when every row behind it is a sourced, dated fact."""
    if policies is None or policies.empty:
        return {}
    known = policies[policies["basis"].astype(str) != "none"]
    rows = known.assign(
        dimension=known["attribute"].map(lambda a: dimension_of(str(a))),
        key=known["provider"].map(first_word),
        dated=known["as_of"].where(known["as_of"].notna(), known.get("retrieved")),
    ).dropna(subset=["dimension"])
    cells = {}
    for (key, dim), group in rows.groupby(["key", "dimension"], sort=True):
        sourced = group["source"].notna().all() and group["dated"].notna().all()
        cells[(key, dim)] = {
            "value": "; ".join(_statement(r) for _, r in group.iterrows()),
            "basis": "fact" if sourced and (group["basis"].astype(str) == "fact").all() else "proxy",
            "source": "; ".join(dict.fromkeys(str(v) for v in group["source"].dropna())),
            "as_of": min(str(d)[:10] for d in group["dated"].dropna()) if group["dated"].notna().any() else None,
        }
    return cells
