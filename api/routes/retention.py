"""Record retention and legal holds (ZPIC-WF-20 10.2), for compliance officers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import IfMatch, ServicesDep, require
from api.schemas.common import BusinessDate, Day, LongText, Strict, Uscc
from domain.hold import LegalHold
from domain.people import Actor
from ecpsc.disposal import dispose

router = APIRouter(tags=["history"])

ComplianceOfficer = Annotated[Actor, Depends(require("compliance_officer"))]


class HoldIn(Strict):
    """A legal hold on every record of an organization."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uscc": "91350100M000100Y43",
                    "reason": "法院调取证据通知 / a court's notice to preserve evidence",
                    "placed_on": "2026-11-20",
                }
            ]
        }
    )

    uscc: Uscc
    reason: LongText = Field(description="保全理由 / why the records must be kept (10.2)")
    placed_on: BusinessDate | None = Field(default=None, description="default: today")


class ReleaseIn(Strict):
    """The release of a hold."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"released_on": "2026-11-27"}]})

    released_on: BusinessDate | None = Field(default=None, description="default: today")


class HoldOut(BaseModel):
    """A legal hold."""

    id: str
    uscc: str
    reason: str
    placed_on: date
    released_on: date | None
    active: bool
    version: int


def hold_out(hold: LegalHold, response: Response) -> HoldOut:
    """A hold as the API shows it."""
    response.headers["ETag"] = f'"{hold.version}"'
    return HoldOut(
        id=str(hold.id),
        uscc=hold.uscc,
        reason=hold.reason,
        placed_on=hold.placed_on,
        released_on=hold.released_on,
        active=hold.active,
        version=hold.version,
    )


@router.get("/retention")
def retention(
    services: ServicesDep,
    actor: ComplianceOfficer,
    as_of: Annotated[Day | None, Query(description="default: today")] = None,
    uscc: Annotated[str | None, Query(min_length=18, max_length=18)] = None,
) -> list[dict[str, Any]]:
    """One row per organization and certification cycle (and per application never certified):
    its record count, retain_until (36 months after the cycle's last day), holds, and whether
    it is eligible for disposal as of the day. With a past `as_of`, the rows as they stood
    that day: rows begun by then, cycle ends and holds by their business dates; a running
    cycle's retain_until is its scheduled one, `retain_until_provisional`."""
    today = services.backoffice.today()
    view = services.read_models.view("retention")
    if as_of is None or as_of >= today:
        return view.schedule(as_of or today, uscc)  # type: ignore[no-any-return]
    return view.schedule_as_of(as_of, uscc)  # type: ignore[no-any-return]


@router.post("/holds", status_code=status.HTTP_201_CREATED, response_model=HoldOut)
def place_hold(
    body: HoldIn, services: ServicesDep, actor: ComplianceOfficer, response: Response
) -> HoldOut:
    """Place a legal hold: none of the organization's records may be disposed of meanwhile."""
    hold = services.backoffice.place_hold(
        body.uscc, body.reason, body.placed_on or services.backoffice.today(), by=actor
    )
    services.settle()
    response.headers["Location"] = f"/api/v1/holds/{hold.id}"
    return hold_out(hold, response)


@router.post("/holds/{hold_id}/release", response_model=HoldOut)
def release_hold(
    hold_id: UUID,
    body: ReleaseIn,
    services: ServicesDep,
    actor: ComplianceOfficer,
    version: IfMatch,
    response: Response,
) -> HoldOut:
    """Release a legal hold."""
    hold = services.backoffice.release_hold(
        hold_id,
        body.released_on or services.backoffice.today(),
        by=actor,
        expected_version=version,
    )
    services.settle()
    return hold_out(hold, response)


class DisposalIn(Strict):
    """The act of disposal and its grounds."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"reason": "保存期满且无保全 / retention period over, no hold (10.2)"}]
        }
    )

    reason: LongText = Field(description="销毁依据 / the grounds of the disposal (10.2)")


@router.post("/retention/{row_key}/disposal", status_code=status.HTTP_201_CREATED)
def dispose_row(
    row_key: Annotated[str, Path(max_length=200, pattern=r"^[A-Za-z0-9:_-]+$")],
    body: DisposalIn,
    services: ServicesDep,
    actor: ComplianceOfficer,
) -> dict[str, Any]:
    """Dispose of an eligible row's records (10.2): their content becomes unreadable in the
    event store, the document store and every read model; the disposal record remains, with
    what was disposed of, when, by whom, and the digests. Tamper evidence still verifies."""
    disposal = dispose(services, row_key, body.reason, by=actor)
    return {
        "id": str(disposal.id),
        "row_key": disposal.row_key,
        "uscc": disposal.uscc,
        "reason": disposal.reason,
        "records": disposal.records,
        "documents": disposal.documents,
        "certificate_numbers": disposal.certificate_numbers,
        "retain_until": disposal.retain_until.isoformat(),
        "disposed_on": disposal.disposed_on.isoformat(),
        "disposed_by": disposal.disposed_by,
    }
