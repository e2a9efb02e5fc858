"""The appeals queue (ZPIC-WF-20 9): every case with its deadline, for the appeals staff."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.appeal import Appeal
from domain.disposal import Disposal
from projections.view import PostgresView, SQLiteView, ViewQueries

OPEN = ("received", "acknowledged", "assigned", "investigating", "resolved")


def with_deadline(row: dict[str, Any], today: date) -> dict[str, Any]:
    """A queue row with its days left and whether it is overdue, as of today."""
    due = date.fromisoformat(row["due_on"])
    is_open = row["status"] in OPEN
    return {
        **row,
        "subject": json.loads(row["subject"]),
        "handler_ids": json.loads(row["handler_ids"]),
        "days_left": (due - today).days,
        "overdue": is_open and today > due,
    }


class AppealsQueries(ViewQueries):
    """Cases by urgency."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS appeals_queue ("
        " id TEXT PRIMARY KEY,"
        " kind TEXT NOT NULL,"
        " subject TEXT NOT NULL,"
        " organization_uscc TEXT,"
        " appellant_name TEXT NOT NULL,"
        " received_on TEXT NOT NULL,"
        " due_on TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " handler_ids TEXT NOT NULL,"
        " outcome TEXT,"
        " version INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS appeals_queue_open ON appeals_queue (status, due_on)",
    )

    def queue(self, today: date, status: str | None, limit: int = 1000) -> list[dict[str, Any]]:
        """Cases (open ones, closed ones, or all), the most urgent first."""
        where, params = "", []
        if status == "open":
            where = f" WHERE status IN ({', '.join('?' for _ in OPEN)})"
            params = list(OPEN)
        elif status:
            where = " WHERE status = ?"
            params = [status]
        rows = self.rows(
            f"SELECT * FROM appeals_queue{where} ORDER BY due_on, received_on, id LIMIT ?",
            [*params, limit],
        )
        return [with_deadline(row, today) for row in rows]

    def queue_page(
        self, today: date, status: str | None, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the queue (as `queue` orders it) and how many cases the filter holds."""
        where, params = "", []
        if status == "open":
            where = f" WHERE status IN ({', '.join('?' for _ in OPEN)})"
            params = list(OPEN)
        elif status:
            where = " WHERE status = ?"
            params = [status]
        total = self.rows(f"SELECT COUNT(*) AS n FROM appeals_queue{where}", params)[0]["n"]
        rows = self.rows(
            f"SELECT * FROM appeals_queue{where} ORDER BY due_on, received_on, id"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [with_deadline(row, today) for row in rows], int(total)

    def due_within(self, today: date, days: int) -> list[dict[str, Any]]:
        """Open cases due within `days` days of today, or overdue, most urgent first."""
        horizon = date.fromordinal(today.toordinal() + days).isoformat()
        rows = self.rows(
            f"SELECT * FROM appeals_queue WHERE status IN ({', '.join('?' for _ in OPEN)})"
            " AND due_on <= ? ORDER BY due_on, received_on, id",
            [*OPEN, horizon],
        )
        return [with_deadline(row, today) for row in rows]

    def of_organization(self, uscc: str, today: date) -> list[dict[str, Any]]:
        """Every case about an organization, oldest first."""
        rows = self.rows(
            "SELECT * FROM appeals_queue WHERE organization_uscc = ? ORDER BY received_on, id",
            [uscc],
        )
        return [with_deadline(row, today) for row in rows]


class SQLiteAppealsView(AppealsQueries, SQLiteView):
    """The queue on the embedded store."""


class PostgresAppealsView(AppealsQueries, PostgresView):
    """The queue on PostgreSQL."""


class AppealsProjection(Projection[AppealsQueries]):
    """Keeps one row per appeal or complaint."""

    name = "appeals"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Other events only advance the tracking."""
        self.view.write([], tracking)

    def _set(self, e: Any, tracking: Tracking, **columns: Any) -> None:
        assignments = ", ".join(f"{c} = ?" for c in [*columns, "version"])
        self.view.write(
            [
                (
                    f"UPDATE appeals_queue SET {assignments} WHERE id = ?",
                    [*columns.values(), e.originator_version, str(e.originator_id)],
                )
            ],
            tracking,
        )

    @process_event.register
    def _received(self, e: Appeal.Received, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "INSERT INTO appeals_queue (id, kind, subject, organization_uscc,"
                    " appellant_name, received_on, due_on, status, handler_ids, version)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 'received', '[]', ?)",
                    [
                        str(e.originator_id),
                        e.kind,
                        json.dumps(e.subject, ensure_ascii=False),
                        e.organization_uscc,
                        e.appellant["name"],
                        e.received_on.isoformat(),
                        e.due_on.isoformat(),
                        e.originator_version,
                    ],
                )
            ],
            tracking,
        )

    @process_event.register
    def _acknowledged(self, e: Appeal.Acknowledged, tracking: Tracking) -> None:
        self._set(e, tracking, status="acknowledged")

    @process_event.register
    def _assigned(self, e: Appeal.Assigned, tracking: Tracking) -> None:
        self._set(e, tracking, status="assigned", handler_ids=json.dumps(e.handler_ids))

    @process_event.register
    def _noted(self, e: Appeal.NoteRecorded, tracking: Tracking) -> None:
        self._set(e, tracking, status="investigating")

    @process_event.register
    def _resolved(self, e: Appeal.Resolved, tracking: Tracking) -> None:
        self._set(e, tracking, status="resolved", outcome=e.outcome)

    @process_event.register
    def _notice_sent(self, e: Appeal.NoticeSent, tracking: Tracking) -> None:
        self._set(e, tracking, status="closed")

    @process_event.register
    def _escalated(self, e: Appeal.Escalated, tracking: Tracking) -> None:
        self._set(e, tracking)

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        self.view.write(
            [
                ("DELETE FROM appeals_queue WHERE id = ?", [r["aggregate_id"]])
                for r in e.records
                if r["kind"] == "appeal"
            ],
            tracking,
        )
