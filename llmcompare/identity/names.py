"""Model identity: the one place where a name, as any source or user writes it, becomes a catalogue model.

Three levels. A *model* is one set of weights or one API model version. *Snapshots and aliases* are the names
that point at it (an undated or `-latest` alias is only an alias while it names exactly one model). *Offerings*
sell it (a host, a price, a region); a host is never the model's developer: an API model's maker comes from its
name, and only the maker's own platform creates it (vertex_ai selling Grok adds an offering of xAI's model).
The resolver here is pure; identity_store builds the same resolver from what the store holds, for pricing,
joins and vote grouping.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

# Suffixes that hosts add to an offering of the same weights (quantisation, packaging, revision).
_HOSTED_SUFFIXES = re.compile(r"(-(fp-?8|fp-?16|bf-?16|int-?4|int-?8|awq|gguf|hf|serverless|maas|tput|v-?\d+-0))+$")
# Serving tiers hosts give a chat model ("Llama-3.1-8B-Instruct-Turbo", groq's "llama-3.1-8b-instant").
_SERVING_TIERS = re.compile(r"(-(turbo|versatile|instant))+$")
_CHAT_SUFFIXES = re.compile(r"(-(instruct|chat|it|instruction|sft|dpo))+$")
_CHAT_MARK = re.compile(r"(^|-)(instruct|chat|it|instruction|sft|dpo|rlhf)(-|$)")
_SIZE = re.compile(r"(^|-)\d+(-\d+)?(b|m)(-|$)")
_DATE = re.compile(r"-(20\d{2}-?\d{2}-?\d{2}|\d{4})$")
# A full calendar date marks an API snapshot; a four-digit suffix (DeepSeek-R1-0528) marks new open weights.
_SNAPSHOT_DATE = re.compile(r"-20\d{2}-?\d{2}-?\d{2}$")
_LATEST = re.compile(r"(^|[-_.:/])latest$", re.I)

# API model names whose maker the name itself gives away, whatever host lists them.
_NAME_MAKERS = (
    (re.compile(r"^grok"), "xai"),
    (re.compile(r"^claude"), "anthropic"),
    (re.compile(r"^(gemini|palm|chat-bison|text-bison|text-unicorn|codechat-bison)"), "google"),
    (re.compile(r"^(gpt-[345](o|-|$)|gpt-oss|o-\d(-|$)|chatgpt|codex|text-davinci)"), "openai"),
)


def slug(text: str) -> str:
    """A stable lowercase id made of letters, digits and dashes; '+' is spelled out ('Command R+' is not Command R)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("+", "-plus-")).strip("-")


def base_name(raw: str) -> str:
    """Strip what is about the host rather than the model: provider prefixes, org folders and bedrock versions."""
    name = raw.strip().split("/")[-1]
    name = re.sub(r":\d+$", "", name)  # bedrock revision, e.g. ...-v1:0
    vendors = r"^(meta|mistral|anthropic|cohere|ai21|amazon|deepseek|qwen|google|openai|xai)\."
    name = re.sub(vendors, "", name, flags=re.I)
    name = re.sub(r"@\d+$", "", name)  # vertex revision, e.g. jamba-1.5@001
    return name


def strict_key(raw: str) -> str:
    """Case, punctuation and digit/letter boundaries ignored: 'Llama3.1-8B' and 'llama-3-1-8b' agree."""
    name = base_name(raw).lower()
    name = re.sub(r"v(\d+)p(\d+)", r"\1-\2", name)  # fireworks writes 3.3 as v3p3
    name = re.sub(r"([a-z])(\d)", r"\1-\2", name)
    return slug(name)


def strip_date(key: str) -> str:
    """The key without a trailing snapshot date such as -20241022 or -2024-08-06."""
    return _DATE.sub("", key)


def is_latest_alias(name: str) -> bool:
    """A moving `-latest` alias: which model it names changes over time, so no name rule may pin it."""
    return bool(_LATEST.search(name.strip()))


