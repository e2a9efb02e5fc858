"""What the compliance officer must look at (ZPIC-WF-20 7.2.1, 7.3.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import ServicesDep, require
from api.schemas.compliance import ComplianceException, ComplianceExceptions
from domain.people import Actor

router = APIRouter(prefix="/compliance", tags=["compliance"])

# decision makers read it too: they correct the contradictions it lists (rules.md §12)
ExceptionReader = Annotated[Actor, Depends(require("compliance_officer", "decision_maker"))]


@router.get("/exceptions", response_model=ComplianceExceptions)
def exceptions(
    services: ServicesDep,
    actor: ExceptionReader,
    number: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ComplianceExceptions:
    """Suspensions, reinstatements and withdrawals that took effect after the 5-working-day
    limit, and deadline actions a late entry contradicts, newest first; each recorded
    truthfully, never back-dated."""
    rows, total = services.read_models.view("compliance").exceptions(
        number, offset=(page - 1) * page_size, limit=page_size
    )
    return ComplianceExceptions(items=[ComplianceException(**row) for row in rows], total=total)
