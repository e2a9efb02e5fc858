"""Regulator reporting (4.6.4, 7.4, 8.1.3), on either store: the outbox, the workbook, batches."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from domain.backoffice import BackOffice
from domain.errors import InvalidInput, RuleViolation
from domain.people import Actor
from domain.rulebook.catalogue import LAYERS
from ecpsc.services import Services
from projections.regulator_outbox import (
    AUDIT_COLUMNS,
    AUDIT_SHEET,
    CERTIFICATE_COLUMNS,
    CERTIFICATE_SHEET,
    NOTES_SHEET,
    RegulatorOutboxQueries,
)
from tests.application.support import SCOPE, complete_documents
from tests.factories import VALID_USCCS, organization

DECIDED_ON = date(2026, 10, 20)
MONTH = "2026-10"
CCAA = {"number": "2026-N1SC-0000001", "valid_from": date(2025, 1, 1),
        "valid_until": date(2028, 12, 31)}


@dataclass
class Issued:
    """A certificate issued through the back office, and who took part."""

    number: str
    audit_id: str
    decision_maker: Actor
    compliance_officer: Actor


def _user(bo: BackOffice, name: str, roles: list[str], ccaa: dict[str, Any] | None = None) -> Actor:
    _, token = bo.register_user(name, roles, ccaa, bo.bootstrap_admin())
    actor = bo.authenticate(token)
    assert actor is not None
    return actor


def issue_certificate(
    services: Services,
    uscc: str = VALID_USCCS[0],
    name: str = "福州某商贸有限公司",
    decided_on: date = DECIDED_ON,
) -> Issued:
    """Application received, accepted, contracted; audit planned and completed; grant."""
    bo = services.backoffice
    intake = _user(bo, "受理员", ["intake"])
    planner = _user(bo, "策划员", ["planner"])
    leader = _user(bo, "组长", ["auditor"], CCAA)
    auditor = _user(bo, "审查员", ["auditor"], CCAA)
    decision_maker = _user(bo, "决定人", ["decision_maker"])
    compliance = _user(bo, "合规专员", ["compliance_officer"])
    application = bo.submit_application(
        organization=organization(uscc, name),
        scope=SCOPE,
        effective_headcount=300,
        sites=[],
        documents=complete_documents(services, intake, label=uscc),
        received_on=date(2026, 10, 1),
        by=intake,
    )
    bo.review_application(application.id, "accepted", [], [], date(2026, 10, 2), intake)
    bo.sign_contract(application.id, f"HT-{uscc}", date(2026, 10, 3), intake)
    audit = bo.plan_audit(
        application_id=application.id,
        audit_type="initial",
        start_on=date(2026, 10, 12),
        end_on=date(2026, 10, 13),
        team=[
            {"user_id": leader.id, "role": "leader", "days": "1.5"},
            {"user_id": auditor.id, "role": "auditor", "days": "1.5"},
        ],
        onsite_days=Decimal("2.4"),
        sites=[],
        layers=list(LAYERS),
        justification=None,
        by=planner,
    )
    bo.complete_audit(audit.id, date(2026, 10, 13), Decimal("2.4"), leader)
    _, certificate = bo.decide(audit.id, "grant", [], decided_on, decision_maker)
    assert certificate is not None
    return Issued(certificate.number, str(audit.id), decision_maker, compliance)


def outbox(services: Services) -> RegulatorOutboxQueries:
    """The regulator outbox, caught up with every event recorded."""
    services.settle()
    view: RegulatorOutboxQueries = services.read_models.view("regulator_outbox")
    assert view.max_tracking_id(BackOffice.name) == (
        services.backoffice.recorder.max_notification_id()
    )
    return view


def sheet_rows(content: bytes, title: str) -> list[tuple[Any, ...]]:
    """A sheet's rows as values."""
    book = load_workbook(io.BytesIO(content))
    return list(book[title].iter_rows(values_only=True))


def test_an_issued_certificate_is_a_pending_notification_of_its_month(services: Services) -> None:
    # given a certificate granted on 2026-10-20
    issued = issue_certificate(services)
    # when the outbox has caught up
    rows, total = outbox(services).notifications(status="pending")
    # then it holds one pending 'issued' notification of October, with the certificate's data
    assert total == 1
    row = rows[0]
    assert (row["number"], row["change"], row["business_date"], row["month"]) == (
        issued.number, "issued", "2026-10-20", MONTH)
    assert (row["status"], row["batch_id"], row["certificate_status"]) == ("pending", None, "valid")
    assert row["uscc"] == VALID_USCCS[0]
    assert row["audit_id"] == issued.audit_id
    assert row["issued_on"] == "2026-10-20" and row["expires_on"] == "2029-10-19"
    assert outbox(services).notifications(month="2026-11")[1] == 0


