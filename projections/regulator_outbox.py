"""Regulator notifications (ZPIC-WF-20 4.6.4, 7.4, 8.1.3): every certificate event, until reported.

Each issue, grade change, suspension, reinstatement, withdrawal and expiry becomes a pending
notification keyed by the event's notification id (its cursor), filed under the month of the
event's business date. The month's notifications go to the regulator by the 10th of the next
month as a workbook (`monthly_workbook`); `RegulatorReport.MonthReported` marks the batch it
carried as reported. Audit plans and completions are kept beside them for the audit-result sheet.

A new certificate event is one handler calling `_notify` with its change and business date.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.audit import Audit
from domain.certificate import SUSPENSION_REASONS, WITHDRAWAL_REASONS, Certificate
from domain.disposal import Disposal
from domain.regulator_report import RegulatorReport, ensure_month, month_of, report_due_on
from domain.rulebook.dates import CHINA_STANDARD_TIME
from projections.view import PostgresView, SQLiteView, Statement, ViewQueries

NOTIFICATION_STATUSES = ("pending", "reported")

CHANGES: dict[str, str] = {
    "issued": "颁发",
    "recertified": "再认证换发",
    "grade_changed": "级别变更",
    "suspended": "暂停",
    "reinstated": "恢复",
    "withdrawn": "撤销",
    "expired": "过期",
    "rescinded": "撤回期限作业处理",
}
"""The certificate changes the regulator is told of (7.4, 8.1.3), with their Chinese names."""

STATUS_AFTER: dict[str, str] = {
    "issued": "valid",
    "recertified": "valid",
    "suspended": "suspended",
    "reinstated": "valid",
    "withdrawn": "withdrawn",
    "expired": "expired",
}
"""The certificate's status after a change (a grade change leaves it as it was)."""

CERTIFICATE_STATUSES: dict[str, str] = {
    "valid": "有效",
    "suspended": "暂停",
    "withdrawn": "撤销",
    "expired": "过期",
}

GRADES: dict[str, str] = {
    "five_star": "五星级",
    "four_star": "四星级",
    "three_star": "三星级",
    "compliant": "达标级",
}

AUDIT_TYPES: dict[str, str] = {
    "initial": "初次认证审查",
    "surveillance": "监督审查",
    "recertification": "再认证审查",
    "supplementary": "补充审查",
}

CERTIFICATE_SHEET = "认证证书信息"
CERTIFICATE_COLUMNS: tuple[str, ...] = (
    "证书编号",
    "获证组织名称",
    "统一社会信用代码",
    "组织地址",
    "认证覆盖场所",
    "认证范围",
    "认证依据",
    "证书级别",
    "原证书级别",
    "发证日期",
    "有效期至",
    "证书状态",
    "变更类型",
    "变更日期",
    "变更原因",
    "暂停起始日期",
    "暂停截止日期",
    "认证机构名称",
    "认证机构批准号",
)
AUDIT_SHEET = "审查结果"
AUDIT_COLUMNS: tuple[str, ...] = (
    "证书编号",
    "获证组织名称",
    "审查类型",
    "审查开始日期",
    "审查结束日期",
    "审查完成日期",
    "审查组长",
    "审查组成员",
    "审查人日",
    "现场审查人日",
    "评价得分",
    "评价结论",
    "级别",
)

GRADE_CHANGE_REASONS: dict[str, str] = {
    "surveillance_passed": "监督审查通过，按审查结果调整级别（5.5）",
    "supplementary_passed": "补充审查通过，按审查结果调整级别（5.5）",
    "recertification_passed": "再认证审查通过，按审查结果调整级别",
    "downgrade": "监督审查不通过，降级（5.6）",
}
"""Why a grade changed, in Chinese (the codes the certificate records)."""

TEAM_ROLES: dict[str, str] = {"leader": "组长", "auditor": "审查员", "trainee": "实习审查员"}

