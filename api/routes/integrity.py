"""Tamper evidence of the event log (ZPIC-WF-20 10): the chain's head and its verification."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.deps import ServicesDep, require
from domain.people import Actor
from ecpsc import integrity
from ecpsc.chain import chain_head

router = APIRouter(prefix="/integrity", tags=["history"])

Auditor = Annotated[Actor, Depends(require("compliance_officer"))]


def _state(services: Any) -> dict[str, Any]:
    backoffice = services.backoffice
    notification_id, head = chain_head(backoffice.recorder)
    log = backoffice.integrity_log()
    return {
        "head": {"notification_id": notification_id, "hash": head},
        "events": backoffice.recorder.max_notification_id() or 0,
        "last_verification": None if log is None else log.last,
        "last_intact_verification": None if log is None else log.last_intact,
        "verified_at": None if log is None else log.modified_on.isoformat(),
    }


@router.get("")
def show(services: ServicesDep, actor: Auditor) -> dict[str, Any]:
    """The head of the hash chain over the event log and the last verification."""
    return _state(services)


@router.post("/verification")
def run_verification(services: ServicesDep, actor: Auditor) -> dict[str, Any]:
    """Recompute the chain now from the stored events and record the outcome."""
    report = integrity.verify(services.backoffice, by=actor.id)
    services.settle()
    return {
        "intact": report.intact,
        "checked": report.checked,
        "broken_at": report.broken_at,
        "problem": report.problem,
        "findings": list(report.findings),
        **_state(services),
    }