def test_a_suspension_is_a_notification_of_its_effective_month(services: Services) -> None:
    # given an issued certificate
    issued = issue_certificate(services)
    # when it is suspended with effect from 2026-11-02
    services.backoffice.suspend_certificate(
        issued.number, "requested_by_organization", date(2026, 11, 2), date(2026, 11, 2), 3,
        issued.decision_maker,
    )
    # then November holds a pending 'suspended' notification, the certificate shown suspended
    rows, total = outbox(services).notifications(month="2026-11")
    assert total == 1
    assert (rows[0]["change"], rows[0]["certificate_status"], rows[0]["audit_id"]) == (
        "suspended", "suspended", None)
    assert outbox(services).notifications(month=MONTH)[1] == 1


def test_the_monthly_workbook(services: Services) -> None:
    # given an issued certificate in October
    issued = issue_certificate(services)
    # when October's workbook is built by the CB configured with its approval number
    cb = {"name": {"zh": "中平国际认证（深圳）有限公司"}, "approval_number": "CNCA-R-2019-477"}
    content = outbox(services).workbook(MONTH, generated_at=datetime(2026, 11, 28, 9, 0), cb=cb)
    # then its sheets, header rows and data rows are as the regulator expects them: dates are
    # date cells, counts and scores numbers
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [CERTIFICATE_SHEET, AUDIT_SHEET, NOTES_SHEET]
    assert book.sheetnames == ["认证证书信息", "审查结果", "说明"]
    certificates = sheet_rows(content, CERTIFICATE_SHEET)
    assert certificates[0] == (
        "证书编号", "获证组织名称", "统一社会信用代码", "组织地址", "认证覆盖场所", "认证范围",
        "认证依据", "证书级别", "原证书级别", "发证日期", "有效期至", "证书状态", "变更类型",
        "变更日期", "变更原因", "暂停起始日期", "暂停截止日期", "认证机构名称", "认证机构批准号",
    ) == CERTIFICATE_COLUMNS
    assert len(certificates) == 2
    data = dict(zip(CERTIFICATE_COLUMNS, certificates[1], strict=True))
    assert data["证书编号"] == issued.number
    assert data["获证组织名称"] == "福州某商贸有限公司"
    assert data["组织地址"] == organization()["address"]
    assert data["认证覆盖场所"] == f"中心办公室：{organization()['address']}"
    assert data["发证日期"] == datetime(2026, 10, 20) and data["有效期至"] == datetime(2029, 10, 19)
    assert (data["证书状态"], data["变更类型"], data["变更日期"]) == (
        "有效", "颁发", datetime(2026, 10, 20))
    assert (data["认证机构名称"], data["认证机构批准号"]) == (
        "中平国际认证（深圳）有限公司", "CNCA-R-2019-477")
    assert data["原证书级别"] is None and data["变更原因"] is None
    assert data["证书级别"] in {"五星级", "四星级", "三星级", "达标级"}
    audits = sheet_rows(content, AUDIT_SHEET)
    assert audits[0] == (
        "证书编号", "获证组织名称", "审查类型", "审查开始日期", "审查结束日期", "审查完成日期",
        "审查组长", "审查组成员", "审查人日", "现场审查人日", "评价得分", "评价结论", "级别",
    ) == AUDIT_COLUMNS
    result = dict(zip(AUDIT_COLUMNS, audits[1], strict=True))
    assert (result["证书编号"], result["审查类型"], result["审查完成日期"]) == (
        issued.number, "初次认证审查", datetime(2026, 10, 13))
    assert (result["审查开始日期"], result["审查结束日期"]) == (
        datetime(2026, 10, 12), datetime(2026, 10, 13))
    assert result["审查组长"] == "组长"
    assert result["审查组成员"] == "组长（组长，1.5 人日）；审查员（审查员，1.5 人日）"
    assert (result["审查人日"], result["现场审查人日"]) == (3, 2.4)
    assert result["评价结论"] == "通过" and result["级别"] == data["证书级别"]
    assert isinstance(result["评价得分"], int | float) and result["评价得分"] >= 70
    notes = dict(sheet_rows(content, NOTES_SHEET)[1:])
    assert notes["报告月份"] == MONTH
    assert notes["报送截止日期（次月10日前）"] == datetime(2026, 11, 10)
    assert notes["生成时间"] == "2026-11-28T09:00:00"
    assert (notes["证书变更条数"], notes["其中待报送"], notes["其中已报送"]) == (1, 1, 0)
    assert notes["认证机构批准号"] == "CNCA-R-2019-477"
    assert load_workbook(io.BytesIO(content))[CERTIFICATE_SHEET].freeze_panes == "A2"


