"""The projector killed with SIGKILL in the middle of its work, again and again, on PostgreSQL
(issue 9, faults; `test_projector_killed.py` does the same on the embedded store): after each
restart it goes on from its tracking records, and at the end every read model table and every
tracking row equals those of a build in one undisturbed run — no event applied twice, none
skipped.

The undisturbed build is the one demonstration data leaves in the test's database; the killed
build follows a copy of that database (CREATE DATABASE … TEMPLATE) whose read model tables were
dropped, so both follow the very same events."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from ecpsc.demo_data import fill
from ecpsc.settings import Settings
from projections.registry import PROJECTIONS
from tests.conftest import POSTGRES_URL, TODAY

KILLS = 8
CERTIFICATES = 400
"""Enough events (~9,000) that kills land while the faster read models are still at work."""
FINISH_SECONDS = 120
START_SECONDS = 30
SMALL_POOLS = {"ECPSC_POSTGRES_POOL_SIZE": "1", "ECPSC_POSTGRES_MAX_OVERFLOW": "1"}
"""The projector keeps ~40 connections this way, so a parallel run stays within CI's 100."""


def tracking_table(name: str) -> str:
    """The library's single-row tracking table of a read model."""
    return f"{name}_tracking"


def read_model_tables() -> list[str]:
    """Every table a read model writes: its own (from its DDL) and its tracking table."""
    tables = []
    for model in PROJECTIONS:
        name = model.projection_class.name
        tables.append(tracking_table(name))
        for statement in model.postgres_view.ddl:
            tables += re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", statement, re.I)
    return sorted(tables)


def url_of(dbname: str) -> str:
    """The URL of a database on the server under test."""
    return f"{POSTGRES_URL.rpartition('/')[0]}/{dbname}"


def contents(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every read model table, tracking included, in a stable order."""
    with psycopg.connect(url) as conn:
        return {t: sorted(conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(t)))
                          .fetchall(), key=repr) for t in read_model_tables()}  # fmt: skip


def positions(conn: psycopg.Connection[tuple[object, ...]]) -> list[int]:
    """How far each read model has applied the store's events (0 before it starts)."""
    reached = []
    for model in PROJECTIONS:
        table = tracking_table(model.projection_class.name)
        try:
            row = conn.execute(sql.SQL("SELECT MAX(notification_id) FROM {} WHERE "
                                       "application_name = 'BackOffice'").format(
                sql.Identifier(table))).fetchone()  # fmt: skip
        except psycopg.errors.UndefinedTable:
            row = None
        reached.append(int(row[0] or 0) if row and row[0] is not None else 0)  # type: ignore[call-overload]
    return reached


def projector(url: str) -> subprocess.Popen[bytes]:
    """`ecpsc projector` on the store, as its own process (its own session, killed whole)."""
    env = {**os.environ, **SMALL_POOLS, "ECPSC_DATABASE_URL": url,
           "ECPSC_TODAY": TODAY.isoformat(), "ECPSC_LOG_FORMAT": "text"}  # fmt: skip
    ecpsc = str(Path(sys.executable).with_name("ecpsc"))
    return subprocess.Popen([ecpsc, "projector"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the projector's whole process group and wait for it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def copy_database(source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source (retried while a backend still leaves source)."""
    deadline = time.monotonic() + 30
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        while True:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(target), sql.Identifier(source)))  # fmt: skip
                return
            except psycopg.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


@pytest.fixture
def killed_dbname() -> Iterator[str]:
    """The name of the copy the killed projector follows, dropped afterwards."""
    name = f"ecpsc_test_{uuid.uuid4().hex[:12]}_killed"
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))  # fmt: skip


@pytest.mark.store("postgres")
def test_a_projector_killed_mid_batch_many_times_ends_equal_to_a_clean_build_on_postgres(
    settings: Settings, killed_dbname: str
) -> None:
    # given a store of demonstration data, its read models built in one undisturbed run
    fill(settings.model_copy(update={"postgres_max_overflow": 1}), CERTIFICATES, seed=7,
         progress=lambda _: None)  # fmt: skip
    clean = settings.database_url
    # and a copy of it with its events alone, no read model tables
    copy_database(settings.postgres["dbname"], killed_dbname)
    killed = url_of(killed_dbname)
    with psycopg.connect(killed, autocommit=True) as conn:
        for table in read_model_tables():
            conn.execute(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(table)))
        last = int(conn.execute("SELECT MAX(notification_id) FROM backoffice_events")
                   .fetchone()[0])  # type: ignore[index]  # fmt: skip
    with psycopg.connect(clean, autocommit=True) as conn:
        assert all(p == last for p in positions(conn)), "the clean build is not complete"
    # when a projector follows the copy and is killed with SIGKILL at random moments
    rng = random.Random(11)
    caught_mid_way = 0
    process: subprocess.Popen[bytes] | None = None
    with psycopg.connect(killed, autocommit=True) as watch:
        try:
            for _ in range(KILLS):
                reached = min(positions(watch))
                if reached == last:
                    break  # every read model got to the end between two kills
                process = projector(killed)
                deadline = time.monotonic() + START_SECONDS
                while min(positions(watch)) <= reached and time.monotonic() < deadline:
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.05))
                kill(process)
                caught_mid_way += any(0 < p < last for p in positions(watch))
            # and once more, left to finish
            process = projector(killed)
            deadline = time.monotonic() + FINISH_SECONDS
            while not all(p == last for p in positions(watch)):
                assert time.monotonic() < deadline, "the projector did not catch up"
                time.sleep(0.2)
        finally:
            if process is not None:
                kill(process)
    # then some kills landed in the middle of the work, and every read model's rows equal the
    # clean build's, tracking included (each event applied once)
    assert caught_mid_way >= 2, "no kill landed mid-way: the test proved nothing"
    expected, found = contents(clean), contents(killed)
    for table in read_model_tables():
        assert found[table] == expected[table], table
