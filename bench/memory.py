"""Peak resident memory (VmHWM from /proc) of the API, projector and worker processes."""

from __future__ import annotations

from pathlib import Path

from bench.processes import System
from bench.report import Row


def peak_rss_mb(pid: int) -> float | None:
    """The process's high-water mark of resident memory in MB, from /proc/<pid>/status."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def rows(system: System) -> list[Row]:
    """One informational row per process, read just before the processes stop."""
    found = []
    for name in ("api", "projector", "worker"):
        process = system.processes.get(name)
        peak = peak_rss_mb(process.pid) if process is not None and process.alive() else None
        found.append(
            Row(
                f"peak RSS: {name} process",
                peak if peak is not None else float("nan"),
                "MB",
                note="" if peak is not None else f"{name} not running at the end of the run",
                extra={"pid": process.pid if process else None},
            )
        )
    return found
