"""Audits: plan, findings, exclusions, special deductions and bonus, completion (4.2–4.5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import IfMatch, ServicesDep, Staff, require
from api.schemas.audits import (
    AuditIn,
    AuditOut,
    BonusIn,
    CompletionIn,
    DeductionCreated,
    ExclusionIn,
    FindingIn,
    ScoreOut,
    SpecialDeductionIn,
)
from domain.audit import Audit, score_record
from domain.people import Actor
from domain.rulebook.numbers import two_decimals
from ecpsc.services import Services

router = APIRouter(prefix="/audits", tags=["audits"])

Planner = Annotated[Actor, Depends(require("planner"))]
Auditor = Annotated[Actor, Depends(require("auditor"))]


def _days(value: Decimal) -> str:
    from fractions import Fraction

    return two_decimals(Fraction(value))


def audit_out(
    audit: Audit,
    response: Response | None = None,
    previous_cycle: dict[str, Any] | None = None,
) -> AuditOut:
    """An audit as the API shows it; the score is the recorded one once completed."""
    if response is not None:
        response.headers["ETag"] = f'"{audit.version}"'
    completion = audit.completion
    score = completion["score"] if completion else score_record(audit.current_score())
    return AuditOut(
        id=str(audit.id),
        type=audit.audit_type,
        status=audit.status,  # type: ignore[arg-type]
        application_id=audit.application_id,
        certificate_number=audit.certificate_number,
        organization={k: audit.organization.get(k) for k in ("name", "uscc", "address")},
        scope=audit.scope,
        effective_headcount=audit.effective_headcount,
        start_on=audit.start_on,
        end_on=audit.end_on,
        team=[{**m, "days": _days(m["days"])} for m in audit.team],
        onsite_days=_days(audit.onsite_days),
        sites=audit.sites,
        sample_offered=audit.sample_offered,
        layers=audit.layers,
        justification=audit.justification,
        required_days=_days(audit.required_days),
        required_onsite_days=_days(audit.required_onsite_days),
        sample_size=audit.sample_size,
        qualified_days=_days(audit.qualified_days),
        rulebook_version=audit.plan_rulebook_version,
        findings=audit.findings,
        exclusions=[{"indicator": k, **v} for k, v in audit.exclusions.items()],
        special_deductions=audit.special_deductions,
        bonus=audit.bonus,
        score=ScoreOut(**score),
        completed_on=completion["completed_on"] if completion else None,
        actual_onsite_days=_days(completion["onsite_days"]) if completion else None,
        previous_cycle=previous_cycle,
        version=audit.version,
    )


AuditId = Annotated[UUID, Path(description="the audit's id")]


def previous_cycle(services: Services, audit: Audit) -> dict[str, Any] | None:
    """6.2: the cycle a recertification audit renews, with the appeals and complaints about
    the organization received during it."""
    cycle = services.backoffice.previous_cycle(audit)
    if cycle is None:
        return None
    cases = services.read_models.view("appeals").of_organization(
        audit.organization["uscc"], services.backoffice.today()
    )
    during = [
        {k: c[k] for k in ("id", "kind", "received_on", "status", "outcome", "subject")}
        for c in cases
        if cycle["issued_on"] <= c["received_on"] <= cycle["expires_on"]
    ]
    cycle["appeals"] = [c for c in during if c["kind"] == "appeal"]
    cycle["complaints"] = [c for c in during if c["kind"] == "complaint"]
    return cycle


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AuditOut)
def plan_audit(
    body: AuditIn, services: ServicesDep, actor: Planner, response: Response
) -> AuditOut:
    """Plan an audit; a plan that breaks 4.2 is refused, a missing sample is offered."""
    audit = services.backoffice.plan_audit(
        application_id=body.application_id,
        certificate_number=body.certificate_number,
        audit_type=body.type,
        start_on=body.start_on,
        end_on=body.end_on,
        team=[m.model_dump() for m in body.team],
        onsite_days=body.onsite_days,
        sites=list(body.sites),
        layers=list(body.layers),
        justification=body.justification,
        by=actor,
        effective_headcount=body.effective_headcount,
    )
    services.settle()
    response.headers["Location"] = f"/api/v1/audits/{audit.id}"
    return audit_out(audit, response, previous_cycle(services, audit))


@router.get("/{audit_id}", response_model=AuditOut)
def get_audit(
    audit_id: AuditId, services: ServicesDep, actor: Staff, response: Response
) -> AuditOut:
    """One audit with its plan, records and (current or final) score; a recertification audit
    also shows the cycle it renews (6.2)."""
    audit = services.backoffice.get_audit(audit_id)
    return audit_out(audit, response, previous_cycle(services, audit))


@router.post("/{audit_id}/findings", status_code=status.HTTP_201_CREATED)
def record_finding(
    audit_id: AuditId, body: FindingIn, services: ServicesDep, actor: Auditor, version: IfMatch
) -> dict[str, Any]:
    """A team member records a finding; a trainee's counts once a qualified member approves it."""
    audit, number = services.backoffice.record_finding(
        audit_id,
        indicator=body.indicator,
        clause=body.clause,
        kind=body.kind,
        sampled=body.sampled,
        nonconforming=body.nonconforming,
        evidence=body.evidence,
        by=actor,
        expected_version=version,
    )
    services.settle()
    finding = next(f for f in audit.findings if f["number"] == number)
    return {**finding, "audit_version": audit.version}


