"""Certificates (ZPIC-WF-20 8): issued on a grant, valid a period of 36 months."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation
from domain.people import DEADLINE_JOBS_ID
from domain.rulebook.dates import ensure_not_before, period_last_day
from domain.rulebook.schedule import (
    MissedSurveillance,
    Window,
    missed_surveillances,
    next_surveillance_due,
    recertification_window,
    renewed_cycle,
)
from domain.rulebook.scoring import GRADE_NAMES, GRADE_THRESHOLDS
from domain.rulebook.working_days import (
    PACKAGE_CALENDAR,
    OfficialCalendar,
    working_day_deadline,
)

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


def _refusal(status: str, action: tuple[str, str], on: date | None = None) -> RuleViolation:
    """The refusal of an action on a certificate that is not (or was not, on a day) open to it."""
    when_zh = "" if on is None else f"在 {on.isoformat()} 的"
    when_en = "" if on is None else f" on {on.isoformat()}"
    label = STATUS_NAMES.get(status, status)
    return RuleViolation(
        f"证书{when_zh}状态为{label}，不能{action[0]} / a certificate {status}{when_en} "
        f"cannot be {action[1]}",
        code=f"certificate_{status}",
        clause="ZPIC-WF-20 7",
    )


STATUS_NAMES = {"valid": "有效", "suspended": "暂停", "withdrawn": "撤销", "expired": "过期"}
"""The register's statuses in Chinese (8, 7.4)."""


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
        self.first_issued_on = issued_on
        self.grade_set_on = issued_on
        self.suspensions: list[dict[str, Any]] = []
        self.withdrawals: list[dict[str, Any]] = []
        self.surveillances: list[date] = []
        self.noted_contradictions: list[tuple[str, date]] = []
        self.overdue_conflicts: list[date] = []

    class Suspended(Aggregate.Event):
        """The certificate was suspended (7.2), effective within 5 working days or late.

        v2 names the surveillance due date an overdue suspension follows (5.3) and the layer
        of the official calendar the 5-working-day deadline was counted on (rules.md §12).
        """

        class_version = 2

        reason: str
        verified_on: date
        effective_on: date
        months: int
        suspended_until: date
        due_on: date
        due_on_provisional: bool
        due_on_calendar: str
        missed_due_on: date | None
        late: bool
        status_after: str
        suspended_from_after: date | None
        suspended_until_after: date | None
        by: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """v1 counted unknown years Monday to Friday, named no missed due date, and was
            always entered in date order: the suspension it recorded was the one in force."""
            state["due_on_calendar"] = "weekdays" if state["due_on_provisional"] else "package"
            state["missed_due_on"] = None
            state["status_after"] = "suspended"
            state["suspended_from_after"] = state["effective_on"]
            state["suspended_until_after"] = state["suspended_until"]

    class SuspensionExtended(Aggregate.Event):
        """The suspension was extended, never beyond 6 months in all (7.2.2)."""

        months: int
        suspended_until: date
        by: str

    class Reinstated(Aggregate.Event):
        """The cause was verified resolved before the suspension ended (7.2).

        v2 records the layer of the official calendar its deadline was counted on.
        """

        class_version = 2

        verified_on: date
        effective_on: date
        due_on: date
        due_on_provisional: bool
        due_on_calendar: str
        late: bool
        status_after: str
        suspended_from_after: date | None
        suspended_until_after: date | None
        by: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """v1 counted unknown years Monday to Friday, and made the certificate valid."""
            state["due_on_calendar"] = "weekdays" if state["due_on_provisional"] else "package"
            state["status_after"] = "valid"
            state["suspended_from_after"] = None
            state["suspended_until_after"] = None

    class Withdrawn(Aggregate.Event):
        """The certificate was withdrawn, for good (7.3).

        v2 records the layer of the official calendar its deadline was counted on.
        """

        class_version = 2

        reason: str
        verified_on: date
        effective_on: date
        recovered: bool
        due_on: date
        due_on_provisional: bool
        due_on_calendar: str
        late: bool
        by: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """v1 counted unknown years Monday to Friday."""
            state["due_on_calendar"] = "weekdays" if state["due_on_provisional"] else "package"

    class ContradictionFound(Aggregate.Event):
        """A fact entered late contradicts a deadline job's suspension or withdrawal (rules.md
        §12): listed for a decision maker, who may rescind it; nothing is edited."""

        action: str
        action_effective_on: date
        contradicted_by: str
        fact_on: date | None
        missed_due_on: date | None
        by: str

    class Rescinded(Aggregate.Event):
        """A decision maker rescinded a deadline job's suspension or withdrawal that a fact
        entered late contradicts (rules.md §12); the rescinded event itself stays as it was."""

        action: str
        action_effective_on: date
        reason: str
        decided_on: date
        status_after: str
        suspended_from_after: date | None
        suspended_until_after: date | None
        withdrawn_on_after: date | None
        expires_on: date
        by: str

    def _require(self, *statuses: str, action: tuple[str, str]) -> None:
        if self.status not in statuses:
            raise _refusal(self.status, action)

    def _require_on(self, day: date, *statuses: str, action: tuple[str, str]) -> None:
        """Refuse unless the certificate stood in one of these statuses on the day (§12)."""
        standing = self.status_on(day)
        if standing not in statuses:
            raise _refusal(standing, action, day)

    def _timing(
        self, verified_on: date, effective_on: date, calendar: OfficialCalendar
    ) -> tuple[date, bool, str, bool]:
        """The 5-working-day deadline, whether it is provisional, the calendar layer it was
        counted on, and whether effect is late."""
        ensure_not_before("effective_on", effective_on, "issued_on", self.issued_on)
        ensure_not_before("effective_on", effective_on, "verified_on", verified_on)
        due = working_day_deadline(verified_on, calendar=calendar)
        return due.due_on, due.provisional, due.calendar, effective_on > due.due_on

    # -- the timeline: status by business dates (rules.md §12) ---------------------------------

    def _live_suspensions(self) -> list[dict[str, Any]]:
        return sorted(
            (s for s in self.suspensions if not s["rescinded"]), key=lambda s: s["effective_on"]
        )

    def live_suspensions(self) -> list[dict[str, Any]]:
        """The suspensions not rescinded, by effective date."""
        return self._live_suspensions()

    def missed_surveillances(self) -> list[MissedSurveillance]:
        """This cycle's surveillance due dates that passed unmet, by completion dates (5.3)."""
        return missed_surveillances(self.issued_on, self.expires_on, self.surveillances)

    def _overdue_suspensions(self, due_on: date) -> list[dict[str, Any]]:
        missed = next((m for m in self.missed_surveillances() if m.due_on == due_on), None)
        found = []
        for s in self.suspensions:
            if s["reason"] != "surveillance_overdue" or s["effective_on"] < self.issued_on:
                continue
            named = s.get("missed_due_on")
            if named == due_on or (
                named is None and missed is not None and s["effective_on"] >= missed.overdue_from
                and (missed.done_on is None or s["effective_on"] < missed.done_on)
            ):
                found.append(s)
        return found

    def handled(self, due_on: date) -> bool:
        """Whether a missed due date already has its overdue suspension (5.3), or a conflict
        noted for a person: the deadline jobs never act twice on it. A rescinded one does not
        count: the facts decide again (a suspension entered late may have moved its start)."""
        live = [s for s in self._overdue_suspensions(due_on) if not s["rescinded"]]
        return bool(live) or due_on in self.overdue_conflicts

    def can_suspend_from(self, day: date, months: int = DEFAULT_SUSPENSION_MONTHS) -> bool:
        """Whether a suspension of `months` from a day would start no later suspension within
        its period (one suspension at a time, rules.md §12)."""
        last = period_last_day(day, months)
        return not any(day < s["effective_on"] <= last for s in self._live_suspensions())

    def note_overdue_conflict(self, effective_on: date, missed_due_on: date, by: str) -> None:
        """Note that an overdue suspension owed from a day would overlap a suspension recorded
        to start later: listed for a person, never guessed (rules.md §12)."""
        later = next(
            s["effective_on"]
            for s in self._live_suspensions()
            if s["effective_on"] > effective_on
        )
        self._contradiction_found(
            action="suspension",
            action_effective_on=effective_on,
            contradicted_by="later_suspension",
            fact_on=later,
            missed_due_on=missed_due_on,
            by=by,
        )

    def contradictions(self) -> list[dict[str, Any]]:
        """Deadline jobs' actions that the facts now recorded contradict (rules.md §12): an
        overdue suspension for a surveillance that was in fact done in time, or a withdrawal
        for a suspension that was in fact lifted or rescinded."""
        found: list[dict[str, Any]] = []
        missed = {m.due_on: m for m in self.missed_surveillances()}
        withdrawn = self.withdrawn_since
        for s in self._live_suspensions():
            if not s["automatic"]:
                continue
            if withdrawn is not None and s["effective_on"] >= withdrawn:
                found.append(self._found("suspension", s, "withdrawn_earlier", withdrawn))
                continue
            if s["reason"] != "surveillance_overdue" or s["effective_on"] < self.issued_on:
                continue
            named = s.get("missed_due_on")
            period = missed.get(named) if named is not None else next(
                (m for m in missed.values() if m.overdue_on(s["effective_on"])), None
            )
            if period is None or not period.overdue_on(s["effective_on"]):
                done = [d for d in self.surveillances if named is None or d <= named]
                on_time = max(done) if done else None
                found.append(self._found("suspension", s, "surveillance_on_time", on_time))
        ended = {
            s["suspended_until"] + timedelta(days=1): s for s in self._live_suspensions()
        }
        for w in self.withdrawals:
            if not w["automatic"] or w["rescinded"]:
                continue
            if withdrawn is not None and w["effective_on"] > withdrawn:
                found.append(self._found("withdrawal", w, "withdrawn_earlier", withdrawn))
                continue
            if w["reason"] != "suspension_expired_unresolved":
                continue
            suspension = ended.get(w["effective_on"])
            if suspension is None or suspension.get("reinstated_on") is not None:
                lifted = None if suspension is None else suspension.get("reinstated_on")
                found.append(self._found("withdrawal", w, "suspension_lifted", lifted))
        return found

    @staticmethod
    def suspension_end(suspension: dict[str, Any]) -> date:
        """The last day a suspension held: the day before its reinstatement, or its last day."""
        reinstated_on: date | None = suspension.get("reinstated_on")
        if reinstated_on is not None:
            return reinstated_on - timedelta(days=1)
        last: date = suspension["suspended_until"]
        return last

    def suspension_on(self, day: date) -> dict[str, Any] | None:
        """The suspension holding on a day, if any (one at a time, rules.md §12)."""
        for suspension in self._live_suspensions():
            if suspension["effective_on"] <= day <= self.suspension_end(suspension):
                return suspension
        return None

    @property
    def withdrawn_since(self) -> date | None:
        """The first day of the withdrawal in force, if any."""
        days = [w["effective_on"] for w in self.withdrawals if not w["rescinded"]]
        return min(days) if days else None

    def status_on(self, day: date) -> str:
        """The status on a day by the business dates of what is recorded: withdrawn from the
        withdrawal's effective date, expired after expires_on, suspended within a suspension."""
        withdrawn = self.withdrawn_since
        if withdrawn is not None and day >= withdrawn:
            return "withdrawn"
        if day > self.expires_on:
            return "expired"
        if self.suspension_on(day) is not None:
            return "suspended"
        if self.expired_on is not None and day >= self.expired_on:
            return "expired"
        if any(
            s.get("reinstated_on") is None and s["effective_on"] <= day
            for s in self._live_suspensions()
        ):
            return "suspended"  # ended unresolved: suspended until the withdrawal is recorded
        return "valid"

    def _restate(self) -> None:
        """The status as recorded so far, from the timeline rather than from entry order."""
        self.withdrawn_on = self.withdrawn_since
        current = next(
            (s for s in reversed(self._live_suspensions()) if s.get("reinstated_on") is None),
            None,
        )
        if self.withdrawn_on is not None:
            self.status = "withdrawn"
            current = None
        elif self.expired_on is not None:
            self.status = "expired"
            current = None
        else:
            self.status = "suspended" if current is not None else "valid"
        self.suspended_from = None if current is None else current["effective_on"]
        self.suspended_until = None if current is None else current["suspended_until"]
        if current is not None:
            self.suspension_months = current["months"]
            self.suspension_reason = current["reason"]

    # -- suspension, reinstatement, withdrawal (7) ---------------------------------------------

    def suspend(
        self,
        reason: str,
        verified_on: date,
        effective_on: date,
        months: int,
        by: str,
        missed_due_on: date | None = None,
        calendar: OfficialCalendar = PACKAGE_CALENDAR,
    ) -> None:
        """Suspend the certificate for a period from effective_on (7.2.1, 7.2.2); the guard is
        the certificate's state on that day, so a late record is recorded (rules.md §12)."""
        if reason not in SUSPENSION_REASONS:
            raise InvalidInput("reason", f"未知暂停原因 / unknown suspension reason {reason!r}")
        if not 1 <= months <= MAXIMUM_SUSPENSION_MONTHS:
            raise RuleViolation(
                "暂停期不得超过6个月 / a suspension may not exceed 6 months",
                code="suspension_too_long",
                clause="ZPIC-WF-20 7.2.2",
            )
        # the more precise refusal first: after an unresolved suspension, withdrawal is owed
        self._refuse_ended_unresolved(effective_on, ("暂停", "suspended"))
        self._require_on(effective_on, "valid", action=("暂停", "suspended"))
        suspended_until = period_last_day(effective_on, months)
        later = next(
            (
                s
                for s in self._live_suspensions()
                if effective_on < s["effective_on"] <= suspended_until
            ),
            None,
        )
        if later is not None:
            raise RuleViolation(
                f"证书自 {later['effective_on'].isoformat()} 起已另有暂停，"
                "同一时间只能有一项暂停 / "
                f"the certificate is suspended from {later['effective_on'].isoformat()}: one "
                "suspension at a time; rescind or end that one first",
                code="already_suspended",
                clause="ZPIC-WF-20 7.2.2",
            )
        due_on, provisional, source, late = self._timing(verified_on, effective_on, calendar)
        after = self._after(
            lambda c: c._add_suspension(
                reason, effective_on, suspended_until, months, by, missed_due_on
            )
        )
        self._suspended(
            **after,
            reason=reason,
            verified_on=verified_on,
            effective_on=effective_on,
            months=months,
            suspended_until=suspended_until,
            by=by,
            due_on=due_on,
            due_on_provisional=provisional,
            due_on_calendar=source,
            missed_due_on=missed_due_on,
            late=late,
        )
        self.note_contradictions(by)

    def _refuse_ended_unresolved(self, day: date, action: tuple[str, str]) -> None:
        """After an unresolved suspension's last day the certificate is owed withdrawal (7.3.1
        item 7): nothing else can start then."""
        for suspension in self._live_suspensions():
            if suspension.get("reinstated_on") is None and suspension["suspended_until"] < day:
                last = suspension["suspended_until"].isoformat()
                raise RuleViolation(
                    f"暂停期已于 {last} 届满仍未整改，证书应予撤销，不能{action[0]} / the "
                    f"suspension ended unresolved on {last}: the certificate is owed withdrawal "
                    f"and cannot be {action[1]}",
                    code="suspension_ended",
                    clause="ZPIC-WF-20 7.3.1",
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
        due_on_calendar: str,
        missed_due_on: date | None,
        late: bool,
        status_after: str,
        suspended_from_after: date | None,
        suspended_until_after: date | None,
        by: str,
    ) -> None:
        self._add_suspension(reason, effective_on, suspended_until, months, by, missed_due_on)

    def _add_suspension(
        self,
        reason: str,
        effective_on: date,
        suspended_until: date,
        months: int,
        by: str,
        missed_due_on: date | None,
    ) -> None:
        self.suspensions.append(
            {
                "reason": reason,
                "effective_on": effective_on,
                "suspended_until": suspended_until,
                "months": months,
                "reinstated_on": None,
                "rescinded": False,
                "automatic": by == DEADLINE_JOBS_ID,
                "missed_due_on": missed_due_on,
            }
        )
        self.cycle_suspensions.append(
            {"reason": reason, "effective_on": effective_on, "suspended_until": suspended_until}
        )
        self._restate()

    def _after(
        self, change: Callable[[Certificate], None], withdrawn: bool = False
    ) -> dict[str, Any]:
        """The status the certificate will be in once a change is applied (for the event);
        with `withdrawn`, its withdrawal date then too."""
        shadow = copy.deepcopy(self)
        change(shadow)
        after = {
            "status_after": shadow.status,
            "suspended_from_after": shadow.suspended_from,
            "suspended_until_after": shadow.suspended_until,
        }
        if withdrawn:
            after["withdrawn_on_after"] = shadow.withdrawn_on
        return after

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
        current = self._current_suspension()
        current["months"] = months
        current["suspended_until"] = suspended_until
        for record in reversed(self.cycle_suspensions):
            if record["effective_on"] == current["effective_on"]:
                record["suspended_until"] = suspended_until
                break
        self._restate()

    def _current_suspension(self) -> dict[str, Any]:
        assert self.suspended_from is not None
        return next(
            s
            for s in self._live_suspensions()
            if s["effective_on"] == self.suspended_from and s.get("reinstated_on") is None
        )

    def reinstate(
        self,
        verified_on: date,
        effective_on: date,
        by: str,
        calendar: OfficialCalendar = PACKAGE_CALENDAR,
    ) -> None:
        """Make the certificate valid again: the cause resolved before the suspension ended.

        The guard is the suspension holding on effective_on, however late it is entered."""
        suspension = self.suspension_on(effective_on)
        if suspension is None:
            unresolved = [
                s
                for s in self._live_suspensions()
                if s.get("reinstated_on") is None and s["effective_on"] <= effective_on
            ]
            if unresolved and self.status_on(effective_on) != "withdrawn":
                last = unresolved[-1]["suspended_until"].isoformat()
                raise RuleViolation(
                    f"暂停期已于 {last} 届满 / the suspension ended on {last}; it can no longer "
                    "be lifted",
                    code="suspension_ended",
                    clause="ZPIC-WF-20 7.2, 7.3.1",
                )
            raise _refusal(self.status_on(effective_on), ("恢复", "reinstated"), effective_on)
        ensure_not_before("verified_on", verified_on, "the suspension", suspension["effective_on"])
        due_on, provisional, source, late = self._timing(verified_on, effective_on, calendar)
        self._reinstated(
            **self._after(lambda c: c._lift(effective_on)),
            verified_on=verified_on,
            effective_on=effective_on,
            by=by,
            due_on=due_on,
            due_on_provisional=provisional,
            due_on_calendar=source,
            late=late,
        )
        self.note_contradictions(by)

    @event(Reinstated)
    def _reinstated(
        self,
        verified_on: date,
        effective_on: date,
        due_on: date,
        due_on_provisional: bool,
        due_on_calendar: str,
        late: bool,
        status_after: str,
        suspended_from_after: date | None,
        suspended_until_after: date | None,
        by: str,
    ) -> None:
        self._lift(effective_on)

    def _lift(self, effective_on: date) -> None:
        suspension = self.suspension_on(effective_on)
        if suspension is None:  # a v1 record made before the timeline: the current one
            suspension = self._current_suspension()
        suspension["reinstated_on"] = effective_on
        for record in reversed(self.cycle_suspensions):
            if record["effective_on"] == suspension["effective_on"]:
                record["reinstated_on"] = effective_on
                break
        self._restate()

    def withdraw(
        self,
        reason: str,
        verified_on: date,
        effective_on: date,
        recovered: bool,
        by: str,
        calendar: OfficialCalendar = PACKAGE_CALENDAR,
    ) -> None:
        """Withdraw the certificate for good (7.3): the guard is its state on effective_on, so a
        withdrawal that took effect within the validity is recorded even after expiry (§12)."""
        if reason not in WITHDRAWAL_REASONS:
            raise InvalidInput("reason", f"未知撤销原因 / unknown withdrawal reason {reason!r}")
        self._require_on(effective_on, "valid", "suspended", action=("撤销", "withdrawn"))
        due_on, provisional, source, late = self._timing(verified_on, effective_on, calendar)
        self._withdrawn(
            reason=reason,
            verified_on=verified_on,
            effective_on=effective_on,
            recovered=recovered,
            by=by,
            due_on=due_on,
            due_on_provisional=provisional,
            due_on_calendar=source,
            late=late,
        )
        self.note_contradictions(by)

    @event(Withdrawn)
    def _withdrawn(
        self,
        reason: str,
        verified_on: date,
        effective_on: date,
        recovered: bool,
        due_on: date,
        due_on_provisional: bool,
        due_on_calendar: str,
        late: bool,
        by: str,
    ) -> None:
        self.withdrawals.append(
            {
                "reason": reason,
                "effective_on": effective_on,
                "automatic": by == DEADLINE_JOBS_ID,
                "rescinded": False,
            }
        )
        if self.withdrawn_since == effective_on:
            self.withdrawal_reason = reason
            self.recovered = recovered
        if self.expired_on is not None and effective_on <= self.expires_on:
            self.expired_on = None  # withdrawn while valid: it never expired
        self._restate()

    @staticmethod
    def _found(
        action: str, record: dict[str, Any], by: str, fact_on: date | None
    ) -> dict[str, Any]:
        return {
            "action": action,
            "action_effective_on": record["effective_on"],
            "reason": record["reason"],
            "missed_due_on": record.get("missed_due_on"),
            "contradicted_by": by,
            "fact_on": fact_on,
        }

    def note_contradictions(self, by: str) -> None:
        """Record each new contradiction between the facts and a deadline job's action."""
        for found in self.contradictions():
            key = (found["action"], found["action_effective_on"])
            if key not in self.noted_contradictions:
                self._contradiction_found(
                    action=found["action"],
                    action_effective_on=found["action_effective_on"],
                    contradicted_by=found["contradicted_by"],
                    fact_on=found["fact_on"],
                    missed_due_on=found["missed_due_on"],
                    by=by,
                )

    @event(ContradictionFound)
    def _contradiction_found(
        self,
        action: str,
        action_effective_on: date,
        contradicted_by: str,
        fact_on: date | None,
        missed_due_on: date | None,
        by: str,
    ) -> None:
        self.noted_contradictions.append((action, action_effective_on))
        if contradicted_by == "later_suspension" and missed_due_on is not None:
            self.overdue_conflicts.append(missed_due_on)

    def rescind(
        self, action: str, action_effective_on: date, reason: str, decided_on: date, by: str
    ) -> None:
        """Rescind a deadline job's suspension or withdrawal that a late entry contradicts
        (rules.md §12): a new event names it and why; nothing is edited."""
        if not reason.strip():
            raise InvalidInput("reason", "撤回须说明理由 / a rescission needs its reason")
        records = self.suspensions if action == "suspension" else self.withdrawals
        if action not in ("suspension", "withdrawal"):
            raise InvalidInput("action", "只能撤回暂停或撤销 / a suspension or a withdrawal")
        target = next(
            (
                r
                for r in records
                if r["effective_on"] == action_effective_on and not r["rescinded"]
            ),
            None,
        )
        if target is None or not target["automatic"]:
            raise RuleViolation(
                f"没有 {action_effective_on.isoformat()} 生效、由期限作业记录的该项处理可撤回 / "
                f"no {action} by the deadline jobs took effect on "
                f"{action_effective_on.isoformat()}",
                code="nothing_to_rescind",
                clause="ZPIC-WF-20 10",
            )
        ensure_not_before("decided_on", decided_on, "action_effective_on", action_effective_on)
        after = self._after(
            lambda c: c._rescind(action, action_effective_on, decided_on), withdrawn=True
        )
        self._rescinded(
            **after,
            expires_on=self.expires_on,
            action=action,
            action_effective_on=action_effective_on,
            reason=reason,
            decided_on=decided_on,
            by=by,
        )
        self.note_contradictions(by)

    @event(Rescinded)
    def _rescinded(
        self,
        action: str,
        action_effective_on: date,
        reason: str,
        decided_on: date,
        status_after: str,
        suspended_from_after: date | None,
        suspended_until_after: date | None,
        withdrawn_on_after: date | None,
        expires_on: date,
        by: str,
    ) -> None:
        self._rescind(action, action_effective_on, decided_on)

    def _rescind(self, action: str, action_effective_on: date, decided_on: date) -> None:
        records = self.suspensions if action == "suspension" else self.withdrawals
        for record in records:
            if record["effective_on"] == action_effective_on and not record["rescinded"]:
                record["rescinded"] = True
                record["rescinded_on"] = decided_on
                break
        if action == "suspension":
            self.cycle_suspensions = [
                s for s in self.cycle_suspensions if s["effective_on"] != action_effective_on
            ]
        self._restate()

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
        dates = [*self.surveillances, completed_on] if audit_type == "surveillance" else []
        last = max(dates) if dates else self.last_surveillance_on
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
        self.note_contradictions(by)
        # an audit entered after a later grade-setting fact is history, not the grade now (§12)
        current = completed_on >= self.grade_set_on
        if passed and current and score["grade"] != self.grade:
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
            self.surveillances.append(completed_on)
            self.last_surveillance_on = max(self.surveillances)
        if passed:
            self.grade_set_on = max(self.grade_set_on, completed_on)
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
        self.grade_set_on = max(self.grade_set_on, effective_on)

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
        self.grade_set_on = reissued_on
        self.surveillances = []
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
        self.expired_on = expired_on
        self._restate()

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
