"""Record retention (ZPIC-WF-20 10.2) as staff pages, for compliance officers: the schedule of
rows as of a day, legal holds placed and released, and disposal behind a confirmation step.

Each form calls what its route in api/routes/retention.py calls (the same schemas, the same
BackOffice methods, the same `ecpsc.disposal.dispose`); only a compliance officer may use them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.pages.rendering import (
    Refusal,
    form_action,
    invalid,
    not_found,
    paging,
    refused,
    rejected,
    render,
    see_other,
)
from api.pages.session import FormPost, Page, StaffPage
from api.routes.retention import DisposalIn, HoldIn, ReleaseIn
from domain.disposal import Disposal
from domain.errors import DomainError, NotFound
from domain.hold import LegalHold
from ecpsc.disposal import contents, dispose

router = APIRouter(include_in_schema=False)

COMPLIANCE = "compliance_officer"
ROW_KEY = re.compile(r"^[A-Za-z0-9:_-]{1,200}$")
HOLD_FIELDS = ("uscc", "reason", "placed_on")


def _view(page: StaffPage) -> Any:
    return page.services.read_models.view("retention")


@router.get("/retention", response_class=HTMLResponse)
def retention_schedule(
    page: Page, as_of: str = "", eligible: str = "", uscc: str = ""
) -> HTMLResponse:
    """The schedule as of a day: a row per cycle (and per application never certified), its
    records, retain_until, holds and eligibility for disposal; paged, eligible rows only on ask."""
    page.require(COMPLIANCE)
    today = page.services.backoffice.today()
    error = None
    try:
        day = date.fromisoformat(as_of) if as_of else today
    except ValueError:
        day = today
        error = Refusal("invalid_input", f"as_of: 日期无效 / not a date: {as_of[:20]}", "", "as_of")
    only_eligible = eligible in ("1", "on", "true")
    uscc = uscc.strip().upper()[:18]
    view = _view(page)
    _, total = view.schedule_page(day, 0, 1, only_eligible, uscc or None)
    pages = paging(page.request, total, as_of=day.isoformat(),
                   eligible="1" if only_eligible else None, uscc=uscc or None)  # fmt: skip
    rows, total = view.schedule_page(day, pages.offset, pages.size, only_eligible, uscc or None)
    return render(
        page,
        "staff/retention.html",
        status_code=422 if error else 200,
        error=error,
        rows=rows,
        paging=pages,
        as_of=day,
        eligible=only_eligible,
        uscc=uscc,
    )


def _holds_context(page: StaffPage, values: dict[str, str], failed: str | None) -> dict[str, Any]:
    """The holds page's list (paged) and its forms' values; `failed` names the refused form."""
    view = _view(page)
    _, total = view.active_holds(0, 1)
    pages = paging(page.request, total)
    rows, _ = view.active_holds(pages.offset, pages.size)
    return {"holds": rows, "paging": pages, "values": values, "failed": failed}


@router.get("/retention/holds", response_class=HTMLResponse)
def holds(page: Page) -> HTMLResponse:
    """The holds in force (legal holds, open appeals and complaints), paged, and the form to
    place a legal hold."""
    page.require(COMPLIANCE)
    values = {"uscc": page.request.query_params.get("uscc", "")[:18]}
    return render(page, "staff/retention_holds.html", **_holds_context(page, values, None))


@router.post("/retention/holds", response_class=HTMLResponse)
def place_hold(page: FormPost) -> Response:
    """Place a legal hold: none of the organization's records may be disposed of meanwhile."""
    page.require(COMPLIANCE)
    values = {name: page.field(name) for name in HOLD_FIELDS}
    backoffice = page.services.backoffice

    def command() -> str:
        body = HoldIn.model_validate({"uscc": values["uscc"], "reason": values["reason"],
                                      "placed_on": values["placed_on"] or None})  # fmt: skip
        backoffice.place_hold(body.uscc, body.reason, body.placed_on or backoffice.today(),
                              by=page.actor)  # fmt: skip
        return body.uscc

    return form_action(
        page,
        command,
        lambda problem: rejected(
            page, problem, "staff/retention_holds.html", **_holds_context(page, values, "place")
        ),
        lambda uscc: f"/retention?uscc={uscc}",
    )


