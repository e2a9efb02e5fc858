"""Audits (ZPIC-WF-20 4.2–4.5) as staff pages: the worklist with the applications waiting for a
plan, the planning form with the calculator, and one audit with its findings (indicator and
clause pickers), exclusions, special deductions, bonus, score breakdown, completion and report.

Forms are validated by the API's schemas (api/schemas/audits.py) and call the same BackOffice
methods as `/api/v1/audits`; lists read the `audit_worklist` read model a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.pages.records import audit_or_none, uuid_or_none
from api.pages.rendering import form_action, not_found, paging, rejected, render, see_other
from api.pages.session import FormPost, Page, StaffPage
from api.pages.templating import templates
from api.reports.evaluation import build_report
from api.schemas.audits import (
    ALL_LAYERS,
    AuditIn,
    BonusIn,
    CompletionIn,
    ExclusionIn,
    FindingIn,
    SpecialDeductionIn,
)
from domain.application import CertificationApplication
from domain.audit import Audit, score_record
from domain.errors import NotFound
from domain.rulebook import audit_time, sampling
from domain.rulebook.catalogue import GOODS_SERVICE, INDICATORS, INDICATORS_BY_ID
from domain.rulebook.numbers import two_decimals
from domain.rulebook.version import RULEBOOK_VERSION

router = APIRouter(include_in_schema=False)

READERS = ("planner", "auditor", "decision_maker", "compliance_officer")
STATUSES = ("planned", "completed", "decided")
TYPES = ("initial", "surveillance", "recertification", "supplementary")
CATEGORIES = ("law", "company_rules", "industry", "system_operation")
TEAM_ROWS = 4
PLAN_ROWS = 10


@router.get("/audits", response_class=HTMLResponse)
def audits(request: Request, page: Page, status: str = "", plan_page: str = "1") -> HTMLResponse:
    """The audits a page at a time by status; for planners, the applications to plan."""
    page.require(*READERS)
    chosen = status if status in STATUSES else None
    view = page.services.read_models.view("audit_worklist")
    _, total = view.page(chosen, 0, 1)
    pages = paging(request, total, status=chosen)
    rows, total = view.page(chosen, pages.offset, pages.size)
    to_plan: list[dict[str, Any]] = []
    plan_number = 1
    to_plan_total = 0
    if "planner" in page.actor.roles or "admin" in page.actor.roles:
        plan_number = max(1, min(int(plan_page) if plan_page.isdigit() else 1, 100_000))
        to_plan, to_plan_total = view.to_plan((plan_number - 1) * PLAN_ROWS, PLAN_ROWS)
    return render(
        page,
        "staff/audits.html",
        rows=rows,
        paging=pages,
        status=chosen or "",
        statuses=STATUSES,
        to_plan=to_plan,
        to_plan_total=to_plan_total,
        plan_page=plan_number,
        plan_pages=max(1, -(-to_plan_total // PLAN_ROWS)),
    )


# -- planning ---------------------------------------------------------------------------------


def _subject(page: StaffPage, application_id: str, certificate_number: str) -> dict[str, Any]:
    """What the plan is of: the application (its sites and headcount) or the certificate."""
    if application_id:
        uid = uuid_or_none(application_id)
        if uid is None:
            raise NotFound("申请不存在 / no such application")
        application: CertificationApplication = page.services.backoffice.get_application(uid)
        return {
            "application_id": str(uid),
            "certificate_number": "",
            "organization": application.organization,
            "headcount": application.effective_headcount,
            "sites": [s["name"] for s in application.sites],
        }
    if certificate_number:
        # A certificate's audit is planned on its latest audit's headcount and sites, as
        # BackOffice.plan_audit does.
        backoffice = page.services.backoffice
        certificate = backoffice.get_certificate(certificate_number)
        latest_id = (
            certificate.cycle_audits[-1]["audit_id"]
            if certificate.cycle_audits
            else certificate.cycle_audit_id
        )
        latest = backoffice.get_audit(UUID(str(latest_id)))
        return {
            "application_id": "",
            "certificate_number": certificate.number,
            "organization": latest.organization,
            "headcount": latest.effective_headcount,
            "sites": list(latest.service_sites),
        }
    raise NotFound("请指明申请或证书 / name an application or a certificate")


def _calculator(subject: dict[str, Any], audit_type: str) -> dict[str, Any] | None:
    """The required days, on-site days and sample size (as `GET /api/v1/audit-time`)."""
    if not subject["headcount"]:
        return None
    kind = audit_type if audit_type in TYPES else "initial"
    required = audit_time.required_days(subject["headcount"], kind)
    return {
        "required_days": two_decimals(required),
        "required_onsite_days": two_decimals(audit_time.required_onsite_days(required)),
        "sample_size": sampling.sample_size(len(subject["sites"]), kind),
        "planner_sets_time": audit_time.planner_sets_time(subject["headcount"], kind),
        "rulebook_version": RULEBOOK_VERSION,
    }


def _plan_context(
    page: StaffPage, subject: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    return {
        "subject": subject,
        "values": values,
        "calc": _calculator(subject, values["type"]),
        "auditors": page.services.read_models.view("staff").with_role("auditor"),
        "types": TYPES,
        "layers": ALL_LAYERS,
        "team_rows": TEAM_ROWS,
    }


def _blank_plan(subject: dict[str, Any]) -> dict[str, Any]:
    team = [
        {"user_id": "", "role": "leader" if i == 0 else "auditor", "days": ""}
        for i in range(TEAM_ROWS)
    ]
    return {
        "type": "initial" if subject["application_id"] else "surveillance",
        "start_on": "",
        "end_on": "",
        "onsite_days": "",
        "justification": "",
        "team": team,
        "sites": [],
        "layers": list(ALL_LAYERS),
    }


@router.get("/audits/new", response_class=HTMLResponse)
def new_audit(page: Page, application_id: str = "", certificate_number: str = "") -> HTMLResponse:
    """The planning form with the calculator's required days and sample size."""
    page.require("planner")
    try:
        subject = _subject(page, application_id.strip(), certificate_number.strip())
    except NotFound:
        return not_found(page)
    values = _blank_plan(subject)
    return render(page, "staff/audit_new.html", **_plan_context(page, subject, values))


