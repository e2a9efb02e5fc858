"""Corrective actions opened by special deductions (4.4.2.3)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from api.deps import IfMatch, ServicesDep, Staff, require
from api.schemas.audits import CorrectiveActionCloseIn, CorrectiveActionOut
from domain.corrective_action import CorrectiveAction
from domain.people import Actor

router = APIRouter(prefix="/corrective-actions", tags=["corrective actions"])

Auditor = Annotated[Actor, Depends(require("auditor"))]


def action_out(action: CorrectiveAction, response: Response) -> CorrectiveActionOut:
    """A corrective action as the API shows it."""
    response.headers["ETag"] = f'"{action.version}"'
    closure = action.closure or {}
    return CorrectiveActionOut(
        id=str(action.id),
        audit_id=action.audit_id,
        category=action.category,
        evidence=action.evidence,
        opened_on=action.opened_on,
        status="closed" if action.is_closed else "open",
        verified_on=closure.get("verified_on"),  # type: ignore[arg-type]
        closing_evidence=closure.get("evidence"),  # type: ignore[arg-type]
        version=action.version,
    )


@router.get("/{action_id}", response_model=CorrectiveActionOut)
def get_corrective_action(
    action_id: UUID, services: ServicesDep, actor: Staff, response: Response
) -> CorrectiveActionOut:
    """One corrective action."""
    return action_out(services.backoffice.get_corrective_action(action_id), response)


@router.post("/{action_id}/close", response_model=CorrectiveActionOut)
def close_corrective_action(
    action_id: UUID,
    body: CorrectiveActionCloseIn,
    services: ServicesDep,
    actor: Auditor,
    version: IfMatch,
    response: Response,
) -> CorrectiveActionOut:
    """Record that the correction was verified; the action closes."""
    action = services.backoffice.close_corrective_action(
        action_id,
        verified_on=body.verified_on,
        evidence=body.evidence,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return action_out(action, response)
