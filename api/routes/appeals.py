"""Appeals and complaints (ZPIC-WF-20 9): the queue, the course of a case, then and now."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import IfMatch, ServicesDep, require
from api.pages.templating import templates
from api.reports.appeal_notice import appeal_notice
from api.reports.issuer import issuer
from api.reports.letter import render_letter_pdf
from api.routes.reports import HTML, JSON, PDF, negotiate
from api.schemas.appeals import (
    AcknowledgementIn,
    AppealIn,
    AppealOut,
    AssignmentIn,
    EscalationIn,
    NoteIn,
    NoticeSentIn,
    QueueItem,
    ResolutionIn,
)
from domain.appeal import Appeal
from domain.people import Actor
from ecpsc.history import appeal_view, readable
from ecpsc.services import Services

router = APIRouter(prefix="/appeals", tags=["appeals"])

AppealsOfficer = Annotated[Actor, Depends(require("appeals_officer"))]
AppealsReader = Annotated[Actor, Depends(require("appeals_officer", "compliance_officer"))]
AppealId = Annotated[UUID, Path(description="the appeal's id")]


def appeal_out(
    services: Services, appeal: Appeal, response: Response, full: bool = False
) -> AppealOut:
    """An appeal as the API shows it; with `full`, the then-and-now view too."""
    response.headers["ETag"] = f'"{appeal.version}"'
    today = services.backoffice.today()
    return AppealOut(
        id=str(appeal.id),
        kind=appeal.kind,  # type: ignore[arg-type]
        status=appeal.status,  # type: ignore[arg-type]
        subject=appeal.subject,
        organization_uscc=appeal.organization_uscc,
        appellant=appeal.appellant,
        text=appeal.text,
        received_on=appeal.received_on,
        due_on=appeal.due_on,
        days_left=(appeal.due_on - today).days,
        overdue=appeal.is_open and today > appeal.due_on,
        acknowledged_on=appeal.acknowledged_on,
        handlers=appeal.handlers,
        notes=readable(appeal.notes),
        resolution=readable(appeal.resolution),
        notice_sent_on=appeal.notice_sent_on,
        escalations=readable(appeal.escalations),
        then_and_now=appeal_view(services, appeal) if full else None,
        version=appeal.version,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AppealOut)
def receive(
    body: AppealIn, services: ServicesDep, actor: AppealsOfficer, response: Response
) -> AppealOut:
    """Record an appeal or complaint; it is due 60 days after receipt (9)."""
    appeal = services.backoffice.receive_appeal(
        kind=body.kind,
        subject=body.subject.model_dump(),
        appellant=body.appellant.model_dump(),
        received_on=body.received_on,
        text=body.text,
        by=actor,
    )
    services.settle()
    response.headers["Location"] = f"/api/v1/appeals/{appeal.id}"
    return appeal_out(services, appeal, response)


@router.get("", response_model=list[QueueItem])
def queue(
    services: ServicesDep,
    actor: AppealsReader,
    status: Annotated[
        Literal[
            "open", "received", "acknowledged", "assigned", "investigating", "resolved", "closed"
        ]
        | None,
        Query(description="open: every case not yet answered by its written notice"),
    ] = None,
) -> list[QueueItem]:
    """The queue, most urgent first: due dates, days left, overdue."""
    rows = services.read_models.view("appeals").queue(services.backoffice.today(), status)
    return [QueueItem(**row) for row in rows]


@router.get("/{appeal_id}", response_model=AppealOut)
def get_appeal(
    appeal_id: AppealId, services: ServicesDep, actor: AppealsReader, response: Response
) -> AppealOut:
    """One case with its course, and the decision under appeal then and now."""
    return appeal_out(services, services.backoffice.get_appeal(appeal_id), response, full=True)


@router.post("/{appeal_id}/acknowledgement", response_model=AppealOut)
def acknowledge(
    appeal_id: AppealId,
    body: AcknowledgementIn,
    services: ServicesDep,
    actor: AppealsOfficer,
    version: IfMatch,
    response: Response,
) -> AppealOut:
    """Acknowledge receipt to the appellant."""
    appeal = services.backoffice.acknowledge_appeal(
        appeal_id, body.acknowledged_on, by=actor, expected_version=version
    )
    services.settle()
    return appeal_out(services, appeal, response)


@router.post("/{appeal_id}/assignment", response_model=AppealOut)
def assign(
    appeal_id: AppealId,
    body: AssignmentIn,
    services: ServicesDep,
    actor: AppealsOfficer,
    version: IfMatch,
    response: Response,
) -> AppealOut:
    """Assign handlers; anyone involved in the subject's history is refused (not_impartial)."""
    appeal = services.backoffice.assign_appeal(
        appeal_id,
        [str(h) for h in body.handler_ids],
        by=actor,
        assigned_on=body.assigned_on,
        expected_version=version,
    )
    services.settle()
    return appeal_out(services, appeal, response)