@router.post("/retention/holds/{hold_id}/release", response_class=HTMLResponse)
def release_hold(hold_id: str, page: FormPost) -> Response:
    """Release a legal hold."""
    page.require(COMPLIANCE)
    try:
        uid = UUID(hold_id)
    except ValueError:
        return not_found(page)
    released_on = page.field("released_on")
    backoffice = page.services.backoffice

    def command() -> LegalHold:
        body = ReleaseIn.model_validate({"released_on": released_on or None})
        hold: LegalHold = backoffice.release_hold(
            uid, body.released_on or backoffice.today(), by=page.actor
        )
        return hold

    return form_action(
        page,
        command,
        lambda problem: rejected(
            page, problem, "staff/retention_holds.html", **_holds_context(page, {}, hold_id)
        ),
        lambda hold: f"/retention?uscc={hold.uscc}",
    )


def _disposal_context(page: StaffPage, row: dict[str, Any]) -> dict[str, Any]:
    """What the confirmation page shows: the row, and what disposal would take (or took)."""
    services = page.services
    if row["disposed"]:
        try:
            record = services.backoffice.repository.get(Disposal.create_id(row["key"]))
        except AggregateNotFoundError:
            record = None
        return {"row": row, "disposal": record, "taken": None, "documents": []}
    taken = contents(services, row)
    documents = []
    for sha256 in taken.documents:
        try:
            filename = services.backoffice.get_document(sha256).filename
        except DomainError:
            filename = ""
        documents.append({"sha256": sha256, "filename": filename})
    kinds: dict[str, int] = {}
    for record in taken.records:
        kinds[record["kind"]] = kinds.get(record["kind"], 0) + 1
    events = sum(r["versions"] for r in taken.records)
    return {"row": row, "disposal": None, "taken": taken, "kinds": kinds, "events": events,
            "documents": documents}  # fmt: skip


def _row(page: StaffPage, row_key: str) -> dict[str, Any] | None:
    if not ROW_KEY.match(row_key):
        return None
    row: dict[str, Any] | None = _view(page).scheduled_row(
        row_key, page.services.backoffice.today()
    )
    return row


@router.get("/retention/{row_key}/disposal", response_class=HTMLResponse)
def disposal_form(row_key: str, page: Page) -> HTMLResponse:
    """The confirmation step: exactly what disposal of the row would destroy, and the form that
    confirms it (type the organization's USCC and the grounds)."""
    page.require(COMPLIANCE)
    row = _row(page, row_key)
    if row is None:
        return not_found(page)
    return render(page, "staff/retention_disposal.html", values={},
                  **_disposal_context(page, row))  # fmt: skip


@router.post("/retention/{row_key}/disposal", response_class=HTMLResponse)
def dispose_row(row_key: str, page: FormPost) -> Response:
    """Dispose of an eligible row's records, once the USCC typed confirms it (10.2)."""
    page.require(COMPLIANCE)
    row = _row(page, row_key)
    if row is None:
        return not_found(page)
    values = {"confirm_uscc": page.field("confirm_uscc"), "reason": page.field("reason")}
    context = {"values": values, **_disposal_context(page, row)}
    if values["confirm_uscc"].upper() != row["uscc"]:
        unconfirmed = Refusal(
            "confirmation_required",
            "请输入该组织的统一社会信用代码以确认处置 / type the organization's USCC to "
            "confirm the disposal",
            "",
            "confirm_uscc",
        )
        return render(page, "staff/retention_disposal.html", status_code=422,
                      error=unconfirmed, **context)  # fmt: skip
    try:
        body = DisposalIn.model_validate({"reason": values["reason"]})
    except ValidationError as error:
        return invalid(page, error, "staff/retention_disposal.html", **context)
    try:
        dispose(page.services, row["key"], body.reason, by=page.actor)
    except NotFound:
        return not_found(page)
    except DomainError as error:
        return refused(page, error, "staff/retention_disposal.html", **context)
    return see_other(f"/retention/{row['key']}/disposal")
