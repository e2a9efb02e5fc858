"""The common ground of read models: a tracking recorder that also holds the model's table.

A view writes its rows and the tracking record in one transaction, so each event is applied
exactly once whatever crashes in between. Within `batched()` the projecting thread's writes of
several events share one transaction: their rows and the tracking of the last of them commit
together or not at all, and the projection's own reads see the batch's uncommitted rows. SQL is
written once with `?` placeholders and portable types; the PostgreSQL view translates them.
"""

from __future__ import annotations

import threading
import time
from abc import abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg.sql import SQL

from ecpsc.outage import fewer_attempts

Statement = tuple[str, Sequence[Any]]


class _Batch(threading.local):
    """The open transaction of the thread applying a batch, if any (readers never see it)."""

    cursor: Any = None
    tracking: Tracking | None = None
    """The position of the batch's last event, recorded once, just before it commits."""
    deferred: list[Callable[[], Sequence[Statement]]]
    """What gives the statements written once at the batch's end (see `ViewQueries.defer`)."""

    def __init__(self) -> None:
        self.deferred = []


class ViewQueries(TrackingRecorder):
    """What every read model offers besides its own queries."""

    ddl: tuple[str, ...] = ()
    """CREATE TABLE / INDEX statements of the model, portable between SQLite and PostgreSQL."""

    _batch: _Batch

    @abstractmethod
    def write(self, statements: Sequence[Statement], tracking: Tracking) -> None:
        """Apply statements and record tracking in one transaction."""

    @contextmanager
    def batched(self) -> Iterator[None]:
        """This thread's writes inside the block share one transaction, committed at its end."""
        if self._batch.cursor is not None:
            yield
            return
        with (
            self.datastore.transaction(commit=True) as curs,  # type: ignore[attr-defined]
            self._pipelined(curs),
        ):
            self._batch.cursor, self._batch.tracking = curs, None
            self._batch.deferred.clear()
            try:
                yield
                for deferred in self._batch.deferred:
                    statements = deferred()
                    if statements and self._batch.tracking is not None:
                        self.write(statements, self._batch.tracking)
                # Tracking only grows, so the last event's record stands for the batch's.
                if self._batch.tracking is not None:
                    self._insert_tracking(  # type: ignore[attr-defined]
                        self._own_cursor(curs), self._batch.tracking
                    )
            finally:
                self._batch.cursor, self._batch.tracking = None, None
                self._batch.deferred.clear()

    def defer(self, statements: Callable[[], Sequence[Statement]]) -> bool:
        """Have `statements()` written once, at the end of the open batch, before its tracking;
        whether this is its first deferral in the batch (state kept for an earlier batch that
        failed is stale then). A projection gathers there what many events add to few rows."""
        if self._batch.cursor is None:
            raise RuntimeError("statements are deferred to the end of an open batch")
        if statements in self._batch.deferred:
            return False
        self._batch.deferred.append(statements)
        return True

    def _pipelined(self, curs: Any) -> AbstractContextManager[Any]:
        """Where the store can, send a batch's statements without waiting on each answer."""
        return nullcontext()

    def _own_cursor(self, curs: Any) -> Any:
        """A cursor of the batch's transaction for a statement whose answer is read."""
        return curs

    def insert_tracking(self, tracking: Tracking) -> None:
        """Record tracking alone (an event the projection ignores), in the batch if open."""
        self.write([], tracking)

    @abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query and return its rows as dicts."""

    def wait(
        self,
        application_name: str,
        notification_id: int | None,
        timeout: float = 1.0,
        interrupt: threading.Event | None = None,
    ) -> None:
        """Block until the view has applied `notification_id` (polls fast: this is on a request)."""
        deadline = time.monotonic() + timeout
        interval = 0.002
        while not self.has_tracking_id(application_name, notification_id):
            if interrupt is not None and interrupt.is_set():
                raise InterruptedError("projection stopped")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"read model {type(self).__name__} has not reached notification "
                    f"{notification_id} of {application_name}"
                )
            time.sleep(interval)
            interval = min(interval * 2, 0.05)


class SQLiteView(ViewQueries, SQLiteTrackingRecorder):
    """A read model in its own SQLite file (SQLite keeps one tracking table per file)."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._batch = _Batch()
        pool = self.datastore.pool
        create = pool._create_connection

        def relaxed() -> Any:
            # A read model is re-derivable: with WAL, synchronous=NORMAL may lose the last
            # commits on power loss but never splits a row from its tracking record, so the
            # runner re-applies from where the file says it is. It saves a disk sync per event
            # (catch-up about 2.8 times faster). The event store keeps FULL.
            connection = create()
            connection._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
            return connection

        pool._create_connection = relaxed  # type: ignore[method-assign]

    def construct_create_table_statements(self) -> list[str]:
        """The tracking table and the model's tables."""
        return [*super().construct_create_table_statements(), *self.ddl]

    def write(self, statements: Sequence[Statement], tracking: Tracking) -> None:
        """Apply statements and record tracking in one transaction (the batch's, if open)."""
        with self.batched():
            curs = self._batch.cursor
            for sql, params in statements:
                curs.execute(sql, params)
            self._batch.tracking = tracking

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query and return its rows as dicts (seeing the batch's rows, if open)."""
        if self._batch.cursor is not None:
            self._batch.cursor.execute(sql, params)
            return [dict(row) for row in self._batch.cursor.fetchall()]
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql, params)
            return [dict(row) for row in curs.fetchall()]


class PostgresView(ViewQueries, PostgresTrackingRecorder):
    """A read model in the PostgreSQL database beside the event store."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._batch = _Batch()
        self.sql_create_statements.extend(SQL(s).format() for s in self.ddl)  # type: ignore[arg-type]

    # Fail within seconds, not ~25 s, while PostgreSQL is down (ecpsc.outage).
    has_tracking_id = fewer_attempts(PostgresTrackingRecorder.has_tracking_id)
    max_tracking_id = fewer_attempts(PostgresTrackingRecorder.max_tracking_id)

    def write(self, statements: Sequence[Statement], tracking: Tracking) -> None:
        """Apply statements and record tracking in one transaction (the batch's, if open)."""
        with self.batched():
            curs = self._batch.cursor
            for sql, params in statements:
                curs.execute(_pg(sql), params)
            self._batch.tracking = tracking

    def _pipelined(self, curs: Any) -> AbstractContextManager[Any]:
        """psycopg's pipeline mode: a batch's writes go out without a round trip each."""
        return curs.connection.pipeline()  # type: ignore[no-any-return]

    def _own_cursor(self, curs: Any) -> Any:
        """A fresh cursor on the batch's connection: in pipeline mode the answers of writes
        still in flight land on the cursor that sent them, after a later execute on it has
        begun, so a statement whose answer is read must not share that cursor."""
        return curs.connection.cursor()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query and return its rows as dicts (seeing the batch's rows, if open)."""
        if self._batch.cursor is not None:
            with self._own_cursor(self._batch.cursor) as curs:
                curs.execute(_pg(sql), params)
                return [dict(row) for row in curs.fetchall()]
        # One statement on an autocommit connection: no BEGIN and ROLLBACK around it (two
        # round trips of the four a register lookup made).
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_pg(sql), params)
            return [dict(row) for row in curs.fetchall()]


def _pg(sql: str) -> Any:
    return sql.replace("%", "%%").replace("?", "%s")
