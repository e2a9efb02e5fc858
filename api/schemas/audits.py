"""Audits: plans, findings, scores (4.2–4.5), and the planners' calculator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, model_validator

from api.schemas.common import BusinessDate, Count, Day, LongText, Strict, Text

AuditType = Literal["initial", "surveillance", "recertification", "supplementary"]
Layer = Literal["service_management", "service_execution", "customer_feedback"]
ALL_LAYERS: tuple[Layer, ...] = ("service_management", "service_execution", "customer_feedback")
TeamRole = Literal["leader", "auditor", "trainee"]
Days = Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)]
IndicatorId = Annotated[str, StringConstraints(pattern=r"^4\.3\.[1-3]\.[1-9]$")]
ClauseId = Annotated[str, StringConstraints(pattern=r"^4\.3\.[1-3]\.[1-9]\.[1-9]$")]


class TeamMemberIn(Strict):
    """A member of the audit team and their person-days."""

    user_id: UUID
    role: TeamRole
    days: Days


class AuditIn(Strict):
    """An audit plan (4.2.4)."""

    application_id: UUID | None = None
    certificate_number: Text | None = None
    type: AuditType
    start_on: Day
    end_on: Day
    team: list[TeamMemberIn] = Field(min_length=1, max_length=50)
    onsite_days: Days
    sites: list[Text] = Field(default_factory=list, max_length=10_000)
    layers: list[Layer] = Field(
        default_factory=lambda: list(ALL_LAYERS),
        max_length=3,
    )
    justification: LongText | None = None
    effective_headcount: Count | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="a certificate audit's current headcount; the last audit's when not given",
    )

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.application_id is None) == (self.certificate_number is None):
            raise ValueError("give exactly one of application_id and certificate_number")
        if self.end_on < self.start_on:
            raise ValueError("end_on is before start_on / 结束日期早于开始日期")
        return self


class FindingIn(Strict):
    """A finding against a clause (4.4.2.3)."""

    indicator: IndicatorId
    clause: ClauseId
    kind: Literal["nonconformity", "sampled"]
    sampled: Annotated[Count, Field(ge=1, le=1_000_000)] | None = None
    nonconforming: Annotated[Count, Field(ge=0, le=1_000_000)] | None = None
    evidence: LongText

    @model_validator(mode="after")
    def _sampled_counts(self) -> Self:
        if self.kind == "sampled":
            if self.sampled is None or self.nonconforming is None:
                raise ValueError("a sampled check needs sampled and nonconforming")
            if self.nonconforming > self.sampled:
                raise ValueError("nonconforming cannot exceed sampled")
        elif self.sampled is not None or self.nonconforming is not None:
            raise ValueError("a nonconformity has no sampled counts")
        return self


class ExclusionIn(Strict):
    """An excluded goods-service indicator and why (4.4.2.2)."""

    indicator: IndicatorId
    reason: LongText


class SpecialDeductionIn(Strict):
    """A special deduction (4.4.2.3)."""

    category: Literal["law", "company_rules", "industry", "system_operation"]
    evidence: LongText
    found_on: BusinessDate | None = Field(
        default=None,
        description="the day it was found, when its corrective action opens; default: the "
        "audit's last day (today while the audit is under way)",
    )


class BonusIn(Strict):
    """The special bonus (4.4.2.3)."""

    evidence: LongText


class CompletionIn(Strict):
    """The audit's completion with the actual on-site person-days."""

    completed_on: BusinessDate
    onsite_days: Days


class CorrectiveActionCloseIn(Strict):
    """The verification of a correction."""

    verified_on: BusinessDate
    evidence: LongText


class BreakdownLine(BaseModel):
    """One indicator's line of the score."""

    indicator: str
    points: int
    earned: str
    excluded: bool


class ScoreOut(BaseModel):
    """A score (4.4.2.3, 4.4.3)."""

    score: str
    grade: Literal["five_star", "four_star", "three_star", "compliant"] | None
    passed: bool
    special_deductions: int
    bonus: int
    applicable: int
    earned: str
    base: str
    final_exact: str
    breakdown: list[BreakdownLine]


class AuditOut(BaseModel):
    """An audit as its events tell it."""

    id: str
    type: str
    status: Literal["planned", "completed"]
    application_id: str | None
    certificate_number: str | None
    organization: dict[str, Any]
    scope: str
    effective_headcount: int
    start_on: date
    end_on: date
    team: list[dict[str, Any]]
    onsite_days: str
    sites: list[str]
    sample_offered: bool
    layers: list[str]
    justification: str | None
    required_days: str
    required_onsite_days: str
    sample_size: int | None
    qualified_days: str
    rulebook_version: str
    findings: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]
    special_deductions: list[dict[str, Any]]
    bonus: dict[str, Any] | None
    score: ScoreOut
    completed_on: date | None
    actual_onsite_days: str | None
    previous_cycle: dict[str, Any] | None = Field(
        default=None,
        description="a recertification audit's view of the cycle it renews: scores, special "
        "deductions, suspensions, appeals and complaints (6.2)",
    )
    version: int


class AuditTimeOut(BaseModel):
    """What the rules require of an audit (4.2.1, 4.2.2)."""

    required_days: str
    required_onsite_days: str
    sample_size: int | None
    planner_sets_time: bool
    rulebook_version: str


class CorrectiveActionOut(BaseModel):
    """A corrective action."""

    id: str
    audit_id: str
    category: str
    evidence: str
    opened_on: date
    status: Literal["open", "closed"]
    verified_on: date | None
    closing_evidence: str | None
    version: int


class DeductionCreated(BaseModel):
    """A special deduction's answer: the corrective action it opened."""

    corrective_action_id: str
    audit_version: int
