"""Heartbeat files of the processes without an HTTP port (`ecpsc projector`, `ecpsc worker`):
touched every few seconds while the process is healthy, read by `ecpsc health` (a container's
health check) to tell a live process from a wedged or cut-off one."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from threading import Event

INTERVAL_SECONDS = 10.0
"""How often a healthy process touches its file."""
MAX_AGE_SECONDS = 45.0
"""`ecpsc health`'s default: a file older than this (several missed beats) is unhealthy."""


def beat(path: Path) -> None:
    """Write the time now into the file, replacing it whole (a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(f"{time.time():.3f}\n", encoding="ascii")
    partial.replace(path)


def age(path: Path) -> float | None:
    """Seconds since the last beat, or None when there was none (or it is unreadable)."""
    try:
        return time.time() - float(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def keep_beating(path: Path | None, healthy: Callable[[], bool], stop: Event) -> None:
    """Until `stop` is set, every INTERVAL_SECONDS (the first at once): beat when healthy."""
    while True:
        if path is not None and _healthy(healthy):
            beat(path)
        if stop.wait(INTERVAL_SECONDS):
            return


def _healthy(healthy: Callable[[], bool]) -> bool:
    try:
        return healthy()
    except Exception:  # a store or broker that cannot be asked is not healthy
        return False
