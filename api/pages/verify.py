"""The verification page a certificate's QR code opens (8.1.1, 7.4): public, Chinese first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import ServicesDep
from api.pages.templating import templates
from api.routes.certificates import CertificateNumber
from api.routes.register import register_entry
from domain.rulebook.scoring import GRADE_NAMES
from ecpsc.outage import STORE_UNAVAILABLE
from ecpsc.qr_statement import Checked, check_statement
from ecpsc.signing import known_public_keys

router = APIRouter(tags=["public register"])

STATUS_NAMES = {
    "valid": ("有效", "Valid"),
    "suspended": ("暂停", "Suspended"),
    "withdrawn": ("撤销", "Withdrawn"),
    "expired": ("过期", "Expired"),
}


@router.get("/verify/{number}", response_class=HTMLResponse)
def verify_page(
    number: CertificateNumber,
    services: ServicesDep,
    s: Annotated[
        str | None,
        Query(max_length=512, description="the signed statement a printed certificate's QR "
              "code carries (ecpsc.qr_statement)"),
    ] = None,
) -> HTMLResponse:
    """The certificate's status and validity, readable on a phone; with the statement of its QR
    code, also whether the printed certificate is genuine."""
    printed = check_statement(s, known_public_keys(services.settings), number) if s else None
    try:
        row = services.read_models.view("register").certificate(number)
    except STORE_UNAVAILABLE:
        if printed is None:
            raise
        return _with_printed(printed, "verify_base.html", 503, today=services.backoffice.today(),
                             register_unreachable=True)  # fmt: skip
    if row is None:
        if printed is not None:
            return _with_printed(printed, "verify_unknown.html", 404, number=number,
                                 today=services.backoffice.today())  # fmt: skip
        html = templates.get_template("verify_unknown.html").render(
            number=number, today=services.backoffice.today()
        )
        return HTMLResponse(html, status_code=404)
    entry = register_entry(services, dict(row))
    zh, en = STATUS_NAMES[entry.status]
    context = {
        "entry": entry,
        "status_zh": zh,
        "status_en": en,
        "grade_name": GRADE_NAMES[entry.grade],
        "today": services.backoffice.today(),
    }
    if printed is not None:
        return _with_printed(printed, "verify.html", 200, **context)
    html = templates.get_template("verify.html").render(**context)
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


def _with_printed(printed: Checked, base: str, status: int, **context: Any) -> HTMLResponse:
    """A verification page with the check of the printed certificate's statement above it."""
    html = templates.get_template("verify_statement.html").render(
        base=base,
        printed=printed,
        printed_grade=GRADE_NAMES.get(printed.fields.get("grade", ""), ""),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-cache"})
