"""Decisions, certificates and the public register (4.6, 8)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from api.schemas.common import BusinessDate, Count, Strict, Text

Grade = Literal["five_star", "four_star", "three_star", "compliant"]
CertificateStatus = Literal["valid", "suspended", "withdrawn", "expired"]
SuspensionReason = Literal[
    "service_system_failing",
    "contract_obligations_unmet",
    "business_suspension_ordered",
    "licence_lapsed",
    "requested_by_organization",
    "surveillance_overdue",
    "surveillance_failed",
    "other",
]
WithdrawalReason = Literal[
    "legal_status_cancelled",
    "serious_dishonesty_list",
    "refused_inspection_or_false_information",
    "refused_spot_check",
    "major_accident",
    "other_serious_violation",
    "suspension_expired_unresolved",
    "management_system_not_run",
    "misuse_not_corrected",
    "other",
]


class DecisionIn(Strict):
    """A certification decision on a completed audit."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "audit_id": "a3bb189e-8bf9-3888-9912-ace4e6543002",
                    "outcome": "grant",
                    "reasons": [],
                    "decided_on": "2026-11-27",
                }
            ]
        }
    )

    audit_id: UUID = Field(
        description="已完成的审查；决定人不得是其审查组成员 / the completed audit decided on; the "
        "decider may not be on its team (4.6.1)"
    )
    outcome: Literal[
        "grant", "refuse", "supplementary_audit", "downgrade", "suspend", "withdraw"
    ] = Field(
        description="颁证或不予认证；监督不通过时的后续处理 / grant or refuse (4.6); for a failed "
        "surveillance the follow-up (5.6)"
    )
    reasons: list[Text] = Field(
        default_factory=list,
        max_length=100,
        description="理由，不予认证时必填 / reasons; required to refuse (4.6.3)",
    )
    decided_on: BusinessDate = Field(
        description="决定日期；颁证日即发证日 / the day decided: a grant's issue date (4.6, 8.1.2)"
    )
    grade: Grade | None = Field(default=None, description="the new grade of a downgrade (5.6)")
    withdrawal_reason: WithdrawalReason | None = Field(
        default=None,
        description="for a withdrawal after a failed surveillance (7.3.1); "
        "management_system_not_run when not given",
    )


class DecisionOut(BaseModel):
    """A decision."""

    id: str
    audit_id: str
    application_id: str | None
    outcome: str
    reasons: list[str]
    decided_on: date
    decided_by: str
    certificate_number: str | None
    grade: str | None
    rulebook_version: str
    reopened: dict[str, Any] | None = Field(
        default=None,
        description="set aside by an upheld appeal (9.2): {appeal_id, reopened_on, by}; a new "
        "decision on the same audit follows, this one stays as made",
    )
    version: int


class Window(BaseModel):
    """The recertification window (6.1)."""

    opens_on: date
    closes_on: date


class Schedule(BaseModel):
    """What is due next (5.2, 6.1), recomputed from the certificate's events."""

    next_surveillance_due: date | None = Field(
        description="None once withdrawn or expired, and in the recertification year (5.2)"
    )
    last_surveillance_on: date | None
    recertification_window: Window


class CycleAudit(BaseModel):
    """A surveillance or supplementary audit of the current cycle."""

    audit_id: str
    audit_type: str
    completed_on: date
    score: str
    passed: bool
    grade: Grade | None
    sites: list[str]


class CertificateOut(BaseModel):
    """A certificate's full record, for staff."""

    number: str
    organization: dict[str, Any]
    scope: str
    sites: list[dict[str, str]]
    grade: Grade
    status: CertificateStatus
    issued_on: date
    expires_on: date
    suspended_from: date | None
    suspended_until: date | None
    withdrawn_on: date | None
    basis: str
    audit_id: str
    decision_id: str
    application_id: str | None
    schedule: Schedule
    cycle: int = Field(description="1 for the first 3 years, 2 after one recertification, ...")
    cycle_audits: list[CycleAudit]
    follow_up_pending: str | None = Field(
        description="the failed audit awaiting a decision maker's follow-up (5.6)"
    )
    expired_on: date | None
    recovered: bool
    verification_url: str
    version: int


class PublicOrganization(BaseModel):
    """The organization as the public register shows it (no personal data)."""

    name: str
    uscc: str
    address: str


class RegisterEntry(BaseModel):
    """A certificate on the public register."""

    number: str
    organization: PublicOrganization
    scope: str
    sites: list[dict[str, str]]
    grade: Grade
    grade_label: str = Field(description="the grade in Chinese: 达标级, 三星级, 四星级, 五星级")
    status: CertificateStatus
    status_label: str = Field(description="the status in Chinese: 有效, 暂停, 撤销, 过期")
    issued_on: date
    expires_on: date
    suspended_from: date | None = None
    suspended_until: date | None = None
    withdrawn_on: date | None = None
    verification_url: str


