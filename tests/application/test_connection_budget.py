"""API, projector and worker together stay within 50 PostgreSQL connections (issue 23, goal 1).

Each process's read models share one small pool and its runners one application and one
LISTEN connection; before, every read model had a pool of its own (up to ten connections) and
every runner an application and a listening connection of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlparse

import psycopg
import pytest

from domain.backoffice import BackOffice
from ecpsc.demo_data import demo_uscc
from ecpsc.services import Services
from ecpsc.settings import Settings
from ecpsc.store import eventsourcing_env
from projections.runner import ReadModels
from tests.conftest import POSTGRES_URL, TODAY
from tests.factories import VALID_USCCS

BUDGET = 50
"""API + projector + worker with the default settings, at their peak (strictly fewer)."""
PROCESS_BUDGET = 16
"""One process's share: three of them stay under BUDGET."""


class Peak:
    """Samples the test database's server connections (this sampler's own excluded)."""

    def __init__(self, dbname: str) -> None:
        self.dbname = dbname
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def now(self, conn: psycopg.Connection[tuple[int]]) -> int:
        row = conn.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [self.dbname],
        ).fetchone()
        return int(row[0]) if row else 0

    def _run(self) -> None:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            while not self._stop.wait(0.02):
                self.peak = max(self.peak, self.now(conn))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(10)
        return self.peak


def _in_threads(count: int, work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            work(index)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


@pytest.mark.store("postgres")
def test_api_projector_and_worker_under_load_stay_within_the_budget(settings: Settings) -> None:
    """Given an API's services and a worker's (projections off) and a projector running all ten
    read models, on one PostgreSQL database with the default pool settings; when eight threads
    record commands through the API (each waiting for the read models) while eight more read
    every read model's position, and the worker reads too; then the database never holds 50
    connections at once, and one process with its projections holds at most 16."""
    dbname = urlparse(settings.database_url).path.lstrip("/")
    apart = settings.model_copy(update={"projections": False})
    api = Services(apart, run_projections=False)
    worker = Services(apart, run_projections=False)
    projector = ReadModels(eventsourcing_env(settings), postgres=True)
    projector.run()
    peak = Peak(dbname)
    admin = BackOffice.bootstrap_admin()
    try:

        def commands(index: int) -> None:
            uscc = demo_uscc("350100", index)
            for _ in range(3):
                api.backoffice.list_on_watchlist(
                    uscc, "business_suspension_order", "source", TODAY, admin
                )
                api.settle()
                api.backoffice.delist(uscc, "source", TODAY, admin)
                api.settle()

        def reads(index: int) -> None:
            services = api if index % 2 else worker
            for _ in range(20):
                services.read_models.lag(services.backoffice.recorder.max_notification_id())

        _in_threads(16, lambda i: commands(i) if i < 8 else reads(i))
        api.settle()
        assert (
            projector.view("organization_index").max_tracking_id(BackOffice.name)
            == api.backoffice.recorder.max_notification_id()
        )
    finally:
        together = peak.stop()
        projector.close()
        worker.close()
        api.close()
    assert 0 < together < BUDGET, together


@pytest.mark.store("postgres")
def test_one_serving_process_with_its_projections_holds_few_connections(
    settings: Settings,
) -> None:
    """Given `ecpsc serve`'s services with all ten read models running on PostgreSQL; when
    commands are recorded and every read model is read; then the process holds at most 16
    connections (each read model used to keep a pool, an application and a listener of its
    own: 30 and more)."""
    dbname = urlparse(settings.database_url).path.lstrip("/")
    services = Services(settings, run_projections=True)
    peak = Peak(dbname)
    admin = BackOffice.bootstrap_admin()
    try:
        for uscc in VALID_USCCS:
            services.backoffice.list_on_watchlist(
                uscc, "business_suspension_order", "source", TODAY, admin
            )
            services.settle()
        _in_threads(
            8,
            lambda _i: services.read_models.lag(services.backoffice.recorder.max_notification_id()),
        )
    finally:
        busiest = peak.stop()
        services.close()
    assert 0 < busiest <= PROCESS_BUDGET, busiest


@pytest.mark.store("postgres")
def test_a_read_model_connection_the_server_ended_is_replaced_unseen(settings: Settings) -> None:
    """Given the read models' pool holding an idle connection, when the server ends its backend
    (as on a restart), then the next read is answered on a new connection, not an error (the
    pool's check reads the server's goodbye instead of sending a query each time)."""
    services = Services(settings, run_projections=False)
    try:
        view = services.read_models.view("register")
        first = view.rows("SELECT pg_backend_pid() AS pid")[0]["pid"]
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", [first])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and conn.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [first]
            ).fetchone():
                time.sleep(0.05)
        second = view.rows("SELECT pg_backend_pid() AS pid")[0]["pid"]
        assert second != first
    finally:
        services.close()
