"""The deadline jobs on demand (ZPIC-WF-20 5.3, 7.3.1, 8.1.2)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Admin, ServicesDep
from api.schemas.certificates import SweepChange, SweepIn, SweepOut
from ecpsc.deadline_jobs import run_day
from workers.day_notices import SendNow

router = APIRouter(prefix="/sweeps", tags=["certificates"])


@router.post("", response_model=SweepOut)
def run_sweep(body: SweepIn, services: ServicesDep, actor: Admin) -> SweepOut:
    """Run the deadline jobs as of a day (not after today): overdue surveillance → suspension,
    an ended suspension → withdrawal, expiry; and send the day's notices (changes, expiry
    reminders), as the daily run would. A second run for the same day does nothing."""
    notices = SendNow(services)
    changes = run_day(services, body.as_of, notices)
    return SweepOut(
        as_of=body.as_of,
        changes=[SweepChange(**change.as_record()) for change in changes],  # type: ignore[arg-type]
        notices_sent=notices.sent,
        notices_failed=notices.failed,
    )