@router.post("/audits", response_class=HTMLResponse)
def plan_audit(page: FormPost) -> Response:
    """Plan an audit; a plan that breaks 4.2 is shown again with the rule beside it."""
    page.require("planner")
    try:
        subject = _subject(page, page.field("application_id"), page.field("certificate_number"))
    except NotFound:
        return not_found(page)
    users, roles, days = (
        page.fields("team_user_id"),
        page.fields("team_role"),
        page.fields("team_days"),
    )
    team = [
        {"user_id": u, "role": r, "days": d} for u, r, d in zip(users, roles, days, strict=False)
    ]
    values = {
        "type": page.field("type"),
        "start_on": page.field("start_on"),
        "end_on": page.field("end_on"),
        "onsite_days": page.field("onsite_days"),
        "justification": page.field("justification"),
        "team": team + [{"user_id": "", "role": "auditor", "days": ""}] * (TEAM_ROWS - len(team)),
        "sites": page.fields("sites"),
        "layers": page.fields("layers"),
    }
    context = _plan_context(page, subject, values)

    def command() -> Audit:
        body = AuditIn.model_validate(
            {
                "application_id": subject["application_id"] or None,
                "certificate_number": subject["certificate_number"] or None,
                "type": values["type"],
                "start_on": values["start_on"] or None,
                "end_on": values["end_on"] or None,
                "team": [m for m in team if m["user_id"]],
                "onsite_days": values["onsite_days"] or None,
                "sites": values["sites"],
                "layers": values["layers"],
                "justification": values["justification"] or None,
            }
        )
        audit: Audit = page.services.backoffice.plan_audit(
            application_id=body.application_id,
            certificate_number=body.certificate_number,
            audit_type=body.type,
            start_on=body.start_on,
            end_on=body.end_on,
            team=[m.model_dump() for m in body.team],
            onsite_days=body.onsite_days,
            sites=list(body.sites),
            layers=list(body.layers),
            justification=body.justification,
            by=page.actor,
            effective_headcount=body.effective_headcount,
        )
        return audit

    return form_action(
        page,
        command,
        lambda problem: rejected(page, problem, "staff/audit_new.html", **context),
        lambda audit: f"/audits/{audit.id}",
    )


