"""How the read models follow the event store: the library's ProjectionRunner, supervised.

The same code serves both stores: PostgreSQL subscriptions use LISTEN/NOTIFY, the embedded
SQLite store uses the subscription in `projections.sqlite_subscription`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.projection import ProjectionRunner
from eventsourcing.utils import Environment

from domain.backoffice import BackOffice
from ecpsc.store import schema_lock
from projections.batching import BatchingProjectionRunner, nudge
from projections.registry import PROJECTIONS, ReadModel, unknown_read_models
from projections.view import ViewQueries

log = logging.getLogger(__name__)

RESTART_SECONDS = 1.0


class ReadModels:
    """One process's read models: their views, and their runners where this process runs them."""

    def __init__(
        self, env: dict[str, str], *, postgres: bool, only: Collection[str] | None = None
    ) -> None:
        """`only` names the read models whose runners `run` starts (default: all of them)."""
        unknown = unknown_read_models(only or ())
        if unknown:
            raise KeyError(unknown)
        self._env = env
        self._postgres = postgres
        self._run = tuple(
            m for m in PROJECTIONS if only is None or m.projection_class.name in only
        )
        self._runners: dict[str, ProjectionRunner[Any, Any]] = {}
        self._views: dict[str, ViewQueries] = {}
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def _view_class(self, model: ReadModel) -> type[ViewQueries]:
        return model.postgres_view if self._postgres else model.sqlite_view

    def _start_runner(self, model: ReadModel) -> None:
        name = model.projection_class.name
        with schema_lock(self._env):
            runner: ProjectionRunner[Any, Any] = BatchingProjectionRunner(
                application_class=BackOffice,
                projection_class=model.projection_class,
                view_class=self._view_class(model),
                env=self._env,
            )
        runner.__enter__()
        self._runners[name] = runner
        stand_in = self._views.get(name)
        self._views[name] = runner.view
        if stand_in is not None and stand_in is not runner.view:
            stand_in.datastore.close()  # type: ignore[attr-defined]

    def run(self) -> None:
        """Start a runner for every read model, restarted whenever it stops on an error (or
        fails to start: the store may be busy or down)."""
        # Side by side: each runner spends most of its start waiting on its connections.
        with ThreadPoolExecutor(max_workers=len(self._run)) as pool:
            list(pool.map(self._try_start_runner, self._run))
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()

    def _try_start_runner(self, model: ReadModel) -> None:
        try:
            self._start_runner(model)
        except Exception as error:
            log.warning(
                "projection %s not started (%s); retrying", model.projection_class.name, error
            )

    def _supervise(self) -> None:
        while not self._stopping.wait(RESTART_SECONDS):
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
                    if self._views.get(name) is runner.view:
                        del self._views[name]  # closed below: view() opens another meanwhile
                    self._close_runner(runner)
                    runner.view.datastore.close()
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
        """The named read model's view (constructed on first use when no runner holds it)."""
        if name not in self._views:
            model = next((m for m in PROJECTIONS if m.projection_class.name == name), None)
            if model is None:
                raise KeyError(f"no read model named {name!r}")
            # Constructing a view creates its tables: serialised with projector processes.
            with schema_lock(self._env):
                factory = InfrastructureFactory.construct(Environment(name, self._env))
                self._views[name] = cast(
                    ViewQueries,
                    factory.tracking_recorder(self._view_class(model)),  # type: ignore[type-var]
                )
        return self._views[name]

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
    def _close_runner(runner: ProjectionRunner[Any, Any]) -> None:
        try:
            runner.__exit__(None, None, None)
        except Exception:
            log.exception("error while closing a projection runner")

    def close(self) -> None:
        """Stop the runners."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
        if self._runners:
            with ThreadPoolExecutor(max_workers=len(self._runners)) as pool:
                list(pool.map(self._close_runner, self._runners.values()))
        self._runners.clear()
        for view in self._views.values():
            # The runner closes its application but not its view's connections.
            view.datastore.close()  # type: ignore[attr-defined]
        self._views.clear()
