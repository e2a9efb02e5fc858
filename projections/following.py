"""Every read model of a process following one application: one pool, one LISTEN connection.

The library's ProjectionRunner constructs an application of its own (a connection pool) and
subscribes to it (on PostgreSQL one more connection, held to LISTEN), so ten read models held
about thirty PostgreSQL connections idle and over a hundred under load. Here the runners share
the process's application, their subscriptions do not listen, and one `Listener` connection
wakes them all when events are recorded.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    Subscription,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.projection import ApplicationSubscription, Projection
from psycopg.sql import SQL, Identifier

from projections.batching import BatchingProjectionRunner

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0


class QuietPostgresSubscription(ListenNotifySubscription[PostgresApplicationRecorder]):
    """The library's PostgreSQL subscription without its LISTEN connection: woken by the
    process's `Listener` (and the supervisor's nudge each second) instead."""


class FollowedSubscription(ApplicationSubscription[Any]):
    """The library's application subscription over a stored-event subscription given to it."""

    def __init__(self, app: Application[Any], subscription: Subscription[ApplicationRecorder]):
        self.name = app.name
        self.recorder = app.recorder
        self.mapper = app.mapper
        self.subscription = subscription


def subscribe(
    app: Application[Any], gt: int | None, topics: Sequence[str]
) -> FollowedSubscription:
    """Follow the application after `gt`: quietly on PostgreSQL, as the recorder says elsewhere."""
    recorder = app.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        inner: Subscription[Any] = QuietPostgresSubscription(recorder, gt=gt, topics=topics)
    else:
        inner = recorder.subscribe(gt=gt, topics=topics)
    return FollowedSubscription(app, inner)


class FollowingRunner(BatchingProjectionRunner):
    """A batching runner of one projection over an application it shares with the others
    (the library's runner, constructed from its parts; closing it leaves the application open)."""

    def __init__(self, *, app: Application[Any], projection: Projection[Any]) -> None:
        # What BaseProjectionRunner.__init__ sets up, but with the application given to it.
        self.app: Any = app
        self.app_name = app.name
        self.projection: Any = projection
        self.view: Any = projection.view
        self._projection = projection
        self._tracking_recorder = projection.view
        self._is_interrupted = threading.Event()
        self._has_called_stop = False
        self._thread_error: BaseException | None = None
        self._subscription = subscribe(
            app, projection.view.max_tracking_id(app.name), projection.topics
        )
        self._stop_thread = threading.Thread(
            target=self._stop_subscription_when_stopping,
            kwargs={"subscription": self._subscription, "is_stopping": self._is_interrupted},
        )
        self._stop_thread.start()
        self._processing_thread = threading.Thread(
            target=self._process_events_loop,
            kwargs={
                "subscription": self._subscription,
                "projection": projection,
                "is_stopping": self._is_interrupted,
                "runner": weakref.ref(self),
            },
        )
        self._processing_thread.start()

    def __exit__(self, *args: Any) -> None:
        """Stop and wait for the runner's threads; the shared application stays open."""
        self.stop()
        self._stop_thread.join()
        self._subscription.__exit__(*args)
        self._processing_thread.join()
        if self._thread_error:
            error, self._thread_error = self._thread_error, None
            raise error


class Listener:
    """One connection LISTENing for the store's notifications, calling `wake` on each."""

    def __init__(self, conninfo: dict[str, Any], channel: str, wake: Callable[[], None]) -> None:
        self._conninfo = conninfo
        self._channel = channel
        self._wake = wake
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="read-models-listen")
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(**self._conninfo, autocommit=True) as conn:
                    conn.execute(SQL("LISTEN {}").format(Identifier(self._channel)))
                    self._wake()  # events recorded while nobody listened
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=0.25, stop_after=1):
                            self._wake()
            except psycopg.Error as error:
                # The supervisor's nudge each second still brings new events meanwhile.
                log.warning("read models not listening for new events (%s); retrying", error)
                self._stopping.wait(RECONNECT_SECONDS)

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._stopping.set()
        self._thread.join()