NOTES_SHEET = "说明"
WORKBOOK_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegulatorOutboxQueries(ViewQueries):
    """Pending and reported notifications, the audits behind them, and the recorded batches."""

    ddl = (
        "CREATE TABLE IF NOT EXISTS regulator_notifications ("
        " cursor BIGINT PRIMARY KEY,"
        " certificate_id TEXT NOT NULL,"
        " number TEXT NOT NULL,"
        " change TEXT NOT NULL,"
        " business_date TEXT NOT NULL,"
        " month TEXT NOT NULL,"
        " organization_name TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " scope TEXT NOT NULL,"
        " basis TEXT NOT NULL,"
        " grade TEXT NOT NULL,"
        " certificate_status TEXT NOT NULL,"
        " issued_on TEXT NOT NULL,"
        " expires_on TEXT NOT NULL,"
        " audit_id TEXT,"
        " recorded_at TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " batch_id TEXT)",
        "CREATE INDEX IF NOT EXISTS regulator_notifications_month"
        " ON regulator_notifications (month, status, cursor)",
        "CREATE INDEX IF NOT EXISTS regulator_notifications_status"
        " ON regulator_notifications (status, cursor)",
        "CREATE TABLE IF NOT EXISTS regulator_certificates ("
        " certificate_id TEXT PRIMARY KEY,"
        " number TEXT NOT NULL UNIQUE,"
        " organization_name TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " scope TEXT NOT NULL,"
        " basis TEXT NOT NULL,"
        " grade TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " issued_on TEXT NOT NULL,"
        " expires_on TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS regulator_audits ("
        " audit_id TEXT PRIMARY KEY,"
        " organization_name TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " audit_type TEXT NOT NULL,"
        " completed_on TEXT,"
        " score TEXT,"
        " grade TEXT,"
        " passed INTEGER)",
        # details added in 2026-12, kept beside the first tables (a store built before has them
        # empty until its read models are rebuilt; the workbook leaves those cells blank)
        "CREATE TABLE IF NOT EXISTS regulator_certificate_details ("
        " certificate_id TEXT PRIMARY KEY,"
        " address TEXT NOT NULL,"
        " sites TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS regulator_notification_details ("
        " cursor BIGINT PRIMARY KEY,"
        " previous_grade TEXT,"
        " reason TEXT,"
        " period_from TEXT,"
        " period_until TEXT)",
        "CREATE TABLE IF NOT EXISTS regulator_audit_details ("
        " audit_id TEXT PRIMARY KEY,"
        " start_on TEXT NOT NULL,"
        " end_on TEXT NOT NULL,"
        " team TEXT NOT NULL,"
        " person_days TEXT NOT NULL,"
        " onsite_days TEXT)",
        "CREATE TABLE IF NOT EXISTS regulator_batches ("
        " batch_id TEXT PRIMARY KEY,"
        " month TEXT NOT NULL UNIQUE,"
        " reported_on TEXT NOT NULL,"
        " reference TEXT NOT NULL,"
        " reported_by TEXT NOT NULL,"
        " notification_count INTEGER NOT NULL,"
        " recorded_at TEXT NOT NULL)",
    )

    def notifications(
        self,
        *,
        status: str | None = None,
        month: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[list[dict[str, Any]], int]:
        """Notifications in cursor order, by status and month, with the total."""
        where: list[str] = []
        params: list[Any] = []
        if status:
            where.append("status = ?")
            params.append(status)
        if month:
            where.append("month = ?")
            params.append(month)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = self.rows(f"SELECT COUNT(*) AS n FROM regulator_notifications{clause}", params)
        rows = self.rows(
            f"SELECT * FROM regulator_notifications{clause} ORDER BY cursor LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return rows, int(total[0]["n"])

    def month_notifications(self, month: str) -> list[dict[str, Any]]:
        """Every notification of a month, pending and reported, in cursor order, with the
        organization's address and sites and the change's details."""
        return self.rows(
            "SELECT n.*, c.address, c.sites, d.previous_grade, d.reason, d.period_from,"
            " d.period_until FROM regulator_notifications n"
            " LEFT JOIN regulator_certificate_details c ON c.certificate_id = n.certificate_id"
            " LEFT JOIN regulator_notification_details d ON d.cursor = n.cursor"
            " WHERE n.month = ? ORDER BY n.cursor",
            [month],
        )

    def pending_cursors(self, month: str) -> list[int]:
        """The cursors of the month's notifications not yet reported."""
        rows = self.rows(
            "SELECT cursor FROM regulator_notifications WHERE month = ? AND status = 'pending'"
            " ORDER BY cursor",
            [month],
        )
        return [int(r["cursor"]) for r in rows]

    def audit_results(self, month: str) -> list[dict[str, Any]]:
        """The audits behind the month's changes (an issue's audit), in cursor order."""
        return self.rows(
            "SELECT n.cursor, n.number, n.organization_name, a.audit_id, a.audit_type,"
            " a.completed_on, a.score, a.grade, a.passed, d.start_on, d.end_on, d.team,"
            " d.person_days, d.onsite_days"
            " FROM regulator_notifications n JOIN regulator_audits a ON a.audit_id = n.audit_id"
            " LEFT JOIN regulator_audit_details d ON d.audit_id = a.audit_id"
            " WHERE n.month = ? ORDER BY n.cursor",
            [month],
        )

    def batch(self, month: str) -> dict[str, Any] | None:
        """The recorded report of a month, if any."""
        rows = self.rows("SELECT * FROM regulator_batches WHERE month = ?", [month])
        return rows[0] if rows else None

    def workbook(
        self,
        month: str,
        generated_at: datetime | None = None,
        cb: Mapping[str, Any] | None = None,
    ) -> bytes:
        """The month's report to the regulator as an .xlsx workbook (cb: the certification
        body reporting, `api.reports.issuer.issuer`)."""
        return monthly_workbook(
            self.month_notifications(month),
            self.audit_results(month),
            month,
            generated_at=generated_at,
            cb=cb,
        )


class SQLiteRegulatorOutboxView(RegulatorOutboxQueries, SQLiteView):
    """The regulator outbox on the embedded store."""


class PostgresRegulatorOutboxView(RegulatorOutboxQueries, PostgresView):
    """The regulator outbox on PostgreSQL."""


class RegulatorOutboxProjection(Projection[RegulatorOutboxQueries]):
    """Queues a regulator notification for every certificate event; marks reported batches."""

    name = "regulator_outbox"

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Events the regulator is not told of only advance the tracking."""
        self.view.write([], tracking)

    # -- the audits behind certificates --------------------------------------------------------

    @process_event.register
    def _audit_planned(self, e: Audit.Planned, tracking: Tracking) -> None:
        self.view.write(
            [
                (
                    "INSERT INTO regulator_audits (audit_id, organization_name, uscc, audit_type)"
                    " VALUES (?, ?, ?, ?)",
                    [
                        str(e.originator_id),
                        e.organization["name"],
                        e.organization["uscc"],
                        e.audit_type,
                    ],
                ),
                (
                    "INSERT INTO regulator_audit_details (audit_id, start_on, end_on, team,"
                    " person_days) VALUES (?, ?, ?, ?, ?)",
                    [
                        str(e.originator_id),
                        e.start_on.isoformat(),
                        e.end_on.isoformat(),
                        json.dumps(
                            [
                                {
                                    "name": m.get("name"),
                                    "role": m.get("role"),
                                    "days": str(m.get("days")),
                                }
                                for m in e.team
                            ],
                            ensure_ascii=False,
                        ),
                        str(e.qualified_days),
                    ],
                ),
            ],
            tracking,
        )

    @process_event.register
    def _audit_completed(self, e: Audit.Completed, tracking: Tracking) -> None:
        score = e.score
        self.view.write(
            [
                (
                    "UPDATE regulator_audits SET completed_on = ?, score = ?, grade = ?,"
                    " passed = ? WHERE audit_id = ?",
                    [
                        e.completed_on.isoformat(),
                        str(score["score"]),
                        score["grade"],
                        int(bool(score["passed"])),
                        str(e.originator_id),
                    ],
                ),
                (
                    "UPDATE regulator_audit_details SET onsite_days = ? WHERE audit_id = ?",
                    [str(e.onsite_days), str(e.originator_id)],
                ),
            ],
            tracking,
        )

    # -- certificate events: one handler each --------------------------------------------------

    @process_event.register
    def _issued(self, e: Certificate.Issued, tracking: Tracking) -> None:
        certificate = {
            "certificate_id": str(e.originator_id),
            "number": e.number,
            "organization_name": e.organization["name"],
            "uscc": e.organization["uscc"],
            "scope": e.scope,
            "basis": e.basis,
            "grade": e.grade,
            "status": STATUS_AFTER["issued"],
            "issued_on": e.issued_on.isoformat(),
            "expires_on": e.expires_on.isoformat(),
        }
        columns = ", ".join(certificate)
        marks = ", ".join("?" for _ in certificate)
        self.view.write(
            [
                (
                    f"INSERT INTO regulator_certificates ({columns}) VALUES ({marks})",
                    list(certificate.values()),
                ),
                _certificate_details(str(e.originator_id), e.organization, e.sites),
                _notification(e, tracking, certificate, "issued", e.issued_on, e.audit_id),
            ],
            tracking,
        )

    @process_event.register
    def _suspended(self, e: Certificate.Suspended, tracking: Tracking) -> None:
        # entered late, after a withdrawal or expiry, it leaves the status as it was (§12)
        period = {"period_from": e.effective_on, "period_until": e.suspended_until}
        self._notify(
            e,
            tracking,
            "suspended",
            e.effective_on,
            details={"reason": e.reason, **period},
            status=e.status_after,
        )

    @process_event.register
    def _reinstated(self, e: Certificate.Reinstated, tracking: Tracking) -> None:
        self._notify(e, tracking, "reinstated", e.effective_on, status=e.status_after)

    @process_event.register
    def _rescinded(self, e: Certificate.Rescinded, tracking: Tracking) -> None:
        self._notify(e, tracking, "rescinded", e.decided_on, status=e.status_after)

    @process_event.register
    def _withdrawn(self, e: Certificate.Withdrawn, tracking: Tracking) -> None:
        self._notify(e, tracking, "withdrawn", e.effective_on, details={"reason": e.reason})

    @process_event.register
    def _grade_changed(self, e: Certificate.GradeChanged, tracking: Tracking) -> None:
        self._notify(
            e,
            tracking,
            "grade_changed",
            e.effective_on,
            e.audit_id,
            details={"previous_grade": e.grade_from, "reason": e.reason},
            grade=e.grade_to,
        )

    @process_event.register
    def _recertified(self, e: Certificate.Recertified, tracking: Tracking) -> None:
        certificate_id = str(e.originator_id)
        self._notify(
            e,
            tracking,
            "recertified",
            e.reissued_on,
            e.audit_id,
            organization_name=e.organization["name"],
            scope=e.scope,
            grade=e.grade,
            issued_on=e.reissued_on.isoformat(),
            expires_on=e.expires_on.isoformat(),
            extra=[
                (
                    "DELETE FROM regulator_certificate_details WHERE certificate_id = ?",
                    [certificate_id],
                ),
                _certificate_details(certificate_id, e.organization, e.sites),
            ],
        )

    @process_event.register
    def _expired(self, e: Certificate.Expired, tracking: Tracking) -> None:
        self._notify(e, tracking, "expired", e.expired_on)

    def _notify(
        self,
        e: Any,
        tracking: Tracking,
        change: str,
        business_date: Any,
        audit_id: str | None = None,
        details: dict[str, Any] | None = None,
        extra: Sequence[Statement] = (),
        **changed: Any,
    ) -> None:
        """Queue a notification of a change to an issued certificate, and keep its state.

        `changed` names columns of the certificate that the change sets (e.g. `grade=`);
        the status follows from the change. `details` are the change's own (previous grade,
        reason, period); `extra` statements go in the same transaction.
        """
        certificate = self.view.rows(
            "SELECT * FROM regulator_certificates WHERE certificate_id = ?",
            [str(e.originator_id)],
        )[0]
        changed = {"status": STATUS_AFTER.get(change, certificate["status"]), **changed}
        certificate.update(changed)
        assignments = ", ".join(f"{column} = ?" for column in changed)
        self.view.write(
            [
                (
                    f"UPDATE regulator_certificates SET {assignments} WHERE certificate_id = ?",
                    [*changed.values(), certificate["certificate_id"]],
                ),
                *extra,
                _notification(e, tracking, certificate, change, business_date, audit_id),
                *_notification_details(tracking, details),
            ],
            tracking,
        )

    # -- reports -------------------------------------------------------------------------------

    @process_event.register
    def _month_reported(self, e: RegulatorReport.MonthReported, tracking: Tracking) -> None:
        batch_id = str(e.originator_id)
        statements: list[Statement] = [
            (
                "INSERT INTO regulator_batches (batch_id, month, reported_on, reference,"
                " reported_by, notification_count, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    batch_id,
                    e.month,
                    e.reported_on.isoformat(),
                    e.reference,
                    e.by,
                    len(e.notification_cursors),
                    e.timestamp.isoformat(),
                ],
            )
        ]
        cursors = list(e.notification_cursors)
        for start in range(0, len(cursors), 500):
            chunk = cursors[start : start + 500]
            statements.append(
                (
                    "UPDATE regulator_notifications SET status = 'reported', batch_id = ?"
                    f" WHERE month = ? AND status = 'pending' AND cursor IN"
                    f" ({', '.join('?' for _ in chunk)})",
                    [batch_id, e.month, *chunk],
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        statements: list[Statement] = []
        for number in e.certificate_numbers:
            statements += [
                (
                    "DELETE FROM regulator_notification_details WHERE cursor IN"
                    " (SELECT cursor FROM regulator_notifications WHERE number = ?)",
                    [number],
                ),
                (
                    "DELETE FROM regulator_certificate_details WHERE certificate_id IN"
                    " (SELECT certificate_id FROM regulator_certificates WHERE number = ?)",
                    [number],
                ),
                ("DELETE FROM regulator_notifications WHERE number = ?", [number]),
                ("DELETE FROM regulator_certificates WHERE number = ?", [number]),
            ]
        for record in e.records:
            if record["kind"] == "audit":
                for table in ("regulator_audits", "regulator_audit_details"):
                    statements.append(
                        (f"DELETE FROM {table} WHERE audit_id = ?", [record["aggregate_id"]])
                    )
        self.view.write(statements, tracking)


def _notification(
    e: Any,
    tracking: Tracking,
    certificate: dict[str, Any],
    change: str,
    business_date: Any,
    audit_id: str | None,
) -> Statement:
    """The pending notification row of a certificate change (the certificate as it is after)."""
    return (
        "INSERT INTO regulator_notifications (cursor, certificate_id, number, change,"
        " business_date, month, organization_name, uscc, scope, basis, grade,"
        " certificate_status, issued_on, expires_on, audit_id, recorded_at, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
        [
            tracking.notification_id,
            certificate["certificate_id"],
            certificate["number"],
            change,
            business_date.isoformat(),
            month_of(business_date),
            certificate["organization_name"],
            certificate["uscc"],
            certificate["scope"],
            certificate["basis"],
            certificate["grade"],
            certificate["status"],
            certificate["issued_on"],
            certificate["expires_on"],
            audit_id,
            e.timestamp.isoformat(),
        ],
    )


def _certificate_details(
    certificate_id: str, organization: dict[str, Any], sites: Sequence[dict[str, Any]]
) -> Statement:
    """The organization's address and the covered sites of a certificate."""
    return (
        "INSERT INTO regulator_certificate_details (certificate_id, address, sites)"
        " VALUES (?, ?, ?)",
        [
            certificate_id,
            organization.get("address") or "",
            json.dumps(
                [{"name": s.get("name"), "address": s.get("address")} for s in sites],
                ensure_ascii=False,
            ),
        ],
    )


def _notification_details(tracking: Tracking, details: dict[str, Any] | None) -> list[Statement]:
    """The change's own details (previous grade, reason, suspension period), if any."""
    if not details:
        return []
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in details.items()}
    return [
        (
            "INSERT INTO regulator_notification_details (cursor, previous_grade, reason,"
            " period_from, period_until) VALUES (?, ?, ?, ?, ?)",
            [
                tracking.notification_id,
                values.get("previous_grade"),
                values.get("reason"),
                values.get("period_from"),
                values.get("period_until"),
            ],
        )
    ]


