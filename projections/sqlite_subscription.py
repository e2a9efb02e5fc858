"""Subscriptions for the embedded SQLite store: ProjectionRunner follows it as it does PostgreSQL.

SQLite has no LISTEN/NOTIFY. Writers in this process ring a doorbell for their database file;
writers in other processes (an `ecpsc sweep` beside a running server) are seen by a short poll.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    StoredEvent,
    Subscription,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder

POLL_SECONDS = 0.25
"""How soon a write by another process is noticed."""

_doorbells: dict[str, set[threading.Event]] = {}
_doorbells_lock = threading.Lock()


def _ring(db_name: str) -> None:
    with _doorbells_lock:
        listeners = list(_doorbells.get(db_name, ()))
    for listener in listeners:
        listener.set()


class SubscribableSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, plus subscriptions."""

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert as usual, then wake this process's subscribers."""
        ids = super().insert_events(stored_events, **kwargs)
        _ring(self.datastore.pool.db_name)
        return ids

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        """Follow the application sequence after `gt`."""
        return SQLiteSubscription(recorder=self, gt=gt, topics=topics)


class SQLiteSubscription(ListenNotifySubscription[SubscribableSQLiteApplicationRecorder]):
    """The library's pull loop, woken by the doorbell or the poll instead of NOTIFY."""

    def __init__(
        self,
        recorder: SubscribableSQLiteApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
    ) -> None:
        self._db_name = recorder.datastore.pool.db_name
        self._stopped = threading.Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        with _doorbells_lock:
            _doorbells.setdefault(self._db_name, set()).add(self._has_been_notified)
        self._poll_thread = threading.Thread(target=self._poll, daemon=True)
        self._poll_thread.start()

    def _poll(self) -> None:
        while not self._stopped.wait(POLL_SECONDS):
            self._has_been_notified.set()

    def stop(self) -> None:
        """Stop pulling and leave the doorbell."""
        with _doorbells_lock:
            _doorbells.get(self._db_name, set()).discard(self._has_been_notified)
        self._stopped.set()
        super().stop()
