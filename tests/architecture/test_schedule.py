"""The parallel workers' schedule: module times read from a JUnit report, longest modules handed out first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import schedule

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.e2e.test_flows" name="test_a" time="2.5"/>
<testcase classname="tests.e2e.test_flows" name="test_b" time="1.25"/>
<testcase classname="tests.store.test_engine.TestPragmas" name="test_c" time="0.5"/>
<testcase classname="tests.store.test_engine" name="test_d" time="0.25"/>
</testsuite></testsuites>"""


class _Module:
    def __init__(self, name: str) -> None:
        self.__name__ = name


class _Item:
    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = _Module(module), name


def test_module_times_add_up_setup_call_and_teardown_and_fold_classes_into_their_module(tmp_path: Path) -> None:
    report = tmp_path / "run.xml"
    report.write_text(JUNIT, encoding="utf-8")
    assert schedule.seconds_from_junit(report) == {"tests.e2e.test_flows": 3.8, "tests.store.test_engine": 0.8}


def test_longest_modules_go_first_and_each_keeps_its_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    times = tmp_path / "module_seconds.json"
    times.write_text(json.dumps({"m.short": 1.0, "m.long": 9.0}), encoding="utf-8")
    monkeypatch.setattr(schedule, "SECONDS_FILE", times)
    items = [_Item("m.short", "s1"), _Item("m.new", "n1"), _Item("m.long", "l1"), _Item("m.short", "s2")]
    items.append(_Item("m.long", "l2"))
    schedule.longest_first(items)  # type: ignore[arg-type]
    assert [item.name for item in items] == ["l1", "l2", "s1", "s2", "n1"]


def test_the_committed_times_name_modules_that_exist() -> None:
    root = Path(schedule.__file__).resolve().parent.parent
    names = schedule.module_seconds()
    assert names, "tests/module_seconds.json is missing or empty"
    missing = [name for name in names if not (root / (name.replace(".", "/") + ".py")).is_file()]
    assert missing == [], "stale names in tests/module_seconds.json; regenerate it (see tests/schedule.py)"
