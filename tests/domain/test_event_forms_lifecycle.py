"""The stored form of every event type of a certificate's life, pinned (rules.md §10).

The companion of `test_event_forms.py` for audits, corrective actions, decisions, certificate
numbers and certificates, regulator reports and the deadline jobs' journal. One back office in
memory takes three organizations from 2023 to today (2026-11-28) with past business dates:

- B, issued 2023-03-01, never surveilled: the deadline jobs suspend and then withdraw it, and
  it is recovered;
- C, issued 2023-06-15, surveilled twice: the deadline jobs expire it the day after expiry;
- A, issued 2023-12-10 after an initial audit with a trainee's approved finding, an exclusion
  and a bonus: a passed surveillance lowers its grade, it is suspended, extended and
  reinstated, a surveillance with five special deductions fails and is followed by a
  downgrade, an upheld appeal reopens that decision, and it is recertified in its window.

Changing an event's fields, its topic or how a value is encoded must fail here: a new shape
needs a new `class_version` with an upcaster, and then a new case. A case named
"Qualname (variant)" pins a second shape of the same event type.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.audit import Audit
from domain.backoffice import BackOffice
from domain.certificate import CERTIFICATION_BASIS, Certificate, CertificateNumbering
from domain.people import DEADLINE_JOBS_ID, Actor
from domain.regulator_report import RegulatorReport
from domain.rulebook.version import RULEBOOK_VERSION
from domain.sweeps import SweepJournal
from tests.domain.support import SCOPE, complete_documents, site_list
from tests.domain.test_event_forms import (
    Case,
    _domain_event_topics,
    _record,
    assert_replays,
    assert_stored_form,
    iso,
)
from tests.factories import VALID_USCCS, organization

TODAY = date(2026, 11, 28)
USCC_A, USCC_B, USCC_C = VALID_USCCS[0], VALID_USCCS[1], VALID_USCCS[2]
USCC_D, NAME_D = VALID_USCCS[3], "福州丁商贸有限公司"
NAME_A, NAME_B, NAME_C = "福州甲商贸有限公司", "福州乙商贸有限公司", "福州丙商贸有限公司"
ADDRESS = "福建省福州市鼓楼区五四路1号"
LAYERS = ["service_management", "service_execution", "customer_feedback"]
LEADER_REGISTRATION = {
    "number": "CCAA-SC-0001",
    "valid_from": date(2020, 1, 1),
    "valid_until": date(2030, 12, 31),
}
AUDITOR_REGISTRATION = {**LEADER_REGISTRATION, "number": "CCAA-SC-0002"}
NUMBER_B, NUMBER_C, NUMBER_A = (f"ECPSC-SC-2023-0000{n}" for n in (1, 2, 3))
CENTRAL_OFFICE = {"name": "中心办公室", "address": ADDRESS}
SITES_A = [CENTRAL_OFFICE, *site_list(2)]
POINTS = (
    ("4.3.1.1", 4), ("4.3.1.2", 6), ("4.3.1.3", 6), ("4.3.1.4", 6), ("4.3.1.5", 7),
    ("4.3.1.6", 5), ("4.3.1.7", 6), ("4.3.2.1", 6), ("4.3.2.2", 6), ("4.3.2.3", 4),
    ("4.3.2.4", 10), ("4.3.2.5", 7), ("4.3.2.6", 2), ("4.3.3.1", 15), ("4.3.3.2", 10),
)  # fmt: skip
"""The indicators and their points, as every stored score's breakdown lists them."""


def dec(value: str) -> dict[str, str]:
    """How eventsourcing's DecimalAsStr transcoding stores a Decimal: str(value), as given."""
    return {"_type_": "decimal_str", "_data_": value}


def _decoded(value: Any) -> Any:
    """A stored value as the event carries it again: dates as date, Decimals as Decimal."""
    if isinstance(value, dict):
        if set(value) == {"_type_", "_data_"} and value["_type_"] == "date_iso":
            return date.fromisoformat(value["_data_"])
        if set(value) == {"_type_", "_data_"} and value["_type_"] == "decimal_str":
            return Decimal(value["_data_"])
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def _given(stored: dict[str, Any]) -> dict[str, Any]:
    """The fields of a stored event as the command gave them (the topic is the store's)."""
    return {k: _decoded(v) for k, v in stored.items() if k != "originator_topic"}


def _case(
    topic: str,
    originator_id: UUID,
    version: int,
    stored: dict[str, Any],
    aggregate: Any,
    expected: dict[str, Any],
) -> Case:
    return Case(topic, originator_id, version, stored, _given(stored), aggregate, expected)


