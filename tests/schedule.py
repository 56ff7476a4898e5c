"""The order in which parallel workers take the test modules: longest first, so that no long module starts last.

Each module stays whole on one worker (`--dist loadscope`). With modules handed out longest first, the two workers
finish within about one short module of each other; started last, the longest module alone kept one worker busy for
a minute and a half while the other idled. The times come from `module_seconds.json`, written from a JUnit report of
a full run:

    .venv/bin/pytest -n 2 --dist loadscope --junitxml=/tmp/run.xml && .venv/bin/python -m tests.schedule /tmp/run.xml

A module missing from the file (a new one) counts as taking no time and goes after the known ones; stale times only
make the order less good, never a test wrong.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

SECONDS_FILE = Path(__file__).with_name("module_seconds.json")


def module_seconds() -> dict[str, float]:
    """Seconds each test module took in the last recorded run, by module name (tests.e2e.test_flows)."""
    if not SECONDS_FILE.is_file():
        return {}
    return json.loads(SECONDS_FILE.read_text(encoding="utf-8"))


def longest_first(items: list[pytest.Item]) -> None:
    """Sort items in place: modules by their recorded time, longest first; each module's tests keep their order."""
    seconds = module_seconds()
    items.sort(key=lambda item: -seconds.get(item.module.__name__, 0.0))


def seconds_from_junit(report: Path) -> dict[str, float]:
    """Each module's total time (setup, call and teardown) from a pytest JUnit XML report."""
    totals: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        parts = case.get("classname", "").split(".")
        module = ".".join(part for i, part in enumerate(parts) if not any(p.startswith("Test") for p in parts[: i + 1]))
        totals[module] += float(case.get("time", "0"))
    return {name: round(total, 1) for name, total in sorted(totals.items()) if name}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.schedule JUNIT_XML")
    SECONDS_FILE.write_text(json.dumps(seconds_from_junit(Path(sys.argv[1])), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SECONDS_FILE}")
