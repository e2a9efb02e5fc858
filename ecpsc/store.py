"""The event store's configuration and protection, from the settings object."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import psycopg

from domain.backoffice import BackOffice
from ecpsc.chain import CHAIN_TABLE
from ecpsc.outage import fail_fast_snapshots
from ecpsc.settings import Settings
from ecpsc.snapshots import keep_snapshots_in_memory
from projections.registry import PROJECTIONS

SQLITE_RECORDER_TOPIC = "ecpsc.chain:ChainedSQLiteApplicationRecorder"
POSTGRES_RECORDER_TOPIC = "ecpsc.chain:ChainedPostgresApplicationRecorder"
"""The library's recorders, writing each event's link of the hash chain in its transaction."""
MAPPER_TOPIC = "ecpsc.disposal:TombstoneMapper"
"""The library's mapper, reading the tombstone of a disposed event (10.2)."""
READ_POOL = "read_models"
"""The name of the pool a process's read models share: READ_MODELS_POSTGRES_* in the env."""


def eventsourcing_env(settings: Settings) -> dict[str, str]:
    """The eventsourcing library's environment for the configured store (never os.environ)."""
    if settings.is_postgres:
        pg = settings.postgres
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": pg["dbname"],
            "POSTGRES_HOST": pg["host"],
            "POSTGRES_PORT": pg["port"],
            "POSTGRES_USER": pg["user"],
            "POSTGRES_PASSWORD": pg["password"],
            # A process holds two pools, each keeping one connection and growing on demand:
            # the application's and the one its read models share (plus one connection
            # LISTENing where it runs projections), so API, projector and worker processes
            # stay well within PostgreSQL's default 100 connections.
            "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
            f"{READ_POOL.upper()}_POSTGRES_POOL_SIZE": str(settings.postgres_read_pool_size),
            f"{READ_POOL.upper()}_POSTGRES_MAX_OVERFLOW": str(settings.postgres_read_max_overflow),
            # A store that is down fails a request within seconds (503), never hangs it.
            "POSTGRES_CONNECT_TIMEOUT": str(settings.postgres_connect_timeout),
            "POSTGRES_CONN_MAX_AGE": "600",
            "POSTGRES_PRE_PING": "y",
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER_TOPIC,
            "MAPPER_TOPIC": MAPPER_TOPIC,
            **replica_env(settings),
        }
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER_TOPIC,
        "MAPPER_TOPIC": MAPPER_TOPIC,
    }
    # SQLite keeps one tracking table per file, so each read model gets a file of its own.
    for projection in PROJECTIONS:
        name = projection.projection_class.name
        env[f"{name.upper()}_SQLITE_DBNAME"] = str(path.with_name(f"{path.stem}.{name}.sqlite"))
    return env


REPLICA_PREFIX = "REPLICA_"
"""Keys of the replica's connection parameters in the env (REPLICA_POSTGRES_HOST, …)."""


def replica_env(settings: Settings) -> dict[str, str]:
    """The replica's connection parameters, for read models read where none run (or none)."""
    replica = settings.read_postgres
    if replica is None:
        return {}
    return {
        f"{REPLICA_PREFIX}POSTGRES_{key.upper()}": value
        for key, value in replica.items()
    }


APPEND_ONLY_PG = """
SELECT pg_advisory_xact_lock(7027922);
CREATE OR REPLACE FUNCTION ecpsc_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only (ZPIC-WF-20 10.1): % refused on %',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER {table}_append_only
  BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ecpsc_refuse_change();
CREATE OR REPLACE TRIGGER {table}_no_truncate
  BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ecpsc_refuse_change();
"""