@router.post("/{audit_id}/findings/{number}/approval")
def approve_finding(
    audit_id: AuditId,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    services: ServicesDep,
    actor: Auditor,
    version: IfMatch,
) -> dict[str, Any]:
    """A qualified team member approves a trainee's finding (4.2.3)."""
    audit = services.backoffice.approve_finding(
        audit_id, number, by=actor, expected_version=version
    )
    services.settle()
    finding = next(f for f in audit.findings if f["number"] == number)
    return {**finding, "audit_version": audit.version}


@router.post("/{audit_id}/exclusions", status_code=status.HTTP_201_CREATED)
def exclude_indicator(
    audit_id: AuditId, body: ExclusionIn, services: ServicesDep, actor: Auditor, version: IfMatch
) -> dict[str, Any]:
    """Exclude a goods-service indicator that does not apply, with the reason (4.4.2.2)."""
    audit = services.backoffice.exclude_indicator(
        audit_id, indicator=body.indicator, reason=body.reason, by=actor, expected_version=version
    )
    services.settle()
    return {
        "indicator": body.indicator,
        **audit.exclusions[body.indicator],
        "audit_version": audit.version,
    }


@router.post(
    "/{audit_id}/special-deductions",
    status_code=status.HTTP_201_CREATED,
    response_model=DeductionCreated,
)
def record_special_deduction(
    audit_id: AuditId,
    body: SpecialDeductionIn,
    services: ServicesDep,
    actor: Auditor,
    version: IfMatch,
) -> DeductionCreated:
    """Record a special deduction (−1); it opens a corrective action (4.4.2.3)."""
    audit, action = services.backoffice.record_special_deduction(
        audit_id,
        category=body.category,
        evidence=body.evidence,
        by=actor,
        expected_version=version,
        found_on=body.found_on,
    )
    services.settle()
    return DeductionCreated(corrective_action_id=str(action.id), audit_version=audit.version)


@router.post("/{audit_id}/special-bonus", status_code=status.HTTP_201_CREATED)
def record_special_bonus(
    audit_id: AuditId, body: BonusIn, services: ServicesDep, actor: Auditor, version: IfMatch
) -> dict[str, Any]:
    """Record the audit's one special bonus (+1, 4.4.2.3)."""
    audit = services.backoffice.record_special_bonus(
        audit_id, evidence=body.evidence, by=actor, expected_version=version
    )
    services.settle()
    return {**(audit.bonus or {}), "audit_version": audit.version}


@router.post("/{audit_id}/complete")
def complete_audit(
    audit_id: AuditId, body: CompletionIn, services: ServicesDep, actor: Auditor, version: IfMatch
) -> dict[str, Any]:
    """The team leader completes the audit with the actual on-site days; the score is fixed."""
    audit = services.backoffice.complete_audit(
        audit_id,
        completed_on=body.completed_on,
        onsite_days=body.onsite_days,
        by=actor,
        expected_version=version,
    )
    services.settle()
    assert audit.completion is not None
    return {
        **ScoreOut(**audit.completion["score"]).model_dump(),
        "completed_on": audit.completion["completed_on"],
        "rulebook_version": audit.completion["rulebook_version"],
        "audit_version": audit.version,
    }
