"""Register projection catch-up (a full rebuild into a fresh database) against a raw log read."""

from __future__ import annotations

import time
from typing import Any

import psycopg
from eventsourcing.projection import ProjectionRunner

from bench.report import Row
from domain.backoffice import BackOffice
from projections.batching import BatchingProjectionRunner
from projections.register import PostgresRegisterView, RegisterProjection

PAGE = 500
POLL_SECONDS = 0.02


def raw_read(backoffice: BackOffice, topics: tuple[str, ...]) -> tuple[int, int, float]:
    """Every notification (of the projection's topics) in pages of 500: count, last id, s."""
    recorder = backoffice.recorder
    started = time.perf_counter()
    count, last, start = 0, 0, None
    while page := recorder.select_notifications(start, PAGE, topics=topics):
        count += len(page)
        last = page[-1].id
        start = last + 1
    return count, last, time.perf_counter() - started


def _runner_class() -> type[ProjectionRunner[Any, Any]]:
    """The runner class the read models use: the batching one (`projections.runner` runs it
    as `FollowingRunner`, over a shared application, and no longer imports it by this name)."""
    return BatchingProjectionRunner


def rebuild(env: dict[str, str], admin_conninfo: str, scratch: str, last: int) -> float:
    """Seconds for a register runner writing into the empty database `scratch` to apply `last`."""
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        started = time.perf_counter()
        runner = _runner_class()(
            application_class=BackOffice,
            projection_class=RegisterProjection,
            view_class=PostgresRegisterView,
            env={**env, "REGISTER_POSTGRES_DBNAME": scratch},
        )
        with runner:
            view = runner.view
            while (view.max_tracking_id(BackOffice.name) or 0) < last:
                if runner.is_interrupted.is_set():
                    runner.run_forever(timeout=0)  # raises the runner's error
                    raise RuntimeError("the register runner stopped")
                time.sleep(POLL_SECONDS)
            seconds = time.perf_counter() - started
        view.datastore.close()  # type: ignore[attr-defined]
        return seconds
    finally:
        with psycopg.connect(admin_conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def measure(
    backoffice: BackOffice, env: dict[str, str], admin_conninfo: str, scratch: str
) -> list[Row]:
    """Catch-up rate and full rebuild time of the register over the whole store."""
    topics = tuple(RegisterProjection.topics or ())
    raw_read(backoffice, topics)  # warm the cache: both runs then read from memory
    count, last, raw_seconds = raw_read(backoffice, topics)
    seconds = rebuild(env, admin_conninfo, scratch, last)
    raw_rate = count / raw_seconds if raw_seconds else 0.0
    rate = count / seconds if seconds else 0.0
    return [
        Row(
            "register projection catch-up from zero",
            rate,
            "ev/s",
            raw_rate,
            "ev/s",
            0.25,
            "ratio>=",
            note=f"baseline: recorder.select_notifications in pages of {PAGE}, {count:,} "
            f"notifications up to id {last:,} ({raw_seconds:.2f} s)",
            extra={
                "notifications": count,
                "last_id": last,
                "raw_seconds": raw_seconds,
                "runner": _runner_class().__name__,
            },
        ),
        Row(
            "register full rebuild (fresh database) to max id",
            seconds,
            "s",
            goal=60.0,
            goal_kind="<",
            note=f"{_runner_class().__name__} into an empty database until its tracking "
            f"reaches {last:,}",
            extra={"notifications": count, "last_id": last},
        ),
    ]
