"""`python -m bench --compare A.json B.json` prints how every row changed; runs keep their JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import _arguments, main
from bench.report import Row, write_json


def _run(commit: str, rows: list[Row]) -> dict[str, Any]:
    return {
        "started_at": "2026-12-04T17:00:00+00:00",
        "software": {"commit": commit, "working_tree_changed": False},
        "data": {"certificates": 2000},
        "rows": [r.as_json() for r in rows],
    }


def _write(path: Path, run: dict[str, Any]) -> Path:
    path.write_text(json.dumps(run))
    return path


def _line(out: str, measure: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(measure))


def test_compare_is_read_as_two_paths_and_runs_nothing_else() -> None:
    """Given --compare with two files, when the arguments are read, then both paths are kept;
    given one file, argparse exits 2."""
    assert _arguments(["--compare", "a.json", "b.json"]).compare == [
        Path("a.json"),
        Path("b.json"),
    ]
    with pytest.raises(SystemExit) as exited:
        _arguments(["--compare", "a.json"])
    assert exited.value.code == 2


def test_every_row_s_change_is_printed_with_its_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given two runs where a rate fell 20 %, a latency fell 30 %, a memory figure barely moved
    and each run has a row the other lacks; when compared, then each row shows A, B and the
    change, the rate is WORSE, the latency better, the memory the same, the lone rows are named,
    ratios to baselines are shown, and the summary counts them; the exit code is 0."""
    a = _write(tmp_path / "a.json", _run("aaaaaaa", [
        Row("register lookup by number: max rate", 1000.0, "req/s", 2000.0, "req/s", 0.6,
            "ratio>="),
        Row("history as_of: p50", 200.0, "ms", goal=50.0, goal_kind="<="),
        Row("peak RSS: api process", 100.0, "MB"),
        Row("dropped measure", 1.0, "req/s"),
    ]))  # fmt: skip
    b = _write(tmp_path / "b.json", _run("bbbbbbb", [
        Row("register lookup by number: max rate", 800.0, "req/s", 2000.0, "req/s", 0.6,
            "ratio>="),
        Row("history as_of: p50", 140.0, "ms", goal=50.0, goal_kind="<="),
        Row("peak RSS: api process", 102.0, "MB"),
        Row("new measure", 5.0, "ms"),
    ]))  # fmt: skip
    assert main(["--compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "commit aaaaaaa" in out and "commit bbbbbbb" in out
    lookup = _line(out, "register lookup by number: max rate")
    assert "1,000 req/s" in lookup and "800 req/s" in lookup
    assert "-20.0 %" in lookup and lookup.endswith("WORSE")
    assert "ratio to its baseline: 0.50 -> 0.40" in out
    history = _line(out, "history as_of: p50")
    assert "-30.0 %" in history and history.endswith("better")
    memory = _line(out, "peak RSS: api process")
    assert "+2.0 %" in memory and memory.endswith("same")
    assert _line(out, "dropped measure").endswith("only in A")
    assert _line(out, "new measure").endswith("only in B")
    assert "1 better, 1 worse by more than 10 %" in out


def test_a_file_that_is_not_a_run_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a missing file or a JSON file without rows, when compared, then the exit code is 2
    and the message names the file."""
    good = _write(tmp_path / "good.json", _run("aaaaaaa", []))
    other = _write(tmp_path / "other.json", {"hello": 1})
    assert main(["--compare", str(good), str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().out
    assert main(["--compare", str(other), str(good)]) == 2
    assert "other.json: no rows" in capsys.readouterr().out


def test_each_run_keeps_its_own_file_named_by_time_and_commit(tmp_path: Path) -> None:
    """Given two runs written one after the other from one commit, when written, then both
    files stay, each named <timestamp>-<commit>; a run from a changed working tree says so in
    its name."""
    rows = [Row("a measure", 1.0, "req/s")]
    first = write_json(_run("abc1234", []), rows, tmp_path)
    second = write_json(_run("abc1234", []), rows, tmp_path)
    changed = _run("abc1234", [])
    changed["software"]["working_tree_changed"] = True
    third = write_json(changed, rows, tmp_path)
    assert first != second and first.exists() and second.exists()
    assert first.name.endswith("-abc1234.json")
    # In the same second the second file takes a suffix; a second later it needs none.
    assert second.name.endswith(("-abc1234-1.json", "-abc1234.json"))
    assert "-abc1234-changed" in third.name
    assert json.loads(first.read_text())["rows"][0]["measure"] == "a measure"
