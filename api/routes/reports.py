"""The evaluation report of an audit (ZPIC-WF-20 4.5): JSON, printable HTML or PDF by Accept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import ServicesDep, Staff
from api.pages.templating import templates
from api.reports.evaluation import build_report
from api.reports.pdf import render_pdf
from api.routes.audits import AuditId

router = APIRouter(prefix="/audits", tags=["audits"])

JSON, HTML, PDF = "application/json", "text/html", "application/pdf"
OFFERED = (JSON, HTML, PDF)
"""What the report is offered as, in the server's order of preference (JSON on a tie)."""


def _quality(media_range: str) -> tuple[str, float] | None:
    """One Accept media range and its q value; None when unreadable."""
    kind, *params = (part.strip() for part in media_range.split(";"))
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                return None
    if "/" not in kind or not 0 <= q <= 1:
        return None
    return kind.lower(), q


def negotiate(accept: str | None) -> str:
    """The offered type the Accept header prefers most (RFC 9110 12.5.1); JSON by default.

    Each offered type takes the q of the most specific range that matches it (type/subtype,
    then type/*, then */*); the highest q wins, JSON first on a tie. An Accept that matches
    nothing offered gets JSON too.
    """
    if not accept:
        return JSON
    ranges = [r for r in (_quality(part) for part in accept.split(",") if part.strip()) if r]
    best, best_q = JSON, 0.0
    for offered in OFFERED:
        major = offered.split("/")[0]
        q = None
        for specific in (offered, f"{major}/*", "*/*"):
            q = next((value for kind, value in ranges if kind == specific), None)
            if q is not None:
                break
        if q is not None and q > best_q:
            best, best_q = offered, q
    return best


@router.get(
    "/{audit_id}/report",
    response_model=None,
    responses={
        200: {
            "description": "评价报告 / the evaluation report: JSON, or HTML or PDF by Accept",
            "content": {
                JSON: {"schema": {"type": "object"}},
                HTML: {"schema": {"type": "string"}},
                PDF: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def evaluation_report(
    audit_id: AuditId,
    services: ServicesDep,
    actor: Staff,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The evaluation report generated from the audit's records (4.5): organization, mode and
    methods, purpose, basis, scope, team, dates and places, the score with its breakdown and
    arithmetic, findings, exclusions, special deductions and bonus, conclusion and the team's
    recommendation. Before completion it shows the provisional score, marked not completed.
    """
    audit = services.backoffice.get_audit(audit_id)
    report: dict[str, Any] = build_report(audit, generated_on=services.backoffice.today())
    headers = {"Vary": "Accept"}
    chosen = negotiate(accept)
    if chosen == HTML:
        html = templates.get_template("evaluation_report.html").render(r=report)
        return HTMLResponse(html, headers=headers)
    if chosen == PDF:
        filename = f"evaluation-report-{report['audit_id']}.pdf"
        return Response(
            render_pdf(report),
            media_type=PDF,
            headers={**headers, "Content-Disposition": f'inline; filename="{filename}"'},
        )
    return JSONResponse(report, headers=headers)