def test_marking_a_month_reported_records_the_batch_once(services: Services) -> None:
    # given October's pending notification
    issued = issue_certificate(services)
    cursors = outbox(services).pending_cursors(MONTH)
    assert len(cursors) == 1
    # when the compliance officer records that October was reported on 2026-11-05
    report = services.backoffice.mark_regulator_month_reported(
        MONTH, cursors, date(2026, 11, 5), "CNCA-2026-10-0042", issued.compliance_officer
    )
    # then the notification is reported in that batch, and the batch is recorded
    rows, _ = outbox(services).notifications(month=MONTH)
    assert (rows[0]["status"], rows[0]["batch_id"]) == ("reported", str(report.id))
    assert outbox(services).notifications(status="pending")[1] == 0
    batch = outbox(services).batch(MONTH)
    assert batch is not None
    assert (batch["reference"], batch["reported_on"], batch["notification_count"]) == (
        "CNCA-2026-10-0042", "2026-11-05", 1)
    assert services.backoffice.get_regulator_report(MONTH).notification_cursors == cursors
    # and the workbook still lists it, now as reported
    notes = dict(sheet_rows(outbox(services).workbook(MONTH), NOTES_SHEET)[1:])
    assert (notes["其中待报送"], notes["其中已报送"]) == (0, 1)
    # when October is marked reported again
    with pytest.raises(RuleViolation) as refused:
        services.backoffice.mark_regulator_month_reported(
            MONTH, [], date(2026, 11, 6), "again", issued.compliance_officer
        )
    # then it is refused under 8.1.3
    assert (refused.value.code, refused.value.clause) == (
        "month_already_reported", "ZPIC-WF-20 8.1.3")


def test_a_month_with_nothing_pending_records_an_empty_batch(services: Services) -> None:
    # given nothing happened in September
    officer = _user(services.backoffice, "合规专员", ["compliance_officer"])
    # when September is marked reported
    report = services.backoffice.mark_regulator_month_reported(
        "2026-09", outbox(services).pending_cursors("2026-09"), date(2026, 10, 8), "R-9", officer
    )
    # then an empty batch is recorded
    assert report.notification_cursors == []
    batch = outbox(services).batch("2026-09")
    assert batch is not None and batch["notification_count"] == 0


def test_a_month_is_reported_only_after_it_ends_and_never_from_the_future(
    services: Services,
) -> None:
    # given a compliance officer on 2026-11-28
    officer = _user(services.backoffice, "合规专员", ["compliance_officer"])
    # when November is reported before it ends
    with pytest.raises(RuleViolation) as refused:
        services.backoffice.mark_regulator_month_reported(
            "2026-11", [], date(2026, 11, 28), "R", officer
        )
    # then it is refused
    assert refused.value.code == "month_not_ended"
    # and a reported_on after today, or a malformed month, is invalid input
    with pytest.raises(InvalidInput):
        services.backoffice.mark_regulator_month_reported(
            "2026-10", [], date(2026, 11, 29), "R", officer
        )
    with pytest.raises(InvalidInput):
        services.backoffice.mark_regulator_month_reported(
            "2026-13", [], date(2026, 11, 5), "R", officer
        )


def test_suspensions_withdrawals_and_grade_changes_carry_their_details(
    services: Services,
) -> None:
    # given a certificate issued 2026-10-20, suspended from 2026-10-23 (service system failing)
    # for 3 months, then withdrawn on 2026-10-28
    issued = issue_certificate(services)
    bo = services.backoffice
    bo.suspend_certificate(
        issued.number, reason="service_system_failing", verified_on=date(2026, 10, 22),
        effective_on=date(2026, 10, 23), months=3, by=issued.decision_maker,
    )
    bo.withdraw_certificate(
        issued.number, reason="suspension_expired_unresolved", verified_on=date(2026, 10, 27),
        effective_on=date(2026, 10, 28), recovered=False, by=issued.decision_maker,
    )
    # when October's workbook is built
    rows = sheet_rows(outbox(services).workbook(MONTH), CERTIFICATE_SHEET)
    # then the suspension row names its reason in Chinese and its period as date cells, and
    # the withdrawal row its reason
    data = [dict(zip(CERTIFICATE_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [d["变更类型"] for d in data] == ["颁发", "暂停", "撤销"]
    suspension, withdrawal = data[1], data[2]
    assert suspension["变更原因"] == "服务体系持续或严重不满足要求"
    assert (suspension["暂停起始日期"], suspension["暂停截止日期"]) == (
        datetime(2026, 10, 23), datetime(2027, 1, 22))
    assert withdrawal["变更原因"] == "暂停期满仍未整改"
    assert withdrawal["暂停起始日期"] is None


def test_a_grade_change_names_the_previous_grade() -> None:
    # given a grade-change notification row from four star to three star (the view's form)
    from projections.regulator_outbox import monthly_workbook

    row = {
        "number": "ECPSC-SC-2026-00001", "organization_name": "福州某商贸有限公司",
        "uscc": VALID_USCCS[0], "address": "福州", "sites": None, "scope": SCOPE,
        "basis": "GB/T 27922-2011", "grade": "three_star", "previous_grade": "four_star",
        "issued_on": "2026-03-10", "expires_on": "2029-03-09", "certificate_status": "valid",
        "change": "grade_changed", "business_date": "2026-10-15", "reason": "surveillance_passed",
        "period_from": None, "period_until": None, "status": "pending",
    }
    # when the workbook is built
    content = monthly_workbook([row], [], MONTH)
    # then the row shows the new grade, the previous one and why
    data = dict(zip(CERTIFICATE_COLUMNS, sheet_rows(content, CERTIFICATE_SHEET)[1], strict=True))
    assert (data["证书级别"], data["原证书级别"]) == ("三星级", "四星级")
    assert data["变更原因"] == "监督审查通过，按审查结果调整级别（5.5）"
