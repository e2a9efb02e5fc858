"""The audit worklist (ZPIC-WF-20 4.2–4.6): one row per audit with its team, and the contracted
applications still waiting for their audit to be planned."""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.application import CertificationApplication
from domain.audit import Audit
from domain.decision import Decision
from domain.disposal import Disposal
from projections.paging import Rows, page_of
from projections.view import PostgresView, SQLiteView, Statement, ViewQueries

STATUSES = ("planned", "completed", "decided")


AWAITING_DECISION = (
    " WHERE a.status = 'completed' AND a.decided = 0"
    " AND (a.application_id IS NOT NULL OR a.passed = 0)"
)
"""Completed audits that call for a decision none stands on: an initial or recertification audit
(grant or refuse, 4.6), or a failed surveillance or supplementary audit (its follow-up, 5.6)."""


class AuditWorklistQueries(ViewQueries):
    """Rows of the audit worklist and the queries the staff pages need."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS audit_worklist ("
        " id TEXT PRIMARY KEY,"
        " type TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " organization_name TEXT NOT NULL,"
        " application_id TEXT,"
        " certificate_number TEXT,"
        " start_on TEXT NOT NULL,"
        " end_on TEXT NOT NULL,"
        " completed_on TEXT,"
        " score TEXT,"
        " grade TEXT,"
        " passed INTEGER,"
        " decided INTEGER NOT NULL,"
        " decision_id TEXT,"
        " version INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_worklist_status"
        " ON audit_worklist (status, completed_on, start_on, id)",
        "CREATE INDEX IF NOT EXISTS audit_worklist_uscc ON audit_worklist (uscc)",
        "CREATE INDEX IF NOT EXISTS audit_worklist_decision ON audit_worklist (decision_id)",
        "CREATE TABLE IF NOT EXISTS audit_worklist_team ("
        " audit_id TEXT NOT NULL,"
        " user_id TEXT NOT NULL,"
        " role TEXT NOT NULL,"
        " PRIMARY KEY (audit_id, user_id))",
        "CREATE INDEX IF NOT EXISTS audit_worklist_team_user"
        " ON audit_worklist_team (user_id, audit_id)",
        "CREATE TABLE IF NOT EXISTS audit_worklist_applications ("
        " id TEXT PRIMARY KEY,"
        " uscc TEXT NOT NULL,"
        " organization_name TEXT NOT NULL,"
        " certificate_number TEXT,"
        " signed_on TEXT,"
        " planned INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_worklist_applications_to_plan"
        " ON audit_worklist_applications (planned, signed_on, id)",
    )

    def _paged(self, where: str, params: list[Any], order: str, offset: int, limit: int) -> Rows:
        items, total = page_of(self, "audit_worklist a", where, params, order, offset, limit, "a.*")
        return [_row(r) for r in items], total

    def to_complete(self, user_id: str, offset: int, limit: int) -> Rows:
        """Planned audits with the user on the team, soonest start first, and their total."""
        where = (
            " WHERE a.status = 'planned' AND EXISTS (SELECT 1 FROM audit_worklist_team t"
            " WHERE t.audit_id = a.id AND t.user_id = ?)"
        )
        return self._paged(where, [user_id], "a.start_on, a.id", offset, limit)

    def awaiting_decision(self, offset: int, limit: int) -> Rows:
        """Completed audits that call for a decision no decision stands on yet, oldest
        completion first, and their total: an initial or recertification audit (grant or
        refuse, 4.6), or a failed surveillance or supplementary audit (its follow-up, 5.6). A
        passed one of a live certificate needs none: the grade followed it on completion (5.5).
        """
        return self._paged(AWAITING_DECISION, [], "a.completed_on, a.id", offset, limit)

    def page(self, status: str | None, offset: int, limit: int) -> Rows:
        """Audits by status (planned, completed, decided), latest start first, and their total.

        "completed" means completed and awaiting the decision it calls for (as
        `awaiting_decision`); "decided" means a decision stands on it.
        """
        if status == "planned":
            where = " WHERE a.status = 'planned'"
        elif status == "completed":
            where = AWAITING_DECISION
        elif status == "decided":
            where = " WHERE a.decided = 1"
        else:
            where = ""
        return self._paged(where, [], "a.start_on DESC, a.id", offset, limit)

    def of_organization(self, uscc: str) -> list[dict[str, Any]]:
        """Every audit of an organization, latest start first."""
        rows = self.rows(
            "SELECT * FROM audit_worklist WHERE uscc = ? ORDER BY start_on DESC, id", [uscc]
        )
        return [_row(r) for r in rows]

    def team_of(self, audit_id: str) -> list[dict[str, Any]]:
        """The user ids and roles of an audit's team."""
        return self.rows(
            "SELECT user_id, role FROM audit_worklist_team WHERE audit_id = ? ORDER BY user_id",
            [audit_id],
        )

    def to_plan(self, offset: int, limit: int) -> Rows:
        """Contracted applications with no audit planned yet, earliest contract first."""
        where = " WHERE planned = 0 AND signed_on IS NOT NULL"
        columns = "id, id AS application_id, uscc, organization_name, certificate_number, signed_on"
        table = "audit_worklist_applications"
        return page_of(self, table, where, [], "signed_on, id", offset, limit, columns)

    def planned_applications(self, application_ids: list[str]) -> set[str]:
        """Of these applications, the ones an audit has been planned for."""
        if not application_ids:
            return set()
        marks = ", ".join("?" for _ in application_ids)
        rows = self.rows(
            f"SELECT application_id FROM audit_worklist WHERE application_id IN ({marks})",
            application_ids,
        )
        return {r["application_id"] for r in rows}