def is_chat(name: str) -> bool:
    """Whether a name marks a chat- or instruction-tuned model (base and chat weights are different models)."""
    return bool(_CHAT_MARK.search(strict_key(name)))


def _is_family(key: str) -> bool:
    """A key without any digit ('qwen', 'mistral-medium') names a family or a moving alias, not one model."""
    return not re.search(r"\d", key)


def loose_keys(raw: str) -> list[str]:
    """Successively looser keys for one name; the first key that finds exactly one model wins.

    0: strict; 1: without a 'meta-' prefix; 2: without host packaging suffixes (and, for a sized model, its
    serving tier); 3: without chat suffixes too, used only to find a chat model from a host's chat offering."""
    key = strict_key(raw)
    no_meta = re.sub(r"^(meta|nvidia)-(?=llama)", "", key)
    hosted = _HOSTED_SUFFIXES.sub("", no_meta)
    untiered = _SERVING_TIERS.sub("", hosted)
    if _SIZE.search(untiered):
        hosted = _HOSTED_SUFFIXES.sub("", untiered)
    chatless = _CHAT_SUFFIXES.sub("", hosted)
    return [k or key for k in (key, no_meta, hosted, chatless)]


class Resolver:
    """Looks names up against the models known so far, strictest key first, refusing ambiguous hits.

    Rules beyond the keys: a `-latest` name or a family word never resolves; a base name never lands on a chat
    model (nor the reverse); an undated name finds a dated snapshot only while exactly one snapshot carries it."""

    def __init__(self) -> None:
        self._index: list[dict[str, set[str]]] = [defaultdict(set) for _ in range(4)]
        self._undated: dict[str, set[str]] = defaultdict(set)
        self._chat: dict[str, bool] = {}

    def add(self, model_id: str, names: Iterable[str], chat: bool | None = None) -> None:
        """Register names (canonical name and aliases) for a model; chat says whether the model is chat-tuned."""
        names = list(names)
        if chat is not None or model_id not in self._chat:
            self._chat[model_id] = bool(chat) if chat is not None else any(is_chat(n) for n in names[:1])
        for name in names:
            for level, key in enumerate(loose_keys(name)):
                self._index[level][key].add(model_id)
            key = strict_key(name)
            if _SNAPSHOT_DATE.search(key):
                self._undated[_SNAPSHOT_DATE.sub("", key)].add(model_id)

    def is_chat_model(self, model_id: str) -> bool:
        return self._chat.get(model_id, False)

    def _kind_fits(self, name: str, model_id: str, level: int) -> bool:
        """Base and chat stay apart: a chat-marked name needs a chat model; an unmarked sized one a base model."""
        chat_model = self._chat.get(model_id, False)
        if is_chat(name) or (level >= 2 and _SERVING_TIERS.search(strict_key(name))):
            return chat_model or level < 3
        return not (chat_model and _SIZE.search(strict_key(name)))

    def resolve(self, name: str, accept: Callable[[str], bool] | None = None, max_level: int = 3) -> str | None:
        """The model id a name refers to, or None when it is unknown, ambiguous, a family or a moving alias."""
        if is_latest_alias(name):
            return None
        keys = loose_keys(name)
        serving = bool(_SERVING_TIERS.search(strict_key(name)))
        for level, key in enumerate(keys[: max_level + 1]):
            if level > 0 and _is_family(key):
                break
            if level == 3 and not (is_chat(name) or serving):
                break
            hits = {
                m
                for m in self._index[level].get(key, ())
                if (accept is None or accept(m)) and self._kind_fits(name, m, level) and (level < 3 or self._chat[m])
            }
            if len(hits) == 1:
                return next(iter(hits))
            if len(hits) > 1:
                return None
        return self._undated_snapshot(keys[0], accept) if max_level >= 1 else None

    def _undated_snapshot(self, key: str, accept: Callable[[str], bool] | None) -> str | None:
        """An undated name stands for a dated snapshot only when exactly one snapshot goes by it."""
        if _SNAPSHOT_DATE.search(key) or _is_family(key):
            return None
        hits = {m for m in self._undated.get(key, ()) if accept is None or accept(m)}
        return next(iter(hits)) if len(hits) == 1 else None


