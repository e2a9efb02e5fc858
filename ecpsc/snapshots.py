"""Snapshots the back office trusts: taken and kept in this process's memory, never read back
from the database (issue 20 item 1).

A snapshot row in the database stands outside the evidence: the hash chain covers the events,
not the state summarised from them, and editing a user's snapshot turned an intake clerk into an
administrator. So the application keeps its snapshots where only it can write them — in memory,
built here from the events the chain covers — and takes one when loading an aggregate replayed
a snapshotting interval's worth of events (a restart costs one replay per aggregate, no more).
Snapshot rows an earlier version left in the database are never read by the application; `ecpsc
verify` checks each against the replay of the events it summarises and names any that
disagrees.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import AggregateRecorder, EventStore, StoredEvent

MEMORY_SNAPSHOTS = 10_000
"""Aggregates whose latest snapshot a process keeps (the least recently taken go first)."""


class LatestSnapshots(AggregateRecorder):
    """The latest snapshot of each aggregate, in this process's memory."""

    def __init__(self, capacity: int = MEMORY_SNAPSHOTS) -> None:
        self.capacity = capacity
        self._latest: OrderedDict[str, StoredEvent] = OrderedDict()
        self._lock = threading.Lock()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        """Keep each snapshot unless a later one of its aggregate is kept already."""
        with self._lock:
            for stored in stored_events:
                key = str(stored.originator_id)
                kept = self._latest.get(key)
                if kept is None or kept.originator_version < stored.originator_version:
                    self._latest[key] = stored
                    self._latest.move_to_end(key)
            while len(self._latest) > self.capacity:
                self._latest.popitem(last=False)

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """The kept snapshot, when it lies within the bounds asked for."""
        with self._lock:
            kept = self._latest.get(str(originator_id))
        if kept is None or limit == 0:
            return []
        if (gt is not None and kept.originator_version <= gt) or (
            lte is not None and kept.originator_version > lte
        ):
            return []
        return [kept]

    def latest_version(self, originator_id: UUID) -> int:
        """The version of the kept snapshot of an aggregate (0 when none is kept)."""
        with self._lock:
            kept = self._latest.get(str(originator_id))
        return 0 if kept is None else kept.originator_version


def snapshot_class(application: Application[Any], aggregate: Any) -> type[Snapshot]:
    """The class the library takes an aggregate's snapshots with."""
    found: Any = getattr(type(aggregate), "Snapshot", None) or type(application).snapshot_class
    return found  # type: ignore[no-any-return]


def keep_snapshots_in_memory(application: Application[Any]) -> None:
    """Make the application take and read snapshots in memory only, taking one when a load
    replayed at least its type's snapshotting interval of events."""
    if application.snapshots is None:
        return
    recorder = LatestSnapshots()
    store = EventStore(mapper=application.mapper, recorder=recorder)
    application.snapshots = store
    repository = application.repository
    repository.snapshot_store = store
    intervals = type(application).snapshotting_intervals or {}
    reconstruct: Callable[..., Any] = repository._reconstruct_aggregate

    def reconstruct_and_snapshot(aggregate_id: UUID, version: int | None, projector: Any) -> Any:
        aggregate = reconstruct(aggregate_id, version, projector)
        interval = intervals.get(type(aggregate))
        if (
            version is None
            and interval
            and aggregate.version - recorder.latest_version(aggregate.id) >= interval
        ):
            store.put([snapshot_class(application, aggregate).take(aggregate)])
        return aggregate

    repository._reconstruct_aggregate = reconstruct_and_snapshot  # type: ignore[method-assign,assignment]


def database_snapshots(application: Application[Any]) -> list[StoredEvent]:
    """Every snapshot row the database holds (an earlier version wrote them)."""
    recorder: Any = application.recorder
    datastore = recorder.datastore
    postgres = hasattr(datastore, "schema")
    # The library names it as the events table: backoffice_snapshots, or stored_snapshots.
    name = recorder.events_table_name.removesuffix("_events") + "_snapshots"
    table = f'"{datastore.schema}"."{name}"' if postgres else name
    with datastore.transaction(commit=False) as curs:
        if postgres:
            curs.execute("SELECT to_regclass(%s) AS t", [table])
            exists = curs.fetchone()["t"] is not None
        else:
            curs.execute(
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name = ?",
                [name],
            )
            exists = curs.fetchone() is not None
        if not exists:
            return []
        curs.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {table}"
            " ORDER BY originator_id, originator_version"
        )
        rows = curs.fetchall()
    return [
        StoredEvent(
            originator_id=str(row["originator_id"]),
            originator_version=int(row["originator_version"]),
            topic=str(row["topic"]),
            state=bytes(row["state"]),
        )
        for row in rows
    ]


def disagreeing_snapshots(application: Application[Any]) -> list[str]:
    """A problem for every snapshot row in the database that the replay of the events it
    summarises does not give, or that cannot be read."""
    problems = []
    for stored in database_snapshots(application):
        differences = _differences(application, stored)
        if differences:
            try:
                identity = str(UUID(str(stored.originator_id)))
            except ValueError:
                identity = str(stored.originator_id)
            version = stored.originator_version
            problems.append(
                f"快照与其事件不符：{identity} 第 {version} 版（{differences}）/ snapshot of "
                f"{identity} at version {version} disagrees with the replay of its events "
                f"({differences}): the application does not use it"
            )
    return problems


def _differences(application: Application[Any], stored: StoredEvent) -> str | None:
    """What of a snapshot row the replay disagrees with, or None when it agrees."""
    mapper = application.mapper
    try:
        snapshot: Any = mapper.to_domain_event(stored)
        aggregate_id = UUID(str(stored.originator_id))
        events = list(
            application.repository.event_store.get(aggregate_id, lte=stored.originator_version)
        )
        aggregate: Any = None
        for event in events:
            aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    except Exception as error:  # a row anyone could have written: any failure is a finding
        return f"无法重放 / cannot be replayed: {type(error).__name__}"
    if aggregate is None or aggregate.version != stored.originator_version:
        return "事件不足 / its events do not reach that version"
    if snapshot.topic != snapshot_class(application, aggregate).take(aggregate).topic:
        return "类型 / topic"
    replayed: Any = mapper.to_domain_event(
        mapper.to_stored_event(snapshot_class(application, aggregate).take(aggregate))
    )
    keys = sorted(
        key
        for key in set(snapshot.state) | set(replayed.state)
        if snapshot.state.get(key) != replayed.state.get(key)
    )
    return ", ".join(str(key).lstrip("_") for key in keys) or None