# -- the monthly workbook ------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MIN_WIDTH = 8
MAX_WIDTH = 60


def _text(value: Any) -> str:
    """A cell's text, without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A header row, frozen, then text cells (never formulas), numbers and date cells, with
    widths to fit."""
    widths = [_display_width(h) for h in header]
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            text = _text(value)
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = "0.00"
            elif isinstance(value, bool | str) or value is None:
                cell.value = text
                cell.data_type = "s"  # text as given, even when it starts with "="
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                text = "yyyy-mm-dd"
            elif isinstance(value, int):
                cell.value = value
            else:
                cell.value = text
                cell.data_type = "s"  # text as given, even when it starts with "="
            widths[column - 1] = max(widths[column - 1], _display_width(text))
    for column, width in enumerate(widths, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"


def _name(names: dict[str, str], key: Any) -> str:
    return names.get(str(key), "" if key is None else str(key))


def _day(value: Any) -> date | None:
    """An ISO date of the view as a date (a date cell), None when there is none."""
    return date.fromisoformat(str(value)) if value else None


def _reason_zh(change: str, code: Any) -> str:
    """The change's reason in Chinese."""
    if not code:
        return ""
    table = {
        "suspended": SUSPENSION_REASONS,
        "withdrawn": WITHDRAWAL_REASONS,
        "grade_changed": GRADE_CHANGE_REASONS,
    }.get(change, {})
    return table.get(str(code), str(code)).split(" / ")[0]


def _sites_text(sites: Any) -> str:
    """The covered sites, "name：address" joined by "；"."""
    if not sites:
        return ""
    return "；".join(f"{s.get('name') or ''}：{s.get('address') or ''}" for s in json.loads(sites))


def _team(team: Any) -> tuple[str, str]:
    """The audit team's leader, and every member with role and days."""
    if not team:
        return "", ""
    members = json.loads(team)
    leader = "、".join(m["name"] or "" for m in members if m.get("role") == "leader")
    everyone = "；".join(
        f"{m['name']}（{TEAM_ROLES.get(m.get('role') or '', m.get('role') or '')}，"
        f"{m.get('days')} 人日）"
        for m in members
    )
    return leader, everyone


def monthly_workbook(
    rows: Sequence[dict[str, Any]],
    audit_rows: Sequence[dict[str, Any]],
    month: str,
    *,
    generated_at: datetime | None = None,
    cb: Mapping[str, Any] | None = None,
) -> bytes:
    """The month's report to the regulator: certificate changes, audit results, and a note.

    `rows` are the month's notifications (pending and reported) in cursor order; `audit_rows`
    the audits behind them; `cb` the reporting certification body. Columns are fixed; dates
    are date cells, counts and scores numbers; names are in Chinese.
    """
    ensure_month(month)
    generated_at = generated_at or datetime.now(CHINA_STANDARD_TIME)
    cb_name = (cb or {}).get("name", {}).get("zh", "")
    cb_approval = (cb or {}).get("approval_number", "")
    book = Workbook()
    certificates = book.active
    assert certificates is not None
    certificates.title = CERTIFICATE_SHEET
    _sheet(
        certificates,
        CERTIFICATE_COLUMNS,
        [
            (
                r["number"],
                r["organization_name"],
                r["uscc"],
                r.get("address") or "",
                _sites_text(r.get("sites")),
                r["scope"],
                r["basis"],
                _name(GRADES, r["grade"]),
                _name(GRADES, r["previous_grade"]) if r.get("previous_grade") else "",
                _day(r["issued_on"]),
                _day(r["expires_on"]),
                _name(CERTIFICATE_STATUSES, r["certificate_status"]),
                _name(CHANGES, r["change"]),
                _day(r["business_date"]),
                _reason_zh(r["change"], r.get("reason")),
                _day(r.get("period_from")),
                _day(r.get("period_until")),
                cb_name,
                cb_approval,
            )
            for r in rows
        ],
    )
    _sheet(
        book.create_sheet(AUDIT_SHEET),
        AUDIT_COLUMNS,
        [
            (
                a["number"],
                a["organization_name"],
                _name(AUDIT_TYPES, a["audit_type"]),
                _day(a.get("start_on")),
                _day(a.get("end_on")),
                _day(a["completed_on"]),
                *_team(a.get("team")),
                Decimal(a["person_days"]) if a.get("person_days") else None,
                Decimal(a["onsite_days"]) if a.get("onsite_days") else None,
                None if a["score"] is None else Decimal(a["score"]),
                "" if a["passed"] is None else ("通过" if a["passed"] else "不通过"),
                _name(GRADES, a["grade"]),
            )
            for a in audit_rows
        ],
    )
    statuses = Counter(r["status"] for r in rows)
    changes = Counter(r["change"] for r in rows)
    notes: list[tuple[str, Any]] = [
        ("认证机构名称", cb_name),
        ("认证机构批准号", cb_approval),
        ("报告月份", month),
        ("报送截止日期（次月10日前）", report_due_on(month)),
        ("生成时间", generated_at.isoformat(timespec="seconds")),
        ("证书变更条数", len(rows)),
        ("其中待报送", statuses["pending"]),
        ("其中已报送", statuses["reported"]),
        ("审查结果条数", len(audit_rows)),
        *((f"变更类型：{zh}", changes[key]) for key, zh in CHANGES.items()),
    ]
    _sheet(book.create_sheet(NOTES_SHEET), ("项目", "内容"), notes)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