# -- one audit --------------------------------------------------------------------------------


def audit_context(page: StaffPage, audit: Audit, **values: Any) -> dict[str, Any]:
    """The audit, its current (or recorded) score and what the reader may do on it."""
    completion = audit.completion
    score = completion["score"] if completion else score_record(audit.current_score())
    member = audit.member(page.actor.id)
    blank = {
        "indicator": "",
        "clause": "",
        "kind": "nonconformity",
        "sampled": "",
        "nonconforming": "",
        "evidence": "",
    }
    return {
        "audit": audit,
        "score": score,
        "completion": completion,
        "member": member,
        "is_leader": bool(member and member["role"] == "leader"),
        "open": completion is None,
        "indicators": INDICATORS,
        "indicators_by_id": INDICATORS_BY_ID,
        "goods_service": [i for i in INDICATORS if i.group == GOODS_SERVICE],
        "categories": CATEGORIES,
        "finding": {**blank, **values.pop("finding", {})},
        **values,
    }


def _detail(page: StaffPage, audit: Audit, status_code: int = 200) -> HTMLResponse:
    return render(page, "staff/audit.html", status_code=status_code, **audit_context(page, audit))


@router.get("/audits/{audit_id}", response_class=HTMLResponse)
def audit_page(audit_id: str, page: Page) -> HTMLResponse:
    """The plan, findings, exclusions, deductions, bonus, the score breakdown and the forms
    (the team's); any staff member reads it, as the API allows and as other pages link to it."""
    audit = audit_or_none(page, audit_id)
    return not_found(page) if audit is None else _detail(page, audit)


@router.get("/audits/{audit_id}/clauses", response_class=HTMLResponse)
def clause_picker(audit_id: str, page: Page, indicator: str = "") -> HTMLResponse:
    """The clause picker of one indicator (an htmx fragment), clause text in Chinese and English."""
    page.require(*READERS)
    chosen = INDICATORS_BY_ID.get(indicator)
    return render(page, "staff/_audit_clauses.html", indicator=chosen, chosen_clause="")


def _htmx(page: StaffPage) -> bool:
    return page.request.headers.get("HX-Request") == "true"


def _after(page: StaffPage, audit_id: str) -> Response:
    """After a recorded finding: the fragment for htmx, else back to the audit (303)."""
    if not _htmx(page):
        return see_other(f"/audits/{audit_id}#findings")
    audit = audit_or_none(page, audit_id)
    assert audit is not None
    return render(page, "staff/_audit_records.html", **audit_context(page, audit))


def _record(
    page: StaffPage, audit_id: str, command: Callable[[Audit], object], **values: Any
) -> Response:
    """Run one of a team member's record forms (finding, exclusion, deduction, bonus); a refusal
    shows the form again, in the fragment for htmx, else on the whole audit page."""
    page.require("auditor")
    audit = audit_or_none(page, audit_id)
    if audit is None:
        return not_found(page)
    template = "staff/_audit_records.html" if _htmx(page) else "staff/audit.html"
    return form_action(
        page,
        lambda: command(audit),
        lambda problem: rejected(page, problem, template, **audit_context(page, audit, **values)),
        lambda _: _after(page, str(audit.id)),
    )