class RegisterPage(BaseModel):
    """A page of the register."""

    items: list[RegisterEntry]
    total: int
    page: int
    page_size: int


class RegisterChange(BaseModel):
    """One change of the register, for mirrors; a signed checkpoint of the event log is an item
    too (`change: "checkpoint"`, no number, the checkpoint beside)."""

    cursor: int
    number: str | None
    change: str
    at: str
    checkpoint: dict[str, Any] | None = None


class RegisterChanges(BaseModel):
    """Changes after a cursor; `next` is the cursor to resume from."""

    items: list[RegisterChange]
    next: int


Months = Annotated[Count, Field(ge=1, le=1200, description="months; the rules allow 6 in all")]


class SuspensionIn(Strict):
    """A suspension (7.2)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": "contract_obligations_unmet",
                    "verified_on": "2026-11-20",
                    "effective_on": "2026-11-24",
                    "months": 3,
                }
            ]
        }
    )

    reason: SuspensionReason = Field(description="暂停原因 / why (7.2.1)")
    verified_on: BusinessDate = Field(
        description="事实核实日期；5 个工作日内生效 / the day the facts were verified: it takes "
        "effect within 5 working days (7.2.1)"
    )
    effective_on: BusinessDate = Field(
        description="生效日期；迟于期限的如实记录并列入合规例外 / the day it takes effect; a late "
        "one is recorded and flagged (7.2.1)"
    )
    months: Months = Field(
        default=3, description="暂停期，月；累计不超过 6 个月 / months, 6 in all at most (7.2.2)"
    )


class RescissionIn(Strict):
    """A decision maker rescinds a deadline job's action a late entry contradicts (§12)."""

    action: Literal["suspension", "withdrawal"] = Field(
        description="撤回的处理：暂停或撤销 / the deadline job's action rescinded (7.2, 7.3, §12)"
    )
    effective_on: BusinessDate = Field(description="the day the rescinded action took effect")
    reason: Text = Field(description="why: the fact that contradicts it (rules.md §12)")
    decided_on: BusinessDate

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "action": "suspension",
                    "effective_on": "2026-03-11",
                    "reason": "监督审查已于2026-03-08按期完成，录入晚于期限作业",
                    "decided_on": "2026-03-20",
                }
            ]
        }
    )


class ExtensionIn(Strict):
    """An extension of a suspension (7.2.2)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"months": 2}]})

    months: Months = Field(
        description="延长的月数；累计不超过 6 个月 / months added; 6 in all at most (7.2.2)"
    )


class ReinstatementIn(Strict):
    """A reinstatement (7.2)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"verified_on": "2026-11-25", "effective_on": "2026-11-26"}]
        }
    )

    verified_on: BusinessDate = Field(
        description="原因消除的核实日期 / the day the cause was verified resolved (7.2)"
    )
    effective_on: BusinessDate = Field(
        description="恢复生效日期 / the day it takes effect, within 5 working days (7.2)"
    )


class RecoveryIn(Strict):
    """The withdrawn certificate came back (7.3.2)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"recovered_on": "2026-11-27"}]})

    recovered_on: BusinessDate = Field(description="收回日期 / the day it was recovered (7.3.2)")


class SweepIn(Strict):
    """Run the deadline jobs as of a day."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"as_of": "2026-11-28"}]})

    as_of: BusinessDate = Field(
        description="按该日已知事实判断 / the day whose facts decide: overdue surveillance (5.3), "
        "suspension ended (7.3.1), expiry (8.1.2)"
    )


class SweepChange(BaseModel):
    """A change the deadline jobs recorded; `conflict`: one the rules leave to a person (an
    overdue suspension that would overlap a suspension recorded to start later, §12)."""

    number: str
    change: Literal["suspend", "withdraw", "expire", "conflict"]
    effective_on: date
    reason: str | None


class SweepOut(BaseModel):
    """What a sweep did (nothing when run again for the same day)."""

    as_of: date
    changes: list[SweepChange]
    notices_sent: int = 0
    """Notices this run sent (changes, the day's expiry reminders, today's appeals digest)."""
    notices_failed: int = 0
    """Notices that could not be sent now (logged; running the day again sends them)."""


class WithdrawalIn(Strict):
    """A withdrawal (7.3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": "legal_status_cancelled",
                    "verified_on": "2026-11-20",
                    "effective_on": "2026-11-24",
                    "recovered": False,
                }
            ]
        }
    )

    reason: WithdrawalReason = Field(description="撤销原因 / why (7.3.1)")
    verified_on: BusinessDate = Field(
        description="事实核实日期；5 个工作日内生效 / the day the facts were verified: it takes "
        "effect within 5 working days (7.3.1)"
    )
    effective_on: BusinessDate = Field(
        description="生效日期；撤销是最终的 / the day it takes effect; withdrawal is final (7.3)"
    )
    recovered: StrictBool = Field(
        default=False, description="the certificate was recovered; otherwise a public notice"
    )
