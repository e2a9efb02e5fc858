"""When the event store cannot be reached: which errors say so, and failing fast on them.

A request that meets one of `STORE_UNAVAILABLE` is answered `503` with `Retry-After`
(`api/errors.py`); nothing it was about to record is recorded. The library retries each store
call ten times, every attempt waiting up to POSTGRES_CONNECT_TIMEOUT for a connection from its
pool, which would hold a request for about 25 s while PostgreSQL is down: our recorders keep
`STORE_ATTEMPTS` of them instead (one retry still rides over a single dropped connection).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.utils import retry

STORE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError,  # the library's, raised for psycopg's and SQLite's own
    InterfaceError,
    psycopg.OperationalError,  # psycopg_pool's PoolTimeout, PoolClosed, TooManyRequests too
    psycopg.InterfaceError,
)
"""The errors that mean the store cannot be reached now, rather than a mistake in a request."""

STORE_ATTEMPTS = 2
RETRY_WAIT_SECONDS = 0.2


def fewer_attempts(method: Callable[..., Any]) -> Callable[..., Any]:
    """A recorder method of the library retried `STORE_ATTEMPTS` times instead of its ten."""
    inner = getattr(method, "__wrapped__", method)
    wrapped: Callable[..., Any] = retry(
        (InterfaceError, OperationalError), max_attempts=STORE_ATTEMPTS, wait=RETRY_WAIT_SECONDS
    )(inner)
    return wrapped


class FailFastPostgresAggregateRecorder(PostgresAggregateRecorder):
    """The library's recorder of snapshots, with `STORE_ATTEMPTS` attempts per call."""

    insert_events = fewer_attempts(PostgresAggregateRecorder.insert_events)
    select_events = fewer_attempts(PostgresAggregateRecorder.select_events)


def fail_fast_snapshots(application: Application[Any]) -> None:
    """Make the application's snapshot recorder fail fast too (the library's factory builds it
    from a fixed class; a command reads a snapshot before its events)."""
    snapshots = application.snapshots
    if snapshots is not None and type(snapshots.recorder) is PostgresAggregateRecorder:
        snapshots.recorder.__class__ = FailFastPostgresAggregateRecorder
