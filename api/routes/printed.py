"""Printed documents, Chinese first: the certificate (8.1.1), the refusal notice (4.6.3–4.6.4),
and the suspension and withdrawal notices (7.2, 7.3).

Each is JSON by default, or printable HTML or PDF by Accept (`api.routes.reports.negotiate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Path
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import ServicesDep, Staff
from api.pages.templating import templates
from api.reports.certificate import build_certificate, render_certificate_pdf
from api.reports.issuer import issuer
from api.reports.letter import render_letter_pdf
from api.reports.notice import build_notice, render_notice_pdf
from api.reports.qr import qr_svg
from api.reports.status_notice import (
    build_suspension_notice,
    build_withdrawal_notice,
    status_letter,
)
from api.routes.certificates import CertificateNumber, verification_url
from api.routes.reports import HTML, JSON, PDF, negotiate
from ecpsc.qr_statement import signed_qr_address

router = APIRouter()

DecisionId = Annotated[UUID, Path(description="the decision's id")]

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or printable HTML or PDF by Accept",
        "content": {
            JSON: {"schema": {"type": "object"}},
            HTML: {"schema": {"type": "string"}},
            PDF: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _negotiated(
    accept: str | None,
    data: dict[str, Any],
    html: Callable[[], str],
    pdf: Callable[[], bytes],
    filename: str,
) -> Response:
    """The document in the form Accept prefers; every answer varies by Accept."""
    headers = {"Vary": "Accept"}
    chosen = negotiate(accept)
    if chosen == HTML:
        return HTMLResponse(html(), headers=headers)
    if chosen == PDF:
        return Response(
            pdf(),
            media_type=PDF,
            headers={**headers, "Content-Disposition": f'inline; filename="{filename}"'},
        )
    return JSONResponse(data, headers=headers)


@router.get(
    "/certificates/{number}/document",
    tags=["certificates"],
    response_model=None,
    responses=RESPONSES,
)
def certificate_document(
    number: CertificateNumber,
    services: ServicesDep,
    actor: Staff,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The certificate as printed (8.1.1): title and mark, number, organization, sites, basis,
    scope, grade, dates, the CB, the verification address and its QR code, and its status
    today (a suspended, withdrawn or expired certificate says so)."""
    certificate = services.backoffice.get_certificate(number)
    url = verification_url(services, certificate.number)
    doc = build_certificate(
        certificate, services.backoffice.today(), url, issuer(services.settings)
    )
    doc["verification"]["qr"] = qr = signed_qr_address(services.settings, certificate)
    return _negotiated(
        accept,
        doc,
        lambda: templates.get_template("certificate.html").render(c=doc, qr=qr_svg(qr)),
        lambda: render_certificate_pdf(doc),
        f"certificate-{certificate.number}.pdf",
    )


@router.get(
    "/decisions/{decision_id}/notice",
    tags=["decisions"],
    response_model=None,
    responses=RESPONSES,
)
def refusal_notice(
    decision_id: DecisionId,
    services: ServicesDep,
    actor: Staff,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The written notice to the applicant of a refused certification (4.6.3–4.6.4): the
    organization, the audit, the decision date, each reason and the right to appeal (9);
    409 not_a_refusal for a grant."""
    decision = services.backoffice.get_decision(decision_id)
    audit = services.backoffice.get_audit(UUID(decision.audit_id))
    notice = build_notice(decision, audit, services.backoffice.today(), issuer(services.settings))
    return _negotiated(
        accept,
        notice,
        lambda: templates.get_template("refusal_notice.html").render(n=notice),
        lambda: render_notice_pdf(notice),
        f"refusal-notice-{decision.id}.pdf",
    )


def _status_notice(
    number: str,
    services: Any,
    accept: str | None,
    build: Callable[..., dict[str, Any]],
    filename: str,
) -> Response:
    """A suspension or withdrawal notice of a certificate, from its recorded events."""
    certificate = services.backoffice.get_certificate(number)
    events = services.backoffice.repository.event_store.get(certificate.id)
    notice = build(certificate, events, services.backoffice.today(), issuer(services.settings))
    letter = status_letter(notice)
    return _negotiated(
        accept,
        notice,
        lambda: templates.get_template("letter.html").render(letter=letter),
        lambda: render_letter_pdf(letter),
        f"{filename}-{certificate.number}.pdf",
    )


@router.get(
    "/certificates/{number}/suspension-notice",
    tags=["certificates"],
    response_model=None,
    responses=RESPONSES,
)
def suspension_notice(
    number: CertificateNumber,
    services: ServicesDep,
    actor: Staff,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The written notice of the certificate's latest suspension (7.2), dated the day it took
    effect: the reason and its clause, the period, what the organization must do, and its right
    to appeal with the deadline (9); 409 not_suspended if it was never suspended."""
    return _status_notice(number, services, accept, build_suspension_notice, "suspension-notice")


@router.get(
    "/certificates/{number}/withdrawal-notice",
    tags=["certificates"],
    response_model=None,
    responses=RESPONSES,
)
def withdrawal_notice(
    number: CertificateNumber,
    services: ServicesDep,
    actor: Staff,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The written notice of the certificate's withdrawal (7.3), dated the day it took effect:
    the reason and its clause, the return of the certificate (7.3.2), and the right to appeal
    with the deadline (9); 409 not_withdrawn if it was not withdrawn."""
    return _status_notice(number, services, accept, build_withdrawal_notice, "withdrawal-notice")