def _breakdown(earned: dict[str, str], excluded: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A stored breakdown: full points on each indicator unless given (or excluded)."""
    return [
        {
            "indicator": indicator,
            "points": points,
            "earned": "0.00" if indicator in excluded else earned.get(indicator, f"{points}.00"),
            "excluded": indicator in excluded,
        }
        for indicator, points in POINTS
    ]


SCORE_A = {
    "score": "99.44",
    "final_exact": "1591/16",
    "base": "98.44",
    "base_exact": "1575/16",
    "earned": "94.50",
    "applicable": 96,
    "special_deductions": 0,
    "bonus": 1,
    "passed": True,
    "grade": "five_star",
    "breakdown": _breakdown({"4.3.2.2": "4.50"}, excluded=("4.3.2.3",)),
}
"""A's initial audit: 4.3.2.2 loses 1/4 of 6 points, 4.3.2.3 excluded, one bonus point."""


class Office:
    """The certification body's staff, over one back office in memory."""

    def __init__(self) -> None:
        self.bo = BackOffice(today=lambda: TODAY)
        self.admin = self.bo.bootstrap_admin()
        self.intake = self.user("受理员", ["intake"])
        self.planner = self.user("策划员", ["planner"])
        self.leader = self.user("组长", ["auditor"], LEADER_REGISTRATION)
        self.auditor = self.user("审查员", ["auditor"], AUDITOR_REGISTRATION)
        self.trainee = self.user("实习审查员", ["auditor"])
        self.decider = self.user("决定人", ["decision_maker"])
        self.officer = self.user("申诉专员", ["appeals_officer"])

    def user(self, name: str, roles: list[str], ccaa: dict[str, Any] | None = None) -> Actor:
        """Register a staff member; the actor their token authenticates."""
        _, token = self.bo.register_user(name, roles, ccaa, self.admin)
        actor = self.bo.authenticate(token)
        assert actor is not None
        return actor

    def contracted(
        self, uscc: str, name: str, day: date, sites: int = 0, number: str | None = None
    ) -> UUID:
        """An application received, accepted and contracted on a day; its id."""
        application = self.bo.submit_application(
            organization(uscc, name),
            SCOPE,
            300,
            site_list(sites),
            complete_documents(self.bo, self.intake, sites),
            day,
            self.intake,
            certificate_number=number,
        )
        self.bo.review_application(application.id, "accepted", [], [], day, self.intake)
        self.bo.sign_contract(application.id, f"HT-{day.isoformat()}", day, self.intake)
        return application.id

    def team(self, days: str, trainee: bool = False) -> list[dict[str, Any]]:
        """Leader and auditor with the same days each (and a trainee, one day)."""
        team = [
            {"user_id": self.leader.id, "role": "leader", "days": days},
            {"user_id": self.auditor.id, "role": "auditor", "days": days},
        ]
        if trainee:
            team.append({"user_id": self.trainee.id, "role": "trainee", "days": "1"})
        return team

    def certificate(self, uscc: str, name: str, day: date) -> str:
        """A certificate granted on a day after a clean initial audit that day; its number."""
        application_id = self.contracted(uscc, name, day)
        audit = self.bo.plan_audit(
            audit_type="initial", start_on=day - timedelta(days=1), end_on=day,
            team=self.team("1.5"),  # 1.5 days each fit the two calendar days (rules.md §12)
            onsite_days=Decimal("2.4"), sites=[], layers=LAYERS, justification=None,
            by=self.planner, application_id=application_id,
        )  # fmt: skip
        self.bo.complete_audit(audit.id, day, Decimal("2.4"), self.leader)
        _, certificate = self.bo.decide(audit.id, "grant", [], day, self.decider)
        assert certificate is not None
        return certificate.number

    def surveil(self, number: str, day: date) -> Audit:
        """A surveillance of the certificate planned on a day, one qualified person-day."""
        return self.bo.plan_audit(
            audit_type="surveillance", start_on=day, end_on=day, team=self.team("0.5"),
            onsite_days=Decimal("0.8"), sites=[], layers=LAYERS, justification=None,
            by=self.planner, certificate_number=number,
        )  # fmt: skip


@pytest.fixture(scope="module")
def history() -> tuple[BackOffice, dict[str, Case]]:
    """Three certificates' lives, through the back office, in memory."""
    office = Office()
    bo = office.bo
    leader, auditor, trainee = office.leader.id, office.auditor.id, office.trainee.id
    planner, decider, officer = office.planner.id, office.decider.id, office.officer.id
    cases: dict[str, Case] = {}

    # B and C, clean initial audits; then A's initial audit, with something of everything
    assert office.certificate(USCC_B, NAME_B, date(2023, 3, 1)) == NUMBER_B
    assert office.certificate(USCC_C, NAME_C, date(2023, 6, 15)) == NUMBER_C
    app_a = office.contracted(USCC_A, NAME_A, date(2023, 11, 20), sites=2)
    audit = bo.plan_audit(
        audit_type="initial", start_on=date(2023, 12, 4), end_on=date(2023, 12, 5),
        team=office.team("1.5", trainee=True), onsite_days=Decimal("2.4"),
        sites=["门店2", "门店1"], layers=list(reversed(LAYERS)), justification=None,
        by=office.planner, application_id=app_a,
    )  # fmt: skip
    audit_a = audit.id
    organization_a = organization(USCC_A, NAME_A)
    team_a: list[dict[str, Any]] = [
        {"user_id": leader, "name": "组长", "role": "leader", "days": dec("1.5"),
         "registration": {"number": "CCAA-SC-0001", "valid_from": iso("2020-01-01"),
                          "valid_until": iso("2030-12-31")}},
        {"user_id": auditor, "name": "审查员", "role": "auditor", "days": dec("1.5"),
         "registration": {"number": "CCAA-SC-0002", "valid_from": iso("2020-01-01"),
                          "valid_until": iso("2030-12-31")}},
        {"user_id": trainee, "name": "实习审查员", "role": "trainee", "days": dec("1"),
         "registration": None},
    ]  # fmt: skip
    cases["Audit.Planned"] = _case(
        "domain.audit:Audit.Planned", audit_a, 1,
        {"originator_topic": "domain.audit:Audit", "application_id": str(app_a),
         "certificate_number": None, "audit_type": "initial", "organization": organization_a,
         "scope": SCOPE, "effective_headcount": 300, "service_sites": ["门店1", "门店2"],
         "start_on": iso("2023-12-04"), "end_on": iso("2023-12-05"), "team": team_a,
         "onsite_days": dec("2.4"), "sites": ["门店2", "门店1"], "sample_offered": False,
         "layers": LAYERS, "justification": None, "required_days": dec("3"),
         "required_onsite_days": dec("2.4"), "sample_size": 2, "qualified_days": dec("3"),
         "rulebook_version": RULEBOOK_VERSION, "by": planner},
        lambda a: {"status": a.status, "team": a.team, "required_days": a.required_days,
                   "plan_rulebook_version": a.plan_rulebook_version,
                   "planned_by": a.planned_by, "findings": a.findings,
                   "exclusions": a.exclusions, "bonus": a.bonus, "completion": a.completion},
        {"status": "planned", "team": _decoded(team_a), "required_days": Decimal(3),
         "plan_rulebook_version": RULEBOOK_VERSION, "planned_by": planner, "findings": [],
         "exclusions": {}, "bonus": None, "completion": None},
    )  # fmt: skip
    evidence = "抽查4份维修单，1份未签字 / 1 of 4 repair slips unsigned"
    bo.record_finding(audit_a, "4.3.2.2", "4.3.2.2.3", "sampled", 4, 1, evidence, office.trainee)
    finding = {"number": 1, "indicator": "4.3.2.2", "clause": "4.3.2.2.3", "kind": "sampled",
               "sampled": 4, "nonconforming": 1, "evidence": evidence}  # fmt: skip
    cases["Audit.FindingRecorded"] = _case(
        "domain.audit:Audit.FindingRecorded", audit_a, 2,
        {**finding, "needs_approval": True, "by": trainee},
        lambda a: {"findings": a.findings, "counts": a.counts(a.findings[0])},
        {"findings": [{**finding, "by": trainee, "needs_approval": True, "approved_by": None}],
         "counts": False},
    )  # fmt: skip
    bo.approve_finding(audit_a, 1, office.auditor)
    cases["Audit.FindingApproved"] = _case(
        "domain.audit:Audit.FindingApproved", audit_a, 3,
        {"number": 1, "by": auditor},
        lambda a: {"approved_by": a.findings[0]["approved_by"],
                   "counts": a.counts(a.findings[0])},
        {"approved_by": auditor, "counts": True},
    )  # fmt: skip
    reason = "不提供安装服务 / no installation service"
    bo.exclude_indicator(audit_a, "4.3.2.3", reason, office.auditor)
    cases["Audit.IndicatorExcluded"] = _case(
        "domain.audit:Audit.IndicatorExcluded",
        audit_a,
        4,
        {"indicator": "4.3.2.3", "reason": reason, "by": auditor},
        lambda a: {"exclusions": a.exclusions},
        {"exclusions": {"4.3.2.3": {"reason": reason, "by": auditor}}},
    )
    bonus = "获省级服务标杆 / provincial service benchmark"
    bo.record_special_bonus(audit_a, bonus, office.leader)
    cases["Audit.SpecialBonusRecorded"] = _case(
        "domain.audit:Audit.SpecialBonusRecorded",
        audit_a,
        5,
        {"evidence": bonus, "by": leader},
        lambda a: {"bonus": a.bonus},
        {"bonus": {"evidence": bonus, "by": leader}},
    )
    bo.complete_audit(audit_a, date(2023, 12, 5), Decimal("2.5"), office.leader)
    cases["Audit.Completed"] = _case(
        "domain.audit:Audit.Completed", audit_a, 6,
        {"completed_on": iso("2023-12-05"), "onsite_days": dec("2.5"), "score": SCORE_A,
         "rulebook_version": RULEBOOK_VERSION, "by": leader},
        lambda a: {"status": a.status, "completion": a.completion},
        {"status": "completed",
         "completion": {"completed_on": date(2023, 12, 5), "onsite_days": Decimal("2.5"),
                        "score": SCORE_A, "rulebook_version": RULEBOOK_VERSION, "by": leader}},
    )  # fmt: skip

    # the grant: the year's third number, certificate A, the decision
    decision, _ = bo.decide(
        audit_a, "grant", ["审查通过 / audit passed"], date(2023, 12, 10), office.decider
    )
    grant_a = str(decision.id)
    numbering = CertificateNumbering.create_id(2023)
    cases["CertificateNumbering.Opened"] = _case(
        "domain.certificate:CertificateNumbering.Opened", numbering, 1,
        {"originator_topic": "domain.certificate:CertificateNumbering", "year": 2023},
        lambda n: {"year": n.year, "last_sequence": n.last_sequence},
        {"year": 2023, "last_sequence": 0},
    )  # fmt: skip
    cases["CertificateNumbering.NumberAllocated"] = _case(
        "domain.certificate:CertificateNumbering.NumberAllocated",
        numbering,
        4,
        {"number": NUMBER_A, "sequence": 3, "decision_id": grant_a, "by": decider},
        lambda n: {"last_sequence": n.last_sequence},
        {"last_sequence": 3},
    )
    cert_a = Certificate.create_id(NUMBER_A)
    org_a = {"name": NAME_A, "uscc": USCC_A, "address": ADDRESS}
    cases["Certificate.Issued"] = _case(
        "domain.certificate:Certificate.Issued", cert_a, 1,
        {"originator_topic": "domain.certificate:Certificate", "number": NUMBER_A,
         "organization": org_a, "scope": SCOPE, "sites": SITES_A, "grade": "five_star",
         "issued_on": iso("2023-12-10"), "expires_on": iso("2026-12-09"),
         "audit_id": str(audit_a), "decision_id": grant_a, "application_id": str(app_a),
         "basis": CERTIFICATION_BASIS, "by": decider},
        lambda c: {"status": c.status, "number": c.number, "grade": c.grade,
                   "issued_on": c.issued_on, "expires_on": c.expires_on, "sites": c.sites,
                   "cycle": c.cycle, "cycle_audit_id": c.cycle_audit_id,
                   "next_surveillance_due": c.next_surveillance_due},
        {"status": "valid", "number": NUMBER_A, "grade": "five_star",
         "issued_on": date(2023, 12, 10), "expires_on": date(2026, 12, 9), "sites": SITES_A,
         "cycle": 1, "cycle_audit_id": str(audit_a),
         "next_surveillance_due": date(2024, 12, 10)},
    )  # fmt: skip
    cases["Decision.Made"] = _case(
        "domain.decision:Decision.Made", decision.id, 1,
        {"originator_topic": "domain.decision:Decision", "audit_id": str(audit_a),
         "application_id": str(app_a), "outcome": "grant",
         "reasons": ["审查通过 / audit passed"], "decided_on": iso("2023-12-10"),
         "certificate_number": NUMBER_A, "grade": "five_star",
         "rulebook_version": RULEBOOK_VERSION, "by": decider},
        lambda d: {"outcome": d.outcome, "reasons": d.reasons, "decided_on": d.decided_on,
                   "certificate_number": d.certificate_number, "grade": d.grade,
                   "decided_by": d.decided_by, "reopened": d.reopened},
        {"outcome": "grant", "reasons": ["审查通过 / audit passed"],
         "decided_on": date(2023, 12, 10), "certificate_number": NUMBER_A,
         "grade": "five_star", "decided_by": decider, "reopened": None},
    )  # fmt: skip

    # a passed surveillance: the grade follows the audit (5.5)
    surveillance = office.surveil(NUMBER_A, date(2024, 11, 5))
    surveillance_1 = surveillance.id
    cases["Audit.Planned (surveillance)"] = _case(
        "domain.audit:Audit.Planned", surveillance_1, 1,
        {"originator_topic": "domain.audit:Audit", "application_id": None,
         "certificate_number": NUMBER_A, "audit_type": "surveillance",
         "organization": organization_a, "scope": SCOPE, "effective_headcount": 300,
         "service_sites": ["门店1", "门店2"], "start_on": iso("2024-11-05"),
         "end_on": iso("2024-11-05"),
         "team": [{**team_a[0], "days": dec("0.5")}, {**team_a[1], "days": dec("0.5")}],
         "onsite_days": dec("0.8"), "sites": ["门店1"], "sample_offered": True,
         "layers": LAYERS, "justification": None, "required_days": dec("1"),
         "required_onsite_days": dec("0.8"), "sample_size": 1, "qualified_days": dec("1"),
         "rulebook_version": RULEBOOK_VERSION, "by": planner},
        lambda a: {"application_id": a.application_id,
                   "certificate_number": a.certificate_number, "sites": a.sites,
                   "required_onsite_days": a.required_onsite_days},
        {"application_id": None, "certificate_number": NUMBER_A, "sites": ["门店1"],
         "required_onsite_days": Decimal("0.8")},
    )  # fmt: skip
    bo.record_finding(
        surveillance_1, "4.3.2.4", "4.3.2.4.3", "nonconformity", None, None, "维修记录缺失",
        office.auditor,
    )  # fmt: skip
    bo.complete_audit(surveillance_1, date(2024, 11, 5), Decimal("0.8"), office.leader)
    cases["Certificate.AuditCompleted"] = _case(
        "domain.certificate:Certificate.AuditCompleted", cert_a, 2,
        {"audit_id": str(surveillance_1), "audit_type": "surveillance",
         "completed_on": iso("2024-11-05"), "score": "90.00", "passed": True,
         "grade": "four_star", "sites": ["门店1"], "next_surveillance_due": iso("2025-12-31"),
         "follow_up_required": False, "rulebook_version": RULEBOOK_VERSION, "by": leader},
        lambda c: {"grade": c.grade, "certificate_audits": c.certificate_audits,
                   "last_surveillance_on": c.last_surveillance_on,
                   "cycle_audits": c.cycle_audits, "follow_up_pending": c.follow_up_pending,
                   "next_surveillance_due": c.next_surveillance_due},
        # the grade changes with the next event, not this one
        {"grade": "five_star", "certificate_audits": 1,
         "last_surveillance_on": date(2024, 11, 5),
         "cycle_audits": [{"audit_id": str(surveillance_1), "audit_type": "surveillance",
                           "completed_on": date(2024, 11, 5), "score": "90.00",
                           "passed": True, "grade": "four_star", "sites": ["门店1"]}],
         "follow_up_pending": None, "next_surveillance_due": date(2025, 12, 31)},
    )  # fmt: skip
    cases["Certificate.GradeChanged"] = _case(
        "domain.certificate:Certificate.GradeChanged", cert_a, 3,
        {"grade_from": "five_star", "grade_to": "four_star", "reason": "surveillance_passed",
         "audit_id": str(surveillance_1), "decision_id": None,
         "effective_on": iso("2024-11-05"), "by": leader},
        lambda c: {"grade": c.grade},
        {"grade": "four_star"},
    )  # fmt: skip

    # suspended at the organization's request, extended, reinstated (7.2)
    bo.suspend_certificate(
        NUMBER_A, "requested_by_organization", date(2025, 3, 3), date(2025, 3, 5), 2,
        office.decider,
    )  # fmt: skip
    cases["Certificate.Suspended"] = _case(
        "domain.certificate:Certificate.Suspended", cert_a, 4,
        {"reason": "requested_by_organization", "verified_on": iso("2025-03-03"),
         "effective_on": iso("2025-03-05"), "months": 2, "suspended_until": iso("2025-05-04"),
         "due_on": iso("2025-03-10"), "due_on_provisional": False,
         "due_on_calendar": "package", "missed_due_on": None, "late": False,
         "status_after": "suspended", "suspended_from_after": iso("2025-03-05"),
         "suspended_until_after": iso("2025-05-04"), "class_version": 2,
         "by": decider},
        lambda c: {"status": c.status, "suspended_from": c.suspended_from,
                   "suspended_until": c.suspended_until,
                   "suspension_months": c.suspension_months,
                   "suspension_reason": c.suspension_reason,
                   "cycle_suspensions": c.cycle_suspensions},
        {"status": "suspended", "suspended_from": date(2025, 3, 5),
         "suspended_until": date(2025, 5, 4), "suspension_months": 2,
         "suspension_reason": "requested_by_organization",
         "cycle_suspensions": [{"reason": "requested_by_organization",
                                "effective_on": date(2025, 3, 5),
                                "suspended_until": date(2025, 5, 4)}]},
    )  # fmt: skip
    bo.extend_suspension(NUMBER_A, 1, office.decider)
    cases["Certificate.SuspensionExtended"] = _case(
        "domain.certificate:Certificate.SuspensionExtended", cert_a, 5,
        {"months": 3, "suspended_until": iso("2025-06-04"), "by": decider},
        lambda c: {"suspension_months": c.suspension_months,
                   "suspended_until": c.suspended_until,
                   "until": c.cycle_suspensions[-1]["suspended_until"]},
        {"suspension_months": 3, "suspended_until": date(2025, 6, 4),
         "until": date(2025, 6, 4)},
    )  # fmt: skip
    bo.reinstate_certificate(NUMBER_A, date(2025, 4, 1), date(2025, 4, 2), office.decider)
    cases["Certificate.Reinstated"] = _case(
        "domain.certificate:Certificate.Reinstated", cert_a, 6,
        # the fifth working day after 2025-04-01, across the Qingming holiday (4-6 April)
        {"verified_on": iso("2025-04-01"), "effective_on": iso("2025-04-02"),
         "due_on": iso("2025-04-09"), "due_on_provisional": False,
         "due_on_calendar": "package", "late": False, "status_after": "valid",
         "suspended_from_after": None, "suspended_until_after": None, "class_version": 2,
         "by": decider},
        lambda c: {"status": c.status, "suspended_from": c.suspended_from,
                   "suspended_until": c.suspended_until,
                   "cycle_suspensions": c.cycle_suspensions},
        {"status": "valid", "suspended_from": None, "suspended_until": None,
         "cycle_suspensions": [{"reason": "requested_by_organization",
                                "effective_on": date(2025, 3, 5),
                                "suspended_until": date(2025, 6, 4),
                                "reinstated_on": date(2025, 4, 2)}]},
    )  # fmt: skip

    # a surveillance failed by five special deductions, followed by a downgrade (5.6)
    surveillance_2 = office.surveil(NUMBER_A, date(2025, 10, 10)).id
    actions = [
        bo.record_special_deduction(surveillance_2, "law", f"违反相关法规 {i}", office.leader)[1]
        for i in range(1, 6)
    ]
    action = actions[0].id
    cases["Audit.SpecialDeductionRecorded"] = _case(
        "domain.audit:Audit.SpecialDeductionRecorded", surveillance_2, 2,
        {"category": "law", "evidence": "违反相关法规 1", "corrective_action_id": str(action),
         "by": leader},
        lambda a: {"special_deductions": a.special_deductions},
        {"special_deductions": [{"category": "law", "evidence": "违反相关法规 1",
                                 "corrective_action_id": str(action), "by": leader}]},
    )  # fmt: skip
    # opened on the back office's today, whatever the audit's dates (no business date is given)
    cases["CorrectiveAction.Opened"] = _case(
        "domain.corrective_action:CorrectiveAction.Opened", action, 1,
        {"originator_topic": "domain.corrective_action:CorrectiveAction",
         "audit_id": str(surveillance_2), "category": "law", "evidence": "违反相关法规 1",
         "opened_on": iso("2025-10-10"), "by": leader},
        lambda c: {"audit_id": c.audit_id, "opened_on": c.opened_on, "opened_by": c.opened_by,
                   "closure": c.closure, "is_closed": c.is_closed},
        {"audit_id": str(surveillance_2), "opened_on": date(2025, 10, 10), "opened_by": leader,
         "closure": None, "is_closed": False},
    )  # fmt: skip
    bo.complete_audit(surveillance_2, date(2025, 10, 10), Decimal("0.8"), office.leader)
    cases["Certificate.AuditCompleted (failed)"] = _case(
        "domain.certificate:Certificate.AuditCompleted", cert_a, 7,
        {"audit_id": str(surveillance_2), "audit_type": "surveillance",
         "completed_on": iso("2025-10-10"), "score": "95.00", "passed": False, "grade": None,
         "sites": ["门店1"], "next_surveillance_due": None, "follow_up_required": True,
         "rulebook_version": RULEBOOK_VERSION, "by": leader},
        lambda c: {"grade": c.grade, "follow_up_pending": c.follow_up_pending,
                   "next_surveillance_due": c.next_surveillance_due},
        {"grade": "four_star", "follow_up_pending": str(surveillance_2),
         "next_surveillance_due": None},
    )  # fmt: skip
    reasons = ["监督审查未通过 / surveillance failed"]
    downgrade, _ = bo.decide(
        surveillance_2, "downgrade", reasons, date(2025, 10, 15), office.decider,
        grade="three_star",
    )  # fmt: skip
    cases["Certificate.FollowUpDecided"] = _case(
        "domain.certificate:Certificate.FollowUpDecided", cert_a, 8,
        {"audit_id": str(surveillance_2), "decision_id": str(downgrade.id),
         "follow_up": "downgrade", "decided_on": iso("2025-10-15"), "by": decider},
        lambda c: {"follow_up_pending": c.follow_up_pending, "grade": c.grade},
        {"follow_up_pending": None, "grade": "four_star"},
    )  # fmt: skip
    cases["Certificate.GradeChanged (downgrade)"] = _case(
        "domain.certificate:Certificate.GradeChanged", cert_a, 9,
        {"grade_from": "four_star", "grade_to": "three_star", "reason": "downgrade",
         "audit_id": str(surveillance_2), "decision_id": str(downgrade.id),
         "effective_on": iso("2025-10-15"), "by": decider},
        lambda c: {"grade": c.grade},
        {"grade": "three_star"},
    )  # fmt: skip
    cases["Decision.Made (follow-up)"] = _case(
        "domain.decision:Decision.Made", downgrade.id, 1,
        {"originator_topic": "domain.decision:Decision", "audit_id": str(surveillance_2),
         "application_id": None, "outcome": "downgrade", "reasons": reasons,
         "decided_on": iso("2025-10-15"), "certificate_number": NUMBER_A,
         "grade": "three_star", "rulebook_version": RULEBOOK_VERSION, "by": decider},
        lambda d: {"application_id": d.application_id, "outcome": d.outcome, "grade": d.grade},
        {"application_id": None, "outcome": "downgrade", "grade": "three_star"},
    )  # fmt: skip
    bo.close_corrective_action(action, TODAY, "已整改 / corrected", office.leader)
    cases["CorrectiveAction.Closed"] = _case(
        "domain.corrective_action:CorrectiveAction.Closed", action, 2,
        {"verified_on": iso("2026-11-28"), "evidence": "已整改 / corrected", "by": leader},
        lambda c: {"closure": c.closure, "is_closed": c.is_closed,
                   "closed_by_yesterday": c.closed_by(date(2026, 11, 27))},
        {"closure": {"verified_on": TODAY, "evidence": "已整改 / corrected", "by": leader},
         "is_closed": True, "closed_by_yesterday": False},
    )  # fmt: skip

    # an upheld appeal against the downgrade reopens that decision (9.2)
    appeal = bo.receive_appeal(
        "appeal", {"decision_id": str(downgrade.id)}, {"name": NAME_A, "phone": "13800000000"},
        date(2025, 10, 20), "降级依据不足 / the downgrade lacks grounds", office.intake,
    )  # fmt: skip
    bo.acknowledge_appeal(appeal.id, date(2025, 10, 21), office.intake)
    bo.assign_appeal(appeal.id, [officer], office.admin, assigned_on=date(2025, 10, 22))
    bo.resolve_appeal(
        appeal.id, "upheld", date(2025, 11, 20), "申诉成立 / upheld", [], office.officer
    )
    cases["Decision.Reopened"] = _case(
        "domain.decision:Decision.Reopened", downgrade.id, 2,
        {"appeal_id": str(appeal.id), "reopened_on": iso("2025-11-20"), "by": officer},
        lambda d: {"outcome": d.outcome, "reopened": d.reopened},
        {"outcome": "downgrade",
         "reopened": {"appeal_id": str(appeal.id), "reopened_on": date(2025, 11, 20),
                      "by": officer}},
    )  # fmt: skip

    # recertified on an application received in the window 2026-09-09..2026-12-09 (6.1, 6.3)
    app_r = office.contracted(USCC_A, NAME_A, date(2026, 9, 15), sites=2, number=NUMBER_A)
    audit_r = bo.plan_audit(
        audit_type="recertification", start_on=date(2026, 10, 20), end_on=date(2026, 10, 20),
        team=office.team("1"), onsite_days=Decimal("1.6"), sites=[], layers=LAYERS,
        justification=None, by=office.planner, application_id=app_r,
    ).id  # fmt: skip
    bo.complete_audit(audit_r, date(2026, 10, 20), Decimal("1.6"), office.leader)
    renewal, _ = bo.decide(audit_r, "grant", [], date(2026, 10, 25), office.decider)
    cases["Certificate.Recertified"] = _case(
        "domain.certificate:Certificate.Recertified", cert_a, 10,
        {"decision_id": str(renewal.id), "audit_id": str(audit_r),
         "application_id": str(app_r), "reissued_on": iso("2026-10-25"),
         "cycle_starts_on": iso("2026-12-10"), "expires_on": iso("2029-12-09"),
         "grade": "five_star", "organization": org_a, "scope": SCOPE, "sites": SITES_A,
         "next_surveillance_due": iso("2027-10-25"), "rulebook_version": RULEBOOK_VERSION,
         "by": decider},
        lambda c: {"status": c.status, "issued_on": c.issued_on, "expires_on": c.expires_on,
                   "grade": c.grade, "cycle": c.cycle, "cycle_audit_id": c.cycle_audit_id,
                   "decision_id": c.decision_id, "application_id": c.application_id,
                   "last_surveillance_on": c.last_surveillance_on,
                   "cycle_audits": c.cycle_audits, "cycle_suspensions": c.cycle_suspensions,
                   "next_surveillance_due": c.next_surveillance_due},
        {"status": "valid", "issued_on": date(2026, 10, 25), "expires_on": date(2029, 12, 9),
         "grade": "five_star", "cycle": 2, "cycle_audit_id": str(audit_r),
         "decision_id": str(renewal.id), "application_id": str(app_r),
         "last_surveillance_on": None, "cycle_audits": [], "cycle_suspensions": [],
         "next_surveillance_due": date(2027, 10, 25)},
    )  # fmt: skip

    # C surveilled on time, then the deadline jobs: B suspended and withdrawn, C expired
    for day in (date(2024, 6, 1), date(2025, 8, 1)):
        bo.complete_audit(office.surveil(NUMBER_C, day).id, day, Decimal("0.8"), office.leader)
    assert len(bo.sweep(date(2024, 6, 2), [NUMBER_B])) == 2
    cert_b = Certificate.create_id(NUMBER_B)
    cases["Certificate.Suspended (deadline jobs)"] = _case(
        "domain.certificate:Certificate.Suspended", cert_b, 2,
        {"reason": "surveillance_overdue", "verified_on": iso("2024-03-02"),
         "effective_on": iso("2024-03-02"), "months": 3, "suspended_until": iso("2024-06-01"),
         "due_on": iso("2024-03-08"), "due_on_provisional": False,
         "due_on_calendar": "package", "missed_due_on": iso("2024-03-01"), "late": False,
         "status_after": "suspended", "suspended_from_after": iso("2024-03-02"),
         "suspended_until_after": iso("2024-06-01"), "class_version": 2,
         "by": DEADLINE_JOBS_ID},
        lambda c: {"status": c.status, "suspended_until": c.suspended_until},
        {"status": "suspended", "suspended_until": date(2024, 6, 1)},
    )  # fmt: skip
    cases["Certificate.Withdrawn"] = _case(
        "domain.certificate:Certificate.Withdrawn", cert_b, 3,
        {"reason": "suspension_expired_unresolved", "verified_on": iso("2024-06-02"),
         "effective_on": iso("2024-06-02"), "recovered": False, "due_on": iso("2024-06-07"),
         "due_on_provisional": False, "due_on_calendar": "package", "late": False,
         "class_version": 2, "by": DEADLINE_JOBS_ID},
        lambda c: {"status": c.status, "withdrawn_on": c.withdrawn_on,
                   "withdrawal_reason": c.withdrawal_reason, "recovered": c.recovered},
        {"status": "withdrawn", "withdrawn_on": date(2024, 6, 2),
         "withdrawal_reason": "suspension_expired_unresolved", "recovered": False},
    )  # fmt: skip
    journal = SweepJournal.create_id()
    cases["SweepJournal.Started"] = _case(
        "domain.sweeps:SweepJournal.Started",
        journal,
        1,
        {"originator_topic": "domain.sweeps:SweepJournal"},
        lambda j: {"last_swept_on": j.last_swept_on},
        {"last_swept_on": None},
    )
    cases["SweepJournal.DaySwept"] = _case(
        "domain.sweeps:SweepJournal.DaySwept", journal, 2,
        # the changes keep their effective dates as ISO text, not as transcoded dates
        {"as_of": iso("2024-06-02"),
         "changes": [{"number": NUMBER_B, "change": "suspend", "effective_on": "2024-03-02",
                      "reason": "surveillance_overdue"},
                     {"number": NUMBER_B, "change": "withdraw", "effective_on": "2024-06-02",
                      "reason": "suspension_expired_unresolved"}],
         "by": DEADLINE_JOBS_ID},
        lambda j: {"last_swept_on": j.last_swept_on},
        {"last_swept_on": date(2024, 6, 2)},
    )  # fmt: skip
    bo.recover_certificate(NUMBER_B, date(2024, 6, 20), office.decider)
    cases["Certificate.Recovered"] = _case(
        "domain.certificate:Certificate.Recovered",
        cert_b,
        4,
        {"recovered_on": iso("2024-06-20"), "by": decider},
        lambda c: {"status": c.status, "recovered": c.recovered},
        {"status": "withdrawn", "recovered": True},
    )
    assert len(bo.sweep(date(2026, 6, 15), [NUMBER_C])) == 1
    cases["Certificate.Expired"] = _case(
        "domain.certificate:Certificate.Expired", Certificate.create_id(NUMBER_C), 4,
        {"expired_on": iso("2026-06-15"), "by": DEADLINE_JOBS_ID},
        lambda c: {"status": c.status, "expired_on": c.expired_on,
                   "expires_on": c.expires_on},
        {"status": "expired", "expired_on": date(2026, 6, 15), "expires_on": date(2026, 6, 14)},
    )  # fmt: skip
    cases["SweepJournal.DaySwept (expiry)"] = _case(
        "domain.sweeps:SweepJournal.DaySwept", journal, 3,
        {"as_of": iso("2026-06-15"),
         "changes": [{"number": NUMBER_C, "change": "expire", "effective_on": "2026-06-15",
                      "reason": None}],
         "by": DEADLINE_JOBS_ID},
        lambda j: {"last_swept_on": j.last_swept_on,
                   "days_to_catch_up": len(j.days_to_catch_up(TODAY))},
        {"last_swept_on": date(2026, 6, 15), "days_to_catch_up": 166},
    )  # fmt: skip

    # October's regulator notifications reported (8.1.3)
    bo.mark_regulator_month_reported(
        "2026-10", [5, 3, 3, 4], date(2026, 11, 5), " 国认监函〔2026〕10号 ", office.admin
    )
    cases["RegulatorReport.MonthReported"] = _case(
        "domain.regulator_report:RegulatorReport.MonthReported",
        RegulatorReport.create_id("2026-10"), 1,
        # the cursors deduplicated and sorted, the reference stripped
        {"originator_topic": "domain.regulator_report:RegulatorReport", "month": "2026-10",
         "notification_cursors": [3, 4, 5], "reported_on": iso("2026-11-05"),
         "reference": "国认监函〔2026〕10号", "by": "bootstrap-admin"},
        lambda r: {"month": r.month, "notification_cursors": r.notification_cursors,
                   "reported_on": r.reported_on, "reference": r.reference,
                   "reported_by": r.reported_by},
        {"month": "2026-10", "notification_cursors": [3, 4, 5],
         "reported_on": date(2026, 11, 5), "reference": "国认监函〔2026〕10号",
         "reported_by": "bootstrap-admin"},
    )  # fmt: skip

    # D: the deadline jobs suspend it, an on-time surveillance is entered after; a decision
    # maker rescinds the suspension the late entry contradicts (rules.md §12)
    number_d = office.certificate(USCC_D, NAME_D, date(2025, 1, 10))
    cert_d = Certificate.create_id(number_d)
    assert len(bo.sweep(date(2026, 1, 11), [number_d])) == 1
    surveillance_d = office.surveil(number_d, date(2026, 1, 5)).id
    bo.complete_audit(surveillance_d, date(2026, 1, 5), Decimal("0.8"), office.leader)
    cases["Certificate.ContradictionFound"] = _case(
        "domain.certificate:Certificate.ContradictionFound", cert_d, 4,
        {"action": "suspension", "action_effective_on": iso("2026-01-11"),
         "contradicted_by": "surveillance_on_time", "fact_on": iso("2026-01-05"),
         "missed_due_on": iso("2026-01-10"), "by": leader},
        lambda c: {"noted_contradictions": c.noted_contradictions, "status": c.status},
        {"noted_contradictions": [("suspension", date(2026, 1, 11))], "status": "suspended"},
    )  # fmt: skip
    bo.rescind_deadline_action(
        number_d, "suspension", date(2026, 1, 11), "监督审查已按期完成", date(2026, 1, 20),
        office.decider,
    )  # fmt: skip
    cases["Certificate.Rescinded"] = _case(
        "domain.certificate:Certificate.Rescinded", cert_d, 5,
        {"action": "suspension", "action_effective_on": iso("2026-01-11"),
         "reason": "监督审查已按期完成", "decided_on": iso("2026-01-20"),
         "status_after": "valid", "suspended_from_after": None, "suspended_until_after": None,
         "withdrawn_on_after": None, "expires_on": iso("2028-01-09"), "by": decider},
        lambda c: {"status": c.status, "suspended_from": c.suspended_from,
                   "live": len(c.live_suspensions())},
        {"status": "valid", "suspended_from": None, "live": 0},
    )  # fmt: skip
    return bo, cases


CASES = (
    "Audit.Planned",
    "Audit.Planned (surveillance)",
    "Audit.FindingRecorded",
    "Audit.FindingApproved",
    "Audit.IndicatorExcluded",
    "Audit.SpecialDeductionRecorded",
    "Audit.SpecialBonusRecorded",
    "Audit.Completed",
    "CorrectiveAction.Opened",
    "CorrectiveAction.Closed",
    "Decision.Made",
    "Decision.Made (follow-up)",
    "Decision.Reopened",
    "CertificateNumbering.Opened",
    "CertificateNumbering.NumberAllocated",
    "Certificate.Issued",
    "Certificate.AuditCompleted",
    "Certificate.AuditCompleted (failed)",
    "Certificate.GradeChanged",
    "Certificate.GradeChanged (downgrade)",
    "Certificate.Suspended",
    "Certificate.Suspended (deadline jobs)",
    "Certificate.SuspensionExtended",
    "Certificate.Reinstated",
    "Certificate.FollowUpDecided",
    "Certificate.Withdrawn",
    "Certificate.Recovered",
    "Certificate.Recertified",
    "Certificate.Expired",
    "Certificate.ContradictionFound",
    "Certificate.Rescinded",
    "SweepJournal.Started",
    "SweepJournal.DaySwept",
    "SweepJournal.DaySwept (expiry)",
    "RegulatorReport.MonthReported",
)


def test_every_case_is_run(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given the history's cases, when listed, then each is parametrized below, and no more."""
    assert sorted(history[1]) == sorted(CASES)


@pytest.mark.parametrize("name", CASES)
def test_stored_form(history: tuple[BackOffice, dict[str, Case]], name: str) -> None:
    """Given an event made by the back office, when read, then topic, keys, values are pinned."""
    bo, cases = history
    assert_stored_form(bo, cases[name])


@pytest.mark.parametrize("name", CASES)
def test_replay(history: tuple[BackOffice, dict[str, Case]], name: str) -> None:
    """Given a stored record, when replayed, then fields keep value and type; aggregate shows it."""
    bo, cases = history
    assert_replays(bo, cases[name], name)

def test_decimals_and_dates_come_back_typed(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given A's audit and certificates, when replayed, then nested values keep their type."""
    bo, cases = history
    audit = bo.get_audit(cases["Audit.Planned"].originator_id)
    assert all(type(m["days"]) is Decimal for m in audit.team)
    assert type(audit.team[0]["registration"]["valid_from"]) is date
    assert type(audit.qualified_days) is Decimal and type(audit.onsite_days) is Decimal
    assert type(audit.sites) is list and type(audit.layers) is list
    assert audit.completion is not None
    assert type(audit.completion["completed_on"]) is date
    assert type(audit.completion["score"]["breakdown"]) is list
    certificate = bo.get_certificate(NUMBER_A)
    assert type(certificate.sites) is list and type(certificate.sites[0]) is dict
    assert type(certificate.expires_on) is date
    withdrawn = bo.get_certificate(NUMBER_B)
    assert type(withdrawn.withdrawn_on) is date


def test_sweep_changes_keep_dates_as_text(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given a swept day, when replayed, then as_of is a date but changes' dates stay ISO text."""
    bo, cases = history
    case = cases["SweepJournal.DaySwept"]
    event = bo.mapper.to_domain_event(_record(bo, case))
    assert type(event.as_of) is date  # type: ignore[attr-defined]
    assert [type(c["effective_on"]) for c in event.changes] == [str, str]  # type: ignore[attr-defined]


PINNED_MODULES = (
    "domain.audit",
    "domain.corrective_action",
    "domain.decision",
    "domain.certificate",
    "domain.regulator_report",
    "domain.sweeps",
)
"""Modules whose every event type is pinned here. Add a module when its events are pinned."""


def test_every_event_type_is_pinned(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given these modules' event classes, when compared with the cases, then each is pinned."""
    defined = _domain_event_topics(PINNED_MODULES)
    pinned = {case.topic for case in history[1].values()}
    assert defined == pinned, f"not pinned: {sorted(defined - pinned)}"


def test_the_guard_sees_the_lifecycle_event_types() -> None:
    """Given sweeps and decision modules, when the guard lists them, then it finds their 4 types."""
    topics = _domain_event_topics(("domain.sweeps", "domain.decision"))
    assert topics == {
        "domain.sweeps:SweepJournal.Started",
        "domain.sweeps:SweepJournal.DaySwept",
        "domain.decision:Decision.Made",
        "domain.decision:Decision.Reopened",
    }


V2_FIELDS = {
    "Certificate.Suspended": (
        "due_on_calendar", "missed_due_on", "status_after", "suspended_from_after",
        "suspended_until_after",
    ),
    "Certificate.Reinstated": (
        "due_on_calendar", "status_after", "suspended_from_after", "suspended_until_after",
    ),
    "Certificate.Withdrawn": ("due_on_calendar",),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(V2_FIELDS))
def test_a_version_1_record_replays_through_its_upcaster(
    history: tuple[BackOffice, dict[str, Case]], name: str
) -> None:
    """Given a record stored before rules.md §12 (version 1: no calendar layer, no standing
    after), when it is read, then the upcaster fills what v1 knew: the package calendar
    (Monday to Friday where it was provisional) and the suspension as the one in force."""
    bo, cases = history
    record = _record(bo, cases[name])
    state = json.loads(record.state)
    for field in (*V2_FIELDS[name], "class_version"):
        state.pop(field)
    old = dataclasses.replace(record, state=json.dumps(state).encode())
    event = bo.mapper.to_domain_event(old)
    assert event.due_on_calendar == "package"  # type: ignore[attr-defined]
    if name == "Certificate.Suspended":
        assert event.missed_due_on is None  # type: ignore[attr-defined]
        assert event.status_after == "suspended"  # type: ignore[attr-defined]
        assert event.suspended_from_after == event.effective_on  # type: ignore[attr-defined]
    if name == "Certificate.Reinstated":
        assert event.status_after == "valid"  # type: ignore[attr-defined]
    state["due_on_provisional"] = True
    provisional = dataclasses.replace(record, state=json.dumps(state).encode())
    assert bo.mapper.to_domain_event(provisional).due_on_calendar == "weekdays"  # type: ignore[attr-defined]
