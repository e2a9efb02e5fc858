"""Compliance exceptions (ZPIC-WF-20 7.2.1, 7.3.1; rules.md §12).

A suspension, reinstatement or withdrawal takes effect within 5 working days of the facts being
verified; one recorded late is kept as it happened and listed here (`late_action`). A deadline
job's suspension or withdrawal that a fact entered late contradicts is listed too
(`contradiction`) until a decision maker rescinds it.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.certificate import Certificate
from domain.disposal import Disposal
from projections.view import PostgresView, SQLiteView, ViewQueries


class ComplianceQueries(ViewQueries):
    """Late actions, newest first."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS compliance_exceptions ("
        " cursor BIGINT PRIMARY KEY,"
        " kind TEXT NOT NULL,"
        " number TEXT NOT NULL,"
        " certificate_id TEXT NOT NULL,"
        " action TEXT NOT NULL,"
        " reason TEXT,"
        " verified_on TEXT NOT NULL,"
        " due_on TEXT NOT NULL,"
        " due_on_provisional BOOLEAN NOT NULL,"
        " effective_on TEXT NOT NULL,"
        " days_late INTEGER NOT NULL,"
        " recorded_at TEXT NOT NULL,"
        " recorded_by TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS compliance_numbers ("
        " certificate_id TEXT PRIMARY KEY,"
        " number TEXT NOT NULL)",
    )

    def exceptions(
        self, number: str | None, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Late actions, optionally of one certificate, newest first, with the total."""
        where, params = ("", []) if number is None else (" WHERE number = ?", [number])
        total = self.rows(f"SELECT COUNT(*) AS n FROM compliance_exceptions{where}", params)
        rows = self.rows(
            f"SELECT * FROM compliance_exceptions{where} ORDER BY cursor DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        for row in rows:
            row["due_on_provisional"] = bool(row["due_on_provisional"])
        return rows, int(total[0]["n"])


class SQLiteComplianceView(ComplianceQueries, SQLiteView):
    """Compliance exceptions on the embedded store."""


class PostgresComplianceView(ComplianceQueries, PostgresView):
    """Compliance exceptions on PostgreSQL."""


class ComplianceProjection(Projection[ComplianceQueries]):
    """Lists every certificate action recorded after its 5-working-day deadline."""

    name = "compliance"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Other events only advance the tracking."""
        self.view.write([], tracking)

    @process_event.register
    def _issued(self, e: Certificate.Issued, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "INSERT INTO compliance_numbers (certificate_id, number) VALUES (?, ?)",
                    [str(e.originator_id), e.number],
                )
            ],
            tracking,
        )

    def _action(self, e: Any, tracking: Tracking, action: str, reason: str | None) -> None:
        if not e.late:
            self.view.write([], tracking)
            return
        number = self.view.rows(
            "SELECT number FROM compliance_numbers WHERE certificate_id = ?",
            [str(e.originator_id)],
        )[0]["number"]
        self.view.write(
            [
                (
                    "INSERT INTO compliance_exceptions (cursor, kind, number, certificate_id,"
                    " action, reason, verified_on, due_on, due_on_provisional, effective_on,"
                    " days_late, recorded_at, recorded_by)"
                    " VALUES (?, 'late_action', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        tracking.notification_id,
                        number,
                        str(e.originator_id),
                        action,
                        reason,
                        e.verified_on.isoformat(),
                        e.due_on.isoformat(),
                        bool(e.due_on_provisional),
                        e.effective_on.isoformat(),
                        (e.effective_on - e.due_on).days,
                        e.timestamp.isoformat(),
                        e.by,
                    ],
                )
            ],
            tracking,
        )

    @process_event.register
    def _suspended(self, e: Certificate.Suspended, tracking: Tracking) -> None:
        self._action(e, tracking, "suspension", e.reason)

    @process_event.register
    def _reinstated(self, e: Certificate.Reinstated, tracking: Tracking) -> None:
        self._action(e, tracking, "reinstatement", None)

    @process_event.register
    def _withdrawn(self, e: Certificate.Withdrawn, tracking: Tracking) -> None:
        self._action(e, tracking, "withdrawal", e.reason)

    @process_event.register
    def _contradiction(self, e: Certificate.ContradictionFound, tracking: Tracking) -> None:
        # A deadline job's action that a late entry contradicts: listed until a decision maker
        # rescinds it (rules.md §12). The columns say: the action, what contradicts it and when.
        number = self.view.rows(
            "SELECT number FROM compliance_numbers WHERE certificate_id = ?",
            [str(e.originator_id)],
        )[0]["number"]
        fact = e.fact_on or e.action_effective_on
        self.view.write(
            [
                (
                    "INSERT INTO compliance_exceptions (cursor, kind, number, certificate_id,"
                    " action, reason, verified_on, due_on, due_on_provisional, effective_on,"
                    " days_late, recorded_at, recorded_by)"
                    " VALUES (?, 'contradiction', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                    [
                        tracking.notification_id,
                        number,
                        str(e.originator_id),
                        e.action,
                        e.contradicted_by,
                        fact.isoformat(),
                        (e.missed_due_on or e.action_effective_on).isoformat(),
                        False,
                        e.action_effective_on.isoformat(),
                        e.timestamp.isoformat(),
                        e.by,
                    ],
                )
            ],
            tracking,
        )

    @process_event.register
    def _rescinded(self, e: Certificate.Rescinded, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "DELETE FROM compliance_exceptions WHERE kind = 'contradiction'"
                    " AND certificate_id = ? AND action = ? AND effective_on = ?",
                    [str(e.originator_id), e.action, e.action_effective_on.isoformat()],
                )
            ],
            tracking,
        )

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        self.view.write(
            [
                ("DELETE FROM compliance_exceptions WHERE number = ?", [n])
                for n in e.certificate_numbers
            ],
            tracking,
        )