def _row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "passed": None if r["passed"] is None else bool(r["passed"]),
        "decided": bool(r["decided"]),
    }


class SQLiteAuditWorklistView(AuditWorklistQueries, SQLiteView):
    """The audit worklist on the embedded store."""


class PostgresAuditWorklistView(AuditWorklistQueries, PostgresView):
    """The audit worklist on PostgreSQL."""


class AuditWorklistProjection(Projection[AuditWorklistQueries]):
    """Keeps one row per audit, its team, and the applications waiting for a plan."""

    name = "audit_worklist"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Events that do not concern audits only advance the tracking."""
        self.view.write([], tracking)

    @process_event.register
    def _submitted(self, e: CertificationApplication.Submitted, tracking: Tracking) -> None:
        org: dict[str, Any] = e.organization  # type: ignore[attr-defined]
        self.view.write(
            [
                (
                    "INSERT INTO audit_worklist_applications (id, uscc, organization_name,"
                    " certificate_number, signed_on, planned) VALUES (?, ?, ?, ?, NULL, 0)",
                    (
                        str(e.originator_id),
                        org["uscc"],
                        org["name"],
                        e.certificate_number,  # type: ignore[attr-defined]
                    ),
                )
            ],
            tracking,
        )

    @process_event.register
    def _contracted(self, e: CertificationApplication.ContractSigned, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "UPDATE audit_worklist_applications SET signed_on = ? WHERE id = ?",
                    (e.signed_on.isoformat(), str(e.originator_id)),  # type: ignore[attr-defined]
                )
            ],
            tracking,
        )

    @process_event.register
    def _planned(self, e: Audit.Planned, tracking: Tracking) -> None:
        audit_id = str(e.originator_id)
        org = e.organization
        statements: list[Statement] = [
            (
                "INSERT INTO audit_worklist (id, type, status, uscc, organization_name,"
                " application_id, certificate_number, start_on, end_on, decided, version)"
                " VALUES (?, ?, 'planned', ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    audit_id,
                    e.audit_type,
                    org["uscc"],
                    org["name"],
                    e.application_id,
                    e.certificate_number,
                    e.start_on.isoformat(),
                    e.end_on.isoformat(),
                    e.originator_version,
                ),
            ),
            *(
                (
                    "INSERT INTO audit_worklist_team (audit_id, user_id, role) VALUES (?, ?, ?)",
                    (audit_id, m["user_id"], m["role"]),
                )
                for m in e.team
            ),
        ]
        if e.application_id:
            statements.append(
                (
                    "UPDATE audit_worklist_applications SET planned = 1 WHERE id = ?",
                    (e.application_id,),
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _completed(self, e: Audit.Completed, tracking: Tracking) -> None:
        score = e.score
        self.view.write(
            [
                (
                    "UPDATE audit_worklist SET status = 'completed', completed_on = ?, score = ?,"
                    " grade = ?, passed = ?, version = ? WHERE id = ?",
                    (
                        e.completed_on.isoformat(),
                        score["score"],
                        score["grade"],
                        1 if score["passed"] else 0,
                        e.originator_version,
                        str(e.originator_id),
                    ),
                )
            ],
            tracking,
        )

    @process_event.register
    def _decided(self, e: Decision.Made, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "UPDATE audit_worklist SET decided = 1, decision_id = ? WHERE id = ?",
                    (str(e.originator_id), e.audit_id),  # type: ignore[attr-defined]
                )
            ],
            tracking,
        )

    @process_event.register
    def _reopened(self, e: Decision.Reopened, tracking: Tracking) -> None:
        # An upheld appeal set the decision aside: the audit waits for a new one (9.2).
        self.view.write(
            [
                (
                    "UPDATE audit_worklist SET decided = 0 WHERE decision_id = ?",
                    (str(e.originator_id),),
                )
            ],
            tracking,
        )

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        # Records past retention are disposed of (10.2): nothing of them stays here.
        statements: list[Statement] = []
        for i in e.application_ids:
            statements += [
                (
                    "DELETE FROM audit_worklist_team WHERE audit_id IN"
                    " (SELECT id FROM audit_worklist WHERE application_id = ?)",
                    (i,),
                ),
                ("DELETE FROM audit_worklist WHERE application_id = ?", (i,)),
                ("DELETE FROM audit_worklist_applications WHERE id = ?", (i,)),
            ]
        for n in e.certificate_numbers:
            statements += [
                (
                    "DELETE FROM audit_worklist_team WHERE audit_id IN"
                    " (SELECT id FROM audit_worklist WHERE certificate_number = ?)",
                    (n,),
                ),
                ("DELETE FROM audit_worklist WHERE certificate_number = ?", (n,)),
            ]
        self.view.write(statements, tracking)
