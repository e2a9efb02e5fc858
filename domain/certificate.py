"""Certificates (ZPIC-WF-20 8): issued on a grant, valid a period of 36 months."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation
from domain.rulebook.dates import ensure_not_before, period_last_day
from domain.rulebook.schedule import (
    Window,
    next_surveillance_due,
    recertification_window,
    renewed_cycle,
)
from domain.rulebook.scoring import GRADE_NAMES, GRADE_THRESHOLDS
from domain.rulebook.working_days import working_day_deadline

VALIDITY_MONTHS = 36
"""8.1.2: a certificate is valid three years, a period of 36 months from its issue (§0.1)."""

CERTIFICATION_BASIS = "GB/T 27922-2011《商品售后服务评价体系》"

DEFAULT_SUSPENSION_MONTHS = 3
MAXIMUM_SUSPENSION_MONTHS = 6
"""7.2.2: suspended for 3 months unless set otherwise; extended, never beyond 6 in all."""

SUSPENSION_REASONS: dict[str, str] = {
    "service_system_failing": "服务体系持续或严重不满足要求 / service system persistently or "
    "seriously failing",
    "contract_obligations_unmet": "未履行认证合同约定的义务 / contract obligations not met",
    "business_suspension_ordered": "被责令停业整顿 / ordered to suspend business",
    "licence_lapsed": "许可资质证明失效且正在申请换证 / licences lapsed with renewal pending",
    "requested_by_organization": "获证组织主动请求暂停 / requested by the organization",
    "surveillance_overdue": "未按期接受监督审查 / surveillance overdue (5.3)",
    "surveillance_failed": "监督审查不通过 / surveillance failed (5.6)",
    "other": "其他需要暂停的情形 / other",
}
"""7.2.1 (and 5.3, 5.6)."""

WITHDRAWAL_REASONS: dict[str, str] = {
    "legal_status_cancelled": "法律地位证明文件被注销或撤销 / legal status cancelled",
    "serious_dishonesty_list": "被列入严重失信名单 / on the serious-dishonesty list",
    "refused_inspection_or_false_information": "拒绝监督检查或提供虚假材料 / refused regulatory "
    "inspection or gave false information",
    "refused_spot_check": "拒绝国家质量抽查 / refused state quality spot checks",
    "major_accident": "发生重大质量安全事故 / major quality or safety accident",
    "other_serious_violation": "其他严重违法违规行为 / other serious violations",
    "suspension_expired_unresolved": "暂停期满仍未整改 / suspension expired unresolved",
    "management_system_not_run": "未按规定运行服务体系 / management system not run",
    "misuse_not_corrected": "误用认证证书标志2个月内未纠正 / misuse of certification not "
    "corrected within 2 months",
    "other": "其他应撤销的情形 / other",
}
"""7.3.1."""


GRADE_RANK: dict[str, int] = {
    grade: rank for rank, (_, grade) in enumerate(reversed(GRADE_THRESHOLDS))
}
"""Grades from lowest (compliant) to highest (five star), for downgrades (5.6)."""

FOLLOW_UPS: dict[str, str] = {
    "supplementary_audit": "补充审查 / supplementary audit",
    "downgrade": "降级 / downgrade",
    "suspend": "暂停 / suspension",
    "withdraw": "撤销 / withdrawal",
}
"""5.6: what a decision maker may record after a failed surveillance."""


def expiry_for(issued_on: date) -> date:
    """The last day of validity of a certificate issued on a day (8.1.2, rules.md §0.1)."""
    return period_last_day(issued_on, VALIDITY_MONTHS)


def certificate_number(year: int, sequence: int) -> str:
    """The number of the n-th certificate issued in a year, e.g. ECPSC-SC-2026-00001."""
    return f"ECPSC-SC-{year}-{sequence:05d}"


class CertificateNumbering(Aggregate):
    """The year's certificate numbers: each allocated once, in order, never reused (8.1)."""

    class Opened(Aggregate.Created):
        """The year's numbering was opened."""

        year: int

    class NumberAllocated(Aggregate.Event):
        """A number was allocated to a granted decision."""

        number: str
        sequence: int
        decision_id: str
        by: str

    @staticmethod
    def create_id(year: int) -> UUID:
        """The numbering of a year."""
        return uuid5(NAMESPACE_URL, f"/certificate-numbers/{year}")

    @event(Opened)
    def __init__(self, year: int) -> None:
        self.year = year
        self.last_sequence = 0

    def allocate(self, decision_id: str, by: str) -> str:
        """The next number; two concurrent allocations clash on this aggregate's version."""
        sequence = self.last_sequence + 1
        number = certificate_number(self.year, sequence)
        self._allocated(number=number, sequence=sequence, decision_id=decision_id, by=by)
        return number

    @event(NumberAllocated)
    def _allocated(self, number: str, sequence: int, decision_id: str, by: str) -> None:
        self.last_sequence = sequence


