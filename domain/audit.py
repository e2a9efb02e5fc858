"""An audit: its plan, findings and score (ZPIC-WF-20 4.2–4.5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation
from domain.rulebook import audit_time, sampling
from domain.rulebook.catalogue import (
    CLAUSE_ALIASES,
    INDICATORS,
    INDICATORS_BY_ID,
    LAYERS,
    indicator_of_clause,
    standard_citation,
)
from domain.rulebook.dates import ensure_not_before
from domain.rulebook.numbers import two_decimals
from domain.rulebook.scoring import Check, Score, final_score

QUALIFIED_ROLES = ("leader", "auditor")


class NotOnTeam(RuleViolation):
    """The actor's standing on the audit team forbids the command: not on the team, a trainee,
    not the leader. A rule refusal (409), not a missing role (403): api.md Additions."""


def _refuse(code: str, clause: str, zh: str, en: str) -> RuleViolation:
    return RuleViolation(f"{zh} / {en}", code=code, clause=f"ZPIC-WF-20 {clause}")


def check_team(team: list[dict[str, Any]], start_on: date, end_on: date) -> None:
    """4.2.3: one leader; each qualified member registered on every audit day; 4.2.1: no member
    booked for more days than the audit has calendar days."""
    leaders = [m for m in team if m["role"] == "leader"]
    if len(leaders) != 1:
        raise _refuse(
            "team_leader_required",
            "4.2.3",
            "审查组须有且仅有一名组长",
            "the team needs exactly one leader",
        )
    for member in team:
        if "auditor" not in member["staff_roles"] and "admin" not in member["staff_roles"]:
            raise _refuse(
                "not_an_auditor",
                "4.2.3",
                f"{member['name']} 不是审查员",
                f"{member['name']} is not an auditor",
            )
        if member["role"] not in QUALIFIED_ROLES:
            continue
        reg = member.get("registration")
        if not reg or reg["valid_from"] > start_on or reg["valid_until"] < end_on:
            raise _refuse(
                "auditor_registration_invalid",
                "4.2.3",
                f"{member['name']} 的 CCAA 服务认证审查员注册未覆盖全部审查日",
                f"{member['name']}'s CCAA service-certification registration is not valid on "
                f"every audit day ({start_on.isoformat()} to {end_on.isoformat()})",
            )
    most = audit_time.most_days_of_a_member(start_on, end_on)
    for member in team:
        if Fraction(member["days"]) > most:
            raise _refuse(
                "member_days_exceed_audit_days",
                "4.2.1",
                f"{member['name']} 安排 {two_decimals(Fraction(member['days']))} 人日，多于审查的"
                f"日历天数 {most} 天（{start_on.isoformat()} 至 {end_on.isoformat()}）",
                f"{member['name']} is booked for {two_decimals(Fraction(member['days']))} days, "
                f"more than the audit's {most} calendar day(s) ({start_on.isoformat()} to "
                f"{end_on.isoformat()})",
            )


def check_time(
    required: Fraction,
    qualified: Fraction,
    onsite: Fraction,
    justification: str | None,
    planner_sets_time: bool,
) -> None:
    """4.2.1: enough qualified person-days, enough on site, and a justification where needed."""
    if qualified < required:
        raise _refuse(
            "insufficient_audit_time",
            "4.2.1",
            f"合格审查员人日 {two_decimals(qualified)} 少于要求的 {two_decimals(required)}",
            f"qualified auditors' person-days {two_decimals(qualified)} are below the required "
            f"{two_decimals(required)} (trainees' days do not count)",
        )
    if (qualified > required or planner_sets_time) and not justification:
        raise _refuse(
            "justification_required",
            "4.2.1",
            "审查时间超出或由策划人员确定时须书面说明理由",
            "a plan above the required time, or for a headcount above the table, needs a "
            "written justification",
        )
    minimum_onsite = audit_time.required_onsite_days(required)
    if onsite < minimum_onsite:
        raise _refuse(
            "insufficient_onsite_time",
            "4.2.1.2",
            f"现场审查人日 {two_decimals(onsite)} 少于要求时间的80%"
            f"（{two_decimals(minimum_onsite)}）",
            f"on-site person-days {two_decimals(onsite)} are below 80 % of the required time "
            f"({two_decimals(minimum_onsite)})",
        )
    if onsite > qualified:
        raise _refuse(
            "onsite_exceeds_audit_time",
            "4.2.1.2",
            "现场人日不能多于合格审查员人日",
            "on-site person-days cannot exceed the qualified auditors' person-days",
        )


def choose_sites(
    service_sites: list[str], chosen: list[str], size: int | None, visited: frozenset[str]
) -> tuple[list[str], bool]:
    """4.2.2: the sampled sites (offered when none are named) and whether they were offered."""
    if not chosen:
        return sampling.offered_sample(service_sites, size or 0, visited), True
    unknown = [s for s in chosen if s not in service_sites]
    if unknown:
        raise _refuse(
            "unknown_site",
            "4.2.2",
            f"不在认证范围内的场所：{', '.join(unknown)}",
            f"sites not in the scope: {', '.join(unknown)}",
        )
    if size is not None and len(chosen) < size:
        raise _refuse(
            "insufficient_sample",
            "4.2.2",
            f"抽样场所 {len(chosen)} 个，少于要求的 {size} 个",
            f"{len(chosen)} sites sampled, fewer than the required {size}",
        )
    return list(chosen), False


class Audit(Aggregate):
    """One audit of an application (initial, recertification) or of a certificate."""

    class Planned(Aggregate.Created):
        """The audit was planned against the rules (4.2)."""

        application_id: str | None
        certificate_number: str | None
        audit_type: str
        organization: dict[str, Any]
        scope: str
        effective_headcount: int
        service_sites: list[str]
        start_on: date
        end_on: date
        team: list[dict[str, Any]]
        onsite_days: Decimal
        sites: list[str]
        sample_offered: bool
        layers: list[str]
        justification: str | None
        required_days: Decimal
        required_onsite_days: Decimal
        sample_size: int | None
        qualified_days: Decimal
        rulebook_version: str
        by: str

    class FindingRecorded(Aggregate.Event):
        """A finding against a clause: a nonconformity, or a sampled check (4.4.2.3)."""

        number: int
        indicator: str
        clause: str
        kind: str
        sampled: int | None
        nonconforming: int | None
        evidence: str
        needs_approval: bool
        by: str

    class FindingApproved(Aggregate.Event):
        """A qualified team member approved a trainee's finding, which now counts (4.2.3)."""

        number: int
        by: str

    class IndicatorExcluded(Aggregate.Event):
        """A goods-service indicator was excluded as not applicable (4.4.2.2)."""

        indicator: str
        reason: str
        by: str

    class SpecialDeductionRecorded(Aggregate.Event):
        """A special deduction of one point, opening a corrective action (4.4.2.3)."""

        category: str
        evidence: str
        corrective_action_id: str
        by: str

    class SpecialBonusRecorded(Aggregate.Event):
        """The one special bonus point of the audit (4.4.2.3)."""

        evidence: str
        by: str

    class Completed(Aggregate.Event):
        """The team leader completed the audit; its score under the rulebook named (4.4.3)."""

        completed_on: date
        onsite_days: Decimal
        score: dict[str, Any]
        rulebook_version: str
        by: str

    @event(Planned)
    def __init__(
        self,
        application_id: str | None,
        certificate_number: str | None,
        audit_type: str,
        organization: dict[str, Any],
        scope: str,
        effective_headcount: int,
        service_sites: list[str],
        start_on: date,
        end_on: date,
        team: list[dict[str, Any]],
        onsite_days: Decimal,
        sites: list[str],
        sample_offered: bool,
        layers: list[str],
        justification: str | None,
        required_days: Decimal,
        required_onsite_days: Decimal,
        sample_size: int | None,
        qualified_days: Decimal,
        rulebook_version: str,
        by: str,
    ) -> None:
        self.application_id = application_id
        self.certificate_number = certificate_number
        self.audit_type = audit_type
        self.organization = organization
        self.scope = scope
        self.effective_headcount = effective_headcount
        self.service_sites = service_sites
        self.start_on = start_on
        self.end_on = end_on
        self.team = team
        self.onsite_days = onsite_days
        self.sites = sites
        self.sample_offered = sample_offered
        self.layers = layers
        self.justification = justification
        self.required_days = required_days
        self.required_onsite_days = required_onsite_days
        self.sample_size = sample_size
        self.qualified_days = qualified_days
        self.plan_rulebook_version = rulebook_version
        self.planned_by = by
        self.findings: list[dict[str, Any]] = []
        self.exclusions: dict[str, dict[str, str]] = {}
        self.special_deductions: list[dict[str, str]] = []
        self.bonus: dict[str, str] | None = None
        self.completion: dict[str, Any] | None = None

    @staticmethod
    def id_for_application(application_id: UUID | str, audit_type: str) -> UUID:
        """The id of an application's audit of a type: one of each per application."""
        return uuid5(NAMESPACE_URL, f"/applications/{application_id}/audits/{audit_type}")

    @staticmethod
    def id_for_certificate(number: str, ordinal: int) -> UUID:
        """The id of a certificate's n-th audit: while one is open, the next plan clashes."""
        return uuid5(NAMESPACE_URL, f"/certificates/{number}/audits/{ordinal}")

    @staticmethod
    def create_id(application_id: str | None, audit_type: str) -> UUID:
        """An application's audit has the id of its type, so a second plan clashes."""
        if application_id is None:
            return uuid4()
        return Audit.id_for_application(application_id, audit_type)

    # -- planning ------------------------------------------------------------------------------

    @classmethod
    def plan(
        cls,
        *,
        application_id: str | None,
        certificate_number: str | None,
        audit_type: str,
        organization: dict[str, Any],
        scope: str,
        effective_headcount: int,
        service_sites: list[str],
        start_on: date,
        end_on: date,
        team: list[dict[str, Any]],
        onsite_days: Decimal,
        sites: list[str],
        layers: list[str],
        justification: str | None,
        rulebook_version: str,
        by: str,
        visited_sites: frozenset[str] = frozenset(),
        audit_id: UUID | None = None,
    ) -> Audit:
        """Check a plan against 4.2 and record it; the planner is offered a sample if none given."""
        ensure_not_before("end_on", end_on, "start_on", start_on)
        missing_layers = [layer for layer in LAYERS if layer not in layers]
        if missing_layers:
            raise _refuse(
                "layers_missing",
                "4.4.1.2",
                f"审查计划缺少层面：{', '.join(missing_layers)}",
                f"the plan does not cover: {', '.join(missing_layers)}",
            )
        check_team(team, start_on, end_on)
        required = audit_time.required_days(effective_headcount, audit_type)
        qualified = sum(
            (Fraction(m["days"]) for m in team if m["role"] in QUALIFIED_ROLES), Fraction(0)
        )
        onsite = Fraction(onsite_days)
        check_time(
            required,
            qualified,
            onsite,
            justification,
            audit_time.planner_sets_time(effective_headcount, audit_type),
        )
        size = sampling.sample_size(len(service_sites), audit_type)
        chosen, offered = choose_sites(service_sites, sites, size, visited_sites)
        fields: dict[str, Any] = dict(
            application_id=application_id,
            certificate_number=certificate_number,
            audit_type=audit_type,
            organization=organization,
            scope=scope,
            effective_headcount=effective_headcount,
            service_sites=service_sites,
            start_on=start_on,
            end_on=end_on,
            team=[{k: v for k, v in m.items() if k != "staff_roles"} for m in team],
            onsite_days=onsite_days,
            sites=chosen,
            sample_offered=offered,
            layers=[layer for layer in LAYERS if layer in layers],
            justification=justification,
            required_days=_decimal(required),
            required_onsite_days=_decimal(audit_time.required_onsite_days(required)),
            sample_size=size,
            qualified_days=_decimal(qualified),
            rulebook_version=rulebook_version,
            by=by,
        )
        if audit_id is None:
            return cls(**fields)
        # A certificate's audits take ids from their order, so a second open plan clashes.
        return cls._create(cls.Planned, id=audit_id, **fields)

    # -- who may record ------------------------------------------------------------------------

    def member(self, user_id: str) -> dict[str, Any] | None:
        """The team member with that user id, if any (trainees included)."""
        return next((m for m in self.team if m["user_id"] == user_id), None)

    @property
    def team_user_ids(self) -> set[str]:
        """Every team member's user id, trainees included (4.6.1 impartiality)."""
        return {m["user_id"] for m in self.team}

    def _require_open(self) -> None:
        if self.completion is not None:
            raise _refuse(
                "audit_completed",
                "4.5",
                "审查已完成，不能再记录",
                "the audit is completed; nothing more can be recorded",
            )

    def _require_member(self, user_id: str, *, qualified: bool) -> dict[str, Any]:
        member = self.member(user_id)
        if member is None:
            raise NotOnTeam(
                "只有审查组成员可以记录 / only members of the audit team may record",
                code="not_on_team",
                clause="ZPIC-WF-20 4.2.3",
            )
        if qualified and member["role"] not in QUALIFIED_ROLES:
            raise NotOnTeam(
                "实习审查员不能进行此操作 / a trainee cannot do this; a qualified auditor of "
                "the team must",
                code="trainee_not_allowed",
                clause="ZPIC-WF-20 4.2.3",
            )
        return member

    # -- findings ------------------------------------------------------------------------------

    def record_finding(
        self,
        indicator: str,
        clause: str,
        kind: str,
        sampled: int | None,
        nonconforming: int | None,
        evidence: str,
        by: str,
    ) -> int:
        """Record a finding against a clause of an indicator; a trainee's waits for approval."""
        self._require_open()
        member = self._require_member(by, qualified=False)
        if indicator not in INDICATORS_BY_ID:
            raise InvalidInput("indicator", f"未知评价指标 / unknown indicator {indicator}")
        if clause in CLAUSE_ALIASES:
            cited = CLAUSE_ALIASES[clause]
            raise InvalidInput(
                "clause",
                f"标准中没有条款 {clause}，请引用 {cited} / the standard has no clause "
                f"{clause}: cite {cited}",
            )
        owner = indicator_of_clause(clause)
        if owner is None or owner.id != indicator:
            raise InvalidInput(
                "clause",
                f"条款 {clause} 不属于指标 {indicator} / clause {clause} "
                f"is not a clause of indicator {indicator}",
            )
        if kind == "sampled":
            if (
                sampled is None
                or nonconforming is None
                or sampled < 1
                or not (0 <= nonconforming <= sampled)
            ):
                raise InvalidInput(
                    "nonconforming",
                    "抽样检查须给出抽样数和不符合数（0 ≤ 不符合数 ≤ "
                    "抽样数）/ a sampled check needs sampled ≥ 1 and "
                    "0 ≤ nonconforming ≤ sampled",
                )
        else:
            sampled = nonconforming = None
        if indicator in self.exclusions:
            raise _refuse(
                "indicator_excluded",
                "4.4.2.2",
                f"指标 {indicator} 已删减",
                f"indicator {indicator} is excluded",
            )
        number = len(self.findings) + 1
        self._finding_recorded(
            number=number,
            indicator=indicator,
            clause=clause,
            kind=kind,
            sampled=sampled,
            nonconforming=nonconforming,
            evidence=evidence,
            needs_approval=member["role"] not in QUALIFIED_ROLES,
            by=by,
        )
        return number

    @event(FindingRecorded)
    def _finding_recorded(
        self,
        number: int,
        indicator: str,
        clause: str,
        kind: str,
        sampled: int | None,
        nonconforming: int | None,
        evidence: str,
        needs_approval: bool,
        by: str,
    ) -> None:
        self.findings.append(
            {
                "number": number,
                "indicator": indicator,
                "clause": standard_citation(clause),  # an old event's made-up number, mapped
                "kind": kind,
                "sampled": sampled,
                "nonconforming": nonconforming,
                "evidence": evidence,
                "by": by,
                "needs_approval": needs_approval,
                "approved_by": None,
            }
        )

    def approve_finding(self, number: int, by: str) -> None:
        """A qualified team member approves a trainee's finding (4.2.3)."""
        self._require_open()
        self._require_member(by, qualified=True)
        finding = next((f for f in self.findings if f["number"] == number), None)
        if finding is None:
            raise _refuse(
                "unknown_finding",
                "4.2.3",
                f"没有第 {number} 项发现",
                f"there is no finding {number}",
            )
        if not finding["needs_approval"] or finding["approved_by"] is not None:
            raise _refuse(
                "finding_needs_no_approval",
                "4.2.3",
                "该发现无需批准或已批准",
                "the finding needs no approval or is already approved",
            )
        self._finding_approved(number=number, by=by)

    @event(FindingApproved)
    def _finding_approved(self, number: int, by: str) -> None:
        for finding in self.findings:
            if finding["number"] == number:
                finding["approved_by"] = by

    @staticmethod
    def counts(finding: dict[str, Any]) -> bool:
        """Whether a finding counts in the score (a trainee's only once approved)."""
        return not finding["needs_approval"] or finding["approved_by"] is not None

    # -- exclusions, special deductions and bonus ---------------------------------------------

    def exclude(self, indicator: str, reason: str, by: str) -> None:
        """Exclude a goods-service indicator that does not apply (4.4.2.2)."""
        self._require_open()
        self._require_member(by, qualified=True)
        found = INDICATORS_BY_ID.get(indicator)
        if found is None:
            raise InvalidInput("indicator", f"未知评价指标 / unknown indicator {indicator}")
        if not found.excludable:
            raise _refuse(
                "not_excludable",
                "4.4.2.2",
                "只有商品服务（4.3.2）指标可以删减",
                "only goods-service indicators (4.3.2.x) may be excluded",
            )
        if indicator in self.exclusions:
            raise _refuse(
                "already_excluded",
                "4.4.2.2",
                f"指标 {indicator} 已删减",
                f"indicator {indicator} is already excluded",
            )
        if any(f["indicator"] == indicator for f in self.findings):
            raise _refuse(
                "indicator_has_findings",
                "4.4.2.2",
                f"指标 {indicator} 已有审查发现",
                f"indicator {indicator} already has findings and applies",
            )
        self._excluded(indicator=indicator, reason=reason, by=by)

    @event(IndicatorExcluded)
    def _excluded(self, indicator: str, reason: str, by: str) -> None:
        self.exclusions[indicator] = {"reason": reason, "by": by}

    def record_special_deduction(
        self, category: str, evidence: str, corrective_action_id: str, by: str
    ) -> None:
        """Record a special deduction; the caller opens its corrective action (4.4.2.3)."""
        self._require_open()
        self._require_member(by, qualified=True)
        self._special_deduction(
            category=category, evidence=evidence, corrective_action_id=corrective_action_id, by=by
        )

    @event(SpecialDeductionRecorded)
    def _special_deduction(
        self, category: str, evidence: str, corrective_action_id: str, by: str
    ) -> None:
        self.special_deductions.append(
            {
                "category": category,
                "evidence": evidence,
                "corrective_action_id": corrective_action_id,
                "by": by,
            }
        )

    def record_special_bonus(self, evidence: str, by: str) -> None:
        """Record the audit's one special bonus (4.4.2.3)."""
        self._require_open()
        self._require_member(by, qualified=True)
        if self.bonus is not None:
            raise _refuse(
                "bonus_already_recorded",
                "4.4.2.3",
                "每次审查最多一项特别加分",
                "an audit has at most one special bonus",
            )
        self._bonus(evidence=evidence, by=by)

    @event(SpecialBonusRecorded)
    def _bonus(self, evidence: str, by: str) -> None:
        self.bonus = {"evidence": evidence, "by": by}

    # -- score and completion -----------------------------------------------------------------

    def current_score(self) -> Score:
        """The score of what counts so far (4.4.2.3, 4.4.3)."""
        checks: dict[str, list[Check]] = {}
        for f in self.findings:
            if self.counts(f):
                checks.setdefault(f["indicator"], []).append(
                    Check(f["kind"], f["sampled"] or 0, f["nonconforming"] or 0)
                )
        return final_score(
            points={i.id: i.points for i in INDICATORS},
            checks=checks,
            excluded=self.exclusions,
            special_deductions=len(self.special_deductions),
            bonus=self.bonus is not None,
        )

    def complete(
        self, completed_on: date, onsite_days: Decimal, rulebook_version: str, by: str
    ) -> None:
        """The team leader completes the audit with the actual on-site days (4.2.1.2, 4.4.3)."""
        self._require_open()
        member = self._require_member(by, qualified=True)
        if member["role"] != "leader":
            raise NotOnTeam(
                "只有审查组长可以完成审查 / only the team leader completes the audit",
                code="not_team_leader",
                clause="ZPIC-WF-20 4.2.3",
            )
        ensure_not_before("completed_on", completed_on, "start_on", self.start_on)
        required = Fraction(self.required_days)
        minimum = audit_time.required_onsite_days(required)
        if Fraction(onsite_days) < minimum:
            raise _refuse(
                "insufficient_onsite_time",
                "4.2.1.2",
                f"实际现场人日 {two_decimals(Fraction(onsite_days))} 少于要求时间的80%"
                f"（{two_decimals(minimum)}）",
                f"actual on-site person-days {two_decimals(Fraction(onsite_days))} are below 80 % "
                f"of the required time ({two_decimals(minimum)})",
            )
        self._completed(
            completed_on=completed_on,
            onsite_days=onsite_days,
            score=score_record(self.current_score()),
            rulebook_version=rulebook_version,
            by=by,
        )

    @event(Completed)
    def _completed(
        self,
        completed_on: date,
        onsite_days: Decimal,
        score: dict[str, Any],
        rulebook_version: str,
        by: str,
    ) -> None:
        self.completion = {
            "completed_on": completed_on,
            "onsite_days": onsite_days,
            "score": score,
            "rulebook_version": rulebook_version,
            "by": by,
        }

    @property
    def status(self) -> str:
        """planned or completed."""
        return "planned" if self.completion is None else "completed"


def score_record(score: Score) -> dict[str, Any]:
    """A score as recorded on the Completed event: shown values and the exact fractions."""
    return {
        "score": two_decimals(score.final),
        "final_exact": f"{score.final.numerator}/{score.final.denominator}",
        "base": two_decimals(score.base),
        "base_exact": f"{score.base.numerator}/{score.base.denominator}",
        "earned": two_decimals(score.earned),
        "applicable": score.applicable,
        "special_deductions": score.special_deductions,
        "bonus": score.bonus,
        "passed": score.passed,
        "grade": score.grade,
        "breakdown": [
            {
                "indicator": line.indicator,
                "points": line.points,
                "earned": two_decimals(line.earned),
                "excluded": line.excluded,
            }
            for line in score.breakdown
        ],
    }


def _decimal(value: Fraction) -> Decimal:
    """An exact Decimal of a fraction with a terminating expansion (half and fifth days)."""
    result = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(result) != value:
        raise ValueError(f"{value} has no exact decimal form")
    return result
