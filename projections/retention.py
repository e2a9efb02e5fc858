"""Record retention (ZPIC-WF-20 10.2): one row per organization and certification cycle, and per
application that never became a certificate, with its record count, how long it is kept, and
whether a hold stands in the way of disposal.

Every aggregate is attached to a row when it is created (an application to its own row, an audit
to its application's or its certificate's current cycle, a decision or corrective action to its
audit's); a grant moves the application's row into the certificate's cycle, a recertification
opens the next cycle. Each event adds one record to its aggregate's row.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.appeal import Appeal
from domain.application import CertificationApplication
from domain.audit import Audit
from domain.certificate import Certificate
from domain.corrective_action import CorrectiveAction
from domain.decision import Decision
from domain.disposal import Disposal
from domain.hold import LegalHold
from domain.notice import NoticeRecord
from domain.rulebook.retention import retain_until
from projections.view import PostgresView, SQLiteView, Statement, ViewQueries


def application_key(application_id: str) -> str:
    """The row of an application not (yet) certified."""
    return f"application:{application_id}"


def cycle_key(number: str, cycle: int) -> str:
    """The row of a certificate's n-th cycle."""
    return f"certificate:{number}:{cycle}"


class RetentionQueries(ViewQueries):
    """Rows, members and holds."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS retention_rows ("
        " row_key TEXT PRIMARY KEY,"
        " uscc TEXT NOT NULL,"
        " kind TEXT NOT NULL,"
        " subject TEXT NOT NULL,"
        " cycle INTEGER,"
        " records INTEGER NOT NULL,"
        " last_day TEXT,"
        " ended BOOLEAN NOT NULL,"
        " disposed BOOLEAN NOT NULL)",
        "CREATE INDEX IF NOT EXISTS retention_rows_uscc ON retention_rows (uscc)",
        "CREATE TABLE IF NOT EXISTS retention_members ("
        " aggregate_id TEXT PRIMARY KEY,"
        " row_key TEXT NOT NULL,"
        " kind TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS retention_members_row ON retention_members (row_key)",
        "CREATE TABLE IF NOT EXISTS retention_holds ("
        " hold_id TEXT PRIMARY KEY,"
        " uscc TEXT NOT NULL,"
        " kind TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " active BOOLEAN NOT NULL)",
        "CREATE TABLE IF NOT EXISTS retention_certificates ("
        " number TEXT PRIMARY KEY,"
        " certificate_id TEXT NOT NULL UNIQUE,"
        " cycle INTEGER NOT NULL)",
        # business dates for the schedule as of a past day (rules.md §10, §12): when a row
        # began and, for a cycle, its scheduled last day; when each hold held
        "CREATE TABLE IF NOT EXISTS retention_row_dates ("
        " row_key TEXT PRIMARY KEY,"
        " opened_on TEXT NOT NULL,"
        " expires_on TEXT,"
        " disposed_on TEXT)",
        "CREATE TABLE IF NOT EXISTS retention_hold_periods ("
        " hold_id TEXT PRIMARY KEY,"
        " since TEXT NOT NULL,"
        " until TEXT)",
    )

    def row_of(self, aggregate_id: str) -> str | None:
        """The row an aggregate belongs to."""
        rows = self.rows(
            "SELECT row_key FROM retention_members WHERE aggregate_id = ?", [aggregate_id]
        )
        return str(rows[0]["row_key"]) if rows else None

    def current_cycle(self, number: str) -> int | None:
        """A certificate's current cycle."""
        rows = self.rows("SELECT cycle FROM retention_certificates WHERE number = ?", [number])
        return int(rows[0]["cycle"]) if rows else None

    def row(self, row_key: str) -> dict[str, Any] | None:
        """One row as stored."""
        rows = self.rows("SELECT * FROM retention_rows WHERE row_key = ?", [row_key])
        return rows[0] if rows else None

    def members(self, row_key: str) -> list[dict[str, Any]]:
        """The aggregates of a row."""
        return self.rows(
            "SELECT aggregate_id, kind FROM retention_members WHERE row_key = ?"
            " ORDER BY kind, aggregate_id",
            [row_key],
        )

    def schedule(self, as_of: date, uscc: str | None = None) -> list[dict[str, Any]]:
        """Every row with retain_until, its holds and whether it may be disposed of on as_of."""
        where, params = ("", []) if uscc is None else (" WHERE uscc = ?", [uscc])
        rows = self.rows(f"SELECT * FROM retention_rows{where} ORDER BY uscc, row_key", params)
        holds = self._active_holds(None)
        return [scheduled(row, holds.get(row["uscc"], []), as_of) for row in rows]

    def schedule_as_of(self, as_of: date, uscc: str | None = None) -> list[dict[str, Any]]:
        """The schedule as it stood on a past day (rules.md §10): the rows begun by then, each
        cycle's end as of that day (a running cycle shows its scheduled retain_until,
        provisional), the holds in force that day and what was disposed of by then."""
        where, params = ("", []) if uscc is None else (" WHERE r.uscc = ?", [uscc])
        rows = self.rows(
            "SELECT r.*, d.opened_on, d.expires_on, d.disposed_on FROM retention_rows r"
            f" LEFT JOIN retention_row_dates d ON d.row_key = r.row_key{where}"
            " ORDER BY r.uscc, r.row_key",
            params,
        )
        day = as_of.isoformat()
        holds: dict[str, list[dict[str, Any]]] = {}
        for hold in self.rows(
            "SELECT h.hold_id, h.uscc, h.kind, h.reason FROM retention_holds h"
            " JOIN retention_hold_periods p ON p.hold_id = h.hold_id"
            " WHERE p.since <= ? AND (p.until IS NULL OR p.until > ?) ORDER BY h.hold_id",
            [day, day],
        ):
            holds.setdefault(hold["uscc"], []).append(
                {"id": hold["hold_id"], "kind": hold["kind"], "reason": hold["reason"]}
            )
        out = []
        for row in rows:
            if row["opened_on"] is not None and row["opened_on"] > day:
                continue
            out.append(scheduled(_as_of(row, day), holds.get(row["uscc"], []), as_of))
        return out

    def _active_holds(self, usccs: list[str] | None) -> dict[str, list[dict[str, Any]]]:
        where, params = "", []
        if usccs is not None:
            if not usccs:
                return {}
            where = f" AND uscc IN ({', '.join('?' for _ in usccs)})"
            params = list(usccs)
        holds: dict[str, list[dict[str, Any]]] = {}
        for hold in self.rows(
            f"SELECT * FROM retention_holds WHERE active = ?{where} ORDER BY hold_id",
            [True, *params],
        ):
            holds.setdefault(hold["uscc"], []).append(
                {"id": hold["hold_id"], "kind": hold["kind"], "reason": hold["reason"]}
            )
        return holds

    def schedule_page(
        self,
        as_of: date,
        offset: int,
        limit: int,
        eligible_only: bool = False,
        uscc: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the schedule (as `schedule` shows rows), optionally only the rows
        eligible for disposal on as_of, and how many rows the filter holds."""
        conditions: list[str] = []
        params: list[Any] = []
        if uscc is not None:
            conditions.append("uscc = ?")
            params.append(uscc)
        if eligible_only:
            conditions.append(
                "ended = ? AND disposed = ? AND last_day IS NOT NULL AND last_day <= ?"
                " AND uscc NOT IN (SELECT uscc FROM retention_holds WHERE active = ?)"
            )
            params += [True, False, last_day_disposable(as_of).isoformat(), True]
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        total = self.rows(f"SELECT COUNT(*) AS n FROM retention_rows{where}", params)[0]["n"]
        rows = self.rows(
            f"SELECT * FROM retention_rows{where} ORDER BY uscc, row_key LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        holds = self._active_holds(sorted({row["uscc"] for row in rows}))
        return [scheduled(row, holds.get(row["uscc"], []), as_of) for row in rows], int(total)

    def scheduled_row(self, row_key: str, as_of: date) -> dict[str, Any] | None:
        """One row as the schedule shows it on as_of."""
        row = self.row(row_key)
        if row is None:
            return None
        return scheduled(row, self._active_holds([row["uscc"]]).get(row["uscc"], []), as_of)

    def active_holds(self, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """One page of the holds in force (legal holds and open cases), and how many there are."""
        total = self.rows(
            "SELECT COUNT(*) AS n FROM retention_holds WHERE active = ?", [True]
        )[0]["n"]
        rows = self.rows(
            "SELECT hold_id AS id, uscc, kind, reason FROM retention_holds WHERE active = ?"
            " ORDER BY uscc, hold_id LIMIT ? OFFSET ?",
            [True, limit, offset],
        )
        return rows, int(total)


def last_day_disposable(as_of: date) -> date:
    """The latest last day whose records are past retention on as_of (retain_until < as_of)."""
    day = date(as_of.year - 3, as_of.month, 1) + timedelta(days=as_of.day + 10)
    while retain_until(day) >= as_of:
        day -= timedelta(days=1)
    return day


def _as_of(row: dict[str, Any], day: str) -> dict[str, Any]:
    """A stored row as it stood on a day, from its business dates."""
    row = dict(row)
    if row["last_day"] is not None and row["last_day"] > day and row["expires_on"] is not None:
        # ended later (a withdrawal after the day): as of the day the cycle ran to expiry
        row["last_day"], row["ended"] = row["expires_on"], False
    elif row["last_day"] is not None and row["last_day"] > day:
        row["ended"] = False
    row["disposed"] = bool(row["disposed"]) and (
        row["disposed_on"] is None or row["disposed_on"] <= day
    )
    return row


def scheduled(row: dict[str, Any], held: list[dict[str, Any]], as_of: date) -> dict[str, Any]:
    """A stored row as the schedule shows it: retain_until, holds, eligibility on as_of.

    A cycle past its last day has ended whether or not its expiry was recorded yet (the
    register reads it expired too); a running cycle shows the retain_until its scheduled last
    day gives, marked provisional (rules.md §12)."""
    until = None
    provisional = False
    last_day = date.fromisoformat(row["last_day"]) if row["last_day"] else None
    ended = bool(row["ended"]) or (
        last_day is not None and row["kind"] == "certification_cycle" and last_day < as_of
    )
    if last_day is not None:
        until = retain_until(last_day)
        provisional = not ended
    return {
        "key": row["row_key"],
        "uscc": row["uscc"],
        "kind": row["kind"],
        "subject": row["subject"],
        "cycle": row["cycle"],
        "records": int(row["records"]),
        "last_day": row["last_day"] if ended else None,
        "retain_until": None if until is None else until.isoformat(),
        "retain_until_provisional": provisional,
        "hold": bool(held),
        "holds": held,
        "disposed": bool(row["disposed"]),
        "eligible_for_disposal": bool(
            until is not None and ended and as_of > until and not held and not row["disposed"]
        ),
    }


class SQLiteRetentionView(RetentionQueries, SQLiteView):
    """Retention on the embedded store."""


class PostgresRetentionView(RetentionQueries, PostgresView):
    """Retention on PostgreSQL."""


MEMORY = 200_000
"""Records whose row the projection remembers before it starts afresh."""


class RetentionProjection(Projection[RetentionQueries]):
    """Keeps the retention rows."""

    name = "retention"
    every_event = True
    """Its catch-all handler counts every event towards its record's retention row."""

    def __init__(self, view: RetentionQueries) -> None:
        super().__init__(view)
        # Which row each record counts towards, and each certificate's number and current
        # cycle, remembered as this projection writes them: that spares a query per event.
        # An application's row is re-keyed when its certificate's cycle opens, so the members
        # of application rows are remembered by row as well. A restart begins a fresh memory.
        self._rows: dict[str, str | None] = {}
        self._application_members: dict[str, list[str]] = {}
        self._numbers: dict[str, str] = {}
        self._cycles: dict[str, int] = {}
        # Records counted in the open batch, by row: written as one UPDATE per row at its end.
        self._counts: Counter[str] = Counter()

    def _remember(self, aggregate_id: str, key: str | None) -> None:
        if len(self._rows) >= MEMORY:
            self._rows.clear()
            self._application_members.clear()
        self._rows[aggregate_id] = key
        if key is not None and key.startswith("application:"):
            self._application_members.setdefault(key, []).append(aggregate_id)

    def _row_of(self, aggregate_id: str, created: bool = False) -> str | None:
        if aggregate_id not in self._rows:
            # A first event not handled below creates a record that joins no row (a user, a
            # document): no query can find it a row.
            self._remember(aggregate_id, None if created else self.view.row_of(aggregate_id))
        return self._rows[aggregate_id]

    def _current_cycle(self, number: str) -> int | None:
        if number not in self._cycles:
            cycle = self.view.current_cycle(number)
            if cycle is None:
                return None
            self._remember_cycle(number, cycle)
        return self._cycles[number]

    def _remember_cycle(self, number: str, cycle: int) -> None:
        if len(self._cycles) >= MEMORY:
            self._cycles.clear()
        self._cycles[number] = cycle

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """An event of a known record adds one to its row's count."""
        key = self._row_of(
            str(domain_event.originator_id), created=domain_event.originator_version == 1
        )
        with self.view.batched():
            self._counted(key)
            self.view.write([], tracking)

    def _count(self, e: Any) -> list[Statement]:
        self._counted(self._row_of(str(e.originator_id)))
        return []

    def _counted(self, key: str | None) -> None:
        """One more record on the row, written with the batch's other counts at its end."""
        if key is not None:
            if self.view.defer(self._counts_written):
                self._counts.clear()  # left by a batch that failed
            self._counts[key] += 1

    def _counts_written(self) -> list[Statement]:
        """The counts gathered so far, as statements; none are left gathered."""
        statements: list[Statement] = [
            ("UPDATE retention_rows SET records = records + ? WHERE row_key = ?", [n, key])
            for key, n in self._counts.items()
        ]
        self._counts.clear()
        return statements

    def _join(self, e: Any, key: str | None, kind: str) -> list[Statement]:
        self._remember(str(e.originator_id), key)
        if key is None:
            return []
        self._counted(key)
        return [
            (
                "INSERT INTO retention_members (aggregate_id, row_key, kind) VALUES (?, ?, ?)",
                [str(e.originator_id), key, kind],
            ),
        ]

    @process_event.register
    def _submitted(self, e: CertificationApplication.Submitted, tracking: Tracking) -> None:
        key = application_key(str(e.originator_id))
        self.view.write(
            [
                (
                    "INSERT INTO retention_rows (row_key, uscc, kind, subject, cycle, records,"
                    " last_day, ended, disposed) VALUES (?, ?, 'application', ?, NULL, 0, NULL,"
                    " ?, ?)",
                    [key, e.organization["uscc"], str(e.originator_id), False, False],
                ),
                (
                    "INSERT INTO retention_row_dates (row_key, opened_on) VALUES (?, ?)",
                    [key, e.received_on.isoformat()],
                ),
                *self._join(e, key, "application"),
            ],
            tracking,
        )

    @process_event.register
    def _reviewed(self, e: CertificationApplication.Reviewed, tracking: Tracking) -> None:
        statements = self._count(e)
        if e.outcome == "rejected":
            statements.append(
                (
                    "UPDATE retention_rows SET last_day = ?, ended = ? WHERE row_key = ?",
                    [e.reviewed_on.isoformat(), True, application_key(str(e.originator_id))],
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _planned(self, e: Audit.Planned, tracking: Tracking) -> None:
        if e.application_id is not None:
            key = self._row_of(e.application_id)
        else:
            assert e.certificate_number is not None
            cycle = self._current_cycle(e.certificate_number)
            key = None if cycle is None else cycle_key(e.certificate_number, cycle)
        self.view.write(self._join(e, key, "audit"), tracking)

    @process_event.register
    def _decided(self, e: Decision.Made, tracking: Tracking) -> None:
        key = self._row_of(e.audit_id)
        statements = self._join(e, key, "decision")
        if key is not None and e.outcome == "refuse" and key.startswith("application:"):
            statements.append(
                (
                    "UPDATE retention_rows SET last_day = ?, ended = ? WHERE row_key = ?",
                    [e.decided_on.isoformat(), True, key],
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _opened(self, e: CorrectiveAction.Opened, tracking: Tracking) -> None:
        self.view.write(self._join(e, self._row_of(e.audit_id), "corrective_action"), tracking)

    @process_event.register
    def _appeal(self, e: Appeal.Received, tracking: Tracking) -> None:
        key = None
        subject = e.subject
        if subject.get("decision_id"):
            key = self._row_of(str(subject["decision_id"]))
        elif subject.get("certificate_number"):
            number = str(subject["certificate_number"])
            cycle = self._current_cycle(number)
            key = None if cycle is None else cycle_key(number, cycle)
        elif subject.get("application_id"):
            key = self._row_of(str(subject["application_id"]))
        statements = self._join(e, key, "appeal")
        if e.organization_uscc:
            statements.append(
                (
                    "INSERT INTO retention_holds (hold_id, uscc, kind, reason, active)"
                    " VALUES (?, ?, 'appeal', ?, ?)",
                    [str(e.originator_id), e.organization_uscc, f"{e.kind} open", True],
                )
            )
            statements.append(
                (
                    "INSERT INTO retention_hold_periods (hold_id, since) VALUES (?, ?)",
                    [str(e.originator_id), e.received_on.isoformat()],
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _answered(self, e: Appeal.NoticeSent, tracking: Tracking) -> None:
        self.view.write(
            [
                *self._count(e),
                (
                    "UPDATE retention_holds SET active = ? WHERE hold_id = ?",
                    [False, str(e.originator_id)],
                ),
                (
                    "UPDATE retention_hold_periods SET until = ? WHERE hold_id = ?",
                    [e.sent_on.isoformat(), str(e.originator_id)],
                ),
            ],
            tracking,
        )

    @process_event.register
    def _notice(self, e: NoticeRecord.Sent, tracking: Tracking) -> None:
        key = None
        if e.certificate_numbers:
            number = e.certificate_numbers[0]
            cycle = self._current_cycle(number)
            key = None if cycle is None else cycle_key(number, cycle)
        self.view.write(self._join(e, key, "notice"), tracking)

    @process_event.register
    def _hold_placed(self, e: LegalHold.Placed, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "INSERT INTO retention_holds (hold_id, uscc, kind, reason, active)"
                    " VALUES (?, ?, 'legal', ?, ?)",
                    [str(e.originator_id), e.uscc, e.reason, True],
                ),
                (
                    "INSERT INTO retention_hold_periods (hold_id, since) VALUES (?, ?)",
                    [str(e.originator_id), e.placed_on.isoformat()],
                ),
            ],
            tracking,
        )

    @process_event.register
    def _hold_released(self, e: LegalHold.Released, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "UPDATE retention_holds SET active = ? WHERE hold_id = ?",
                    [False, str(e.originator_id)],
                ),
                (
                    "UPDATE retention_hold_periods SET until = ? WHERE hold_id = ?",
                    [e.released_on.isoformat(), str(e.originator_id)],
                ),
            ],
            tracking,
        )

    def _open_cycle(
        self,
        e: Any,
        number: str,
        cycle: int,
        uscc: str,
        last_day: date,
        application_id: str | None,
        opened_on: date,
    ) -> list[Statement]:
        key = cycle_key(number, cycle)
        statements: list[Statement] = [
            (
                "INSERT INTO retention_rows (row_key, uscc, kind, subject, cycle, records,"
                " last_day, ended, disposed)"
                " VALUES (?, ?, 'certification_cycle', ?, ?, 0, ?, ?, ?)",
                [key, uscc, number, cycle, last_day.isoformat(), False, False],
            ),
            (
                "INSERT INTO retention_row_dates (row_key, opened_on, expires_on)"
                " VALUES (?, ?, ?)",
                [key, opened_on.isoformat(), last_day.isoformat()],
            ),
        ]
        if cycle == 1:
            statements += self._join(e, key, "certificate")
        else:
            statements.append(
                ("UPDATE retention_rows SET records = records + 1 WHERE row_key = ?", [key])
            )
        if application_id is not None:
            # The application and its audit, decision and corrective actions join the cycle
            # (where the application's row is still there), written without reading it back.
            old = application_key(application_id)
            statements += [
                *self._counts_written(),  # the old row's count is complete before it moves
                ("UPDATE retention_members SET row_key = ? WHERE row_key = ?", [key, old]),
                (
                    "UPDATE retention_rows SET records = records + COALESCE((SELECT records"
                    " FROM retention_rows WHERE row_key = ?), 0) WHERE row_key = ?",
                    [old, key],
                ),
                ("DELETE FROM retention_rows WHERE row_key = ?", [old]),
            ]
            for member in self._application_members.pop(old, []):
                if self._rows.get(member) == old:
                    self._rows[member] = key
        return statements

    @process_event.register
    def _issued(self, e: Certificate.Issued, tracking: Tracking) -> None:
        self._remember_certificate(str(e.originator_id), e.number, 1)
        statements = [
            (
                "INSERT INTO retention_certificates (number, certificate_id, cycle)"
                " VALUES (?, ?, 1)",
                [e.number, str(e.originator_id)],
            ),
            *self._open_cycle(
                e,
                e.number,
                1,
                e.organization["uscc"],
                e.expires_on,
                e.application_id,
                e.issued_on,
            ),
        ]
        self.view.write(statements, tracking)

    def _certificate(self, e: Any) -> tuple[str, int]:
        certificate_id = str(e.originator_id)
        number = self._numbers.get(certificate_id)
        cycle = None if number is None else self._cycles.get(number)
        if number is None or cycle is None:
            row = self.view.rows(
                "SELECT number, cycle FROM retention_certificates WHERE certificate_id = ?",
                [certificate_id],
            )[0]
            number, cycle = str(row["number"]), int(row["cycle"])
            self._remember_certificate(certificate_id, number, cycle)
        return number, cycle

    def _remember_certificate(self, certificate_id: str, number: str, cycle: int) -> None:
        if len(self._numbers) >= MEMORY:
            self._numbers.clear()
        self._numbers[certificate_id] = number
        self._remember_cycle(number, cycle)

    @process_event.register
    def _recertified(self, e: Certificate.Recertified, tracking: Tracking) -> None:
        number, cycle = self._certificate(e)
        old = cycle_key(number, cycle)
        self._remember_cycle(number, cycle + 1)
        statements: list[Statement] = [
            ("UPDATE retention_rows SET ended = ? WHERE row_key = ?", [True, old]),
            (
                "UPDATE retention_certificates SET cycle = ? WHERE number = ?",
                [cycle + 1, number],
            ),
            # The certificate's events of the new cycle count there; it stays a member of the
            # cycle it began in, and each later cycle lists it again by its number.
            *self._open_cycle(
                e,
                number,
                cycle + 1,
                e.organization["uscc"],
                e.expires_on,
                e.application_id,
                e.reissued_on,
            ),
        ]
        self.view.write(statements, tracking)

    def _certificate_event(self, e: Any, tracking: Tracking, end: date | None) -> None:
        number, cycle = self._certificate(e)
        key = cycle_key(number, cycle)
        statements: list[Statement] = []
        self._counted(key)
        if end is not None:
            statements.append(
                (
                    "UPDATE retention_rows SET last_day = ?, ended = ? WHERE row_key = ?",
                    [end.isoformat(), True, key],
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _withdrawn(self, e: Certificate.Withdrawn, tracking: Tracking) -> None:
        # A cycle ends at expiry, or earlier at withdrawal (10.2).
        self._certificate_event(e, tracking, e.effective_on)

    @process_event.register
    def _expired(self, e: Certificate.Expired, tracking: Tracking) -> None:
        self._certificate_event(e, tracking, e.expired_on - timedelta(days=1))

    @process_event.register
    def _rescinded(self, e: Certificate.Rescinded, tracking: Tracking) -> None:
        if e.action != "withdrawal":
            self._certificate_event(e, tracking, None)
            return
        # the cycle runs on to its expiry again, or to an earlier withdrawal still in force
        number, cycle = self._certificate(e)
        key = cycle_key(number, cycle)
        self._counted(key)
        last_day = e.withdrawn_on_after or e.expires_on
        ended = e.withdrawn_on_after is not None or e.status_after == "expired"
        self.view.write(
            [
                (
                    "UPDATE retention_rows SET last_day = ?, ended = ? WHERE row_key = ?",
                    [last_day.isoformat(), ended, key],
                )
            ],
            tracking,
        )

    @process_event.register(Certificate.Suspended)
    @process_event.register(Certificate.SuspensionExtended)
    @process_event.register(Certificate.Reinstated)
    @process_event.register(Certificate.AuditCompleted)
    @process_event.register(Certificate.GradeChanged)
    @process_event.register(Certificate.FollowUpDecided)
    @process_event.register(Certificate.Recovered)
    def _certificate_changed(self, e: Any, tracking: Tracking) -> None:
        self._certificate_event(e, tracking, None)

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        self.view.write(
            [
                ("UPDATE retention_rows SET disposed = ? WHERE row_key = ?", [True, e.row_key]),
                (
                    "UPDATE retention_row_dates SET disposed_on = ? WHERE row_key = ?",
                    [e.disposed_on.isoformat(), e.row_key],
                ),
            ],
            tracking,
        )