class Certificate(Aggregate):
    """A certificate of after-sales service, with its status over time."""

    class Issued(Aggregate.Created):
        """The certificate was issued on the decision date (4.6.4, 8.1.1)."""

        number: str
        organization: dict[str, Any]
        scope: str
        sites: list[dict[str, str]]
        grade: str
        issued_on: date
        expires_on: date
        audit_id: str
        decision_id: str
        application_id: str | None
        basis: str
        by: str

    @staticmethod
    def create_id(number: str) -> UUID:
        """A certificate's id, derived from its unique number."""
        return uuid5(NAMESPACE_URL, f"/certificates/{number}")

    @event(Issued)
    def __init__(
        self,
        number: str,
        organization: dict[str, Any],
        scope: str,
        sites: list[dict[str, str]],
        grade: str,
        issued_on: date,
        expires_on: date,
        audit_id: str,
        decision_id: str,
        application_id: str | None,
        basis: str,
        by: str,
    ) -> None:
        self.number = number
        self.organization = organization
        self.scope = scope
        self.sites = sites
        self.grade = grade
        self.issued_on = issued_on
        self.expires_on = expires_on
        self.audit_id = audit_id
        self.decision_id = decision_id
        self.application_id = application_id
        self.basis = basis
        self.status = "valid"
        self.suspended_from: date | None = None
        self.suspended_until: date | None = None
        self.withdrawn_on: date | None = None
        self.expired_on: date | None = None
        self.suspension_months = 0
        self.recovered = True
        self.cycle = 1
        self.cycle_audit_id = audit_id
        self.last_surveillance_on: date | None = None
        self.certificate_audits = 0
        self.cycle_audits: list[dict[str, Any]] = []
        self.cycle_suspensions: list[dict[str, Any]] = []
        self.follow_up_pending: str | None = None

    class Suspended(Aggregate.Event):
        """The certificate was suspended (7.2), effective within 5 working days or late."""

        reason: str
        verified_on: date
        effective_on: date
        months: int
        suspended_until: date
        due_on: date
        due_on_provisional: bool
        late: bool
        by: str

    class SuspensionExtended(Aggregate.Event):
        """The suspension was extended, never beyond 6 months in all (7.2.2)."""

        months: int
        suspended_until: date
        by: str

    class Reinstated(Aggregate.Event):
        """The cause was verified resolved before the suspension ended (7.2)."""

        verified_on: date
        effective_on: date
        due_on: date
        due_on_provisional: bool
        late: bool
        by: str

    class Withdrawn(Aggregate.Event):
        """The certificate was withdrawn, for good (7.3)."""

        reason: str
        verified_on: date
        effective_on: date
        recovered: bool
        due_on: date
        due_on_provisional: bool
        late: bool
        by: str

    def _require(self, *statuses: str, action: tuple[str, str]) -> None:
        if self.status not in statuses:
            raise RuleViolation(
                f"证书状态为 {self.status}，不能{action[0]} / a {self.status} certificate "
                f"cannot be {action[1]}",
                code=f"certificate_{self.status}",
                clause="ZPIC-WF-20 7",
            )

    def _timing(self, verified_on: date, effective_on: date) -> tuple[date, bool, bool]:
        """The 5-working-day deadline, whether it is provisional, and whether effect is late."""
        ensure_not_before("effective_on", effective_on, "issued_on", self.issued_on)
        ensure_not_before("effective_on", effective_on, "verified_on", verified_on)
        due = working_day_deadline(verified_on)
        return due.due_on, due.provisional, effective_on > due.due_on

    def suspend(
        self, reason: str, verified_on: date, effective_on: date, months: int, by: str
    ) -> None:
        """Suspend the certificate for a period from effective_on (7.2.1, 7.2.2)."""
        if reason not in SUSPENSION_REASONS:
            raise InvalidInput("reason", f"未知暂停原因 / unknown suspension reason {reason!r}")
        self._require("valid", action=("暂停", "suspended"))
        if not 1 <= months <= MAXIMUM_SUSPENSION_MONTHS:
            raise RuleViolation(
                "暂停期不得超过6个月 / a suspension may not exceed 6 months",
                code="suspension_too_long",
                clause="ZPIC-WF-20 7.2.2",
            )
        due_on, provisional, late = self._timing(verified_on, effective_on)
        self._suspended(
            reason=reason,
            verified_on=verified_on,
            effective_on=effective_on,
            months=months,
            suspended_until=period_last_day(effective_on, months),
            by=by,
            due_on=due_on,
            due_on_provisional=provisional,
            late=late,
        )

    @event(Suspended)
    def _suspended(
        self,
        reason: str,
        verified_on: date,
        effective_on: date,
        months: int,
        suspended_until: date,
        due_on: date,
        due_on_provisional: bool,
        late: bool,
        by: str,
    ) -> None:
        self.status = "suspended"
        self.suspended_from = effective_on
        self.suspended_until = suspended_until
        self.suspension_months = months
        self.suspension_reason = reason
        self.cycle_suspensions.append(
            {"reason": reason, "effective_on": effective_on, "suspended_until": suspended_until}
        )

    def extend_suspension(self, months: int, by: str) -> None:
        """Extend the suspension; the whole stays within 6 months (7.2.2)."""
        self._require("suspended", action=("延长暂停", "extended"))
        total = self.suspension_months + months
        if months < 1 or total > MAXIMUM_SUSPENSION_MONTHS:
            raise RuleViolation(
                f"暂停期合计 {total} 个月，超过6个月 / the suspension would last {total} months, "
                "more than 6",
                code="suspension_too_long",
                clause="ZPIC-WF-20 7.2.2",
            )
        assert self.suspended_from is not None
        self._extended(
            months=total, suspended_until=period_last_day(self.suspended_from, total), by=by
        )

    @event(SuspensionExtended)
    def _extended(self, months: int, suspended_until: date, by: str) -> None:
        self.suspension_months = months
        self.suspended_until = suspended_until
        self.cycle_suspensions[-1]["suspended_until"] = suspended_until

    def reinstate(self, verified_on: date, effective_on: date, by: str) -> None:
        """Make the certificate valid again: the cause resolved before the suspension ended."""
        self._require("suspended", action=("恢复", "reinstated"))
        assert self.suspended_until is not None and self.suspended_from is not None
        ensure_not_before("verified_on", verified_on, "the suspension", self.suspended_from)
        if effective_on > self.suspended_until:
            raise RuleViolation(
                f"暂停期已于 {self.suspended_until.isoformat()} 届满 / the suspension ended on "
                f"{self.suspended_until.isoformat()}; it can no longer be lifted",
                code="suspension_ended",
                clause="ZPIC-WF-20 7.2, 7.3.1",
            )
        due_on, provisional, late = self._timing(verified_on, effective_on)
        self._reinstated(
            verified_on=verified_on,
            effective_on=effective_on,
            by=by,
            due_on=due_on,
            due_on_provisional=provisional,
            late=late,
        )

    @event(Reinstated)
    def _reinstated(
        self,
        verified_on: date,
        effective_on: date,
        due_on: date,
        due_on_provisional: bool,
        late: bool,
        by: str,
    ) -> None:
        self.status = "valid"
        self.suspended_from = None
        self.suspended_until = None
        self.cycle_suspensions[-1]["reinstated_on"] = effective_on

    def withdraw(
        self, reason: str, verified_on: date, effective_on: date, recovered: bool, by: str
    ) -> None:
        """Withdraw the certificate for good (7.3)."""
        if reason not in WITHDRAWAL_REASONS:
            raise InvalidInput("reason", f"未知撤销原因 / unknown withdrawal reason {reason!r}")
        self._require("valid", "suspended", action=("撤销", "withdrawn"))
        due_on, provisional, late = self._timing(verified_on, effective_on)
        self._withdrawn(
            reason=reason,
            verified_on=verified_on,
            effective_on=effective_on,
            recovered=recovered,
            by=by,
            due_on=due_on,
            due_on_provisional=provisional,
            late=late,
        )

    @event(Withdrawn)
    def _withdrawn(
        self,
        reason: str,
        verified_on: date,
        effective_on: date,
        recovered: bool,
        due_on: date,
        due_on_provisional: bool,
        late: bool,
        by: str,
    ) -> None:
        self.status = "withdrawn"
        self.withdrawn_on = effective_on
        self.withdrawal_reason = reason
        self.recovered = recovered

    class AuditCompleted(Aggregate.Event):
        """A surveillance or supplementary audit of the certificate was completed (5.2–5.6)."""

        audit_id: str
        audit_type: str
        completed_on: date
        score: str
        passed: bool
        grade: str | None
        sites: list[str]
        next_surveillance_due: date | None
        follow_up_required: bool
        rulebook_version: str
        by: str

    class GradeChanged(Aggregate.Event):
        """The grade was kept no more: a passed audit's grade (5.5) or a downgrade (5.6)."""

        grade_from: str
        grade_to: str
        reason: str
        audit_id: str
        decision_id: str | None
        effective_on: date
        by: str

    class FollowUpDecided(Aggregate.Event):
        """A decision maker off the team recorded the follow-up of a failed audit (5.6)."""

        audit_id: str
        decision_id: str
        follow_up: str
        decided_on: date
        by: str

    class Recertified(Aggregate.Event):
        """A recertification granted before expiry continued the certificate (6.3)."""

        decision_id: str
        audit_id: str
        application_id: str | None
        reissued_on: date
        cycle_starts_on: date
        expires_on: date
        grade: str
        organization: dict[str, Any]
        scope: str
        sites: list[dict[str, str]]
        next_surveillance_due: date | None
        rulebook_version: str
        by: str

    class Expired(Aggregate.Event):
        """Neither recertified nor withdrawn, the certificate expired the day after expiry."""

        expired_on: date
        by: str

    class Recovered(Aggregate.Event):
        """The withdrawn certificate was recovered from the organization (7.3.2)."""

        recovered_on: date
        by: str

    # -- schedule (rules.md §6, §7) ------------------------------------------------------------

    @property
    def next_surveillance_due(self) -> date | None:
        """When the next surveillance must be completed; None in the recertification year."""
        return next_surveillance_due(self.issued_on, self.expires_on, self.last_surveillance_on)

    @property
    def recertification_window(self) -> Window:
        """6.1: three months before expiry through expiry."""
        return recertification_window(self.expires_on)

    def ensure_open(self, action: tuple[str, str]) -> None:
        """Refuse work on a withdrawn or expired certificate."""
        self._require("valid", "suspended", action=action)

    # -- surveillance and supplementary audits (5) ---------------------------------------------

    def record_audit(
        self,
        audit_id: str,
        audit_type: str,
        completed_on: date,
        score: dict[str, Any],
        sites: list[str],
        rulebook_version: str,
        by: str,
    ) -> None:
        """Record a completed audit of the certificate; a passed one sets the grade (5.5)."""
        last = completed_on if audit_type == "surveillance" else self.last_surveillance_on
        passed = bool(score["passed"])
        self._audit_completed(
            audit_id=audit_id,
            audit_type=audit_type,
            completed_on=completed_on,
            score=score["score"],
            passed=passed,
            grade=score["grade"],
            sites=sites,
            next_surveillance_due=next_surveillance_due(self.issued_on, self.expires_on, last),
            follow_up_required=not passed,
            rulebook_version=rulebook_version,
            by=by,
        )
        if passed and score["grade"] != self.grade:
            self._grade_changed(
                grade_from=self.grade,
                grade_to=score["grade"],
                reason=f"{audit_type}_passed",
                audit_id=audit_id,
                decision_id=None,
                effective_on=completed_on,
                by=by,
            )

    @event(AuditCompleted)
    def _audit_completed(
        self,
        audit_id: str,
        audit_type: str,
        completed_on: date,
        score: str,
        passed: bool,
        grade: str | None,
        sites: list[str],
        next_surveillance_due: date | None,
        follow_up_required: bool,
        rulebook_version: str,
        by: str,
    ) -> None:
        self.certificate_audits += 1
        if audit_type == "surveillance":
            self.last_surveillance_on = completed_on
        self.cycle_audits.append(
            {
                "audit_id": audit_id,
                "audit_type": audit_type,
                "completed_on": completed_on,
                "score": score,
                "passed": passed,
                "grade": grade,
                "sites": sites,
            }
        )
        self.follow_up_pending = audit_id if follow_up_required else None

    @event(GradeChanged)
    def _grade_changed(
        self,
        grade_from: str,
        grade_to: str,
        reason: str,
        audit_id: str,
        decision_id: str | None,
        effective_on: date,
        by: str,
    ) -> None:
        self.grade = grade_to

    @property
    def visited_sites(self) -> frozenset[str]:
        """Sites audited by this cycle's surveillance and supplementary audits (5.4)."""
        return frozenset(site for audit in self.cycle_audits for site in audit["sites"])

    def decide_follow_up(
        self,
        audit_id: str,
        decision_id: str,
        follow_up: str,
        decided_on: date,
        grade: str | None,
        reason: str | None,
        by: str,
    ) -> None:
        """5.6: a failed audit's follow-up: supplementary audit, downgrade, suspend, withdraw."""
        if self.follow_up_pending != audit_id:
            raise RuleViolation(
                "该审查没有待定的后续处理 / this audit has no follow-up pending",
                code="no_follow_up_pending",
                clause="ZPIC-WF-20 5.6",
            )
        self.ensure_open(action=("作出后续处理", "followed up"))
        if follow_up == "downgrade":
            if grade not in GRADE_NAMES:
                raise InvalidInput("grade", "降级须给出新的等级 / a downgrade needs its new grade")
            if GRADE_RANK[grade] >= GRADE_RANK[self.grade]:
                raise RuleViolation(
                    f"{GRADE_NAMES[grade]} 不低于现有等级 {GRADE_NAMES[self.grade]} / "
                    f"{grade} is not below the current grade {self.grade}",
                    code="not_a_downgrade",
                    clause="ZPIC-WF-20 5.6",
                )
        self._follow_up_decided(
            audit_id=audit_id,
            decision_id=decision_id,
            follow_up=follow_up,
            decided_on=decided_on,
            by=by,
        )
        if follow_up == "downgrade":
            assert grade is not None
            self._grade_changed(
                grade_from=self.grade,
                grade_to=grade,
                reason="downgrade",
                audit_id=audit_id,
                decision_id=decision_id,
                effective_on=decided_on,
                by=by,
            )
        elif follow_up == "suspend":
            self.suspend(
                reason="surveillance_failed",
                verified_on=decided_on,
                effective_on=decided_on,
                months=DEFAULT_SUSPENSION_MONTHS,
                by=by,
            )
        elif follow_up == "withdraw":
            self.withdraw(
                reason=reason or "management_system_not_run",
                verified_on=decided_on,
                effective_on=decided_on,
                recovered=False,
                by=by,
            )

    @event(FollowUpDecided)
    def _follow_up_decided(
        self, audit_id: str, decision_id: str, follow_up: str, decided_on: date, by: str
    ) -> None:
        self.follow_up_pending = None

    # -- recertification (6) -------------------------------------------------------------------

    def ensure_recertifiable(self, received_on: date) -> None:
        """6.1: a recertification application arrives inside the window, on a live certificate."""
        self._require("valid", "suspended", "expired", action=("再认证", "recertified"))
        window = self.recertification_window
        if received_on not in window:
            raise RuleViolation(
                f"再认证申请窗口为 {window.opens_on.isoformat()} 至 "
                f"{window.closes_on.isoformat()} / the recertification window of {self.number} "
                f"opens on {window.opens_on.isoformat()} and closes on "
                f"{window.closes_on.isoformat()}"
                + (
                    ""
                    if received_on < window.opens_on
                    else "; after expiry only an initial certification is possible"
                ),
                code="outside_recertification_window",
                clause="ZPIC-WF-20 6.1",
                details={
                    "recertification_window": {
                        "opens_on": window.opens_on.isoformat(),
                        "closes_on": window.closes_on.isoformat(),
                    }
                },
            )
        self.ensure_open(action=("再认证", "recertified"))

    def recertify(
        self,
        decision_id: str,
        audit_id: str,
        application_id: str | None,
        decided_on: date,
        grade: str,
        organization: dict[str, Any],
        scope: str,
        sites: list[dict[str, str]],
        rulebook_version: str,
        by: str,
    ) -> None:
        """6.3: a grant before expiry continues the certificate, same number, for 36 months."""
        if decided_on > self.expires_on:
            raise RuleViolation(
                f"证书已于 {self.expires_on.isoformat()} 到期，只能初次认证 / the certificate "
                f"expired after {self.expires_on.isoformat()}; only an initial certification "
                "is possible",
                code="certificate_expired",
                clause="ZPIC-WF-20 6.1",
            )
        self._require("valid", action=("再认证", "recertified"))
        starts_on, expires_on = renewed_cycle(self.expires_on)
        self._recertified(
            decision_id=decision_id,
            audit_id=audit_id,
            application_id=application_id,
            reissued_on=decided_on,
            cycle_starts_on=starts_on,
            expires_on=expires_on,
            grade=grade,
            organization=organization,
            scope=scope,
            sites=sites,
            next_surveillance_due=next_surveillance_due(decided_on, expires_on, None),
            rulebook_version=rulebook_version,
            by=by,
        )

    @event(Recertified)
    def _recertified(
        self,
        decision_id: str,
        audit_id: str,
        application_id: str | None,
        reissued_on: date,
        cycle_starts_on: date,
        expires_on: date,
        grade: str,
        organization: dict[str, Any],
        scope: str,
        sites: list[dict[str, str]],
        next_surveillance_due: date | None,
        rulebook_version: str,
        by: str,
    ) -> None:
        self.issued_on = reissued_on
        self.expires_on = expires_on
        self.grade = grade
        self.organization = organization
        self.scope = scope
        self.sites = sites
        self.audit_id = audit_id
        self.decision_id = decision_id
        self.application_id = application_id
        self.cycle += 1
        self.cycle_audit_id = audit_id
        self.last_surveillance_on = None
        self.cycle_audits = []
        self.cycle_suspensions = []
        self.follow_up_pending = None

    # -- expiry and recovery (7.3.2, 8.1.2) ----------------------------------------------------

    def expire(self, by: str) -> None:
        """Record the expiry, the day after expires_on, of a certificate not recertified."""
        self._require("valid", "suspended", action=("过期", "expired"))
        self._expired(expired_on=self.expires_on + timedelta(days=1), by=by)

    @event(Expired)
    def _expired(self, expired_on: date, by: str) -> None:
        self.status = "expired"
        self.expired_on = expired_on
        self.suspended_from = None
        self.suspended_until = None

    def recover(self, recovered_on: date, by: str) -> None:
        """Record that a withdrawn certificate came back to the certification body (7.3.2)."""
        self._require("withdrawn", action=("收回", "recovered"))
        if self.recovered:
            raise RuleViolation(
                "证书已收回 / the certificate was already recovered",
                code="already_recovered",
                clause="ZPIC-WF-20 7.3.2",
            )
        assert self.withdrawn_on is not None
        ensure_not_before("recovered_on", recovered_on, "withdrawn_on", self.withdrawn_on)
        self._recovered(recovered_on=recovered_on, by=by)

    @event(Recovered)
    def _recovered(self, recovered_on: date, by: str) -> None:
        self.recovered = True

    def status_on(self, day: date) -> str:
        """The status a reader sees on a day: a valid certificate past its expiry has expired."""
        if self.status == "valid" and day > self.expires_on:
            return "expired"
        return self.status
