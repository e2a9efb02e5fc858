"""Disposal of records past retention (ZPIC-WF-20 10.2), without breaking tamper evidence.

The design: a privileged deletion path that keeps the digests. Every event of the disposed
records keeps its place, identity and type in the log, but its content is replaced by a
tombstone naming the disposal and the SHA-256 of the content it replaced. The hash chain binds
each event through that digest, so `ecpsc verify` still holds; the database lets an event change
only in this way, and only once it is listed in the disposed-events table (ecpsc/store.py).
The documents the records referenced are deleted from the document store, and every read model
drops what it held of them on the Disposal event. The Disposal record itself — what, when, by
whom, and the digests — is the tombstone that remains.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from domain.appeal import Appeal
from domain.disposal import Disposal
from domain.errors import NotFound, RuleViolation
from domain.people import Actor
from ecpsc.chain import state_digest
from ecpsc.services import Services
from ecpsc.store import DISPOSED_EVENTS
from projections.notification_cache import forget_all

TOMBSTONE_KEY = "_disposed_"
TOMBSTONE_PREFIX = b'{"' + TOMBSTONE_KEY.encode() + b'"'


class RecordDisposed(NotFound):
    """The record was disposed of after its retention period (10.2)."""

    code = "disposed"


def tombstone(disposal_id: str, digest: str, recorded_at: str) -> bytes:
    """What a disposed event's content becomes."""
    body = {
        TOMBSTONE_KEY: {"disposal_id": disposal_id, "digest": digest, "recorded_at": recorded_at}
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def read_tombstone(state: bytes) -> dict[str, str] | None:
    """The tombstone in an event's content, if it is one."""
    if not state.startswith(TOMBSTONE_PREFIX):
        return None
    return dict(json.loads(state)[TOMBSTONE_KEY])


class DisposedRecord:
    """What reading a disposed event gives: where it was, when, and which disposal took it."""

    def __init__(self, stored: StoredEvent, mark: dict[str, str]) -> None:
        self.originator_id = stored.originator_id
        self.originator_version = stored.originator_version
        self.topic = stored.topic
        self.timestamp = datetime.fromisoformat(mark["recorded_at"])
        self.disposal_id = mark["disposal_id"]
        self.digest = mark["digest"]

    def mutate(self, aggregate: Any) -> Any:
        """A disposed record cannot be rebuilt."""
        raise RecordDisposed(
            f"记录已于保存期满后处置 / the record {self.originator_id} was disposed of after its "
            f"retention period (disposal {self.disposal_id})",
            clause="ZPIC-WF-20 10.2",
        )


class TombstoneMapper(Mapper[UUID]):
    """The library's mapper, which reads a tombstone as a DisposedRecord."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """A domain event, or the DisposedRecord standing where one was."""
        mark = read_tombstone(stored_event.state)
        if mark is not None:
            return DisposedRecord(stored_event, mark)
        return super().to_domain_event(stored_event)


def _documents(services: Services, aggregate_id: UUID) -> list[str]:
    """The documents (sha256) an application or an appeal's notes referenced."""
    found: list[str] = []
    for e in services.backoffice.repository.event_store.get(aggregate_id):
        for ref in getattr(e, "documents", None) or []:
            found.append(ref["sha256"])
        found += (
            list(getattr(e, "evidence", None) or []) if isinstance(e, Appeal.NoteRecorded) else []
        )
    return found


@dataclass(frozen=True)
class Contents:
    """What disposing of a row takes: each record with its digests, the documents, and the
    certificates and applications that go with it."""

    records: list[dict[str, Any]]
    documents: list[str]
    certificate_numbers: list[str]
    application_ids: list[str]


def contents(services: Services, row: dict[str, Any]) -> Contents:
    """What disposing of a retention row (as the schedule shows it) would take, read from the
    row's members and their events; disposal takes exactly this."""
    backoffice = services.backoffice
    view = services.read_models.view("retention")
    records, documents, numbers, applications = [], [], [], []
    for member in view.members(row["key"]):
        aggregate_id = UUID(member["aggregate_id"])
        if member["kind"] == "certificate":
            number = row["subject"]
            if view.current_cycle(number) != row["cycle"]:
                continue  # the certificate lives on in a later cycle; its events stay
            numbers.append(number)
        if member["kind"] == "application":
            applications.append(str(aggregate_id))
        if member["kind"] in ("application", "appeal"):
            documents += _documents(services, aggregate_id)
        stored = backoffice.recorder.select_events(aggregate_id)
        records.append(
            {
                "aggregate_id": str(aggregate_id),
                "kind": member["kind"],
                "versions": len(stored),
                "digests": [state_digest(s.state) for s in stored],
            }
        )
    return Contents(records, sorted(set(documents)), numbers, applications)


def dispose(services: Services, row_key: str, reason: str, by: Actor) -> Disposal:
    """Dispose of an eligible retention row's records: the Disposal record first, then every
    event's content replaced by its tombstone in one transaction, then the documents."""
    backoffice = services.backoffice
    services.settle()
    today = backoffice.today()
    view = services.read_models.view("retention")
    row = next((r for r in view.schedule(today) if r["key"] == row_key), None)
    if row is None:
        raise NotFound(f"保存期限表中没有 {row_key} / no retention row {row_key}")
    if not row["eligible_for_disposal"]:
        why = (
            "已处置 / already disposed of"
            if row["disposed"]
            else "有保全 / under a hold"
            if row["hold"]
            else f"保存至 {row['retain_until']} / kept until {row['retain_until']}"
        )
        raise RuleViolation(
            f"该记录尚不能处置：{why} / the records are not eligible for disposal: {why}",
            code="not_eligible_for_disposal",
            clause="ZPIC-WF-20 10.2",
        )
    taken = contents(services, row)
    disposal = backoffice.record_disposal(
        row_key=row_key,
        uscc=row["uscc"],
        reason=reason,
        records=taken.records,
        documents=taken.documents,
        certificate_numbers=taken.certificate_numbers,
        application_ids=taken.application_ids,
        retain_until=date.fromisoformat(row["retain_until"]),
        by=by,
    )
    _overwrite(services, str(disposal.id), [UUID(r["aggregate_id"]) for r in taken.records])
    for sha256 in disposal.documents:
        services.documents.dispose(sha256)
    services.settle()
    return disposal


def _overwrite(services: Services, disposal_id: str, aggregate_ids: list[UUID]) -> None:
    """Replace each event's content by its tombstone, listing it first (the privileged path)."""
    recorder: Any = services.backoffice.recorder
    postgres = services.settings.is_postgres
    mark = "%s" if postgres else "?"
    table = f'"{recorder.events_table_name}"' if postgres else recorder.events_table_name
    mapper = services.backoffice.mapper
    with recorder.datastore.transaction(commit=True) as curs:
        for aggregate_id in aggregate_ids:
            key = str(aggregate_id) if postgres else aggregate_id.hex
            for stored in recorder.select_events(aggregate_id):
                if read_tombstone(stored.state) is not None:
                    continue
                recorded_at = mapper.to_domain_event(stored).timestamp.isoformat()  # type: ignore[attr-defined]
                curs.execute(
                    f"INSERT INTO {DISPOSED_EVENTS} (originator_id, originator_version,"
                    f" disposal_id) VALUES ({mark}, {mark}, {mark})",
                    (key, stored.originator_version, disposal_id),
                )
                curs.execute(
                    f"UPDATE {table} SET state = {mark}"
                    f" WHERE originator_id = {mark} AND originator_version = {mark}",
                    (
                        tombstone(disposal_id, state_digest(stored.state), recorded_at),
                        aggregate_id if postgres else key,
                        stored.originator_version,
                    ),
                )
    forget_all()  # pages of the log this process keeps hold the content disposed of


def disposed_events(services_or_recorder: Any) -> dict[tuple[str, int], str]:
    """Every disposed event, (originator id, version) → disposal id."""
    recorder = getattr(services_or_recorder, "backoffice", None)
    recorder = recorder.recorder if recorder is not None else services_or_recorder
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(
            f"SELECT originator_id, originator_version, disposal_id FROM {DISPOSED_EVENTS}"
        )
        rows = curs.fetchall()
    return {(_identity(r["originator_id"]), int(r["originator_version"])): str(r["disposal_id"])
            for r in rows}  # fmt: skip


def _identity(originator_id: Any) -> str:
    """An originator id in its canonical form, or as listed when it is none (a planted row)."""
    try:
        return str(UUID(str(originator_id)))
    except ValueError:
        return str(originator_id)
