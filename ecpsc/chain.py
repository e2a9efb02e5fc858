"""Tamper evidence (ZPIC-WF-20 10): a hash chain over the event log, extended as events are written.

Each stored event gets a link: the SHA-256 of the previous link and of the event's position,
identity, type and a digest of its stored bytes. The link is written in the same transaction
as the event (the recorders below), never by a later job, so there is no moment at which an
event stands without its link. `verify_chain` recomputes every link from the stored events and
names the first that does not hold: an event edited, removed, reordered or slipped in.

The chain covers the bytes as stored, so records made unreadable by disposal (their content
replaced by a tombstone that keeps the digest) still verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier

from ecpsc.outage import fewer_attempts
from projections.notification_cache import cache_of
from projections.sqlite_subscription import SubscribableSQLiteApplicationRecorder

GENESIS = "0" * 64
"""The link before the first event."""

CHAIN_TABLE = "event_chain"


def state_digest(state: bytes) -> str:
    """The SHA-256 of an event's stored bytes."""
    return hashlib.sha256(state).hexdigest()


def link(
    previous: str,
    notification_id: int,
    originator_id: UUID | str,
    originator_version: int,
    topic: str,
    digest: str,
) -> str:
    """The link of one event, bound to the link before it."""
    identity = str(UUID(str(originator_id)))
    text = f"{previous}\n{notification_id}\n{identity}\n{originator_version}\n{topic}\n{digest}"
    return hashlib.sha256(text.encode()).hexdigest()


def _links(
    previous: str, ids: Sequence[int], stored_events: Sequence[StoredEvent]
) -> list[tuple[int, str, str]]:
    rows = []
    for notification_id, stored in zip(ids, stored_events, strict=True):
        digest = state_digest(stored.state)
        previous = link(
            previous,
            notification_id,
            stored.originator_id,
            stored.originator_version,
            stored.topic,
            digest,
        )
        rows.append((notification_id, digest, previous))
    return rows


SQLITE_CHAIN_DDL = (
    f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
    " notification_id INTEGER PRIMARY KEY,"
    " state_digest TEXT NOT NULL,"
    " hash TEXT NOT NULL)",
    f"CREATE TRIGGER IF NOT EXISTS {CHAIN_TABLE}_no_update BEFORE UPDATE ON {CHAIN_TABLE}"
    " BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only (ZPIC-WF-20 10)'); END",
    f"CREATE TRIGGER IF NOT EXISTS {CHAIN_TABLE}_no_delete BEFORE DELETE ON {CHAIN_TABLE}"
    " BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only (ZPIC-WF-20 10)'); END",
)


