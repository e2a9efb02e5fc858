"""An organization's history of ~1,000 events over HTTP, whole and `as_of`."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

import psycopg

from bench.http_load import client
from bench.report import Row
from bench.timing import Outcome
from domain.backoffice import BackOffice

TARGET_EVENTS = 1000
AS_OF_GOAL_MS = 50.0
"""p50 of the history as of a moment, 1,000 events (issue 23, goal 5)."""


def busiest_certified(conninfo: str) -> tuple[str, int]:
    """The USCC of a certified organization with the most indexed events, and their count."""
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT e.uscc, COUNT(*) FROM organization_events e"
            " WHERE e.uscc IN (SELECT uscc FROM register_certificates)"
            " GROUP BY e.uscc ORDER BY COUNT(*) DESC, e.uscc LIMIT 1"
        ).fetchone()
    if row is None:
        raise RuntimeError("no certified organization in the organization index")
    return str(row[0]), int(row[1])


def grow(backoffice: BackOffice, uscc: str, have: int, today: date, target: int) -> int:
    """Bring the organization to `target` events through the application: its watchlist entry
    listed and delisted again and again (two events a round); the events added."""
    admin = BackOffice.bootstrap_admin()
    added = 0
    source = "基准测试：监管名单反复列入与移出 / benchmark: listed and delisted again and again"
    entry = backoffice.watchlist_entry(uscc)
    if entry is not None and entry.is_listed:
        backoffice.delist(uscc, source, today, admin)
        added += 1
    while have + added < target:
        backoffice.list_on_watchlist(uscc, "business_suspension_order", source, today, admin)
        backoffice.delist(uscc, source, today, admin)
        added += 2
    return added


def wait_indexed(conninfo: str, uscc: str, count: int, timeout: float = 600.0) -> None:
    """Until the projector has indexed `count` events of the organization."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(conninfo, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT COUNT(*) FROM organization_events WHERE uscc = %s", [uscc]
            ).fetchone()
            if row and int(row[0]) >= count:
                return
            time.sleep(0.1)
    raise TimeoutError(f"the organization index did not reach {count} events of {uscc}")


def _time(get: Callable[[], int], seconds: float, least: int = 5) -> Outcome:
    latencies: list[float] = []
    started = time.perf_counter()
    while len(latencies) < least or time.perf_counter() - started < seconds:
        began = time.perf_counter()
        status = get()
        if status != 200:
            raise RuntimeError(f"history answered {status}")
        latencies.append((time.perf_counter() - began) * 1000)
        if len(latencies) >= 1000:
            break
    return Outcome(len(latencies), time.perf_counter() - started, latencies)


def measure(
    backoffice: BackOffice,
    conninfo: str,
    base_url: str,
    token: str,
    today: date,
    seconds: float,
    target: int = TARGET_EVENTS,
) -> list[Row]:
    """Build the organization's history, then time the whole and the `as_of` answers."""
    uscc, have = busiest_certified(conninfo)
    build_started = time.perf_counter()
    added = grow(backoffice, uscc, have, today, target)
    build_seconds = time.perf_counter() - build_started
    wait_indexed(conninfo, uscc, have + added)
    http = client(base_url, token)
    path = f"/api/v1/organizations/{uscc}/history"
    whole = http.get(path)
    whole.raise_for_status()
    events = whole.json()
    items = events if isinstance(events, list) else events.get("items", events.get("events", []))
    last_at = items[-1]["recorded_at"]
    middle_at = items[len(items) // 2]["recorded_at"]
    rows = []
    for label, url in (
        ("whole", path),
        ("as_of its last event", f"{path}?as_of={quote(last_at)}"),
        ("as_of its middle event", f"{path}?as_of={quote(middle_at)}"),
    ):
        http.get(url).raise_for_status()
        outcome = _time(lambda url=url: http.get(url).status_code, seconds)  # type: ignore[misc]
        rows.append(
            Row(
                f"history of an organization ({len(items):,} ev), {label}",
                outcome.median,
                "ms",
                goal=100.0 if label == "whole" else AS_OF_GOAL_MS,
                goal_kind="<=",
                note=f"p50 of {outcome.operations} sequential GETs; p99 "
                f"{outcome.percentile(99):.0f} ms, max {max(outcome.latencies_ms):.0f} ms",
                extra={
                    "uscc": uscc,
                    "events": len(items),
                    "p50_ms": outcome.median,
                    "p99_ms": outcome.percentile(99),
                    "max_ms": max(outcome.latencies_ms),
                    "requests": outcome.operations,
                    "build_seconds": build_seconds,
                    "events_added": added,
                },
            )
        )
    http.close()
    return rows
