"""Tamper evidence of the event log (ZPIC-WF-20 10): the chain's head and its verification."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import Admin, ServicesDep, require
from domain.people import Actor
from ecpsc import checkpoints, integrity
from ecpsc.chain import chain_head
from ecpsc.signing import published_keys, signing_key

router = APIRouter(prefix="/integrity", tags=["history"])
well_known = APIRouter(tags=["history"])
"""Routes outside /api/v1: the certification body's published signing keys."""

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
        "latest_checkpoint": checkpoints.latest(backoffice),
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


@well_known.get("/.well-known/ecpsc-signing-key")
def signing_public_key(services: ServicesDep) -> dict[str, Any]:
    """The certification body's public signing key (Ed25519), and earlier keys still valid for
    what they signed (public)."""
    current, *previous = published_keys(services.settings)
    return {**current.published(), "previous_keys": [k.published() for k in previous]}


@router.get(
    "/checkpoints/latest",
    responses={404: {"description": "尚未签署检查点 / no checkpoint was signed yet"}},
)
def latest_checkpoint(services: ServicesDep) -> dict[str, Any]:
    """The last signed checkpoint of the event log (public)."""
    found = checkpoints.latest(services.backoffice)
    if found is None:
        raise HTTPException(404, "尚未签署检查点 / no checkpoint was signed yet")
    return found


@router.get("/checkpoints")
def list_checkpoints(
    services: ServicesDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="position of the last seen")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Signed checkpoints with a position after `after`, oldest first; resume from `next`
    (public)."""
    items = checkpoints.after_position(services.backoffice, after, limit)
    return {"items": items, "next": items[-1]["position"] if items else after}


@router.post("/checkpoints", status_code=201)
def sign_checkpoint_now(services: ServicesDep, actor: Admin) -> dict[str, Any]:
    """Sign a checkpoint of the event log now (on demand)."""
    key = signing_key(services.settings)
    signed = checkpoints.sign_checkpoint(services.backoffice, key, by=actor.id)
    services.settle()
    return signed
