"""Provider policy facts (data handling, SLA, certifications, compatibility) as cells of the dimension table.

The facts arrive as a frame with the columns provider, attribute, value, basis, source, as_of, quote: one row per
provider and attribute. Each attribute is filed under one article dimension by the words in its name, so that a
new attribute lands somewhere sensible without a code change; an attribute no rule knows is left out.
"""

from __future__ import annotations

import re

import pandas as pd

POLICY_COLUMNS = ["provider", "attribute", "value", "basis", "source", "as_of", "quote"]
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


def policy_by_dimension(policies: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, object]]:
    """(provider key, dimension) -> one combined cell: the values joined, the oldest date, every source named.

    The cell is a fact only when every row behind it is a fact with a source and a date."""
    if policies is None or policies.empty:
        return {}
    rows = policies.assign(
        dimension=policies["attribute"].map(lambda a: dimension_of(str(a))),
        key=policies["provider"].map(first_word),
    ).dropna(subset=["dimension"])
    cells = {}
    for (key, dim), group in rows.groupby(["key", "dimension"], sort=True):
        sourced = group["source"].notna().all() and group["as_of"].notna().all()
        facts_only = (group["basis"].astype(str) == "fact").all() and sourced
        cells[(key, dim)] = {
            "value": "; ".join(
                f"{a.replace('_', ' ')}: {v}" for a, v in zip(group["attribute"], group["value"], strict=True)
            ),
            "basis": "fact" if facts_only else "proxy",
            "source": "; ".join(dict.fromkeys(str(s) for s in group["source"].dropna())),
            "as_of": min(str(d) for d in group["as_of"].dropna()) if group["as_of"].notna().any() else None,
            "provider": str(group["provider"].iloc[0]),
        }
    return cells
