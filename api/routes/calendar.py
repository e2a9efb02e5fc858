"""The official calendar working-day deadlines are counted on (rules.md §8, §12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api.deps import ServicesDep, Staff, require
from api.schemas.calendar import CalendarDay, CalendarNoticeIn, CalendarOut
from domain.people import Actor
from ecpsc.services import Services

router = APIRouter(prefix="/calendar", tags=["calendar"])

Loader = Annotated[Actor, Depends(require("compliance_officer", "admin"))]
Year = Annotated[int, Path(ge=1950, le=2098, description="the calendar year")]


def calendar_out(services: Services, year: int) -> CalendarOut:
    """A year's calendar as the deadlines use it."""
    backoffice = services.backoffice
    notice = backoffice.calendar_notice(year)
    calendar = backoffice.official_calendar(year)
    days = [
        CalendarDay(day=day, working=s.working, name=s.name, source=s.source)  # type: ignore[arg-type]
        for day, s in calendar.days_of(year)
    ]
    return CalendarOut(
        year=year,
        notice_source=None if notice is None else notice.source,
        provisional=notice is None and all(d.source == "statutory" for d in days),
        days=days,
        version=None if notice is None else notice.version,
    )


@router.put("/{year}", response_model=CalendarOut)
def load_calendar(
    year: Year, body: CalendarNoticeIn, services: ServicesDep, actor: Loader, response: Response
) -> CalendarOut:
    """Load the State Council's holiday notice for a year; later deadlines use it."""
    services.backoffice.load_calendar(
        year,
        source=body.source,
        holidays=[{"from": h.from_, "to": h.to, "name": h.name} for h in body.holidays],
        working_days=list(body.working_days),
        by=actor,
    )
    services.settle()
    return calendar_out(services, year)


@router.get("/{year}", response_model=CalendarOut)
def get_calendar(year: Year, services: ServicesDep, actor: Staff) -> CalendarOut:
    """A year's days off and make-up working days, and where each comes from."""
    return calendar_out(services, year)
