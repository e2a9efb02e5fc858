"""Certificates (ZPIC-WF-20 7, 8) as staff pages: the register searched a page at a time, one
certificate's full record with its schedule and history, and the decision maker's forms that
suspend, extend, reinstate, withdraw and record recovery.

Each form is validated by the API's schema and calls the same BackOffice method as its route in
api/routes/certificates.py; a refusal re-renders the page with the rule beside that form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, get_args

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from api.pages.certificate_story import open_contradictions, status_story
from api.pages.rendering import FormProblem, form_action, not_found, paging, rejected, render
from api.pages.session import FormPost, Page, StaffPage
from api.pages.templating import templates
from api.reports.certificate import build_certificate
from api.reports.qr import qr_svg
from api.reports.status_notice import (
    build_suspension_notice,
    build_withdrawal_notice,
    status_letter,
)
from api.routes.certificates import verification_url
from api.schemas.certificates import (
    CertificateStatus,
    ExtensionIn,
    Grade,
    RecoveryIn,
    ReinstatementIn,
    RescissionIn,
    SuspensionIn,
    WithdrawalIn,
)
from domain.certificate import (
    DEFAULT_SUSPENSION_MONTHS,
    MAXIMUM_SUSPENSION_MONTHS,
    SUSPENSION_REASONS,
    WITHDRAWAL_REASONS,
    Certificate,
)
from domain.errors import DomainError, InvalidInput, NotFound
from domain.rulebook.working_days import working_day_deadline
from ecpsc.history import ActorNames, event_record
from ecpsc.qr_statement import signed_qr_address
from projections.register import effective_status

router = APIRouter(include_in_schema=False)

DECIDER = "decision_maker"
STATUSES: tuple[str, ...] = get_args(CertificateStatus)
GRADES: tuple[str, ...] = get_args(Grade)
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,64}$")
HISTORY_SHOWN = 100
"""The latest changes shown on the page; the organization's history holds them all."""


@router.get("/certificates", response_class=HTMLResponse)
def certificate_list(
    page: Page, q: str = "", status: str = "", grade: str = "", uscc: str = ""
) -> HTMLResponse:
    """Every certificate on the register, newest first, by name, USCC, status and grade; paged."""
    query = q.strip()[:100]
    chosen_status = status if status in STATUSES else ""
    chosen_grade = grade if grade in GRADES else ""
    chosen_uscc = uscc.strip().upper()[:18]
    view = page.services.read_models.view("register")
    today = page.services.backoffice.today()
    filters = {
        "q": query or None,
        "uscc": chosen_uscc or None,
        "status": chosen_status or None,
        "grade": chosen_grade or None,
    }
    _, total = view.search(today=today, offset=0, limit=1, **filters)
    pages = paging(page.request, total, **filters)
    rows, total = view.search(today=today, offset=pages.offset, limit=pages.size, **filters)
    items = [{**row, "status": effective_status(row, today)} for row in rows]
    return render(
        page,
        "staff/certificates.html",
        rows=items,
        paging=pages,
        q=query,
        uscc=chosen_uscc,
        status=chosen_status,
        grade=chosen_grade,
        statuses=STATUSES,
        grades=GRADES,
    )


def _certificate(page: StaffPage, number: str) -> Certificate | None:
    if not NUMBER.match(number):
        return None
    try:
        return page.services.backoffice.get_certificate(number)
    except NotFound:
        return None


def history_of(page: StaffPage, certificate: Certificate) -> list[dict[str, Any]]:
    """The certificate's changes, newest first, as the organization's history shows them."""
    backoffice = page.services.backoffice
    names = ActorNames(page.services)
    first = max(1, certificate.version - HISTORY_SHOWN + 1)
    records = [
        event_record(backoffice.stored_event(certificate.id, version), names)
        for version in range(first, certificate.version + 1)
    ]
    return list(reversed(records))


