"""Which events concern which organization (ZPIC-WF-20 9, 10): an index by uscc.

Every aggregate that belongs to an organization — its applications, audits, decisions,
corrective actions, certificates, appeals, notices and watchlist entry — is mapped to its uscc
when it is created; from then on each of its events is listed under that uscc in recording
order. Appeals staff read "everything since the decision" from it, compliance officers the
whole history; the events themselves are read from the store.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.appeal import Appeal
from domain.application import CertificationApplication
from domain.audit import Audit
from domain.certificate import Certificate
from domain.corrective_action import CorrectiveAction
from domain.decision import Decision
from domain.notice import NoticeRecord
from domain.watchlist import WatchlistEntry
from projections.view import PostgresView, SQLiteView, Statement, ViewQueries


class OrganizationIndexQueries(ViewQueries):
    """Events by organization, in recording order."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS organization_aggregates ("
        " originator_id TEXT PRIMARY KEY,"
        " uscc TEXT NOT NULL,"
        " kind TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS organization_events ("
        " cursor BIGINT PRIMARY KEY,"
        " uscc TEXT NOT NULL,"
        " originator_id TEXT NOT NULL,"
        " originator_version INTEGER NOT NULL,"
        " topic TEXT NOT NULL,"
        " recorded_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS organization_events_uscc ON organization_events (uscc, cursor)",
    )

    def uscc_of(self, originator_id: str) -> str | None:
        """The organization an aggregate belongs to, if known."""
        rows = self.rows(
            "SELECT uscc FROM organization_aggregates WHERE originator_id = ?", [originator_id]
        )
        return str(rows[0]["uscc"]) if rows else None

    def events(
        self, uscc: str, after_cursor: int = 0, limit: int = 100_000
    ) -> list[dict[str, Any]]:
        """The organization's events after a cursor, oldest first."""
        return self.rows(
            "SELECT * FROM organization_events WHERE uscc = ? AND cursor > ?"
            " ORDER BY cursor LIMIT ?",
            [uscc, after_cursor, limit],
        )

    def aggregates(self, uscc: str) -> list[dict[str, Any]]:
        """The organization's aggregates and their kinds."""
        return self.rows(
            "SELECT originator_id, kind FROM organization_aggregates WHERE uscc = ?"
            " ORDER BY originator_id",
            [uscc],
        )


class SQLiteOrganizationIndexView(OrganizationIndexQueries, SQLiteView):
    """The index on the embedded store."""


class PostgresOrganizationIndexView(OrganizationIndexQueries, PostgresView):
    """The index on PostgreSQL."""


def _event_row(e: Any, tracking: Tracking, uscc: str) -> list[Any]:
    return [
        tracking.notification_id,
        uscc,
        str(e.originator_id),
        e.originator_version,
        get_topic(type(e)),
        e.timestamp.isoformat(),
    ]


ROWS_PER_INSERT = 100
"""Event rows per INSERT statement (600 parameters: within SQLite's limit too)."""


USCC_MEMORY = 200_000
"""Aggregates whose organization the projection remembers before it starts afresh."""


class OrganizationIndexProjection(Projection[OrganizationIndexQueries]):
    """Maps aggregates to organizations and lists their events."""

    name = "organization_index"
    every_event = True
    """Its catch-all handler indexes every event of an organization's records."""

    def __init__(self, view: OrganizationIndexQueries) -> None:
        super().__init__(view)
        # An aggregate's organization is fixed by its first event, which this projection sees
        # first: remembering it spares a query per event. A restart begins a fresh memory.
        self._usccs: dict[str, str | None] = {}
        # The open batch's event rows, inserted together at its end.
        self._rows: list[list[Any]] = []

    def _uscc_of(self, originator_id: str, created: bool = False) -> str | None:
        if originator_id not in self._usccs:
            if created:
                # A first event not handled below creates a record of no organization
                # (a user, a document, a numbering): the index will never hold it.
                self._remember(originator_id, None)
                return None
            self._remember(originator_id, self.view.uscc_of(originator_id))
        return self._usccs[originator_id]

    def _remember(self, originator_id: str, uscc: str | None) -> None:
        if len(self._usccs) >= USCC_MEMORY:
            self._usccs.clear()
        self._usccs[originator_id] = uscc

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """An event of a known aggregate is listed under its organization."""
        uscc = self._uscc_of(
            str(domain_event.originator_id), created=domain_event.originator_version == 1
        )
        with self.view.batched():
            if uscc is not None:
                self._add(_event_row(domain_event, tracking, uscc))
            self.view.write([], tracking)

    def _add(self, row: list[Any]) -> None:
        """An event row, written with the batch's others at its end."""
        if self.view.defer(self._rows_written):
            self._rows.clear()  # left by a batch that failed
        self._rows.append(row)

    def _rows_written(self) -> list[Statement]:
        """The event rows gathered so far, as multi-row INSERTs; none are left gathered."""
        rows, self._rows = self._rows, []
        statements: list[Statement] = []
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            statements.append(
                (
                    "INSERT INTO organization_events (cursor, uscc, originator_id,"
                    " originator_version, topic, recorded_at) VALUES "
                    + ", ".join("(?, ?, ?, ?, ?, ?)" for _ in chunk),
                    [value for row in chunk for value in row],
                )
            )
        return statements

    def _created(self, e: Any, tracking: Tracking, uscc: str | None, kind: str) -> None:
        self._remember(str(e.originator_id), uscc or None)
        if not uscc:
            self.view.write([], tracking)
            return
        with self.view.batched():
            self._add(_event_row(e, tracking, uscc))
            self.view.write(
                [
                    (
                        "INSERT INTO organization_aggregates (originator_id, uscc, kind)"
                        " VALUES (?, ?, ?)",
                        [str(e.originator_id), uscc, kind],
                    ),
                ],
                tracking,
            )

    @process_event.register
    def _application(self, e: CertificationApplication.Submitted, tracking: Tracking) -> None:
        self._created(e, tracking, e.organization.get("uscc"), "application")

    @process_event.register
    def _audit(self, e: Audit.Planned, tracking: Tracking) -> None:
        self._created(e, tracking, e.organization.get("uscc"), "audit")

    @process_event.register
    def _decision(self, e: Decision.Made, tracking: Tracking) -> None:
        self._created(e, tracking, self._uscc_of(e.audit_id), "decision")

    @process_event.register
    def _corrective_action(self, e: CorrectiveAction.Opened, tracking: Tracking) -> None:
        self._created(e, tracking, self._uscc_of(e.audit_id), "corrective_action")

    @process_event.register
    def _certificate(self, e: Certificate.Issued, tracking: Tracking) -> None:
        self._created(e, tracking, e.organization.get("uscc"), "certificate")

    @process_event.register
    def _appeal(self, e: Appeal.Received, tracking: Tracking) -> None:
        self._created(e, tracking, e.organization_uscc, "appeal")

    @process_event.register
    def _watchlist(self, e: WatchlistEntry.Listed, tracking: Tracking) -> None:
        self._created(e, tracking, e.uscc, "watchlist_entry")

    @process_event.register
    def _notice(self, e: NoticeRecord.Sent, tracking: Tracking) -> None:
        uscc = None
        if e.certificate_numbers:
            uscc = self._uscc_of(str(Certificate.create_id(e.certificate_numbers[0])))
        self._created(e, tracking, uscc, "notice")
