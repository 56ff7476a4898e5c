"""llama.cpp (through llama-cpp-python) on a GGUF, as the speed peer: runs in its own venv, `.venv-bench`.

Started by `bench/generation.py` as `.venv-bench/bin/python bench/llama_peer.py GGUF THREADS`; it loads the model
once, then answers one JSON line per request on stdin: {"ids": [prompt token ids], "tokens": n} ->
{"seconds": wall time of the call, "ids": [the n new token ids]}. Greedy decoding, exactly n new tokens (an end
token does not stop it), the prompt evaluated afresh each time, as the app's timed calls do. It imports nothing from
the project, whose venv it does not share.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    from llama_cpp import Llama

    gguf, threads = sys.argv[1], int(sys.argv[2])
    llm = Llama(model_path=gguf, n_ctx=1024, n_threads=threads, n_threads_batch=threads, verbose=False)
    print(json.dumps({"ready": True, "system": llm_system_info()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        llm.reset()  # no reuse of an earlier prompt's cache: every call evaluates its prompt
        made: list[int] = []
        started = time.perf_counter()
        for token in llm.generate(request["ids"], top_k=1, top_p=1.0, min_p=0.0, temp=0.0, repeat_penalty=1.0):
            made.append(int(token))
            if len(made) == request["tokens"]:
                break
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": seconds, "ids": made}), flush=True)
    return 0


def llm_system_info() -> str:
    """llama.cpp's own line on the CPU features it was built for (AVX2, AVX512, ...)."""
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode(errors="replace").strip()


if __name__ == "__main__":
    sys.exit(main())