@router.post("/audits/{audit_id}/findings", response_class=HTMLResponse)
def record_finding(audit_id: str, page: FormPost) -> Response:
    """A team member records a finding; htmx gets the findings and the breakdown back."""
    finding = {
        k: page.field(k)
        for k in ("indicator", "clause", "kind", "sampled", "nonconforming", "evidence")
    }

    def command(audit: Audit) -> None:
        body = FindingIn.model_validate(
            {
                **finding,
                "sampled": finding["sampled"] or None,
                "nonconforming": finding["nonconforming"] or None,
            },
            strict=False,  # a form's numbers are text
        )
        page.services.backoffice.record_finding(
            audit.id,
            indicator=body.indicator,
            clause=body.clause,
            kind=body.kind,
            sampled=body.sampled,
            nonconforming=body.nonconforming,
            evidence=body.evidence,
            by=page.actor,
            expected_version=None,
        )

    return _record(page, audit_id, command, finding=finding, form="finding")


@router.post("/audits/{audit_id}/exclusions", response_class=HTMLResponse)
def exclude_indicator(audit_id: str, page: FormPost) -> Response:
    """Exclude a goods-service indicator that does not apply, with the reason (4.4.2.2)."""

    def command(audit: Audit) -> None:
        body = ExclusionIn.model_validate(
            {"indicator": page.field("indicator"), "reason": page.field("reason")}
        )
        page.services.backoffice.exclude_indicator(
            audit.id, indicator=body.indicator, reason=body.reason, by=page.actor
        )

    return _record(page, audit_id, command, form="exclusion")


@router.post("/audits/{audit_id}/special-deductions", response_class=HTMLResponse)
def record_special_deduction(audit_id: str, page: FormPost) -> Response:
    """Record a special deduction (−1); it opens a corrective action (4.4.2.3)."""

    def command(audit: Audit) -> None:
        body = SpecialDeductionIn.model_validate(
            {"category": page.field("category"), "evidence": page.field("evidence")}
        )
        page.services.backoffice.record_special_deduction(
            audit.id, category=body.category, evidence=body.evidence, by=page.actor
        )

    return _record(page, audit_id, command, form="deduction")


@router.post("/audits/{audit_id}/special-bonus", response_class=HTMLResponse)
def record_special_bonus(audit_id: str, page: FormPost) -> Response:
    """Record the audit's one special bonus (+1, 4.4.2.3)."""

    def command(audit: Audit) -> None:
        body = BonusIn.model_validate({"evidence": page.field("evidence")})
        page.services.backoffice.record_special_bonus(
            audit.id, evidence=body.evidence, by=page.actor
        )

    return _record(page, audit_id, command, form="bonus")


@router.post("/audits/{audit_id}/completion", response_class=HTMLResponse)
def complete_audit(audit_id: str, page: FormPost) -> Response:
    """The team leader completes the audit with the actual on-site days; the score is fixed."""
    page.require("auditor")
    audit = audit_or_none(page, audit_id)
    if audit is None:
        return not_found(page)

    def command() -> None:
        body = CompletionIn.model_validate(
            {
                "completed_on": page.field("completed_on") or None,
                "onsite_days": page.field("onsite_days") or None,
            }
        )
        page.services.backoffice.complete_audit(
            audit.id, completed_on=body.completed_on, onsite_days=body.onsite_days, by=page.actor
        )

    return form_action(
        page,
        command,
        lambda problem: rejected(page, problem, "staff/audit.html", **audit_context(page, audit)),
        lambda _: f"/audits/{audit.id}#result",
    )


@router.get("/audits/{audit_id}/report", response_class=HTMLResponse)
def evaluation_report(audit_id: str, page: Page) -> HTMLResponse:
    """The evaluation report as `GET /api/v1/audits/{id}/report` gives it as HTML (4.5); any
    staff member reads it, as the API allows."""
    audit = audit_or_none(page, audit_id)
    if audit is None:
        return not_found(page)
    report = build_report(audit, generated_on=page.services.backoffice.today())
    html = templates.get_template("evaluation_report.html").render(r=report)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
