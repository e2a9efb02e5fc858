"""How the read models follow the event store: the library's ProjectionRunner, supervised.

The same code serves both stores: on PostgreSQL one LISTEN connection wakes every runner
(`projections.following`), the embedded SQLite store uses the subscription in
`projections.sqlite_subscription`.
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import psycopg
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment

from domain.backoffice import BackOffice
from ecpsc.store import READ_POOL, REPLICA_PREFIX, schema_lock
from projections.batching import nudge
from projections.following import FollowingRunner, Listener
from projections.registry import PROJECTIONS, ReadModel, unknown_read_models
from projections.view import ViewQueries

log = logging.getLogger(__name__)

RESTART_SECONDS = 1.0


def _idle_connection_check(conn: psycopg.Connection[Any]) -> None:
    """The read pool's check of a connection it hands out, without the library's round trip
    (`SELECT ''`: half the wait of a register lookup): an idle connection with bytes waiting
    to be read has been told goodbye by the server (shut down, restarted, or the backend
    ended), or its socket closed; it is closed here, so the pool discards it and hands out
    another."""
    if conn.closed:
        raise psycopg.OperationalError("the connection is closed")
    waiting, _, _ = select.select([conn.fileno()], [], [], 0)
    if waiting:
        conn.close()
        raise psycopg.OperationalError("the server ended the connection")


class ReadModels:
    """One process's read models: their views, and their runners where this process runs them.

    On PostgreSQL every view shares one small pool (READ_MODELS_POSTGRES_POOL_SIZE and
    READ_MODELS_POSTGRES_MAX_OVERFLOW in the env), the runners follow one application, and one
    connection LISTENs for them all: a process holds a handful of connections, not one pool
    per read model.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        postgres: bool,
        only: Collection[str] | None = None,
        application: BackOffice | None = None,
    ) -> None:
        """`only` names the read models whose runners `run` starts (default: all of them);
        the runners follow `application` (default: one of their own, opened by `run`)."""
        unknown = unknown_read_models(only or ())
        if unknown:
            raise KeyError(unknown)
        self._env = env
        self._postgres = postgres
        self._run = tuple(
            m for m in PROJECTIONS if only is None or m.projection_class.name in only
        )
        self._application = application
        self._own_application: BackOffice | None = None
        self._datastore: PostgresDatastore | None = None
        self._running = False
        self._on_replica = False
        """Whether the views read a streaming replica (ECPSC_READ_DATABASE_URL): only where
        no runner writes them."""
        self._listener: Listener | None = None
        self._runners: dict[str, FollowingRunner] = {}
        self._views: dict[str, ViewQueries] = {}
        self._views_lock = threading.Lock()
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def _view_class(self, model: ReadModel) -> type[ViewQueries]:
        return model.postgres_view if self._postgres else model.sqlite_view

    def _followed(self) -> BackOffice:
        """The application the runners follow (opened on first use when none was given)."""
        if self._application is None:
            with schema_lock(self._env):
                self._own_application = BackOffice(env=self._env)
            self._application = self._own_application
        return self._application

    def _start_runner(self, model: ReadModel) -> None:
        name = model.projection_class.name
        view = self.view(name)
        runner = FollowingRunner(app=self._followed(), projection=model.projection_class(view=view))
        runner.__enter__()
        self._runners[name] = runner

    def run(self) -> None:
        """Start a runner for every read model, restarted whenever it stops on an error (or
        fails to start: the store may be busy or down)."""
        self._running = True
        if self._on_replica:  # views read before: the runners write theirs on the primary
            self._close_views()
        for model in self._run:
            self._try_start_runner(model)
        if self._postgres and self._application is not None:
            recorder = self._application.recorder
            self._listener = Listener(
                self._conninfo(), recorder.channel_name, self._wake  # type: ignore[attr-defined]
            )
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()

    def _conninfo(self) -> dict[str, Any]:
        env = self._env
        return {
            "dbname": env["POSTGRES_DBNAME"],
            "host": env["POSTGRES_HOST"],
            "port": env["POSTGRES_PORT"],
            "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"],
            "connect_timeout": int(env.get("POSTGRES_CONNECT_TIMEOUT") or 5),
        }

    def _wake(self) -> None:
        for runner in list(self._runners.values()):
            nudge(runner)

    def _try_start_runner(self, model: ReadModel) -> None:
        try:
            self._start_runner(model)
        except Exception as error:
            log.warning(
                "projection %s not started (%s); retrying", model.projection_class.name, error
            )

    def _supervise(self) -> None:
        while not self._stopping.wait(RESTART_SECONDS):
            if self._postgres and self._listener is None and self._application is not None:
                recorder = self._application.recorder
                self._listener = Listener(
                    self._conninfo(), recorder.channel_name, self._wake  # type: ignore[attr-defined]
                )
            for model in self._run:
                name = model.projection_class.name
                runner = self._runners.get(name)
                if runner is not None:
                    if not runner.is_interrupted.is_set():
                        nudge(runner)
                        continue
                    try:
                        runner.run_forever(timeout=0)
                    except Exception:
                        log.exception("projection %s stopped; restarting it", name)
                    del self._runners[name]
                    self._close_runner(runner)
                if not self._stopping.is_set():
                    # The store may still be down: the runner is tried again on the next tick.
                    try:
                        self._start_runner(model)
                    except Exception as error:
                        log.warning("projection %s not restarted (%s); retrying", name, error)

    def running(self) -> bool:
        """Whether every read model this process runs has a runner going (none is restarting)."""
        runners = [self._runners.get(m.projection_class.name) for m in self._run]
        return all(r is not None and not r.is_interrupted.is_set() for r in runners)

    def view(self, name: str) -> Any:
        """The named read model's view (constructed on first use)."""
        view = self._views.get(name)
        if view is not None:
            return view
        model = next((m for m in PROJECTIONS if m.projection_class.name == name), None)
        if model is None:
            raise KeyError(f"no read model named {name!r}")
        with self._views_lock:
            if name not in self._views:
                if self._reads_replica():
                    # Its tables come from the primary, where the projector made them.
                    self._views[name] = self._construct_view(model)
                else:
                    # Constructing a view creates its tables: serialised with projectors.
                    with schema_lock(self._env):
                        self._views[name] = self._construct_view(model)
        return self._views[name]

    def _reads_replica(self) -> bool:
        return (
            self._postgres
            and not self._running
            and f"{REPLICA_PREFIX}POSTGRES_HOST" in self._env
        )

    def _construct_view(self, model: ReadModel) -> ViewQueries:
        name = model.projection_class.name
        if not self._postgres:
            # SQLite keeps one tracking table per file: each view has a file of its own.
            factory = InfrastructureFactory.construct(Environment(name, self._env))
            return cast(
                ViewQueries,
                factory.tracking_recorder(model.sqlite_view),  # type: ignore[type-var]
            )
        if self._datastore is None:
            env = self._env
            self._on_replica = self._reads_replica()
            if self._on_replica:
                pool = READ_POOL.upper()
                env = {
                    **env,
                    **{
                        f"{pool}_{key.removeprefix(REPLICA_PREFIX)}": value
                        for key, value in env.items()
                        if key.startswith(REPLICA_PREFIX)
                    },
                }
            self._datastore = PostgresFactory(Environment(READ_POOL, env)).datastore
            if self._datastore.pre_ping:
                self._datastore.pool._check = _idle_connection_check  # type: ignore[attr-defined]
        # What the library's factory does for a view named after its projection, on the pool.
        view = model.postgres_view(
            datastore=self._datastore, tracking_table_name=f"{name}_tracking"
        )
        if not self._on_replica:  # a replica is read-only: the primary's tables reach it
            view.create_table()
        return view

    def wait(self, notification_id: int | None, timeout: float = 10.0) -> None:
        """Block until every read model has applied the given notification (read your writes)."""
        if notification_id is None:
            return
        for model in PROJECTIONS:
            self.view(model.projection_class.name).wait(
                BackOffice.name, notification_id, timeout=timeout
            )

    def lag(self, notification_id: int | None) -> dict[str, int]:
        """How many notifications each read model is behind the given one."""
        last = notification_id or 0
        lags = {}
        for model in PROJECTIONS:
            name = model.projection_class.name
            reached = self.view(name).max_tracking_id(BackOffice.name) or 0
            lags[name] = max(last - reached, 0)
        return lags

    @staticmethod
    def _close_runner(runner: FollowingRunner) -> None:
        try:
            runner.__exit__(None, None, None)
        except Exception:
            log.exception("error while closing a projection runner")

    def _close_views(self) -> None:
        with self._views_lock:
            if self._datastore is not None:
                self._datastore.close()
            else:
                for view in self._views.values():
                    view.datastore.close()  # type: ignore[attr-defined]
            self._views.clear()
            self._datastore = None
            self._on_replica = False

    def close(self) -> None:
        """Stop the runners; close the views' connections and the application opened here."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
        if self._listener is not None:
            self._listener.close()
        if self._runners:
            with ThreadPoolExecutor(max_workers=len(self._runners)) as pool:
                list(pool.map(self._close_runner, self._runners.values()))
        self._runners.clear()
        self._close_views()
        if self._own_application is not None:
            self._own_application.close()
