"""The deadline jobs on demand (ZPIC-WF-20 5.3, 7.3.1, 8.1.2)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Admin, ServicesDep
from api.schemas.certificates import SweepChange, SweepIn, SweepOut
from ecpsc.deadline_jobs import sweep

router = APIRouter(prefix="/sweeps", tags=["certificates"])


@router.post("", response_model=SweepOut)
def run_sweep(body: SweepIn, services: ServicesDep, actor: Admin) -> SweepOut:
    """Run the deadline jobs as of a day (not after today): overdue surveillance → suspension,
    an ended suspension → withdrawal, expiry. A second run for the same day does nothing."""
    changes = sweep(services, body.as_of)
    return SweepOut(
        as_of=body.as_of,
        changes=[SweepChange(**change.as_record()) for change in changes],  # type: ignore[arg-type]
    )
