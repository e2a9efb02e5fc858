"""The read models served from a streaming replica (issue 23, goal 6): commands on the primary,
the public register read from a replica made with pg_basebackup, read-your-writes kept.

The test runs PostgreSQL servers of its own (a primary, then its replica), so it runs whichever
store the suite is under (ECPSC_TEST_STORE)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient

from api.main import create_app
from domain.backoffice import BackOffice
from ecpsc.demo_data import demo_uscc, fill
from ecpsc.services import Services
from ecpsc.settings import Settings
from tests.conftest import TODAY
from tests.faults.private_postgres import PrivatePostgres, _bin, private_postgres


@contextmanager
def replica_of(primary: PrivatePostgres) -> Iterator[PrivatePostgres]:
    """A hot standby of `primary`: pg_basebackup -R (streaming, standby.signal), started."""
    folder = Path(tempfile.mkdtemp(prefix="ecpsc-pg-replica-"))
    user = primary._user
    if user is not None:
        shutil.chown(folder, user=user)
    replica = PrivatePostgres(folder, user)
    try:
        replica._run(
            _bin("pg_basebackup"), "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast",
            "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        )  # fmt: skip
        replica.start()
        yield replica
    finally:
        try:
            if replica.running():
                replica.stop("immediate")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _in_recovery(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
    return bool(row and row[0])


def test_register_lookups_are_served_from_a_replica_and_writes_are_read_back(
    tmp_path: Path,
) -> None:
    """Given a primary holding demo data, its projector's read models built there, and a
    streaming replica of it; when an API process set with ECPSC_READ_DATABASE_URL = the replica
    looks a certificate up, records a command and reads its own write; then its read models'
    connections go to the replica (in recovery), the lookup answers from it, the command is
    recorded on the primary and read back from the replica at once (the wait reads the read
    models' tracking on the replica itself); and with the primary stopped the replica still
    answers the public register."""
    with private_postgres() as primary:
        with psycopg.connect(primary.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE ecpsc")
        base = primary.url.rsplit("/", 1)[0]
        writer = Settings(
            database_url=f"{base}/ecpsc",
            today=TODAY,
            daily_jobs=False,
            outbox_dir=tmp_path / "outbox",
        )
        fill(writer, 2, seed=3, progress=lambda _line: None, projector_processes=False)
        # The projector keeps the read models on the primary while the API reads the replica.
        projector = Services(writer, run_projections=True)
        closed = False
        try:
            with replica_of(primary) as replica:
                replica_url = f"{replica.url.rsplit('/', 1)[0]}/ecpsc"
                assert _in_recovery(replica_url) and not _in_recovery(writer.database_url)
                api_settings = writer.model_copy(
                    update={"projections": False, "read_database_url": replica_url}
                )
                app = create_app(api_settings)
                with TestClient(app) as client:
                    services: Services = app.state.services
                    register = services.read_models.view("register")
                    assert register.datastore.pool.kwargs["port"] == str(replica.port)
                    with psycopg.connect(replica_url) as conn:
                        row = conn.execute(
                            "SELECT number FROM register_certificates ORDER BY number LIMIT 1"
                        ).fetchone()
                    assert row is not None
                    number = str(row[0])
                    found = client.get(f"/api/v1/register/certificates/{number}")
                    assert found.status_code == 200, found.text
                    assert found.json()["number"] == number

                    # A command goes to the primary; settle() waits until the replica's read
                    # models hold it, so the next read sees it.
                    code = demo_uscc("110105", 77)
                    services.backoffice.list_on_watchlist(
                        code, "business_suspension_order", "source", date(2026, 11, 20),
                        BackOffice.bootstrap_admin(),
                    )  # fmt: skip
                    services.settle()
                    index = services.read_models.view("organization_index")
                    assert [r["topic"].rsplit(".", 1)[-1] for r in index.events(code)] == [
                        "Listed"
                    ]

                    projector.close()
                    closed = True
                    primary.stop("fast")
                    again = client.get(f"/api/v1/register/certificates/{number}")
                    assert again.status_code == 200, again.text
                    assert again.json() == found.json()
        finally:
            if not closed:
                projector.close()
