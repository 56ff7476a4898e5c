"""The bench's side of the llama.cpp peer: starts `bench/llama_peer.py` in `.venv-bench` and times calls to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# BENCH_PEER_PYTHON points at another Python with llama-cpp-python installed, when one exists already.
PEER_PYTHON = Path(os.environ.get("BENCH_PEER_PYTHON") or ROOT / ".venv-bench" / "bin" / "python")
PEER_SCRIPT = ROOT / "bench" / "llama_peer.py"


class LlamaPeer:
    """llama.cpp on the GGUF in a child process; `generate` returns (seconds, new token ids) of one greedy call."""

    def __init__(self, gguf: Path, threads: int) -> None:
        self._process = subprocess.Popen(
            [str(PEER_PYTHON), str(PEER_SCRIPT), str(gguf), str(threads)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.system_info = self._read()["system"]

    @classmethod
    def start(cls, gguf: Path, threads: int) -> LlamaPeer | None:
        """The peer, or None (said on stderr) when `make bench-peer` has not built its venv."""
        if not PEER_PYTHON.exists():
            print("llama.cpp peer: .venv-bench is missing; `make bench-peer` builds it (~10 min)", file=sys.stderr)
            return None
        return cls(gguf, threads)

    def _read(self) -> dict[str, Any]:
        line = self._process.stdout.readline() if self._process.stdout else ""
        if not line:
            raise RuntimeError(f"the llama.cpp peer ended (exit {self._process.poll()})")
        return json.loads(line)

    def generate(self, ids: list[int], tokens: int) -> tuple[float, list[int]]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"ids": ids, "tokens": tokens}) + "\n")
        self._process.stdin.flush()
        answer = self._read()
        return answer["seconds"], answer["ids"]

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)


def gguf_weight_bytes(gguf: Path) -> int:
    """Bytes of weights one token reads in llama.cpp: every tensor of the file once (the tied embedding as output)."""
    from gguf import GGUFReader

    return sum(int(t.n_bytes) for t in GGUFReader(gguf).tensors)


def cpu_family() -> tuple[str, str]:
    """(the CPU's model name, "AVX512" or "AVX2" or "other") from /proc/cpuinfo."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    family = "AVX512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "other"
    return name, family
