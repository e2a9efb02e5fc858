"""Audits: plans, findings, scores (4.2–4.5), and the planners' calculator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.schemas.common import BusinessDate, Count, Day, LongText, Strict, Text

AuditType = Literal["initial", "surveillance", "recertification", "supplementary"]
Layer = Literal["service_management", "service_execution", "customer_feedback"]
ALL_LAYERS: tuple[Layer, ...] = ("service_management", "service_execution", "customer_feedback")
TeamRole = Literal["leader", "auditor", "trainee"]
Days = Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)]
IndicatorId = Annotated[str, StringConstraints(pattern=r"^4\.3\.[1-3]\.[1-9]$")]
# A numbered item (4.3.2.4.3) or, for an indicator stated as one paragraph, the indicator's
# own number (4.3.1.2): the standard's citation (api.md Additions).
ClauseId = Annotated[str, StringConstraints(pattern=r"^4\.3\.[1-3]\.[1-9](\.[1-9])?$")]


class TeamMemberIn(Strict):
    """A member of the audit team and their person-days."""

    user_id: UUID = Field(description="审查员的用户编号 / the staff user's id (4.2.3)")
    role: TeamRole = Field(
        description="组长、审查员或实习审查员 / leader, auditor or trainee; a trainee's days "
        "do not count (4.2.3)"
    )
    days: Days = Field(description="人日 / person-days, at most the audit's calendar days (4.2.1)")


class AuditIn(Strict):
    """An audit plan (4.2.4)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "application_id": "3f2b8c4e-5d6a-4e7f-8a9b-0c1d2e3f4a5b",
                    "type": "initial",
                    "start_on": "2026-12-08",
                    "end_on": "2026-12-09",
                    "team": [
                        {
                            "user_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                            "role": "leader",
                            "days": "1.50",
                        },
                        {
                            "user_id": "16fd2706-8baf-433b-82eb-8c7fada847da",
                            "role": "auditor",
                            "days": "1.50",
                        },
                    ],
                    "onsite_days": "3.00",
                    "sites": ["鼓楼门店"],
                    "layers": ["service_management", "service_execution", "customer_feedback"],
                }
            ]
        }
    )

    application_id: UUID | None = Field(
        default=None,
        description="初次认证的申请（须已签合同）/ the contracted application of an initial audit "
        "(4.1.4); give this or certificate_number",
    )
    certificate_number: Text | None = Field(
        default=None,
        description="监督、再认证或补充审查的证书 / the certificate a surveillance, "
        "recertification or supplementary audit is of (5, 6)",
    )
    type: AuditType = Field(description="审查类型 / the audit's type; sets its time (4.2.1.2)")
    start_on: Day = Field(description="首日 / the first audit day (4.2.4)")
    end_on: Day = Field(description="末日 / the last audit day (4.2.4)")
    team: list[TeamMemberIn] = Field(
        min_length=1,
        max_length=50,
        description="审查组，须有一名有效注册的组长 / the team, led by an auditor whose CCAA "
        "registration is valid on every audit day (4.2.3)",
    )
    onsite_days: Days = Field(
        description="现场人日，不少于所需时间的 80% / on-site person-days, at least 80 % of the "
        "required time (4.2.1.2)"
    )
    sites: list[Text] = Field(
        default_factory=list,
        max_length=10_000,
        description="抽样的服务场所 / the sites sampled besides the central office (4.2.2, 5.4)",
    )
    layers: list[Layer] = Field(
        default_factory=lambda: list(ALL_LAYERS),
        max_length=3,
        description="评价层次 / the layers the plan covers: all three (4.2.4, 4.4.1)",
    )
    justification: LongText | None = Field(
        default=None,
        description="理由 / why the plan exceeds the required time, or the time the planner sets "
        "above 10,700 people (4.2.1)",
    )
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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "indicator": "4.3.3.2",
                    "clause": "4.3.3.2.1",
                    "kind": "sampled",
                    "sampled": 20,
                    "nonconforming": 3,
                    "evidence": "抽查投诉记录20份，3份超过承诺时限未答复 / 3 of 20 complaint "
                    "records were answered after the promised time",
                }
            ]
        }
    )

    indicator: IndicatorId = Field(
        description="评价指标 / the indicator, e.g. 4.3.2.4 (4.3, table 1)"
    )
    clause: ClauseId = Field(
        description="指标下的条款 / the indicator's clause, e.g. 4.3.2.4.3 (4.3)"
    )
    kind: Literal["nonconformity", "sampled"] = Field(
        description="定性不符合扣全部分值；抽样按最差比例扣分 / a qualitative nonconformity loses "
        "the indicator's points; a sampled check deducts by its ratio (4.4.2.3)"
    )
    sampled: Annotated[Count, Field(ge=1, le=1_000_000)] | None = Field(
        default=None, description="抽样数 / records sampled, for a sampled check (4.4.2.3)"
    )
    nonconforming: Annotated[Count, Field(ge=0, le=1_000_000)] | None = Field(
        default=None, description="不符合数 / of them nonconforming, for a sampled check (4.4.2.3)"
    )
    evidence: LongText = Field(description="证据 / what was seen (4.4.2.3)")

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"indicator": "4.3.2.6", "reason": "无形产品，无废弃商品 / intangible products"}
            ]
        }
    )

    indicator: IndicatorId = Field(
        description="商品服务指标 4.3.2.x / a goods-service indicator; no other may be excluded "
        "(4.4.2.2)"
    )
    reason: LongText = Field(
        description="删减理由，源于商品或服务的性质 / why, in the nature of the goods (4.4.2.2)"
    )


