"""The benchmark command runs end to end on PostgreSQL at a tiny size (how fast is not checked)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

EXPECTED = (
    "demo data generation",
    "register projection catch-up from zero",
    "register full rebuild",
    "append: watchlist listing, BackOffice, 1 writer",
    "append: watchlist listing, BackOffice, 8 writer",
    "append: raw INSERT+COMMIT with EXCLUSIVE lock, 1 w",
    "append: raw INSERT+COMMIT with EXCLUSIVE lock, 8 w",
    "command over HTTP: POST /watchlist, 1 client",
    "command over HTTP: POST /watchlist, 8 client",
    "bare FastAPI app, own uvicorn process: max rate",
    "GET /healthz: max rate",
    "register lookup by number: max rate",
    "register lookup by number, serve --workers 2: max rate",
    "register lookup by number: p50",
    "register lookup by number: p99",
    "register search, 2-character name: max rate",
    "register search, 2-character name: p50",
    "register search, 2-character name: p99",
    "register search, 3+-character name: max rate",
    "register search, 3+-character name: p50",
    "register search, 3+-character name: p99",
    "history of an organization",
    "daily sweep",
    "peak RSS: api process",
    "peak RSS: projector process",
    "peak RSS: worker process",
    "peak PostgreSQL connections: API + projector + worker",
)


@pytest.mark.store("postgres")
def test_the_benchmark_command_writes_every_row(tmp_path: Path) -> None:
    """Given PostgreSQL and a tiny size, when `python -m bench` runs, then it exits 0, prints
    the table and writes a JSON file with every row, each with a number."""
    root = Path(__file__).resolve().parents[2]
    # Small pools: the bench's API, projector and worker share PostgreSQL's 100 connections with
    # the suite's other databases; the smoke run checks the rows, not the speed.
    env = {**os.environ, "PYTHONPATH": str(root), "ECPSC_POSTGRES_MAX_OVERFLOW": "2"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--certificates", "60", "--seconds", "0.5",
         "--clients", "2", "--history-events", "60", "--postgres-url", POSTGRES_URL,
         "--results", str(tmp_path)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "measure" in done.stdout and "goals met" in done.stdout
    [written] = list(tmp_path.glob("*.json"))
    run = json.loads(written.read_text())
    measures = [row["measure"] for row in run["rows"]]
    for expected in EXPECTED:
        assert any(m.startswith(expected) for m in measures), (expected, measures)
    for row in run["rows"]:
        assert isinstance(row["figure"], int | float) and math.isfinite(row["figure"]), row
    assert run["data"]["certificates"] >= 60
    assert run["machine"]["cores"] and run["postgres"]["settings"]["fsync"]
