"""The kernels torch would pick on an older CPU, run on this one too.

torch chooses its CPU kernels once per process, from the CPU: on x86-64 a generic set (DEFAULT), AVX2 or AVX512. The
int4 and int8 kernels the fast local path relies on are written separately for each, as are FBGEMM's fp16 ones, and
an AVX512 machine would otherwise never run the AVX2 ones, which most CPUs in use pick. ATEN_CPU_CAPABILITY lowers
torch's choice and FBGEMM_ENABLE_INSTRUCTIONS FBGEMM's (which needs AVX2 at least, so the generic set leaves it
alone), so every set below this CPU's own runs the lean-decoder and output-layer tests again, each in a pytest
process of its own. The set this CPU picks runs in the main suite; a CPU with none lower (not x86-64) has nothing to
add here.
"""

import os
import re
import subprocess
import sys

import pytest
import torch

from tests.conftest import ROOT

LEVELS = ("DEFAULT", "AVX2", "AVX512")
MODULES = ("tests/providers/test_lean_decoder.py", "tests/providers/test_rescored_head.py")


def lower_levels() -> list[str]:
    own = torch.backends.cpu.get_cpu_capability()
    return list(LEVELS[: LEVELS.index(own)]) if own in LEVELS else []


@pytest.mark.slow
@pytest.mark.parametrize("level", lower_levels())
def test_the_local_path_gives_the_same_tokens_on_the_kernels_of_older_cpus(level, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["ATEN_CPU_CAPABILITY"] = level.lower()
    if level == "AVX2":
        env["FBGEMM_ENABLE_INSTRUCTIONS"] = level
    command = [sys.executable, "-m", "pytest", *MODULES, "-m", "not slow", "-p", "no:cacheprovider"]
    command += ["--basetemp", str(tmp_path / "run")]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert f"torch CPU kernels: {level}\n" in output  # torch really ran on the lowered set
    summary = output.strip().splitlines()[-1]
    assert re.search(r"\b\d{2,} passed\b", summary) and "skipped" not in summary, summary