@router.post("/{appeal_id}/notes", response_model=AppealOut, status_code=201)
def record_note(
    appeal_id: AppealId,
    body: NoteIn,
    services: ServicesDep,
    actor: AppealsOfficer,
    version: IfMatch,
    response: Response,
) -> AppealOut:
    """A handler's investigation note with its evidence."""
    appeal = services.backoffice.record_appeal_note(
        appeal_id,
        text=body.text,
        evidence=[e.lower() for e in body.evidence],
        noted_on=body.noted_on,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return appeal_out(services, appeal, response)


@router.post("/{appeal_id}/resolution", response_model=AppealOut)
def resolve(
    appeal_id: AppealId,
    body: ResolutionIn,
    services: ServicesDep,
    actor: AppealsOfficer,
    version: IfMatch,
    response: Response,
) -> AppealOut:
    """Resolve the case (after acknowledgement and assignment); an upheld appeal against a
    decision reopens it for a new decision on the same audit."""
    appeal, _ = services.backoffice.resolve_appeal(
        appeal_id,
        outcome=body.outcome,
        resolved_on=body.resolved_on,
        notice=body.notice,
        corrective_actions=list(body.corrective_actions),
        by=actor,
        expected_version=version,
    )
    services.settle()
    return appeal_out(services, appeal, response)


@router.post("/{appeal_id}/notice-sent", response_model=AppealOut)
def notice_sent(
    appeal_id: AppealId,
    body: NoticeSentIn,
    services: ServicesDep,
    actor: AppealsOfficer,
    version: IfMatch,
    response: Response,
) -> AppealOut:
    """Record that the written notice went to the appellant; the case closes."""
    appeal = services.backoffice.send_appeal_notice(
        appeal_id, body.sent_on, by=actor, expected_version=version
    )
    services.settle()
    return appeal_out(services, appeal, response)


@router.post("/{appeal_id}/escalation", response_model=AppealOut)
def escalate(
    appeal_id: AppealId,
    body: EscalationIn,
    services: ServicesDep,
    actor: AppealsOfficer,
    version: IfMatch,
    response: Response,
) -> AppealOut:
    """Record the appellant's escalation to the regulator or the accreditor (9.3)."""
    appeal = services.backoffice.escalate_appeal(
        appeal_id, body.to, body.escalated_on, body.note, by=actor, expected_version=version
    )
    services.settle()
    return appeal_out(services, appeal, response)


@router.get(
    "/{appeal_id}/notice",
    response_model=None,
    responses={
        200: {
            "description": "书面通知 / the written notice: JSON, or HTML or PDF by Accept",
            "content": {
                JSON: {"schema": {"type": "object"}},
                HTML: {"schema": {"type": "string"}},
                PDF: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def notice(
    appeal_id: AppealId,
    services: ServicesDep,
    actor: AppealsReader,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The written notice to the appellant (Chinese first), once the case is resolved."""
    appeal = services.backoffice.get_appeal(appeal_id)
    letter = appeal_notice(
        appeal, services.backoffice.today(), services.backoffice, issuer(services.settings)
    )
    headers = {"Vary": "Accept"}
    chosen = negotiate(accept)
    if chosen == HTML:
        html = templates.get_template("letter.html").render(letter=letter)
        return HTMLResponse(html, headers=headers)
    if chosen == PDF:
        return Response(
            render_letter_pdf(letter),
            media_type=PDF,
            headers={
                **headers,
                "Content-Disposition": f'inline; filename="appeal-{appeal.id}.pdf"',
            },
        )
    return JSONResponse(dataclasses.asdict(letter), headers=headers)
