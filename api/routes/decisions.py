"""Certification decisions (4.6)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status

from api.deps import ServicesDep, Staff, require
from api.schemas.certificates import DecisionIn, DecisionOut
from domain.decision import Decision
from domain.people import Actor
from ecpsc.history import readable

router = APIRouter(prefix="/decisions", tags=["decisions"])

DecisionMaker = Annotated[Actor, Depends(require("decision_maker"))]


def decision_out(decision: Decision, response: Response) -> DecisionOut:
    """A decision as the API shows it."""
    response.headers["ETag"] = f'"{decision.version}"'
    return DecisionOut(
        id=str(decision.id),
        audit_id=decision.audit_id,
        application_id=decision.application_id,
        outcome=decision.outcome,
        reasons=decision.reasons,
        decided_on=decision.decided_on,
        decided_by=decision.decided_by,
        certificate_number=decision.certificate_number,
        grade=decision.grade,
        rulebook_version=decision.rulebook_version,
        reopened=readable(decision.reopened),
        version=decision.version,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DecisionOut)
def decide(
    body: DecisionIn, services: ServicesDep, actor: DecisionMaker, response: Response
) -> DecisionOut:
    """Grant or refuse certification, or follow up a failed surveillance (4.6, 5.6); only
    someone off the audit team may decide (4.6.1)."""
    decision, _ = services.backoffice.decide(
        body.audit_id,
        outcome=body.outcome,
        reasons=list(body.reasons),
        decided_on=body.decided_on,
        by=actor,
        grade=body.grade,
        withdrawal_reason=body.withdrawal_reason,
    )
    services.settle()
    response.headers["Location"] = f"/api/v1/decisions/{decision.id}"
    return decision_out(decision, response)


@router.get("/{decision_id}", response_model=DecisionOut)
def get_decision(
    decision_id: UUID, services: ServicesDep, actor: Staff, response: Response
) -> DecisionOut:
    """One decision."""
    return decision_out(services.backoffice.get_decision(decision_id), response)