DISPOSAL_PATH_PG = """
SELECT pg_advisory_xact_lock(7027922);
CREATE TABLE IF NOT EXISTS {disposed} (
  originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, disposal_id TEXT NOT NULL,
  PRIMARY KEY (originator_id, originator_version));
CREATE OR REPLACE FUNCTION ecpsc_guard_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The one way an event changes: its content replaced by the tombstone of a disposal (10.2)
  -- that the log itself records and that names the event's record; identity, order and topic
  -- stay. A row planted in {disposed} alone unlocks nothing.
  IF TG_OP = 'UPDATE' AND NEW.originator_id = OLD.originator_id
     AND NEW.originator_version = OLD.originator_version AND NEW.topic = OLD.topic
     AND NEW.notification_id = OLD.notification_id
     AND position('\\x{tombstone_prefix}'::bytea IN NEW.state) = 1
     AND EXISTS (
       SELECT 1 FROM {disposed} d JOIN {table} e
         ON e.originator_id = CASE WHEN d.disposal_id ~ '{uuid_pattern}'
                                   THEN CAST(d.disposal_id AS {id_type}) END
        AND e.originator_version = 1 AND e.topic = '{disposal_topic}'
       WHERE d.originator_id = OLD.originator_id::text
         AND d.originator_version = OLD.originator_version
         AND position(convert_to(OLD.originator_id::text, 'UTF8') IN e.state) > 0
         AND position(convert_to('"disposal_id":"' || d.disposal_id || '"', 'UTF8')
                      IN NEW.state) > 0) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the event log is append-only (ZPIC-WF-20 10.1): % refused on %',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER {table}_append_only
  BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ecpsc_guard_events();
"""

DISPOSAL_TOPIC = "domain.disposal:Disposal.Recorded"
"""The event that records a disposal: only an event it names may be replaced by a tombstone."""
TOMBSTONE_PREFIX = b'{"_disposed_"'
"""How a tombstone's content begins (ecpsc.disposal.tombstone)."""
UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

DISPOSED_EVENTS = "ecpsc_disposed_events"
"""The events whose content was replaced by a tombstone, each named before it is replaced."""

APPEND_ONLY_SQLITE = (
    # INSERT OR REPLACE deletes the old row without firing DELETE triggers.
    "CREATE TRIGGER IF NOT EXISTS stored_events_no_replace BEFORE INSERT ON stored_events"
    " WHEN EXISTS (SELECT 1 FROM stored_events WHERE originator_id = NEW.originator_id"
    " AND originator_version = NEW.originator_version)"
    " BEGIN SELECT RAISE(ABORT, 'the event log is append-only (ZPIC-WF-20 10.1)'); END",
    f"CREATE TABLE IF NOT EXISTS {DISPOSED_EVENTS} (originator_id TEXT NOT NULL,"
    " originator_version INTEGER NOT NULL, disposal_id TEXT NOT NULL,"
    " PRIMARY KEY (originator_id, originator_version))",
    # The one way an event changes: its content replaced by the tombstone of a disposal (10.2)
    # that the log records (its Disposal event names the record); a listing alone unlocks nothing.
    "DROP TRIGGER IF EXISTS stored_events_no_update",
    "DROP TRIGGER IF EXISTS stored_events_no_update_but_disposal",
    "CREATE TRIGGER IF NOT EXISTS stored_events_no_update_but_recorded_disposal"
    " BEFORE UPDATE ON stored_events WHEN NOT (NEW.originator_id IS OLD.originator_id"
    " AND NEW.originator_version IS OLD.originator_version AND NEW.topic IS OLD.topic"
    f" AND substr(NEW.state, 1, {len(TOMBSTONE_PREFIX)}) = X'{TOMBSTONE_PREFIX.hex()}'"
    f" AND EXISTS (SELECT 1 FROM {DISPOSED_EVENTS} d JOIN stored_events e"
    "   ON e.originator_id = replace(d.disposal_id, '-', '') AND e.originator_version = 1"
    f"  AND e.topic = '{DISPOSAL_TOPIC}'"
    " WHERE d.originator_id = OLD.originator_id"
    " AND d.originator_version = OLD.originator_version"
    " AND instr(e.state, CAST(substr(OLD.originator_id, 1, 8) || '-' || substr(OLD.originator_id,"
    " 9, 4) || '-' || substr(OLD.originator_id, 13, 4) || '-' || substr(OLD.originator_id, 17, 4)"
    " || '-' || substr(OLD.originator_id, 21, 12) AS BLOB)) > 0"
    " AND instr(NEW.state, CAST('\"disposal_id\":\"' || d.disposal_id || '\"' AS BLOB)) > 0))"
    " BEGIN SELECT RAISE(ABORT, 'the event log is append-only (ZPIC-WF-20 10.1)'); END",
    "CREATE TRIGGER IF NOT EXISTS stored_events_no_delete BEFORE DELETE ON stored_events"
    " BEGIN SELECT RAISE(ABORT, 'the event log is append-only (ZPIC-WF-20 10.1)'); END",
    f"CREATE TRIGGER IF NOT EXISTS {DISPOSED_EVENTS}_no_update BEFORE UPDATE ON"
    f" {DISPOSED_EVENTS} BEGIN SELECT RAISE(ABORT, 'disposals are append-only'); END",
    f"CREATE TRIGGER IF NOT EXISTS {DISPOSED_EVENTS}_no_delete BEFORE DELETE ON"
    f" {DISPOSED_EVENTS} BEGIN SELECT RAISE(ABORT, 'disposals are append-only'); END",
)


