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


@dataclass(frozen=True)
class Settings:
    """What the app needs to know about its environment."""

    database_url: str
    seed_dir: Path

    @classmethod
    def from_mapping(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from a mapping such as os.environ; missing keys fall back to defaults."""
        env = os.environ if env is None else env
        return cls(
            database_url=env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}",
            seed_dir=Path(env.get("LLMCOMPARE_SEED_DIR") or SEED_DIR),
        )
