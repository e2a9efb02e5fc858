"""The dates by which the rules change a certificate by themselves (5.3, 7.3.1, 8.1.2).

The deadline jobs ask this model which certificates may owe a change as of a day, then let each
certificate's own events decide, so the model only has to be a superset, never the truth.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.certificate import Certificate
from domain.disposal import Disposal
from domain.rulebook.schedule import next_surveillance_due
from domain.sweeps import SweepJournal
from projections.view import PostgresView, SQLiteView, Statement, ViewQueries


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class DeadlineQueries(ViewQueries):
    """Live certificates and the dates that bound them."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS certificate_deadlines ("
        " certificate_id TEXT PRIMARY KEY,"
        " number TEXT NOT NULL UNIQUE,"
        " status TEXT NOT NULL,"
        " expires_on TEXT NOT NULL,"
        " surveillance_due TEXT,"
        " suspended_until TEXT)",
        "CREATE INDEX IF NOT EXISTS certificate_deadlines_live"
        " ON certificate_deadlines (status, expires_on)",
        "CREATE INDEX IF NOT EXISTS certificate_deadlines_surveillance"
        " ON certificate_deadlines (status, surveillance_due)",
        "CREATE INDEX IF NOT EXISTS certificate_deadlines_suspensions"
        " ON certificate_deadlines (status, suspended_until)",
        # certificates whose facts were entered with past business dates: looked at by every
        # sweep until one has run for a day on or after those dates (rules.md §12)
        "CREATE TABLE IF NOT EXISTS certificate_deadline_rechecks ("
        " certificate_id TEXT PRIMARY KEY,"
        " until TEXT NOT NULL)",
    )

    def _window(
        self, status: str, column: str, until: date, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        where = f" WHERE status = ? AND {column} IS NOT NULL AND {column} <= ?"
        params = [status, until.isoformat()]
        total = self.rows(f"SELECT COUNT(*) AS n FROM certificate_deadlines{where}", params)
        rows = self.rows(
            f"SELECT number, status, expires_on, surveillance_due, suspended_until"
            f" FROM certificate_deadlines{where} ORDER BY {column}, number LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return rows, int(total[0]["n"])

    def surveillance_due_by(
        self, until: date, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Valid certificates whose surveillance is due on or before `until` (overdue ones
        included), soonest first, with the total."""
        return self._window("valid", "surveillance_due", until, offset, limit)

    def suspensions_ending_by(
        self, until: date, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Suspended certificates whose suspension ends on or before `until`, soonest first."""
        return self._window("suspended", "suspended_until", until, offset, limit)

    def due(self, as_of: date) -> list[str]:
        """Numbers of live certificates with a rule-driven change possibly due on or before as_of:
        expiry, an overdue surveillance (valid ones) or an ended suspension (suspended ones)."""
        day = as_of.isoformat()
        rows = self.rows(
            "SELECT number FROM certificate_deadlines WHERE status IN ('valid', 'suspended')"
            " AND (expires_on < ?"
            " OR (status = 'valid' AND surveillance_due < ?)"
            " OR (status = 'suspended' AND suspended_until < ?))"
            " UNION SELECT d.number FROM certificate_deadline_rechecks r"
            " JOIN certificate_deadlines d ON d.certificate_id = r.certificate_id"
            " ORDER BY number",
            [day, day, day],
        )
        return [str(row["number"]) for row in rows]

    def expiring_on(self, days: list[date]) -> list[str]:
        """Numbers of live certificates whose last day is one of these days."""
        marks = ", ".join("?" for _ in days)
        rows = self.rows(
            "SELECT number FROM certificate_deadlines WHERE status IN ('valid', 'suspended')"
            f" AND expires_on IN ({marks}) ORDER BY number",
            [d.isoformat() for d in days],
        )
        return [str(row["number"]) for row in rows]


class SQLiteDeadlineView(DeadlineQueries, SQLiteView):
    """Deadlines on the embedded store."""


class PostgresDeadlineView(DeadlineQueries, PostgresView):
    """Deadlines on PostgreSQL."""


class CertificateDeadlinesProjection(Projection[DeadlineQueries]):
    """Keeps each live certificate's expiry, surveillance due date and suspension end."""

    name = "certificate_deadlines"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Other events only advance the tracking."""
        self.view.write([], tracking)

    def _update(
        self, e: Any, tracking: Tracking, recheck: date | None = None, **columns: Any
    ) -> None:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        statements: list[Statement] = [
            (
                f"UPDATE certificate_deadlines SET {assignments} WHERE certificate_id = ?",
                [*columns.values(), str(e.originator_id)],
            )
        ]
        if recheck is not None:
            statements += [
                (
                    "DELETE FROM certificate_deadline_rechecks WHERE certificate_id = ?"
                    " AND until < ?",
                    [str(e.originator_id), recheck.isoformat()],
                ),
                (
                    "INSERT INTO certificate_deadline_rechecks (certificate_id, until)"
                    " SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM certificate_deadline_rechecks"
                    " WHERE certificate_id = ?)",
                    [str(e.originator_id), recheck.isoformat(), str(e.originator_id)],
                ),
            ]
        self.view.write(statements, tracking)

    @process_event.register
    def _issued(self, e: Certificate.Issued, tracking: Tracking) -> None:
        due = next_surveillance_due(e.issued_on, e.expires_on, None)
        self.view.write(
            [
                (
                    "INSERT INTO certificate_deadlines (certificate_id, number, status,"
                    " expires_on, surveillance_due) VALUES (?, ?, 'valid', ?, ?)",
                    [str(e.originator_id), e.number, e.expires_on.isoformat(), _day(due)],
                )
            ],
            tracking,
        )

    @process_event.register
    def _audit_completed(self, e: Certificate.AuditCompleted, tracking: Tracking) -> None:
        self._update(
            e, tracking, e.completed_on, surveillance_due=_day(e.next_surveillance_due)
        )

    @process_event.register
    def _recertified(self, e: Certificate.Recertified, tracking: Tracking) -> None:
        self._update(
            e,
            tracking,
            expires_on=e.expires_on.isoformat(),
            surveillance_due=_day(e.next_surveillance_due),
        )

    @process_event.register(Certificate.Suspended)
    @process_event.register(Certificate.Reinstated)
    @process_event.register(Certificate.Rescinded)
    def _restated(self, e: Any, tracking: Tracking) -> None:
        # the certificate's standing after the event, by business dates (rules.md §12)
        self._update(
            e,
            tracking,
            e.decided_on if isinstance(e, Certificate.Rescinded) else e.effective_on,
            status=e.status_after,
            suspended_until=_day(e.suspended_until_after),
        )

    @process_event.register
    def _extended(self, e: Certificate.SuspensionExtended, tracking: Tracking) -> None:
        self._update(e, tracking, suspended_until=_day(e.suspended_until))

    @process_event.register
    def _swept(self, e: SweepJournal.DaySwept, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "DELETE FROM certificate_deadline_rechecks WHERE until <= ?",
                    [e.as_of.isoformat()],
                )
            ],
            tracking,
        )

    @process_event.register
    def _withdrawn(self, e: Certificate.Withdrawn, tracking: Tracking) -> None:
        self._update(e, tracking, e.effective_on, status="withdrawn")

    @process_event.register
    def _expired(self, e: Certificate.Expired, tracking: Tracking) -> None:
        self._update(e, tracking, status="expired")

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        self.view.write(
            [
                ("DELETE FROM certificate_deadlines WHERE number = ?", [n])
                for n in e.certificate_numbers
            ],
            tracking,
        )
