"""PostgreSQL stopped and started again under a write load (issue 9, faults): while it is down
every command is answered `503 store_unavailable` with `Retry-After` within a bound — never a
500, never a hang — and once it is back the same server records commands again, without being
restarted; every command it acknowledged is in the event log.

The test runs a PostgreSQL of its own (initdb in a temporary folder, a free loopback port) that
it may stop, so it runs whichever store the suite is under (ECPSC_TEST_STORE)."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient

from api.main import create_app
from domain.watchlist import WatchlistEntry
from ecpsc.settings import Settings
from tests.api.test_decisions_api import uscc
from tests.conftest import ADMIN_TOKEN, TODAY
from tests.faults.private_postgres import private_postgres

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WRITERS = 3
BEFORE_SECONDS = 1.5
OUTAGE_SECONDS = 9.0
AFTER_SECONDS = 8.0
ANSWER_BOUND_SECONDS = 10.0
"""The longest any command may wait for its answer, outage or not."""
READY_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 1
"""A command meeting the outage fails in about 2 × (1 + 0.2) s, so each writer sends several
commands wholly inside it even on a busy machine (the default, 2 s, doubles that)."""


@dataclass(frozen=True)
class Answer:
    """One command sent by the load: what, when, and how it was answered."""

    uscc: str
    sent: float
    answered: float
    status: int
    retry_after: str | None
    code: str | None


def test_postgres_stopped_and_started_under_a_write_load(tmp_path: Path) -> None:
    with private_postgres() as server:
        # given a server on a PostgreSQL of the test's own
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE ecpsc")
        database_url = server.url.rpartition("/")[0] + "/ecpsc"
        settings = Settings(database_url=database_url, today=TODAY, admin_token=ADMIN_TOKEN,
                            daily_jobs=False, documents_dir=tmp_path / "documents",
                            outbox_dir=tmp_path / "outbox",
                            postgres_connect_timeout=CONNECT_TIMEOUT_SECONDS)  # fmt: skip
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            # and writers listing a new organization on the watchlist, one command after another
            answers: list[Answer] = []
            numbers = itertools.count(1)
            stop = threading.Event()

            def write() -> None:
                while not stop.is_set():
                    code = uscc(next(numbers))
                    body = {"uscc": code, "list": "serious_illegal", "source": "市监局",
                            "listed_on": "2026-11-20"}  # fmt: skip
                    sent = time.monotonic()
                    answer = client.post("/api/v1/watchlist", json=body, headers=ADMIN)
                    is_json = answer.headers.get("content-type") == "application/json"
                    answers.append(Answer(
                        code, sent, time.monotonic(), answer.status_code,
                        answer.headers.get("retry-after"),
                        answer.json().get("code") if is_json else None))  # fmt: skip
                    if answer.status_code == 503:
                        time.sleep(0.05)  # a client honours Retry-After; the test only paces

            writers = [threading.Thread(target=write) for _ in range(WRITERS)]
            for writer in writers:
                writer.start()
            try:
                time.sleep(BEFORE_SECONDS)
                # when PostgreSQL stops under the load, stays down a while and starts again
                server.stop("fast")
                down = time.monotonic()
                time.sleep(OUTAGE_SECONDS)
                restarting = time.monotonic()
                server.start()
                up = time.monotonic()
                time.sleep(AFTER_SECONDS)
            finally:
                stop.set()
                for writer in writers:
                    writer.join(ANSWER_BOUND_SECONDS * 3)
            assert not any(writer.is_alive() for writer in writers), "a command hung"
            # then no command failed otherwise or waited beyond the bound
            assert {a.status for a in answers} <= {201, 503}, sorted({a.status for a in answers})
            slowest = max(a.answered - a.sent for a in answers)
            assert slowest < ANSWER_BOUND_SECONDS, f"a command waited {slowest:.1f} s"
            # and every command sent and answered while it was down was refused as unavailable,
            # with Retry-After
            outage = [a for a in answers if a.sent >= down and a.answered <= restarting]
            assert len(outage) >= WRITERS, f"only {len(outage)} commands met the outage"
            assert all(a.status == 503 for a in outage), [a.status for a in outage]
            refused = [a for a in answers if a.status == 503]
            assert all(a.retry_after and int(a.retry_after) > 0 for a in refused)
            assert all(a.code == "store_unavailable" for a in refused)
            # and the same server recorded commands again once PostgreSQL was back
            recovered = [a for a in answers if a.sent >= up and a.status == 201]
            assert len(recovered) >= WRITERS, f"{len(recovered)} commands recorded after restart"
            last = [a for a in answers if a.sent >= up + AFTER_SECONDS - 1]
            assert last and all(a.status == 201 for a in last), [a.status for a in last]
            # and its read models caught up by themselves
            deadline = time.monotonic() + READY_SECONDS
            while True:
                ready = client.get("/readyz")
                if ready.status_code == 200 and not any(ready.json()["projection_lag"].values()):
                    break
                assert time.monotonic() < deadline, ready.text
                time.sleep(0.2)
        # and every acknowledged command is in the event log
        with psycopg.connect(database_url) as conn:
            rows = conn.execute("SELECT originator_id FROM backoffice_events").fetchall()
        stored = {row[0] for row in rows}
        acknowledged = [a.uscc for a in answers if a.status == 201]
        assert len(acknowledged) > len(recovered)
        missing = [c for c in acknowledged if WatchlistEntry.create_id(c) not in stored]
        assert not missing, f"acknowledged but not recorded: {missing}"
