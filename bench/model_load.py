"""Loading the bundled model from its converted cache: time (target < 5 s) and resident memory (target < 1.5 GB).

Each round runs in a fresh Python process, as the app's first prompt would. The cache must exist (`make model`).
Run with `python -m bench.model_load` from the project root.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

LOAD_TARGET_S = 5.0
RSS_TARGET_MB = 1536.0


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(precision: str, tokens: int) -> dict[str, float | str]:
    """Measure one load and one generation in this process."""
    started = time.perf_counter()
    import torch  # noqa: F401
    import transformers  # noqa: F401

    imported = time.perf_counter()
    from llmcompare.providers.base import GenerationSettings
    from llmcompare.providers.local_hf import LocalHFProvider, load_local

    local = load_local(precision=precision)
    loaded = time.perf_counter()
    rss_loaded = _status_mb("VmRSS")
    settings = GenerationSettings(max_new_tokens=tokens, temperature=0)
    list(LocalHFProvider(local, "local:bundled").stream("Explain WAL mode in SQLite.", settings, threading.Event()))
    return {
        "precision": local.path,
        "import_s": imported - started,
        "load_s": loaded - imported,
        "rss_loaded_mb": rss_loaded,
        "rss_generated_mb": _status_mb("VmRSS"),
        "peak_mb": _status_mb("VmHWM"),
    }


def one_round(precision: str, tokens: int) -> dict[str, float | str]:
    """One fresh process's figures."""
    command = [sys.executable, "-m", "bench.model_load", "--child", "--precision", precision, "--tokens", str(tokens)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3, help="fresh processes per precision")
    p.add_argument("--tokens", type=int, default=32, help="new tokens generated after loading")
    p.add_argument("--precision", action="append", help="auto, float32 or int4 (default: auto and float32)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.precision[0], args.tokens)))
        return 0
    from llmcompare.providers.local_hf import prepare_bundled

    prepare_bundled(on_status=lambda m: print(m, file=sys.stderr))
    for precision in args.precision or ["auto", "float32"]:
        rounds = [one_round(precision, args.tokens) for _ in range(args.repeats)]
        med = {k: statistics.median(float(r[k]) for r in rounds) for k in rounds[0] if k != "precision"}
        name = f"{precision} (runs {rounds[0]['precision']})"
        total = med["import_s"] + med["load_s"]
        print(
            f"model load {name}: {med['load_s']:.2f} s after {med['import_s']:.2f} s of torch+transformers imports, "
            f"{total:.2f} s in all (median of {args.repeats} fresh processes, target < {LOAD_TARGET_S:.0f} s: "
            f"{verdict(total < LOAD_TARGET_S)})"
        )
        print(
            f"resident memory {name}: {med['rss_loaded_mb']:.0f} MiB loaded, {med['rss_generated_mb']:.0f} MiB after "
            f"{args.tokens} tokens, peak {med['peak_mb']:.0f} MiB (target < {RSS_TARGET_MB:.0f} MiB: "
            f"{verdict(med['peak_mb'] < RSS_TARGET_MB)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
