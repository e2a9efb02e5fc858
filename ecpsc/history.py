"""Records as they stood and as they have gone since (ZPIC-WF-20 9, 10): read from the events.

`event_record` shows one stored event in readable form; `organization_events` lists what the
store holds about an organization in recording order; `appeal_view` puts a decision under appeal
as it stood when it was recorded beside everything recorded about the organization since.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.appeal import Appeal
from domain.audit import Audit
from domain.certificate import Certificate
from domain.people import User
from ecpsc.disposal import DisposedRecord, RecordDisposed
from ecpsc.services import Services

HIDDEN = {"originator_id", "originator_version", "timestamp", "originator_topic"}
BUSINESS_DATE_FIELDS = (
    "received_on",
    "reviewed_on",
    "signed_on",
    "start_on",
    "completed_on",
    "opened_on",
    "effective_on",
    "verified_on",
    "decided_on",
    "issued_on",
    "reissued_on",
    "expired_on",
    "recovered_on",
    "listed_on",
    "delisted_on",
    "acknowledged_on",
    "assigned_on",
    "noted_on",
    "resolved_on",
    "sent_on",
    "escalated_on",
    "reopened_on",
    "found_on",
    "reported_on",
    "as_of",
)


def readable(value: Any) -> Any:
    """A value as JSON shows it: dates ISO, decimals as strings, containers recursively."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): readable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [readable(v) for v in value]
    return value


class ActorNames:
    """The names behind actor ids, looked up once each."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.names: dict[str, str] = {}

    def name(self, actor_id: str | None) -> str | None:
        """The actor's name (system actors by their id)."""
        if actor_id is None:
            return None
        if actor_id not in self.names:
            name = actor_id
            try:
                user: object = self.services.backoffice.repository.get(UUID(actor_id))
                if isinstance(user, User):
                    name = user.name
            except (ValueError, AggregateNotFoundError):
                pass
            self.names[actor_id] = name
        return self.names[actor_id]


_TYPE_NAMES: dict[type, str] = {}


def _type_name(cls: type) -> str:
    """An event class's name as the timeline shows it (`Certificate.Issued`), found once."""
    name = _TYPE_NAMES.get(cls)
    if name is None:
        name = _TYPE_NAMES[cls] = get_topic(cls).split(":", 1)[1]
    return name


def event_record(e: Any, names: ActorNames) -> dict[str, Any]:
    """One event: when recorded, its business date, type, who, and its fields (a disposed
    event shows only where it stood, its type and the disposal that took its content)."""
    if isinstance(e, DisposedRecord):
        return {
            "recorded_at": e.timestamp.isoformat(),
            "business_date": None,
            "type": e.topic.split(":", 1)[1],
            "aggregate_id": str(e.originator_id),
            "version": e.originator_version,
            "actor": {"id": None, "name": None},
            "data": {"disposed": True, "disposal_id": e.disposal_id, "digest": e.digest},
        }
    data = {k: readable(v) for k, v in vars(e).items() if k not in HIDDEN}
    business_date = next((data[f] for f in BUSINESS_DATE_FIELDS if data.get(f)), None)
    actor_id = data.get("by")
    return {
        "recorded_at": e.timestamp.isoformat(),
        "business_date": business_date,
        "type": _type_name(type(e)),
        "aggregate_id": str(e.originator_id),
        "version": e.originator_version,
        "actor": {"id": actor_id, "name": names.name(actor_id)},
        "data": data,
    }


class OrganizationEvents:
    """An organization's indexed events and its records' whole event lists, read with one
    query for the index and one per record (never one per event)."""

    def __init__(self, services: Services, uscc: str) -> None:
        index = services.read_models.view("organization_index")
        self.backoffice = services.backoffice
        self.rows = index.events(uscc)
        self.aggregate_rows = index.aggregates(uscc)
        self._of: dict[str, list[Any]] = {}

    def of(self, originator_id: str) -> list[Any]:
        """Every stored event of a record, in version order (read once)."""
        if originator_id not in self._of:
            store = self.backoffice.repository.event_store
            self._of[originator_id] = list(store.get(UUID(originator_id)))
        return self._of[originator_id]

    def indexed(self) -> list[Any]:
        """The events the index lists, in recording order."""
        found = []
        for row in self.rows:
            originator_id, version = row["originator_id"], int(row["originator_version"])
            events = self.of(originator_id)
            e = events[version - 1] if 0 < version <= len(events) else None
            if e is None or e.originator_version != version:
                e = self.backoffice.stored_event(UUID(originator_id), version)
            found.append(e)
        return found


def organization_events(
    services: Services, uscc: str, after: datetime | None = None
) -> list[dict[str, Any]]:
    """Every event about the organization (recorded after a moment, when given), oldest first."""
    names = ActorNames(services)
    return [
        event_record(e, names)
        for e in OrganizationEvents(services, uscc).indexed()
        if after is None or e.timestamp > after
    ]


def _audit_then(audit: Audit | None) -> dict[str, Any] | None:
    if audit is None:
        return None
    completion = audit.completion or {}
    return {
        "id": str(audit.id),
        "type": audit.audit_type,
        "organization": readable(audit.organization),
        "team": readable(audit.team),
        "findings": readable(audit.findings),
        "special_deductions": readable(audit.special_deductions),
        "exclusions": readable(audit.exclusions),
        "completed_on": readable(completion.get("completed_on")),
        "score": readable(completion.get("score")),
        "version": audit.version,
    }


