"""Certification decisions (ZPIC-WF-20 4.6, 5.6) as staff pages: the decision form beside the
completed audit's summary, one decision, and the printable refusal notice.

The form is validated by the API's `DecisionIn` and calls the same `BackOffice.decide` as
`POST /api/v1/decisions`; a decider who was on the audit team is refused (not_impartial).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.pages.records import audit_or_none, uuid_or_none
from api.pages.rendering import form_action, not_found, refused, rejected, render
from api.pages.session import FormPost, Page, StaffPage
from api.pages.templating import templates
from api.reports.notice import build_notice
from api.schemas.certificates import DecisionIn
from domain.audit import Audit
from domain.certificate import FOLLOW_UPS, WITHDRAWAL_REASONS
from domain.decision import Decision
from domain.errors import DomainError, NotFound
from ecpsc.history import ActorNames

router = APIRouter(include_in_schema=False)

DECIDER = "decision_maker"
FIELDS = ("outcome", "reasons", "decided_on", "grade", "withdrawal_reason")
GRADES = ("five_star", "four_star", "three_star", "compliant")


def audit_context(page: StaffPage, audit: Audit) -> dict[str, Any]:
    """What the decision form shows of the audit: organization, type, score, team, and the
    decision already made on it, if any."""
    backoffice = page.services.backoffice
    latest, _ = backoffice.latest_decision(str(audit.id))
    completion = audit.completion or {}
    score = completion.get("score") or {}
    follow_up = audit.application_id is None
    outcomes = list(FOLLOW_UPS) if follow_up else ["grant", "refuse"]
    on_team = page.actor.id in audit.team_user_ids
    return {
        "audit": audit,
        "completion": completion,
        "score": score,
        "follow_up": follow_up,
        "outcomes": outcomes,
        "latest": latest,
        "open_for_decision": bool(completion)
        and (latest is None or latest.reopened is not None)
        and not (follow_up and score.get("passed")),
        "on_team": on_team,
        "grades": GRADES,
        "withdrawal_reasons": WITHDRAWAL_REASONS,
    }


@router.get("/decisions/new", response_class=HTMLResponse)
def new_decision(page: Page, audit_id: str = "") -> HTMLResponse:
    """The decision form beside the completed audit's summary."""
    page.require(DECIDER)
    audit = audit_or_none(page, audit_id)
    if audit is None:
        return not_found(page)
    values = {"decided_on": "", "outcome": "", "reasons": "", "grade": "",
              "withdrawal_reason": ""}  # fmt: skip
    return render(page, "staff/decision_new.html", values=values, **audit_context(page, audit))


@router.post("/decisions", response_class=HTMLResponse)
def decide(page: FormPost) -> Response:
    """Grant or refuse certification, or follow up a failed surveillance (4.6, 5.6)."""
    page.require(DECIDER)
    audit = audit_or_none(page, page.field("audit_id"))
    if audit is None:
        return not_found(page)
    values = {name: page.field(name) for name in FIELDS}
    reasons = [line.strip() for line in values["reasons"].splitlines() if line.strip()]
    context = {"values": values, **audit_context(page, audit)}

    def command() -> Decision:
        body = DecisionIn.model_validate(
            {
                "audit_id": str(audit.id),
                "outcome": values["outcome"],
                "reasons": reasons,
                "decided_on": values["decided_on"] or None,
                "grade": values["grade"] or None,
                "withdrawal_reason": values["withdrawal_reason"] or None,
            }
        )
        decision: Decision
        decision, _ = page.services.backoffice.decide(
            body.audit_id,
            outcome=body.outcome,
            reasons=list(body.reasons),
            decided_on=body.decided_on,
            by=page.actor,
            grade=body.grade,
            withdrawal_reason=body.withdrawal_reason,
        )
        return decision

    return form_action(
        page,
        command,
        lambda problem: rejected(page, problem, "staff/decision_new.html", **context),
        lambda decision: f"/decisions/{decision.id}",
    )


def decision_context(page: StaffPage, decision_id: UUID) -> dict[str, Any] | None:
    """A decision with its audit and the name of who made it; None when unknown."""
    backoffice = page.services.backoffice
    try:
        decision = backoffice.get_decision(decision_id)
    except NotFound:
        return None
    try:
        audit: Audit | None = backoffice.get_audit(UUID(decision.audit_id))
    except DomainError:
        audit = None
    names = ActorNames(page.services)
    return {
        "decision": decision,
        "audit": audit,
        "decided_by_name": names.name(decision.decided_by),
        "reopened_by_name": names.name(str(decision.reopened["by"])) if decision.reopened else None,
    }


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def decision_page(decision_id: str, page: Page) -> HTMLResponse:
    """One decision: outcome, reasons, who and when, its certificate or its refusal notice."""
    uid = uuid_or_none(decision_id)
    context = decision_context(page, uid) if uid else None
    if context is None:
        return not_found(page)
    return render(page, "staff/decision.html", **context)


@router.get("/decisions/{decision_id}/notice", response_class=HTMLResponse)
def refusal_notice(decision_id: str, page: Page) -> HTMLResponse:
    """The printable refusal notice, as `GET /api/v1/decisions/{id}/notice` gives it as HTML."""
    uid = uuid_or_none(decision_id)
    context = decision_context(page, uid) if uid else None
    if context is None or context["audit"] is None:
        return not_found(page)
    try:
        notice = build_notice(
            context["decision"], context["audit"], page.services.backoffice.today()
        )
    except DomainError as error:
        return refused(page, error, "staff/decision.html", **context)
    html = templates.get_template("refusal_notice.html").render(n=notice)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
