"""The verification page a certificate's QR code opens (8.1.1, 7.4): public, Chinese first.

What a person types is read as the register stores numbers (case, full-width letters and
dashes, spaces), and every answer is a page — a number that is malformed or on no certificate
is the not-found page, never the API's JSON.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import ServicesDep
from api.labels import CERTIFICATE_STATUSES, GRADES, label
from api.pages.templating import templates
from api.reports.issuer import issuer
from api.routes.register import register_entry
from ecpsc.outage import STORE_UNAVAILABLE
from ecpsc.qr_statement import Checked, check_statement
from ecpsc.signing import known_public_keys
from projections.register import normalised_code

router = APIRouter(tags=["public register"])

NUMBER = re.compile(r"[A-Z0-9-]{1,64}")
"""What a certificate number may be (as `GET /register/certificates/{number}` takes it)."""
SHOWN_INPUT = 64
"""How much of a malformed input the not-found page repeats."""


def public_page(template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A public page (verification, register) from its template, naming the certification
    body."""
    html = templates.get_template(template).render(body_name=issuer()["name"]["zh"], **values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-cache"})


def site_name(name: str) -> str:
    """A site's name as the page shows it: the Chinese half of one stored "中文 / English"."""
    return name.partition(" / ")[0] or name


def since(day: date | None) -> date | None:
    """The day after `day` (a certificate valid through a day has expired from the next)."""
    return day + timedelta(days=1) if day else None


@router.get("/verify", include_in_schema=False)
@router.get("/verify/", include_in_schema=False)
def verify_without_number() -> RedirectResponse:
    """No number typed: the register's search page."""
    return RedirectResponse("/register", status_code=303)


@router.get("/verify/{number:path}", response_class=HTMLResponse)
def verify_page(
    number: str,
    services: ServicesDep,
    s: Annotated[
        str | None,
        Query(max_length=512, description="the signed statement a printed certificate's QR "
              "code carries (ecpsc.qr_statement)"),
    ] = None,
) -> HTMLResponse:
    """The certificate's status, what it means and since when, the sites it covers and who
    issued it, readable on a phone; with the statement of its QR code, also whether the
    printed certificate is genuine."""
    today = services.backoffice.today()
    wanted = normalised_code(number)
    printed = check_statement(s, known_public_keys(services.settings), wanted) if s else None
    try:
        row = (
            services.read_models.view("register").certificate(wanted)
            if NUMBER.fullmatch(wanted)
            else None
        )
    except STORE_UNAVAILABLE:
        if printed is None:
            raise
        return _with_printed(printed, "verify_base.html", 503, today=today,
                             register_unreachable=True)  # fmt: skip
    if row is None:
        shown = wanted if NUMBER.fullmatch(wanted) else number.strip()[:SHOWN_INPUT]
        if printed is not None:
            return _with_printed(printed, "verify_unknown.html", 404, number=shown, today=today)
        return public_page("verify_unknown.html", 404, number=shown, today=today)
    entry = register_entry(services, dict(row))
    status_zh, status_en = label(CERTIFICATE_STATUSES, entry.status)
    grade_zh, grade_en = label(GRADES, entry.grade)
    sites = [
        {"name": site_name(site.get("name", "")), "address": site.get("address", "")}
        for site in entry.sites
    ]
    context: dict[str, Any] = {
        "entry": entry,
        "status_zh": status_zh,
        "status_en": status_en,
        "grade_zh": grade_zh,
        "grade_en": grade_en,
        "sites": sites,
        "expired_from": since(entry.expires_on),
        "today": today,
    }
    if printed is not None:
        return _with_printed(printed, "verify.html", 200, **context)
    return public_page("verify.html", **context)


def _with_printed(printed: Checked, base: str, status: int, **context: Any) -> HTMLResponse:
    """A verification page with the check of the printed certificate's statement above it."""
    return public_page(
        "verify_statement.html",
        status,
        base=base,
        printed=printed,
        printed_grade=label(GRADES, printed.fields.get("grade"))[0],
        **context,
    )