def maker_from_name(name: str) -> str | None:
    """The developer an API model name itself announces ('grok-4' is xAI's wherever it is sold), else None."""
    key = re.sub(r"^(databricks|openai)-", "", strict_key(name))  # databricks-claude-..., gradient's openai-gpt-4o
    return next((dev for pattern, dev in _NAME_MAKERS if pattern.search(key)), None)


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


# Families whose plain names belong to one developer: a name like "Qwen2.5-32B" is Alibaba's model, so a source
# that lists it as another organisation's end model has taken the base for the derivative.
_FAMILY_MAKERS = (
    (re.compile(r"^qwen"), "alibaba"),
    (re.compile(r"^(meta-)?llama-\d"), "meta"),
    (re.compile(r"^gemma"), "google"),
    (re.compile(r"^(mistral|mixtral|ministral|codestral|devstral)"), "mistral"),
    (re.compile(r"^phi-\d"), "microsoft"),
    (re.compile(r"^deepseek"), "deepseek"),
)


def family_maker(name: str) -> str | None:
    """The developer whose family a plain model name belongs to (closed API families included), else None."""
    key = strict_key(name)
    return maker_from_name(name) or next((dev for pattern, dev in _FAMILY_MAKERS if pattern.search(key)), None)


def is_plain_family_name(name: str) -> bool:
    """A family's own model name (family, version, size, chat marker: 'Qwen2.5-32B'), not a derivative's."""
    rest = re.sub(
        r"^(meta-)?(qwen|llama|gemma|mistral|mixtral|ministral|codestral|devstral|phi|deepseek)", "", strict_key(name)
    )
    plain = re.compile(r"(\d+[bmkx]?|v|x|instruct|chat|it|hf|base|bf|fp)")
    return all(plain.fullmatch(token) for token in rest.split("-") if token)


def name_size_b(name: str) -> float | None:
    """The parameter count a name states, in billions ('Llama-2-7b' -> 7); None for mixtures.

    The largest size wins, so an active-expert size (A17B) or a data-set size (7M) is not taken for the model's."""
    text = base_name(name).lower()
    if re.search(r"\d+x\d+(\.\d+)?b", text):
        return None
    sizes = re.findall(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)([bm])(?![a-z0-9])", text)
    if not sizes:
        return None
    return max(float(number) / 1000 if unit == "m" else float(number) for number, unit in sizes)


def name_month(name: str) -> tuple[int, int] | None:
    """A release month a name encodes as YYMM (Devstral-2-123B-Instruct-2512 -> (2025, 12)), else None."""
    match = re.search(r"(?:^|-)(2[3-6])(0[1-9]|1[0-2])(?=-|$)", strict_key(name))
    return (2000 + int(match.group(1)), int(match.group(2))) if match else None


_FREE_TIER = re.compile(r"(^|[-_:/])(exp|experimental|free)([-_:/]|\d|$)", re.I)


def price_artefact(offering: str, input_usd_per_1m: float, output_usd_per_1m: float) -> str | None:
    """Why a listed token price is not what using the model costs, or None when it is a real price.

    Such prices stay in the store as facts, flagged; they are left out of the frontier, advisor and cost of
    ownership."""
    if input_usd_per_1m == 0 and output_usd_per_1m > 0:
        return "input listed at $0: this offering is billed per request, so its token price understates the cost"
    if _FREE_TIER.search(offering.rsplit("/", 1)[-1]):
        return "a free or experimental tier: its listed token price is a placeholder, not a price one can buy at"
    return None
