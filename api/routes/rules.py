"""The planners' calculator (4.2.1, 4.2.2)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Staff
from api.schemas.audits import AuditTimeOut, AuditType
from domain.rulebook import audit_time, sampling
from domain.rulebook.numbers import two_decimals
from domain.rulebook.version import RULEBOOK_VERSION

router = APIRouter(tags=["rules"])


@router.get("/audit-time", response_model=AuditTimeOut)
def audit_time_calculator(
    actor: Staff,
    effective_headcount: Annotated[int, Query(ge=1, le=10_000_000)],
    type: Annotated[AuditType, Query()] = "initial",
    sites: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditTimeOut:
    """Required person-days, on-site minimum and sample size for a planned audit."""
    required = audit_time.required_days(effective_headcount, type)
    return AuditTimeOut(
        required_days=two_decimals(required),
        required_onsite_days=two_decimals(audit_time.required_onsite_days(required)),
        sample_size=sampling.sample_size(sites, type),
        planner_sets_time=audit_time.planner_sets_time(effective_headcount, type),
        rulebook_version=RULEBOOK_VERSION,
    )
