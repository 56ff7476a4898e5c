"""`python -m llmcompare audit`: print every identity conflict in the store; exit 1 when there is any."""

from __future__ import annotations

import argparse
from pathlib import Path

from llmcompare.catalog.audit import KINDS, audit
from llmcompare.config import DATA_DIR
from llmcompare.identity.corrections import load_corrections
from llmcompare.store.engine import make_engine


def add_command(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("audit", help="list identity conflicts in the store; exit 1 when any is found")
    cmd.add_argument("--curated", type=Path, default=DATA_DIR / "curated", help="folder with corrections.yaml")
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace, settings) -> int:
    engine = make_engine(settings.database_url)
    conflicts = audit(engine, load_corrections(args.curated))
    for kind, label in KINDS.items():
        found = [c for c in conflicts if c.kind == kind]
        print(f"{kind}: {len(found)} ({label})")
        for conflict in found:
            print(f"  {', '.join(conflict.models)}: {conflict.detail}")
    print(f"{len(conflicts)} identity conflict(s)" if conflicts else "no identity conflicts")
    return 1 if conflicts else 0