def protect_event_log(backoffice: BackOffice) -> None:
    """Make the stored events append-only in the database itself, not only in the code."""
    recorder = backoffice.recorder
    datastore = recorder.datastore  # type: ignore[attr-defined]
    if backoffice.factory.__class__.__module__ == "eventsourcing.postgres":
        table = recorder.events_table_name  # type: ignore[attr-defined]
        with datastore.transaction(commit=True) as curs:
            for protected in (table, CHAIN_TABLE):
                curs.execute(APPEND_ONLY_PG.format(table=protected))  # type: ignore[arg-type]
            curs.execute(
                DISPOSAL_PATH_PG.format(  # type: ignore[arg-type]
                    table=table,
                    disposed=DISPOSED_EVENTS,
                    id_type=datastore.originator_id_type,
                    disposal_topic=DISPOSAL_TOPIC,
                    tombstone_prefix=TOMBSTONE_PREFIX.hex(),
                    uuid_pattern=UUID_PATTERN,
                )
            )
            curs.execute(APPEND_ONLY_PG.format(table=DISPOSED_EVENTS))  # type: ignore[arg-type]
    else:
        with datastore.transaction(commit=True) as curs:
            for statement in APPEND_ONLY_SQLITE:
                curs.execute(statement)


def today_function(settings: Settings) -> Callable[[], date] | None:
    """The pinned today of ECPSC_TODAY, or None for the real day in China."""
    pinned = settings.today
    return None if pinned is None else (lambda: pinned)


SCHEMA_LOCK_KEY = 27922_2011
"""The PostgreSQL advisory lock held while a process creates or checks the store's tables."""


@contextmanager
def schema_lock(env: dict[str, str]) -> Iterator[None]:
    """Serialise table creation across processes starting together (PostgreSQL only).

    The library creates its tables, types and functions when an application starts;
    two processes doing so at once clash ("tuple concurrently updated").
    """
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        yield
        return
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        autocommit=True,
    ) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def open_backoffice(settings: Settings) -> BackOffice:
    """The back office on the configured store, its event log protected."""
    env = eventsourcing_env(settings)
    with schema_lock(env):
        backoffice = BackOffice(env=env, today=today_function(settings))
        backoffice.token_lifetime = timedelta(days=settings.token_lifetime_days)
        try:
            fail_fast_snapshots(backoffice)
            keep_snapshots_in_memory(backoffice)
            protect_event_log(backoffice)
        except BaseException:
            backoffice.close()
            raise
    return backoffice
