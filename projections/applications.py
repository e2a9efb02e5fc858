"""The applications list (ZPIC-WF-20 4.1): one row per application, for intake's work queue."""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.application import CertificationApplication
from domain.disposal import Disposal
from projections.paging import Rows, page_of
from projections.view import PostgresView, SQLiteView, ViewQueries


class ApplicationsQueries(ViewQueries):
    """Rows of the applications read model and the queries the API needs."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS applications_view ("
        " id TEXT PRIMARY KEY,"
        " status TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " organization_name TEXT NOT NULL,"
        " scope TEXT NOT NULL,"
        " received_on TEXT NOT NULL,"
        " certificate_number TEXT,"
        " version INTEGER NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS applications_view_status"
        " ON applications_view (status, received_on, id)",
        "CREATE INDEX IF NOT EXISTS applications_view_uscc ON applications_view (uscc)",
    )

    def page(self, status: str | None, uscc: str | None, offset: int, limit: int) -> Rows:
        """Applications, newest receipt first, filtered by status and uscc, and their total."""
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if uscc is not None:
            where.append("uscc = ?")
            params.append(uscc)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = "received_on DESC, id"
        return page_of(self, "applications_view", clause, params, order, offset, limit)

    def applicants_named(self, text: str, limit: int) -> list[dict[str, Any]]:
        """Organizations whose name on an application holds `text`: uscc, the latest name,
        how many applications and the latest one's status, latest application first."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.rows(
            "SELECT uscc, organization_name, status, received_on FROM applications_view"
            " WHERE organization_name LIKE ? ESCAPE '\\' ORDER BY received_on DESC, id",
            [f"%{escaped}%"],
        )
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            seen = found.get(row["uscc"])
            if seen is None:
                if len(found) == limit:
                    continue
                found[row["uscc"]] = {**row, "applications": 1}
            else:
                seen["applications"] += 1
        return list(found.values())


class SQLiteApplicationsView(ApplicationsQueries, SQLiteView):
    """The applications read model on the embedded store."""


class PostgresApplicationsView(ApplicationsQueries, PostgresView):
    """The applications read model on PostgreSQL."""


class ApplicationsProjection(Projection[ApplicationsQueries]):
    """Keeps one row per application up to date."""

    name = "applications"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Events that do not concern applications only advance the tracking."""
        self.view.write([], tracking)

    @process_event.register
    def _submitted(self, e: CertificationApplication.Submitted, tracking: Tracking) -> None:
        org: dict[str, Any] = e.organization  # type: ignore[attr-defined]
        self.view.write(
            [
                (
                    "INSERT INTO applications_view (id, status, uscc, organization_name, scope,"
                    " received_on, certificate_number, version, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        str(e.originator_id),
                        "submitted",
                        org["uscc"],
                        org["name"],
                        e.scope,  # type: ignore[attr-defined]
                        e.received_on.isoformat(),  # type: ignore[attr-defined]
                        e.certificate_number,  # type: ignore[attr-defined]
                        e.originator_version,
                        e.timestamp.isoformat(),
                    ),
                )
            ],
            tracking,
        )

    @process_event.register
    def _reviewed(self, e: CertificationApplication.Reviewed, tracking: Tracking) -> None:
        self._set_status(e, e.outcome, tracking)  # type: ignore[attr-defined]

    @process_event.register
    def _supplemented(
        self, e: CertificationApplication.SupplementReceived, tracking: Tracking
    ) -> None:
        self._set_status(e, "submitted", tracking)

    @process_event.register
    def _contracted(self, e: CertificationApplication.ContractSigned, tracking: Tracking) -> None:
        self._set_status(e, "contracted", tracking)

    def _set_status(self, e: Aggregate.Event, status: str, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "UPDATE applications_view SET status = ?, version = ?, updated_at = ?"
                    " WHERE id = ?",
                    (status, e.originator_version, e.timestamp.isoformat(), str(e.originator_id)),
                )
            ],
            tracking,
        )

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        # Records past retention are disposed of (10.2): nothing of them stays here.
        self.view.write(
            [("DELETE FROM applications_view WHERE id = ?", [i]) for i in e.application_ids],
            tracking,
        )