def certificate_context(page: StaffPage, certificate: Certificate) -> dict[str, Any]:
    """What the certificate page shows: the record, its schedule, history and the forms."""
    today = page.services.backoffice.today()
    status = certificate.status_on(today)
    active = certificate.status in ("valid", "suspended")
    may_act = page.actor.has_any(DECIDER)
    return {
        "c": certificate,
        "status": status,
        "next_surveillance_due": certificate.next_surveillance_due if active else None,
        "window": certificate.recertification_window,
        "history": history_of(page, certificate),
        "verification_url": verification_url(page.services, certificate.number),
        "may_act": may_act,
        "suspension_reasons": SUSPENSION_REASONS,
        "withdrawal_reasons": WITHDRAWAL_REASONS,
        "default_months": DEFAULT_SUSPENSION_MONTHS,
        "months_left": MAXIMUM_SUSPENSION_MONTHS - certificate.suspension_months,
        "five_days": working_day_deadline(today).due_on,
        "story": status_story(certificate),
        "contradictions": open_contradictions(certificate),
    }


@router.get("/certificates/{number}", response_class=HTMLResponse)
def certificate_page(number: str, page: Page) -> HTMLResponse:
    """A certificate's full record: status, organization, scope, sites, dates, schedule, history,
    and for decision makers the forms its status allows."""
    certificate = _certificate(page, number)
    if certificate is None:
        return not_found(page)
    return render(
        page, "staff/certificate.html", values={}, failed=None,
        **certificate_context(page, certificate),
    )  # fmt: skip


@router.get("/certificates/{number}/document", response_class=HTMLResponse)
def certificate_document(number: str, page: Page) -> HTMLResponse:
    """The printable certificate, as `GET /api/v1/certificates/{n}/document` gives it as HTML."""
    certificate = _certificate(page, number)
    if certificate is None:
        return not_found(page)
    url = verification_url(page.services, certificate.number)
    doc = build_certificate(certificate, page.services.backoffice.today(), url)
    doc["verification"]["qr"] = qr = signed_qr_address(page.services.settings, certificate)
    html = templates.get_template("certificate.html").render(c=doc, qr=qr_svg(qr))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/certificates/{number}/suspension-notice", response_class=HTMLResponse)
def suspension_notice(number: str, page: Page) -> HTMLResponse:
    """The printable suspension notice, as `GET /api/v1/certificates/{n}/suspension-notice`."""
    return _status_notice(page, number, build_suspension_notice)


@router.get("/certificates/{number}/withdrawal-notice", response_class=HTMLResponse)
def withdrawal_notice(number: str, page: Page) -> HTMLResponse:
    """The printable withdrawal notice, as `GET /api/v1/certificates/{n}/withdrawal-notice`."""
    return _status_notice(page, number, build_withdrawal_notice)


def _status_notice(page: Page, number: str, build: Callable[..., Any]) -> HTMLResponse:
    certificate = _certificate(page, number)
    if certificate is None:
        return not_found(page)
    backoffice = page.services.backoffice
    try:
        events = backoffice.repository.event_store.get(certificate.id)
        notice = build(certificate, events, backoffice.today())
    except DomainError:
        return not_found(page)
    html = templates.get_template("letter.html").render(letter=status_letter(notice))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _act(
    page: StaffPage,
    number: str,
    form: str,
    fields: tuple[str, ...],
    schema: type[BaseModel],
    body_of: Callable[[dict[str, str]], dict[str, Any]],
    command: Callable[[Any, int | None], object],
) -> Response:
    """Validate one form with its API schema and run its BackOffice command; on a refusal, the
    certificate page again with the rule beside that form and its values kept."""
    page.require(DECIDER)
    if _certificate(page, number) is None:
        return not_found(page)
    values = {name: page.field(name) for name in fields}
    raw_version = page.field("version")
    version = int(raw_version) if raw_version.isdigit() else None

    def again(problem: FormProblem) -> Response:
        certificate = _certificate(page, number)
        if certificate is None:
            return not_found(page)
        context = {**certificate_context(page, certificate), "values": values, "failed": form}
        return rejected(page, problem, "staff/certificate.html", **context)

    def run() -> None:
        body = schema.model_validate(body_of(values), strict=False)  # form numbers are text
        if form == "withdrawal" and values.get("confirm") != "yes":
            raise InvalidInput(
                "confirm", "须勾选“我确认撤销”方可撤销证书 / tick “I confirm the withdrawal” first"
            )
        command(body, version)

    return form_action(page, run, again, lambda _: f"/certificates/{number}#{form}")


def _day(value: str) -> str | None:
    return value or None


