"""Settings read from a mapping (environment, st.secrets or defaults), never from globals."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_DB_PATH = DATA_DIR / "llmcompare.db"
LOCAL_PRECISIONS = ("auto", "float32", "fp16", "int4")  # see llmcompare/providers/local_speed.py
LITELLM_MAP_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"


@dataclass(frozen=True)
class Settings:
    """What the app needs to know about its environment."""

    database_url: str
    seed_dir: Path
    stale_after_days: int = 365
    import_max_mb: float = 25.0
    litellm_url: str = LITELLM_MAP_URL
    refresh_timeout_s: float = 10.0
    local_precision: str = "auto"
    local_threads: int | None = None
    local_preload: bool = True

    @classmethod
    def from_mapping(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from a mapping such as os.environ; missing keys fall back to defaults."""
        env = os.environ if env is None else env
        return cls(
            database_url=env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}",
            seed_dir=Path(env.get("LLMCOMPARE_SEED_DIR") or SEED_DIR),
            stale_after_days=int(_positive(env, "LLMCOMPARE_STALE_AFTER_DAYS", cls.stale_after_days)),
            import_max_mb=_positive(env, "LLMCOMPARE_IMPORT_MAX_MB", cls.import_max_mb),
            litellm_url=env.get("LLMCOMPARE_LITELLM_URL") or LITELLM_MAP_URL,
            refresh_timeout_s=_positive(env, "LLMCOMPARE_REFRESH_TIMEOUT_S", cls.refresh_timeout_s),
            local_precision=_choice(env, "LLMCOMPARE_LOCAL_PRECISION", LOCAL_PRECISIONS),
            local_threads=_threads(env, "LLMCOMPARE_LOCAL_THREADS"),
            local_preload=_choice(env, "LLMCOMPARE_LOCAL_PRELOAD", ("on", "off")) == "on",
        )

    @property
    def local_options(self) -> dict[str, str | int | None]:
        """The keyword arguments load_local takes from these settings."""
        return {"precision": self.local_precision, "threads": self.local_threads}


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    """A positive number from the mapping, or the default when unset; a bad value is an error naming the setting."""
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e7:
        raise ValueError(f"{name} must be a positive number below 10 million, got {raw!r}")
    return value


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """One of the allowed words (any case), the first when unset; anything else is an error naming the setting."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return allowed[0]
    if raw.lower() not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return raw.lower()


def _threads(env: Mapping[str, str], name: str) -> int | None:
    """A whole number of CPU threads from 1 to 256, or None (torch's default) when unset."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 256:
        raise ValueError(f"{name} must be a whole number of threads from 1 to 256, got {raw!r}")
    return int(raw)
