"""The rows of a run, the machine they ran on, the printed table and the JSON file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg

PG_SETTINGS = (
    "shared_buffers",
    "synchronous_commit",
    "fsync",
    "max_connections",
    "wal_level",
    "work_mem",
    "effective_cache_size",
)
LIBRARIES = ("eventsourcing", "fastapi", "uvicorn", "psycopg", "psycopg-pool", "dramatiq", "httpx")


@dataclass
class Row:
    """One measure beside its baseline and goal.

    `goal` is read with `goal_kind`: "ratio>=" compares the ratio, "<=" and ">=" the figure;
    None means the row is informational (no goal, `met` is None).
    """

    measure: str
    figure: float
    unit: str
    baseline: float | None = None
    baseline_unit: str = ""
    goal: float | None = None
    goal_kind: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Figure over baseline (for ratio goals and information)."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.figure / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the goal is met (None without a goal)."""
        if self.goal is None:
            return None
        if self.goal_kind == "ratio>=":
            return self.ratio is not None and self.ratio >= self.goal
        if self.goal_kind == "<=":
            return self.figure <= self.goal
        if self.goal_kind == "<":
            return self.figure < self.goal
        return self.figure >= self.goal

    def as_json(self) -> dict[str, Any]:
        """The row with its derived ratio and verdict."""
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def _run(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    """CPU model, cores and memory of this machine."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "platform": platform.platform(),
    }


def software() -> dict[str, Any]:
    """Python, the libraries and the git commit."""
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    dirty = _run("git", "status", "--porcelain", "--untracked-files=no")
    return {
        "python": platform.python_version(),
        "libraries": versions,
        "commit": _run("git", "rev-parse", "--short", "HEAD"),
        "working_tree_changed": bool(dirty) and dirty != "unknown",
    }


def postgres(conninfo: str) -> dict[str, Any]:
    """The server's version and the settings that bound write and read rates."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        rows = conn.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s)", [list(PG_SETTINGS)]
        ).fetchall()
    settings = {}
    for name, setting, unit in rows:
        if unit == "8kB":
            settings[name] = f"{int(setting) * 8 // 1024}MB"
        elif unit == "kB":
            settings[name] = f"{int(setting) // 1024}MB"
        else:
            settings[name] = setting
    return {"version": version[0] if version else "unknown", "settings": settings}


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _goal(row: Row) -> str:
    if row.goal is None:
        return "—"
    if row.goal_kind == "ratio>=":
        return f"ratio ≥ {row.goal:g}"
    return f"{row.goal_kind.rstrip('=')}{'=' if row.goal_kind.endswith('=') else ''} {row.goal:g}"


def header(run: dict[str, Any]) -> list[str]:
    """The lines above the table: what ran, where, on what."""
    m, s, pg = run["machine"], run["software"], run["postgres"]
    libs = ", ".join(f"{k} {v}" for k, v in s["libraries"].items() if v)
    pg_settings = ", ".join(f"{k}={v}" for k, v in pg["settings"].items())
    return [
        f"ECPSC benchmarks · {run['started_at']} · commit {s['commit']}"
        + (" (+ uncommitted changes)" if s["working_tree_changed"] else ""),
        f"machine: {m['cpu']} · {m['cores']} cores · {m['ram_gb']} GB RAM · {m['platform']}",
        f"PostgreSQL {pg['version']}: {pg_settings}",
        f"Python {s['python']}: {libs}",
        f"data: {run['data']['certificates']:,} certificates, "
        f"{run['data']['events']:,} events ({run['data']['source']}) in {run['database']} · "
        f"{run['seconds_per_measure']} s per measure, {run['clients']} HTTP clients",
    ]


def table(rows: list[Row]) -> list[str]:
    """The rows as a fixed-width table."""
    lines = [
        f"{'measure':52} {'figure':>12} {'baseline':>12} {'ratio':>6} {'goal':>12} {'met':>4}",
        "-" * 103,
    ]
    for row in rows:
        met = {True: "yes", False: "NO", None: "—"}[row.met]
        figure = f"{_number(row.figure)} {row.unit}"
        baseline = f"{_number(row.baseline)} {row.baseline_unit}" if row.baseline else "—"
        ratio = _number(row.ratio) if row.ratio is not None else "—"
        goal = _goal(row)
        lines.append(
            f"{row.measure[:52]:52} {figure:>12} {baseline:>12} {ratio:>6} {goal:>12} {met:>4}"
        )
        if row.note:
            lines.append(f"    {row.note}")
    return lines


def write_json(run: dict[str, Any], rows: list[Row], directory: Path) -> Path:
    """bench/results/<timestamp>-<commit>.json with the run and every row (`-changed` after the
    commit when the working tree had uncommitted changes); every run keeps its own file, for
    `python -m bench --compare`."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    software = run.get("software") or {}
    commit = str(software.get("commit") or "unknown")
    if software.get("working_tree_changed"):
        commit += "-changed"
    name = f"{stamp}-{commit}"
    path = directory / f"{name}.json"
    suffix = 1
    while path.exists():
        path = directory / f"{name}-{suffix}.json"
        suffix += 1
    path.write_text(
        json.dumps({**run, "rows": [r.as_json() for r in rows]}, ensure_ascii=False, indent=2)
    )
    return path
