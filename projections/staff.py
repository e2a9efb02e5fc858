"""The staff list (ZPIC-WF-20 11): who holds which role, and where their work notices go."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.people import User
from projections.view import PostgresView, SQLiteView, ViewQueries


class StaffQueries(ViewQueries):
    """Staff members by role."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS staff ("
        " id TEXT PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " roles TEXT NOT NULL,"
        " email TEXT)",
    )

    def with_role(self, role: str) -> list[dict[str, Any]]:
        """Members holding a role (admins not included unless named), by name."""
        rows = self.rows("SELECT * FROM staff ORDER BY name, id")
        members = [{**row, "roles": json.loads(row["roles"])} for row in rows]
        return [m for m in members if role in m["roles"]]


class SQLiteStaffView(StaffQueries, SQLiteView):
    """Staff on the embedded store."""


class PostgresStaffView(StaffQueries, PostgresView):
    """Staff on PostgreSQL."""


class StaffProjection(Projection[StaffQueries]):
    """One row per staff member."""

    name = "staff"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Other events only advance the tracking."""
        self.view.write([], tracking)

    @process_event.register
    def _registered(self, e: User.Registered, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "INSERT INTO staff (id, name, roles) VALUES (?, ?, ?)",
                    [str(e.originator_id), e.name, json.dumps(list(e.roles))],
                )
            ],
            tracking,
        )

    @process_event.register
    def _email(self, e: User.EmailRecorded, tracking: Tracking) -> None:
        self.view.write(
            [("UPDATE staff SET email = ? WHERE id = ?", [e.email, str(e.originator_id)])],
            tracking,
        )
