"""The event log is append-only in the database itself (rules.md §10), on the store under test."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from typing import Any

import psycopg
import pytest
from psycopg import errors as pg_errors

from ecpsc.services import Services
from tests.application.support import complete_documents, intake_user, submit
from tests.factories import VALID_USCCS

PG_TABLE = "backoffice_events"


def _record_some_events(services: Services) -> None:
    bo = services.backoffice
    officer, _ = intake_user(bo)
    app = submit(bo, officer, complete_documents(services, officer), VALID_USCCS[0])
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), officer)


def _sqlite_rows(services: Services) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(services.settings.sqlite_path)) as con:
        return con.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events"
            " ORDER BY rowid"
        ).fetchall()


def _pg_rows(services: Services) -> list[tuple[Any, ...]]:
    with psycopg.connect(**services.settings.postgres) as con:  # type: ignore[arg-type]
        return con.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {PG_TABLE} ORDER BY notification_id"
        ).fetchall()


def _rows(services: Services) -> list[tuple[Any, ...]]:
    return _pg_rows(services) if services.settings.is_postgres else _sqlite_rows(services)


SQLITE_CHANGES = [
    "UPDATE stored_events SET state = x'7b7d'",
    "UPDATE stored_events SET topic = 'domain.tampered:X' WHERE originator_version = 1",
    "DELETE FROM stored_events WHERE originator_version = 2",
    "DELETE FROM stored_events",  # SQLite's TRUNCATE
    "INSERT INTO stored_events (originator_id, originator_version, topic, state)"
    " SELECT originator_id, originator_version, topic, x'7b7d' FROM stored_events LIMIT 1"
    " ON CONFLICT (originator_id, originator_version) DO UPDATE SET state = x'7b7d'",
]

PG_CHANGES = [
    f"UPDATE {PG_TABLE} SET state = '\\x7b7d'::bytea",
    f"UPDATE {PG_TABLE} SET topic = 'domain.tampered:X' WHERE originator_version = 1",
    f"DELETE FROM {PG_TABLE} WHERE originator_version = 2",
    f"DELETE FROM {PG_TABLE}",
    f"TRUNCATE {PG_TABLE}",
    f"INSERT INTO {PG_TABLE} (originator_id, originator_version, topic, state)"
    f" SELECT originator_id, originator_version, topic, state FROM {PG_TABLE}"
    " ON CONFLICT (originator_id, originator_version) DO UPDATE SET state = '\\x7b7d'::bytea",
]


@pytest.mark.store("sqlite")
@pytest.mark.parametrize("statement", SQLITE_CHANGES)
def test_sqlite_refuses_changes_to_stored_events(services: Services, statement: str) -> None:
    # given some recorded events
    _record_some_events(services)
    before = _sqlite_rows(services)
    assert len(before) >= 6
    # when the file is opened directly and a stored event is changed or removed
    with (
        closing(sqlite3.connect(services.settings.sqlite_path)) as con,
        pytest.raises(sqlite3.DatabaseError, match="append-only") as refused,
    ):
        con.execute(statement)
    # then the database refuses it as an integrity error, and the events are unchanged
    assert isinstance(refused.value, sqlite3.IntegrityError)
    assert _sqlite_rows(services) == before
    # and the back office still reads them
    assert services.backoffice.recorder.max_notification_id() == before[-1][0]


@pytest.mark.store("sqlite")
def test_sqlite_refuses_insert_or_replace(services: Services) -> None:
    # given some recorded events
    _record_some_events(services)
    before = _sqlite_rows(services)
    # when the file is opened directly and the first event is replaced by INSERT OR REPLACE
    _, originator_id, version, topic, _ = before[0]
    with closing(sqlite3.connect(services.settings.sqlite_path)) as con:
        try:
            con.execute(
                "INSERT OR REPLACE INTO stored_events"
                " (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
                (originator_id, version, topic, b"{}"),
            )
        except sqlite3.IntegrityError as refused:
            assert "append-only" in str(refused)
        con.commit()
    # then the events are unchanged
    assert _sqlite_rows(services) == before


@pytest.mark.store("postgres")
@pytest.mark.parametrize("statement", PG_CHANGES)
def test_postgres_refuses_changes_to_stored_events(services: Services, statement: str) -> None:
    # given some recorded events
    _record_some_events(services)
    before = _pg_rows(services)
    assert len(before) >= 6
    # when a session changes or removes stored events directly
    with (
        psycopg.connect(**services.settings.postgres, autocommit=True) as con,  # type: ignore[arg-type]
        pytest.raises(pg_errors.InsufficientPrivilege, match="append-only"),
    ):
        con.execute(statement)  # type: ignore[arg-type]
    # then the database refuses it, and the events are unchanged
    assert _pg_rows(services) == before
    assert services.backoffice.recorder.max_notification_id() == before[-1][0]


def test_appending_still_works_after_a_refused_change(services: Services) -> None:
    # given some recorded events and a refused direct deletion
    _record_some_events(services)
    before = _rows(services)
    if services.settings.is_postgres:
        with (
            psycopg.connect(**services.settings.postgres, autocommit=True) as con,  # type: ignore[arg-type]
            pytest.raises(pg_errors.InsufficientPrivilege),
        ):
            con.execute(f"DELETE FROM {PG_TABLE}")  # type: ignore[arg-type]
    else:
        with (
            closing(sqlite3.connect(services.settings.sqlite_path)) as con,
            pytest.raises(sqlite3.IntegrityError),
        ):
            con.execute("DELETE FROM stored_events")
    # when the back office records another event
    services.backoffice.list_on_watchlist(VALID_USCCS[1], "serious_illegal", "source",
                                          date(2026, 11, 22), services.backoffice.bootstrap_admin())
    # then it is appended after the others, which are unchanged
    after = _rows(services)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1