def _certificate_then(certificate: Certificate | None) -> dict[str, Any] | None:
    if certificate is None:
        return None
    return {
        "number": certificate.number,
        "status": certificate.status,
        "grade": certificate.grade,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "version": certificate.version,
    }


def appeal_view(services: Services, appeal: Appeal) -> dict[str, Any]:
    """The subject decision, its audit and score as they stood when the decision was recorded,
    beside everything recorded about the organization since (9.2)."""
    backoffice = services.backoffice
    decision_id = appeal.subject.get("decision_id")
    then: dict[str, Any] | None = None
    since: list[dict[str, Any]] = []
    if decision_id:
        decision = backoffice.get_decision(UUID(decision_id))
        made_at: datetime = decision.created_on
        audit = backoffice.as_of(Audit, UUID(decision.audit_id), made_at)
        certificate = None
        if decision.certificate_number:
            certificate = backoffice.as_of(
                Certificate, Certificate.create_id(decision.certificate_number), made_at
            )
        then = {
            "recorded_at": made_at.isoformat(),
            "decision": {
                "id": str(decision.id),
                "outcome": decision.outcome,
                "reasons": decision.reasons,
                "decided_on": decision.decided_on.isoformat(),
                "decided_by": decision.decided_by,
                "grade": decision.grade,
                "rulebook_version": decision.rulebook_version,
            },
            "audit": _audit_then(audit),
            "certificate": _certificate_then(certificate),
        }
        if appeal.organization_uscc:
            since = organization_events(services, appeal.organization_uscc, after=made_at)
    elif appeal.organization_uscc:
        since = organization_events(services, appeal.organization_uscc, after=None)
    latest = None
    if decision_id:
        audit_id = backoffice.get_decision(UUID(decision_id)).audit_id
        found, _ = backoffice.latest_decision(audit_id)
        latest = None if found is None else str(found.id)
    return {"then": then, "since": since, "latest_decision_id": latest}


def aggregate_state(aggregate: Any) -> dict[str, Any]:
    """A record's fields as its events made them (private and library fields left out)."""
    return {
        key.removeprefix("_"): readable(value)
        for key, value in vars(aggregate).items()
        if key not in {"_id", "_version", "_created_on", "_modified_on", "_pending_events"}
        and not key.startswith("__")
    }


def _as_of(events: list[Any], moment: datetime) -> Aggregate | None:
    """A record as its events recorded up to a moment made it (None if not yet made), as
    `Desk.as_of` rebuilds it, from events already read."""
    upto = []
    for e in events:
        if e.timestamp > moment:
            break
        upto.append(e)
    if not upto:
        return None
    # project_aggregate() without its assert of a runtime-checkable Protocol on every event,
    # which took two fifths of rebuilding a record of a thousand events.
    aggregate: Any = None
    for e in upto:
        aggregate = e.mutate(aggregate)
    if aggregate is None:
        raise AggregateNotFoundError(f"Aggregate {upto[0].originator_id!r} not found.")
    assert isinstance(aggregate, Aggregate)
    return aggregate


def _records(found: OrganizationEvents, as_of: datetime) -> list[dict[str, Any]]:
    records = []
    for row in found.aggregate_rows:
        try:
            aggregate = _as_of(found.of(row["originator_id"]), as_of)
        except RecordDisposed:
            records.append(
                {
                    "kind": row["kind"],
                    "id": row["originator_id"],
                    "version": None,
                    "state": None,
                    "disposed": True,
                }
            )
            continue
        if aggregate is not None:
            records.append(
                {
                    "kind": row["kind"],
                    "id": row["originator_id"],
                    "version": aggregate.version,
                    "state": aggregate_state(aggregate),
                }
            )
    return records


def organization_records(services: Services, uscc: str, as_of: datetime) -> list[dict[str, Any]]:
    """The state of each of an organization's records as of a moment, rebuilt from its events
    (each record's events read once)."""
    return _records(OrganizationEvents(services, uscc), as_of)


def organization_history(
    services: Services, uscc: str, as_of: datetime | None = None
) -> list[dict[str, Any]]:
    """Every event about an organization, oldest first. Cut at `as_of` when given: then each
    event carries its record's version as of that moment (`record_version`), and each record's
    state then, rebuilt from its events, is given once (`record_state`), on the record's last
    event up to the moment: the event after which the record stood so. (It used to be repeated
    beside every event: a record with a thousand events showed its state a thousand times.)

    The index is read once and each record's events once (not each event on its own); the
    timeline is written before any record is rebuilt, since a rebuilt record may share a list
    or a dict with the events it was made from."""
    names = ActorNames(services)
    found = OrganizationEvents(services, uscc)
    events = [
        event_record(e, names) for e in found.indexed() if as_of is None or e.timestamp <= as_of
    ]
    if as_of is not None:
        states = {r["id"]: r for r in _records(found, as_of)}
        last = {record["aggregate_id"]: n for n, record in enumerate(events)}
        for n, record in enumerate(events):
            state = states.get(record["aggregate_id"])
            record["record_version"] = None if state is None else state["version"]
            if last[record["aggregate_id"]] == n:
                record["record_state"] = None if state is None else state["state"]
    return events


def _dumps(value: Any) -> bytes:
    """A value's JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def history_json(events: list[dict[str, Any]]) -> bytes:
    """The history's JSON answer, byte for byte what JSONResponse writes for `events`, without
    the response model's validation of every event first. Raises TypeError or ValueError on a
    value JSON cannot hold as it is."""
    return _dumps(events)
