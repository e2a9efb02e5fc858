"""Decisions, certificates and the public register (4.6, 8)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import BusinessDate, Strict, Text

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

    audit_id: UUID
    outcome: Literal["grant", "refuse", "supplementary_audit", "downgrade", "suspend", "withdraw"]
    reasons: list[Text] = Field(default_factory=list, max_length=100)
    decided_on: BusinessDate
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
    """One change of the register, for mirrors."""

    cursor: int
    number: str
    change: str
    at: str


class RegisterChanges(BaseModel):
    """Changes after a cursor; `next` is the cursor to resume from."""

    items: list[RegisterChange]
    next: int


Months = Annotated[int, Field(ge=1, le=1200, description="months; the rules allow 6 in all")]


class SuspensionIn(Strict):
    """A suspension (7.2)."""

    reason: SuspensionReason
    verified_on: BusinessDate
    effective_on: BusinessDate
    months: Months = 3


class ExtensionIn(Strict):
    """An extension of a suspension (7.2.2)."""

    months: Months


class ReinstatementIn(Strict):
    """A reinstatement (7.2)."""

    verified_on: BusinessDate
    effective_on: BusinessDate


class RecoveryIn(Strict):
    """The withdrawn certificate came back (7.3.2)."""

    recovered_on: BusinessDate


class SweepIn(Strict):
    """Run the deadline jobs as of a day."""

    as_of: BusinessDate


class SweepChange(BaseModel):
    """A change the deadline jobs recorded."""

    number: str
    change: Literal["suspend", "withdraw", "expire"]
    effective_on: date
    reason: str | None


class SweepOut(BaseModel):
    """What a sweep did (nothing when run again for the same day)."""

    as_of: date
    changes: list[SweepChange]


class WithdrawalIn(Strict):
    """A withdrawal (7.3)."""

    reason: WithdrawalReason
    verified_on: BusinessDate
    effective_on: BusinessDate
    recovered: bool = Field(
        default=False, description="the certificate was recovered; otherwise a public notice"
    )
