"""Identity resolution: map the many spellings of a model name used by each source onto one canonical model."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

# Suffixes that hosts add to an offering of the same weights (quantisation, speed tier, packaging).
_HOSTED_SUFFIXES = re.compile(
    r"(-(turbo|fp-?8|fp-?16|bf-?16|int-?4|int-?8|awq|gguf|versatile|instant|hf|serverless|maas|tput|v-?\d+-0|latest))+$"
)
_CHAT_SUFFIXES = re.compile(r"(-(instruct|chat|it|hf|instruction|sft|dpo))+$")
_DATE = re.compile(r"-(20\d{2}-?\d{2}-?\d{2}|\d{4})$")


def slug(text: str) -> str:
    """A stable lowercase id made of letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def base_name(raw: str) -> str:
    """Strip what is about the host rather than the model: provider prefixes, org folders and bedrock versions."""
    name = raw.strip().split("/")[-1]
    name = re.sub(r":\d+$", "", name)  # bedrock revision, e.g. ...-v1:0
    name = re.sub(r"^(meta|mistral|anthropic|cohere|ai21|amazon|deepseek|qwen|google|openai)\.", "", name, flags=re.I)
    name = re.sub(r"@\d+$", "", name)  # vertex revision, e.g. jamba-1.5@001
    return name


def strict_key(raw: str) -> str:
    """Case, punctuation and digit/letter boundaries ignored: 'Llama3.1-8B' and 'llama-3-1-8b' agree."""
    name = base_name(raw).lower()
    name = re.sub(r"v(\d+)p(\d+)", r"\1-\2", name)  # fireworks writes 3.3 as v3p3
    name = re.sub(r"([a-z])(\d)", r"\1-\2", name)
    return slug(name)


def loose_keys(raw: str) -> list[str]:
    """Successively looser keys for one name; the first key that finds exactly one model wins."""
    key = strict_key(raw)
    keys = [key]
    no_meta = re.sub(r"^meta-(?=llama)", "", key)
    keys.append(no_meta)
    hosted = _HOSTED_SUFFIXES.sub("", no_meta)
    keys.append(hosted)
    keys.append(_CHAT_SUFFIXES.sub("", _HOSTED_SUFFIXES.sub("", hosted)))
    # Keep one key per level, even when equal, so that max_level always means the same looseness.
    return [k or key for k in keys]


class Resolver:
    """Looks names up against the canonical models known so far, strictest key first, refusing ambiguous hits."""

    def __init__(self) -> None:
        self._index: list[dict[str, set[str]]] = [defaultdict(set) for _ in range(4)]

    def add(self, model_id: str, names: Iterable[str]) -> None:
        """Register names (canonical name and aliases) for a model at every looseness level."""
        for name in names:
            for level, key in enumerate(loose_keys(name)):
                self._index[level][key].add(model_id)

    def resolve(self, name: str, accept: Callable[[str], bool] | None = None, max_level: int = 3) -> str | None:
        """The model id a name refers to, or None when it is unknown or ambiguous."""
        for level, key in enumerate(loose_keys(name)[: max_level + 1]):
            hits = {m for m in self._index[level].get(key, ()) if accept is None or accept(m)}
            if len(hits) == 1:
                return next(iter(hits))
            if len(hits) > 1:
                return None
        return None


def strip_date(key: str) -> str:
    """The key without a trailing snapshot date such as -20241022 or -2024-08-06."""
    return _DATE.sub("", key)


def pretty_name(key: str, provider: str = "") -> str:
    """A readable display name for a bare API model key such as 'claude-opus-4-5' -> 'Claude Opus 4.5'."""
    if provider == "anthropic":
        key = re.sub(r"(?<=-)(\d)-(\d)(?=-|$)", r"\1.\2", key)
    words = []
    for word in key.split("-"):
        if word in {"gpt", "glm"}:
            words.append(word.upper())
        elif word.isalpha():
            words.append(word.capitalize())
        else:
            words.append(word)
    name = " ".join(words)
    return re.sub(r"^GPT ", "GPT-", name)


_VENDOR_WORDS = {"meta", "nvidia", "amazon", "google", "microsoft", "ai21", "ibm"}


def family_of(name: str) -> str:
    """A coarse family label: the leading word and its first version number, e.g. 'Llama 3.1'."""
    tokens = [t for t in re.split(r"[\s\-_]+", name.strip()) if t]
    if len(tokens) > 1 and tokens[0].lower() in _VENDOR_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return name
    head = re.match(r"^([A-Za-z]+)(\d[\w.]*)?$", tokens[0])
    if head and head.group(2):
        return f"{head.group(1)} {head.group(2)}"
    if len(tokens) > 1 and re.match(r"^\d", tokens[1]):
        return f"{tokens[0]} {tokens[1]}"
    return tokens[0]
