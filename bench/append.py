"""Append rate of a one-event command through the BackOffice against raw INSERT+COMMIT."""

from __future__ import annotations

import itertools
import random
import threading
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg

from bench.report import Row
from bench.timing import Outcome, Worker, closed_loop
from domain.backoffice import BackOffice
from ecpsc.demo_data import demo_uscc

DIVISION = "110101"
"""Watchlisted organizations of the benchmark are registered in Beijing's Dongcheng district."""
RAW_TABLE = "bench_raw_events"


class UsccSource:
    """Fresh valid USCCs, never handed out twice in a process (threads share one)."""

    def __init__(self) -> None:
        self._serials = itertools.count(random.randrange(31**7 // 2))
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            serial = next(self._serials)
        return demo_uscc(DIVISION, serial % 31**7)


def watchlist_command(backoffice: BackOffice, usccs: UsccSource, today: date) -> Worker:
    """The cheapest real command: an organization listed on the watchlist, one new aggregate
    with one event (after one read finding no entry for it)."""
    admin = BackOffice.bootstrap_admin()

    def run(_: int) -> None:
        backoffice.list_on_watchlist(
            usccs(), "business_suspension_order", "基准测试 / benchmark", today, admin
        )

    return run


def event_shape(conninfo: str, table: str) -> tuple[int, int]:
    """Sizes of the topic and the state of the latest stored event (the command's event)."""
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            f"SELECT length(topic), length(state) FROM {table} ORDER BY notification_id DESC"
            " LIMIT 1"
        ).fetchone()
    if row is None:
        raise RuntimeError("no stored event to take the shape of")
    return int(row[0]), int(row[1])


def create_raw_table(conninfo: str) -> None:
    """A scratch table shaped like the library's stored events table."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        conn.execute(
            f"CREATE TABLE {RAW_TABLE} (originator_id uuid NOT NULL,"
            " originator_version bigint NOT NULL, topic text, state bytea,"
            " notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        )
        conn.execute(f"CREATE UNIQUE INDEX {RAW_TABLE}_nid ON {RAW_TABLE} (notification_id ASC)")


def drop_raw_table(conninfo: str) -> None:
    """Remove the scratch table."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")


def raw_insert(
    conninfo: str, topic_size: int, state_size: int, *, locked: bool
) -> Callable[[int], Worker]:
    """A worker per thread on its own connection: INSERT one row and COMMIT; `locked` also
    takes the library's LOCK TABLE … IN EXCLUSIVE MODE and NOTIFY in the transaction."""
    topic = ("domain.watchlist:WatchlistEntry.Listed" * 10)[:topic_size]
    connections: list[psycopg.Connection[Any]] = []

    def make(_: int) -> Worker:
        conn = psycopg.connect(conninfo)
        connections.append(conn)
        insert = (
            f"INSERT INTO {RAW_TABLE} (originator_id, originator_version, topic, state)"
            " VALUES (%s, 1, %s, %s) RETURNING notification_id"
        )

        def run(_: int) -> None:
            state = random.randbytes(state_size)
            with conn.cursor() as curs:
                if locked:
                    curs.execute("SET LOCAL lock_timeout = '0s'")
                    curs.execute(f"LOCK TABLE {RAW_TABLE} IN EXCLUSIVE MODE")
                curs.execute(insert, (uuid.uuid4(), topic, state), prepare=True)
                curs.fetchone()
                if locked:
                    curs.execute(f"NOTIFY {RAW_TABLE}")
            conn.commit()

        return run

    make.connections = connections  # type: ignore[attr-defined]
    return make


def _close(factory: Callable[[int], Worker]) -> None:
    for conn in getattr(factory, "connections", []):
        conn.close()


def measure(
    backoffice: BackOffice, conninfo: str, today: date, seconds: float, warmup: float
) -> tuple[list[Row], dict[int, Outcome]]:
    """Direct command rates with 1 and 8 writers beside raw inserts of the same shape."""
    usccs = UsccSource()
    command = watchlist_command(backoffice, usccs, today)
    command(0)
    table = backoffice.recorder.events_table_name  # type: ignore[attr-defined]
    topic_size, state_size = event_shape(conninfo, table)
    create_raw_table(conninfo)
    rows: list[Row] = []
    direct: dict[int, Outcome] = {}
    try:
        for writers, goal in ((1, 0.6), (8, 0.35)):
            app = closed_loop(lambda _i: command, writers, seconds, warmup)
            direct[writers] = app
            plain_factory = raw_insert(conninfo, topic_size, state_size, locked=False)
            plain = closed_loop(plain_factory, writers, seconds, warmup)
            _close(plain_factory)
            locked_factory = raw_insert(conninfo, topic_size, state_size, locked=True)
            locked = closed_loop(locked_factory, writers, seconds, warmup)
            _close(locked_factory)
            shape = f"topic {topic_size} B, state {state_size} B"
            rows.append(
                Row(
                    f"append: watchlist listing, BackOffice, {writers} writer(s)",
                    app.rate,
                    "ev/s",
                    plain.rate,
                    "ins/s",
                    goal,
                    "ratio>=",
                    note=f"baseline: raw INSERT+COMMIT, no lock ({shape}); "
                    f"p50 {app.median:.1f} ms, p99 {app.percentile(99):.1f} ms"
                    + (f"; {app.errors} errors: {app.first_error}" if app.errors else ""),
                    extra={
                        "p50_ms": app.median,
                        "p99_ms": app.percentile(99),
                        "errors": app.errors,
                        "topic_bytes": topic_size,
                        "state_bytes": state_size,
                        "raw_p50_ms": plain.median,
                        "raw_errors": plain.errors,
                    },
                )
            )
            rows.append(
                Row(
                    f"append: raw INSERT+COMMIT with EXCLUSIVE lock, {writers} w",
                    locked.rate,
                    "ins/s",
                    plain.rate,
                    "ins/s",
                    note="information: the library's LOCK TABLE … IN EXCLUSIVE MODE + NOTIFY "
                    "per transaction, against the plain insert",
                    extra={"p50_ms": locked.median, "errors": locked.errors},
                )
            )
    finally:
        drop_raw_table(conninfo)
    return rows, direct