class ChainedSQLiteApplicationRecorder(SubscribableSQLiteApplicationRecorder):
    """The embedded store's recorder, writing each event's link in the event's transaction."""

    def construct_create_table_statements(self) -> list[str]:
        """The events table and the chain."""
        return [*super().construct_create_table_statements(), *SQLITE_CHAIN_DDL]

    def _insert_events(
        self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if ids and stored_events:
            # SQLite writes one transaction at a time, so the last link is this one's parent.
            c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT 1")
            row = c.fetchone()
            previous = row[0] if row else GENESIS
            c.executemany(
                f"INSERT INTO {CHAIN_TABLE} (notification_id, state_digest, hash) VALUES (?, ?, ?)",
                _links(previous, ids, stored_events),
            )
        return ids


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """The PostgreSQL recorder, writing each event's link in the event's transaction.

    The library takes an EXCLUSIVE lock on the events table for every insert, so transactions
    write their events, and so their links, one after another in notification order.
    """

    def _insert_in_one_transaction(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert (table lock, NOTIFY, one INSERT, the ids) without pipeline mode:
        in pipeline mode psycopg 3.3 hangs on an INSERT of some 20 MB (the server waits for the
        rest of the message, the client for its results), which one large flush sends."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _read_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's query, its text built once per shape and its rows read as tuples: a
        projection catching up reads every event, and the library's composed SQL and dict rows
        took about a third of a rebuild's Python time."""
        shape = (start is not None, inclusive_of_start, stop is not None, bool(topics))
        statement = self._notification_statements.get(shape)
        if statement is None:
            statement = self._notification_statements[shape] = self._notification_statement(shape)
        params: list[Any] = [value for value in (start, stop) if value is not None]
        if topics:
            params.append(list(topics))
        params.append(limit)
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, params, prepare=True)
            return [
                Notification(id=row[0], originator_id=row[1], originator_version=row[2],
                             topic=row[3], state=bytes(row[4]))
                for row in curs.fetchall()
            ]  # fmt: skip

    def _notification_statement(self, shape: tuple[bool, bool, bool, bool]) -> bytes:
        has_start, inclusive_of_start, has_stop, has_topics = shape
        conditions = []
        if has_start:
            conditions.append(
                "notification_id >= %s" if inclusive_of_start else "notification_id > %s"
            )
        if has_stop:
            conditions.append("notification_id <= %s")
        if has_topics:
            conditions.append("topic = ANY(%s)")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return (
            SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}")
            .format(Identifier(self.datastore.schema, self.events_table_name))
            .as_string()
            + f"{where} ORDER BY notification_id LIMIT %s"
        ).encode()

    # Fail within seconds, not ~25 s, while PostgreSQL is down (ecpsc.outage).
    insert_events = fewer_attempts(_insert_in_one_transaction)
    select_events = fewer_attempts(PostgresApplicationRecorder.select_events)
    _select_notifications = fewer_attempts(_read_notifications)
    max_notification_id = fewer_attempts(PostgresApplicationRecorder.max_notification_id)

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table = Identifier(datastore.schema, CHAIN_TABLE)
        where = datastore.pool.kwargs
        self._notification_statements: dict[tuple[bool, bool, bool, bool], bytes] = {}
        self._log = (where["host"], where["port"], where["dbname"], datastore.schema,
                     events_table_name)  # fmt: skip
        # The library's insert, with the events as four binary arrays instead of one text array
        # of composites: quoting each composite's bytes in text took a fifth of a writer's time.
        self._insert_columns_statement = SQL(
            "INSERT INTO {table} AS t (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(
            table=Identifier(datastore.schema, events_table_name),
            id_type=Identifier(datastore.originator_id_type),
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {chain} ("
                " notification_id BIGINT PRIMARY KEY,"
                " state_digest TEXT NOT NULL,"
                " hash TEXT NOT NULL)"
            ).format(chain=self.chain_table)
        )

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's query; what subscriptions ask ("after n", every topic) comes from the
        process's cache of the log, shared by its read models (projections.notification_cache)."""
        if start is not None and stop is None and not topics and not inclusive_of_start:
            return cache_of(self._log).after(start, limit, self._select_after)
        return self._select_notifications(  # type: ignore[no-any-return]
            start, limit, stop, topics, inclusive_of_start=inclusive_of_start
        )

    def _select_after(self, start: int, limit: int) -> Sequence[Notification]:
        return self._select_notifications(  # type: ignore[no-any-return]
            start, limit, inclusive_of_start=False
        )

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self._insert_columns_statement,
            [
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events],
                [e.state for e in stored_events],
            ],
        )

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if ids:
            curs.execute(
                SQL("SELECT hash FROM {chain} ORDER BY notification_id DESC LIMIT 1").format(
                    chain=self.chain_table
                )
            )
            row = curs.fetchone()
            previous = row["hash"] if row else GENESIS
            links = _links(previous, ids, stored_events)
            # One statement for the whole transaction's links, not one per event.
            curs.execute(
                SQL(
                    "INSERT INTO {chain} (notification_id, state_digest, hash)"
                    " SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[])"
                ).format(chain=self.chain_table),
                [list(column) for column in zip(*links, strict=True)],
            )
        return ids


