"""The daily sweep (the worker's `run_sweep` path) on a day when ~1 % of certificates are due."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from bench.report import Row
from domain.backoffice import BackOffice
from domain.sweeps import SweepJournal
from ecpsc.settings import Settings
from projections.runner import ReadModels

DUE_FRACTION = 0.01
MAX_DAYS_AHEAD = 800


def journal(backoffice: BackOffice) -> tuple[date | None, int]:
    """The last day swept and the journal's version (0 before the first sweep)."""
    try:
        found: SweepJournal = backoffice.repository.get(SweepJournal.create_id())
    except Exception:  # AggregateNotFoundError: never swept
        return None, 0
    return found.last_swept_on, found.version


def pick_day(read_models: ReadModels, after: date, certificates: int) -> tuple[date, int]:
    """The first day after `after` on which at least 1 % of the certificates (one at least)
    may owe a change, by the deadlines read model the sweep itself asks; and how many."""
    wanted = max(1, round(certificates * DUE_FRACTION))
    view = read_models.view("certificate_deadlines")
    day = after
    for _ in range(MAX_DAYS_AHEAD):
        day += timedelta(days=1)
        due = len(view.due(day))
        if due >= wanted:
            return day, due
    return day, len(view.due(day))


def run_in_worker(broker_url: str, day: date) -> None:
    """Send the worker's `run_sweep` message for the day through the broker."""
    from workers.broker import install_broker

    install_broker(Settings(broker_url=broker_url))
    from workers import actors  # bound to the broker installed above

    actors.run_sweep.send(day.isoformat())


def run_in_process(settings: Settings, day: date) -> None:
    """The same path in this process (no broker at hand): `deadline_jobs.sweep`."""
    from ecpsc import deadline_jobs
    from ecpsc.services import Services

    services = Services(settings.model_copy(update={"today": day}), run_projections=False)
    try:
        deadline_jobs.sweep(services, day)
    finally:
        services.close()


def wait_swept(backoffice: BackOffice, day: date, before: int, timeout: float) -> list[Any]:
    """Until the journal records the day; the changes that sweep recorded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last, version = journal(backoffice)
        if version > before and last is not None and last >= day:
            events = backoffice.repository.event_store.get(SweepJournal.create_id(), gt=before)
            return [c for e in events if getattr(e, "as_of", None) == day for c in e.changes]  # type: ignore[attr-defined]
        time.sleep(0.02)
    raise TimeoutError(f"the sweep of {day} was not journalled within {timeout:.0f}s")


def measure(
    backoffice: BackOffice,
    day: date,
    due: int,
    certificates: int,
    broker_url: str | None,
    settings: Settings,
) -> list[Row]:
    """Time the sweep of `day` from the message sent to the journal recording it."""
    _, before = journal(backoffice)
    started = time.perf_counter()
    if broker_url:
        run_in_worker(broker_url, day)
        path = "ecpsc worker (run_sweep via Redis)"
    else:
        run_in_process(settings, day)
        path = "deadline_jobs.sweep in the bench process (no redis-server)"
    changes = wait_swept(backoffice, day, before, timeout=3600)
    seconds = time.perf_counter() - started
    return [
        Row(
            f"daily sweep, {due:,} due of {certificates:,} certificates",
            seconds,
            "s",
            goal=10.0,
            goal_kind="<=",
            note=f"{path} as of {day.isoformat()}: {len(changes):,} changes recorded; from "
            "the message sent to the day journalled",
            extra={"as_of": day.isoformat(), "due": due, "changes": len(changes), "path": path},
        )
    ]
