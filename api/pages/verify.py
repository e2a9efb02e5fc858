"""The verification page a certificate's QR code opens (8.1.1, 7.4): public, Chinese first."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ServicesDep
from api.pages.templating import templates
from api.routes.certificates import CertificateNumber
from api.routes.register import register_entry
from domain.rulebook.scoring import GRADE_NAMES

router = APIRouter(tags=["public register"])

STATUS_NAMES = {
    "valid": ("有效", "Valid"),
    "suspended": ("暂停", "Suspended"),
    "withdrawn": ("撤销", "Withdrawn"),
    "expired": ("过期", "Expired"),
}


@router.get("/verify/{number}", response_class=HTMLResponse)
def verify_page(number: CertificateNumber, services: ServicesDep) -> HTMLResponse:
    """The certificate's status and validity, readable on a phone."""
    row = services.read_models.view("register").certificate(number)
    if row is None:
        html = templates.get_template("verify_unknown.html").render(
            number=number, today=services.backoffice.today()
        )
        return HTMLResponse(html, status_code=404)
    entry = register_entry(services, dict(row))
    zh, en = STATUS_NAMES[entry.status]
    html = templates.get_template("verify.html").render(
        entry=entry,
        status_zh=zh,
        status_en=en,
        grade_name=GRADE_NAMES[entry.grade],
        today=services.backoffice.today(),
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})