# -- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """What a verification found: how far it checked, the head, the first broken link, and
    every problem found (a broken link, a disposal listing the log does not record, a snapshot
    that disagrees with its events, a checkpoint the log no longer extends)."""

    checked: int
    head: str
    last_notification_id: int | None
    broken_at: int | None = None
    problem: str | None = None
    findings: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        """Whether everything held."""
        return self.broken_at is None and self.problem is None


@dataclass(frozen=True)
class StoredLink:
    """One event as stored, with its stored link."""

    notification_id: int
    originator_id: str | None
    originator_version: int | None
    topic: str | None
    state: bytes | None
    state_digest: str | None
    hash: str | None


def verify_links(
    rows: Iterator[StoredLink], disposed: set[tuple[str, int]], previous: str = GENESIS
) -> ChainReport:
    """Recompute the chain over stored events in notification order; the first broken link.

    `disposed` names events whose content was disposed of (10.2): for them the stored digest
    stands in for the content, which is a tombstone now. `previous` is the link before the
    first row (a checkpoint's head when verifying from it on).
    """
    checked, last = 0, None
    for row in rows:
        n = row.notification_id
        if row.hash is None or row.state_digest is None:
            return ChainReport(
                checked,
                previous,
                last,
                n,
                f"事件 {n} 没有链接 / event {n} has no link: it was written around the chain",
            )
        if row.state is None or row.originator_id is None:
            return ChainReport(
                checked, previous, last, n, f"事件 {n} 已被删除 / event {n} was removed"
            )
        assert row.originator_version is not None and row.topic is not None
        try:
            identity = (str(UUID(row.originator_id)), row.originator_version)
        except ValueError:
            problem = f"事件 {n} 的标识被改动 / event {n}'s identity was edited"
            return ChainReport(checked, previous, last, n, problem)
        digest = state_digest(row.state)
        if digest != row.state_digest and identity not in disposed:
            return ChainReport(
                checked,
                previous,
                last,
                n,
                f"事件 {n} 的内容被改动 / event {n} "
                "was edited: its content no longer matches its digest",
            )
        expected = link(
            previous, n, row.originator_id, row.originator_version, row.topic, row.state_digest
        )
        if expected != row.hash:
            return ChainReport(
                checked,
                previous,
                last,
                n,
                f"链接 {n} 断开 / link {n} does not "
                "follow from the one before: events were edited, removed or "
                "reordered",
            )
        previous, checked, last = row.hash, checked + 1, n
    return ChainReport(checked, previous, last)


def stored_links(recorder: Any, page: int = 1000, after: int = 0) -> Iterator[StoredLink]:
    """Every event and every link after a notification id, joined on it, in order (either side
    may be missing where something was removed)."""
    postgres = isinstance(recorder, PostgresApplicationRecorder)
    table = recorder.events_table_name
    if postgres:
        events = f'"{recorder.datastore.schema}"."{table}"'
        chain = f'"{recorder.datastore.schema}"."{CHAIN_TABLE}"'
        key, mark = "notification_id", "%s"
    else:
        events, chain, key, mark = table, CHAIN_TABLE, "rowid", "?"
    # A full outer join, portable: every id from either side, then both sides by id.
    sql = (
        f"SELECT ids.n AS n, e.originator_id AS originator_id,"
        f" e.originator_version AS originator_version, e.topic AS topic, e.state AS state,"
        f" c.state_digest AS state_digest, c.hash AS hash"
        f" FROM (SELECT {key} AS n FROM {events} WHERE {key} > {mark}"
        f" UNION SELECT notification_id AS n FROM {chain} WHERE notification_id > {mark}) ids"
        f" LEFT JOIN {events} e ON e.{key} = ids.n"
        f" LEFT JOIN {chain} c ON c.notification_id = ids.n"
        f" ORDER BY ids.n LIMIT {mark}"
    )
    while True:
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(sql, (after, after, page))
            rows = curs.fetchall()
        if not rows:
            return
        for row in rows:
            state = row["state"]
            yield StoredLink(
                notification_id=int(row["n"]),
                originator_id=None if row["originator_id"] is None else str(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=None if state is None else bytes(state),
                state_digest=row["state_digest"],
                hash=row["hash"],
            )
        after = int(rows[-1]["n"])


def link_at(recorder: Any, notification_id: int) -> str | None:
    """The stored link of one event, if there is one."""
    postgres = isinstance(recorder, PostgresApplicationRecorder)
    chain = f'"{recorder.datastore.schema}"."{CHAIN_TABLE}"' if postgres else CHAIN_TABLE
    mark = "%s" if postgres else "?"
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(f"SELECT hash FROM {chain} WHERE notification_id = {mark}", [notification_id])
        row = curs.fetchone()
    return None if row is None else str(row["hash"])


def chain_head(recorder: Any) -> tuple[int | None, str]:
    """The last link: its notification id and hash (GENESIS before the first event)."""
    postgres = isinstance(recorder, PostgresApplicationRecorder)
    chain = f'"{recorder.datastore.schema}"."{CHAIN_TABLE}"' if postgres else CHAIN_TABLE
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(
            f"SELECT notification_id, hash FROM {chain} ORDER BY notification_id DESC LIMIT 1"
        )
        row = curs.fetchone()
    if row is None:
        return None, GENESIS
    return int(row["notification_id"]), str(row["hash"])