def _months(value: str) -> Any:
    return value or None


@router.post("/certificates/{number}/suspension", response_class=HTMLResponse)
def suspend(number: str, page: FormPost) -> Response:
    """Suspend the certificate for a period (7.2); at most 6 months in all."""
    backoffice = page.services.backoffice
    return _act(
        page, number, "suspension", ("reason", "verified_on", "effective_on", "months"),
        SuspensionIn,
        lambda v: {"reason": v["reason"], "verified_on": _day(v["verified_on"]),
                   "effective_on": _day(v["effective_on"]),
                   **({"months": v["months"]} if v["months"] else {})},
        lambda body, version: backoffice.suspend_certificate(
            number, reason=body.reason, verified_on=body.verified_on,
            effective_on=body.effective_on, months=body.months, by=page.actor,
            expected_version=version),
    )  # fmt: skip


@router.post("/certificates/{number}/suspension/extension", response_class=HTMLResponse)
def extend_suspension(number: str, page: FormPost) -> Response:
    """Extend the suspension, never beyond 6 months in all (7.2.2)."""
    backoffice = page.services.backoffice
    return _act(
        page, number, "extension", ("months",), ExtensionIn,
        lambda v: {"months": _months(v["months"])},
        lambda body, version: backoffice.extend_suspension(
            number, months=body.months, by=page.actor, expected_version=version),
    )  # fmt: skip


@router.post("/certificates/{number}/reinstatement", response_class=HTMLResponse)
def reinstate(number: str, page: FormPost) -> Response:
    """Reinstate a suspended certificate whose cause was resolved before the end (7.2)."""
    backoffice = page.services.backoffice
    return _act(
        page, number, "reinstatement", ("verified_on", "effective_on"), ReinstatementIn,
        lambda v: {"verified_on": _day(v["verified_on"]),
                   "effective_on": _day(v["effective_on"])},
        lambda body, version: backoffice.reinstate_certificate(
            number, verified_on=body.verified_on, effective_on=body.effective_on,
            by=page.actor, expected_version=version),
    )  # fmt: skip


@router.post("/certificates/{number}/withdrawal", response_class=HTMLResponse)
def withdraw(number: str, page: FormPost) -> Response:
    """Withdraw the certificate for good (7.3), once the withdrawal is confirmed."""
    backoffice = page.services.backoffice
    return _act(
        page, number, "withdrawal",
        ("reason", "verified_on", "effective_on", "recovered", "confirm"), WithdrawalIn,
        lambda v: {"reason": v["reason"], "verified_on": _day(v["verified_on"]),
                   "effective_on": _day(v["effective_on"]), "recovered": v["recovered"] == "yes"},
        lambda body, version: backoffice.withdraw_certificate(
            number, reason=body.reason, verified_on=body.verified_on,
            effective_on=body.effective_on, recovered=body.recovered, by=page.actor,
            expected_version=version),
    )  # fmt: skip


@router.post("/certificates/{number}/rescission", response_class=HTMLResponse)
def rescind(number: str, page: FormPost) -> Response:
    """Rescind a deadline job's action that a late entry contradicts (rules.md §12)."""
    backoffice = page.services.backoffice
    return _act(
        page, number, "rescission", ("action", "effective_on", "reason", "decided_on"),
        RescissionIn,
        lambda v: {"action": v["action"], "effective_on": _day(v["effective_on"]),
                   "reason": v["reason"], "decided_on": _day(v["decided_on"])},
        lambda body, version: backoffice.rescind_deadline_action(
            number, action=body.action, action_effective_on=body.effective_on,
            reason=body.reason, decided_on=body.decided_on, by=page.actor,
            expected_version=version),
    )  # fmt: skip


@router.post("/certificates/{number}/recovery", response_class=HTMLResponse)
def recover(number: str, page: FormPost) -> Response:
    """Record that the withdrawn certificate came back (7.3.2)."""
    backoffice = page.services.backoffice
    return _act(
        page, number, "recovery", ("recovered_on",), RecoveryIn,
        lambda v: {"recovered_on": _day(v["recovered_on"])},
        lambda body, version: backoffice.recover_certificate(
            number, recovered_on=body.recovered_on, by=page.actor, expected_version=version),
    )  # fmt: skip
