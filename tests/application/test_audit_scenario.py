"""An audit on the real store (SQLite or PostgreSQL, ECPSC_TEST_STORE): planned, recorded and
completed through one back office, then read back by a new back office over the same store,
which sees the same audit — Decimal person-days, dates, findings and score — and refuses what
the stored state forbids (rules.md §2-§3, §10; ZPIC-WF-20 4.2-4.4, 10.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.audit import Audit
from domain.backoffice import BackOffice
from domain.errors import RuleViolation
from domain.people import Actor
from ecpsc.services import Services
from ecpsc.settings import Settings
from ecpsc.store import open_backoffice
from tests.application.support import SCOPE, upload
from tests.factories import VALID_USCCS, organization

REGISTRATION = {
    "number": "CCAA-SC-0777",
    "valid_from": date(2025, 1, 1),
    "valid_until": date(2028, 12, 31),
}


def staff(backoffice: BackOffice, name: str, role: str, ccaa: Any = None) -> Actor:
    """Register a staff member; the actor their token authenticates."""
    _, token = backoffice.register_user(name, [role], ccaa, backoffice.bootstrap_admin())
    actor = backoffice.authenticate(token)
    assert actor is not None
    return actor


def test_a_completed_audit_reads_back_the_same_from_a_new_back_office(
    services: Services, settings: Settings
) -> None:
    # given staff and a contracted application of 50 people with 3 service sites
    bo = services.backoffice
    intake = staff(bo, "受理员", "intake")
    planner = staff(bo, "策划员", "planner")
    leader = staff(bo, "组长张三", "auditor", REGISTRATION)
    auditor = staff(bo, "审查员李四", "auditor", {**REGISTRATION, "number": "CCAA-SC-0778"})
    trainee = staff(bo, "实习审查员王五", "auditor")
    documents = [
        upload(services, intake, kind, f"%PDF-1.4 {kind}".encode())
        for kind in ("application_form", "legal_status", "multi_site_list")
    ]
    app = bo.submit_application(
        organization=organization(VALID_USCCS[1], "厦门某电器有限公司"),
        scope=SCOPE,
        effective_headcount=50,
        sites=[{"name": f"门店{i}", "address": f"厦门市思明区{i}号"} for i in range(1, 4)],
        documents=documents,
        received_on=date(2026, 11, 2),
        by=intake,
    )
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 3), intake)
    bo.sign_contract(app.id, "HT-2026-0777", date(2026, 11, 4), intake)

    # when the audit is planned (2.5 qualified days, justified; 1.75 on site; 2 sites named),
    planned = bo.plan_audit(
        audit_type="initial",
        start_on=date(2026, 11, 10),
        end_on=date(2026, 11, 12),
        team=[
            {"user_id": leader.id, "role": "leader", "days": "1.5"},
            {"user_id": auditor.id, "role": "auditor", "days": "1"},
            {"user_id": trainee.id, "role": "trainee", "days": "1.25"},
        ],
        onsite_days=Decimal("1.75"),
        sites=["门店3", "门店1"],
        layers=["customer_feedback", "service_management", "service_execution"],
        justification="门店分散 / scattered sites",
        by=planner,
        application_id=app.id,
    )
    audit_id = planned.id
    assert audit_id == Audit.id_for_application(app.id, "initial")
    assert planned.sample_size == 2
    # findings are recorded (a sampled check, a nonconformity, a trainee's approved finding),
    bo.record_finding(
        audit_id, "4.3.3.2", "4.3.3.2.1", "sampled", 20, 3, "3/20 投诉未闭环", auditor
    )
    bo.record_finding(
        audit_id, "4.3.2.4", "4.3.2.4.3", "nonconformity", None, None, "维修记录缺失", leader
    )
    _, number = bo.record_finding(
        audit_id, "4.3.1.6", "4.3.1.6.2", "sampled", 8, 2, "8 项改进中 2 项未验证", trainee
    )
    bo.approve_finding(audit_id, number, leader)
    # delivery is excluded, a special deduction and the bonus are recorded,
    bo.exclude_indicator(audit_id, "4.3.2.3", "无配送业务 / no delivery", auditor)
    _, action = bo.record_special_deduction(audit_id, "industry", "违反行业规范", auditor)
    bo.record_special_bonus(audit_id, "回访制度行业领先", leader)
    # and the leader completes with 1.80 days on site
    live = bo.complete_audit(audit_id, date(2026, 11, 12), Decimal("1.80"), leader)
    services.settle()
    assert live.completion is not None
    # earned 100 − 4 (delivery) − 1.5 − 10 − 1.25 = 83.25 of 96 → 86.71875; −1 +1
    assert live.completion["score"]["score"] == "86.72"
    assert live.completion["score"]["final_exact"] == "2775/32"
    assert live.completion["score"]["grade"] == "three_star"

    # then a new back office over the same store reads the same audit
    other = open_backoffice(settings)
    try:
        stored = other.get_audit(audit_id)
        for attribute in (
            "version",
            "status",
            "application_id",
            "audit_type",
            "organization",
            "team",
            "sites",
            "sample_offered",
            "layers",
            "justification",
            "findings",
            "exclusions",
            "special_deductions",
            "bonus",
            "completion",
        ):
            assert getattr(stored, attribute) == getattr(live, attribute), attribute
        assert stored.current_score() == live.current_score()
        assert stored.completion is not None
        assert stored.completion["score"]["score"] == "86.72"

        # with exact Decimal person-days and real dates, not strings or floats
        for value, expected in [
            (stored.required_days, Decimal("2")),
            (stored.required_onsite_days, Decimal("1.6")),
            (stored.qualified_days, Decimal("2.5")),
            (stored.onsite_days, Decimal("1.75")),
            (stored.completion["onsite_days"], Decimal("1.80")),
            (stored.team[2]["days"], Decimal("1.25")),
        ]:
            assert type(value) is Decimal and value == expected
        assert str(stored.completion["onsite_days"]) == "1.80"
        assert (stored.start_on, stored.end_on) == (date(2026, 11, 10), date(2026, 11, 12))
        assert type(stored.start_on) is date
        assert stored.completion["completed_on"] == date(2026, 11, 12)
        assert stored.team[0]["registration"]["valid_until"] == date(2028, 12, 31)
        assert stored.sites == ["门店3", "门店1"]
        assert [f["number"] for f in stored.findings] == [1, 2, 3]
        assert stored.findings[2]["approved_by"] == leader.id
        assert stored.findings[0]["sampled"] == 20

        # and its corrective action, still open, with the audit's id
        reread = other.get_corrective_action(action.id)
        assert (reread.audit_id, reread.is_closed) == (str(audit_id), False)
        assert reread.opened_on == date(2026, 11, 12)  # found on the audit's last day

        # and refuses, from the stored state, a second plan and anything after completion
        before = other.recorder.max_notification_id()
        with pytest.raises(RuleViolation) as second_plan:
            other.plan_audit(
                audit_type="initial",
                start_on=date(2026, 11, 10),
                end_on=date(2026, 11, 12),
                team=[{"user_id": leader.id, "role": "leader", "days": "2"}],
                onsite_days=Decimal("1.6"),
                sites=[],
                layers=["service_management", "service_execution", "customer_feedback"],
                justification=None,
                by=planner,
                application_id=app.id,
            )
        assert second_plan.value.code == "audit_already_planned"
        with pytest.raises(RuleViolation) as late:
            other.record_special_bonus(audit_id, "again", leader)
        assert late.value.code == "audit_completed"
        assert other.recorder.max_notification_id() == before
        assert other.get_audit(audit_id).version == live.version
    finally:
        other.close()


def test_a_trainees_pending_finding_stays_pending_across_back_offices(
    services: Services, settings: Settings
) -> None:
    # given a planned audit where a trainee recorded a finding no one approved yet
    bo = services.backoffice
    intake = staff(bo, "受理员", "intake")
    planner = staff(bo, "策划员", "planner")
    leader = staff(bo, "组长", "auditor", REGISTRATION)
    trainee = staff(bo, "实习", "auditor")
    documents = [
        upload(services, intake, kind, f"%PDF-1.4 {kind} b".encode())
        for kind in ("application_form", "legal_status")
    ]
    app = bo.submit_application(
        organization=organization(VALID_USCCS[2], "深圳某商贸有限公司"),
        scope=SCOPE,
        effective_headcount=300,
        sites=[],
        documents=documents,
        received_on=date(2026, 11, 2),
        by=intake,
    )
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 3), intake)
    bo.sign_contract(app.id, "HT-2026-0778", date(2026, 11, 4), intake)
    audit = bo.plan_audit(
        audit_type="initial",
        start_on=date(2026, 11, 10),
        end_on=date(2026, 11, 12),  # 3 days a member fit (rules.md §12)
        team=[
            {"user_id": leader.id, "role": "leader", "days": "3"},
            {"user_id": trainee.id, "role": "trainee", "days": "3"},
        ],
        onsite_days=Decimal("2.4"),
        sites=[],
        layers=["service_management", "service_execution", "customer_feedback"],
        justification=None,
        by=planner,
        application_id=app.id,
    )
    assert audit.required_days == Decimal("3")
    bo.record_finding(
        audit.id, "4.3.3.1", "4.3.3.1.1", "nonconformity", None, None, "无顾客档案", trainee
    )

    # when a new back office approves it and the leader completes there
    other = open_backoffice(settings)
    try:
        assert other.get_audit(audit.id).current_score().final == 100
        other.approve_finding(audit.id, 1, leader)
        done = other.complete_audit(audit.id, date(2026, 11, 11), Decimal("2.4"), leader)
    finally:
        other.close()

    # then the first back office reads the approval and the score it produced: 85.00 three_star
    reread = bo.get_audit(UUID(str(audit.id)))
    assert reread.findings[0]["approved_by"] == leader.id
    assert reread.completion == done.completion
    assert reread.completion is not None
    assert (reread.completion["score"]["score"], reread.completion["score"]["grade"]) == (
        "85.00",
        "three_star",
    )
