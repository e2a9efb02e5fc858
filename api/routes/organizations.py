"""An organization's whole history, for compliance officers (ZPIC-WF-20 10)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import ServicesDep, require
from api.schemas.common import EARLIEST_DAY, LATEST_DAY
from domain.errors import InvalidInput
from domain.people import Actor
from domain.rulebook.dates import CHINA_STANDARD_TIME
from domain.uscc import uscc_problem
from ecpsc.history import history_json, organization_history, organization_records

router = APIRouter(prefix="/organizations", tags=["history"])

ComplianceOfficer = Annotated[Actor, Depends(require("compliance_officer"))]
UsccPath = Annotated[str, Path(min_length=18, max_length=18, pattern=r"^[0-9A-Z]{18}$")]
AsOf = Annotated[
    str | None,
    Query(
        max_length=40,
        description="a moment (ISO 8601, with offset) or a day (YYYY-MM-DD: through its end, "
        "China Standard Time)",
    ),
]


def moment(as_of: str | None) -> datetime | None:
    """The moment an `as_of` names; a bare day means the end of that day in China."""
    if as_of is None:
        return None
    try:
        if len(as_of) == 10:
            day = datetime.strptime(as_of, "%Y-%m-%d").date()
            parsed = datetime.combine(day, time(0), tzinfo=CHINA_STANDARD_TIME)
        else:
            parsed = datetime.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput("as_of", "须为日期或带时区的时间 / a date or a timestamp") from None
    if parsed.tzinfo is None:
        raise InvalidInput("as_of", "时间须带时区 / a timestamp needs its UTC offset")
    if not EARLIEST_DAY <= parsed.date() <= LATEST_DAY:
        raise InvalidInput(
            "as_of",
            f"须在 {EARLIEST_DAY} 至 {LATEST_DAY} 之间 / between {EARLIEST_DAY} and {LATEST_DAY}",
        )
    if len(as_of) == 10:  # the whole day, through its end
        return parsed + timedelta(days=1) - timedelta(microseconds=1)
    return parsed


def _known(uscc: str) -> None:
    problem = uscc_problem(uscc)
    if problem:
        raise InvalidInput("uscc", problem)


@router.get("/{uscc}/history", response_model=list[dict[str, Any]])
def history(
    uscc: UsccPath, services: ServicesDep, actor: ComplianceOfficer, as_of: AsOf = None
) -> Any:
    """Every event about the organization across its applications, audits, findings,
    decisions, certificates and appeals, oldest first, each with recorded_at, business_date,
    type, actor (id and name) and data; `as_of` cuts it at that moment, adds to each event its
    record's version then (record_version) and, once per record, on its last event up to the
    moment, the record's state then (record_state), rebuilt from the events."""
    _known(uscc)
    services.settle()
    events = organization_history(services, uscc, moment(as_of))
    try:
        # Written here, byte for byte as the response model would write it, without validating
        # a thousand plain dicts against `dict[str, Any]` first.
        return Response(history_json(events), media_type="application/json")
    except (TypeError, ValueError):
        return events  # a value plain JSON cannot hold: the response model writes it


@router.get("/{uscc}/records")
def records(
    uscc: UsccPath, services: ServicesDep, actor: ComplianceOfficer, as_of: AsOf = None
) -> list[dict[str, Any]]:
    """The state of each of the organization's records as of a moment (default: now),
    rebuilt from the events."""
    _known(uscc)
    services.settle()
    cut = moment(as_of) or datetime.now(CHINA_STANDARD_TIME)
    return organization_records(services, uscc, cut)