class SpecialDeductionIn(Strict):
    """A special deduction (4.4.2.3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "category": "company_rules",
                    "evidence": "未按本企业服务规范回访 / customers were not called back as the "
                    "organization's own service rules require",
                    "found_on": "2026-11-20",
                }
            ]
        }
    )

    category: Literal["law", "company_rules", "industry", "system_operation"] = Field(
        description="违反法规、企业制度、行业要求或影响体系运行 / breaks laws, the organization's "
        "own rules, industry requirements, or impairs the service system (4.4.2.3)"
    )
    evidence: LongText = Field(description="证据 / what was found (4.4.2.3)")
    found_on: BusinessDate | None = Field(
        default=None,
        description="the day it was found, when its corrective action opens; default: the "
        "audit's last day (today while the audit is under way)",
    )


class BonusIn(Strict):
    """The special bonus (4.4.2.3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "evidence": "全国首家提供以旧换新上门回收 / the first in its industry to "
                    "collect old appliances at the customer's door"
                }
            ]
        }
    )

    evidence: LongText = Field(
        description="高于法规要求、行业领先的证据 / evidence the organization is above legal "
        "requirements and leads its industry (4.4.2.3)"
    )


class CompletionIn(Strict):
    """The audit's completion with the actual on-site person-days."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"completed_on": "2026-11-20", "onsite_days": "3.00"}]}
    )

    completed_on: BusinessDate = Field(
        description="完成日期，即审查日期 / the day completed: the audit's date (5.2)"
    )
    onsite_days: Days = Field(
        description="实际现场人日，不少于所需时间的 80% / the actual on-site person-days, at least "
        "80 % of the required time (4.2.1.2)"
    )


class CorrectiveActionCloseIn(Strict):
    """The verification of a correction."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "verified_on": "2026-11-25",
                    "evidence": "回访记录已补齐 / the call-back records are complete",
                }
            ]
        }
    )

    verified_on: BusinessDate = Field(description="验证日期 / the day it was verified (4.6)")
    evidence: LongText = Field(
        description="整改证据 / evidence the correction was made (4.4.2.3, 4.6)"
    )


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
