"""Appeals and complaints (ZPIC-WF-20 9) as staff pages: the queue by urgency, receiving a case,
and one case with its subject then and now and the forms that take it to its written notice.

Every form calls the same BackOffice method as its route in api/routes/appeals.py and is
validated by the same schema; who may do what mirrors that module: appeals officers act,
compliance officers may read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from api.pages.records import uuid_or_none
from api.pages.rendering import (
    FormProblem,
    form_action,
    not_found,
    paging,
    refused,
    rejected,
    render,
)
from api.pages.session import FormPost, Page, StaffPage
from api.pages.templating import templates
from api.reports.appeal_notice import appeal_notice
from api.schemas.appeals import (
    AcknowledgementIn,
    AppealIn,
    AssignmentIn,
    EscalationIn,
    NoteIn,
    NoticeSentIn,
    ResolutionIn,
)
from domain.appeal import Appeal
from domain.certificate import Certificate
from domain.errors import DomainError, NotFound
from ecpsc.history import ActorNames, appeal_view

router = APIRouter(include_in_schema=False)

OFFICER = "appeals_officer"
READERS = ("appeals_officer", "compliance_officer")
SOON_DAYS = 7
"""A case with this many days left or fewer is marked "soon" (home marks the same)."""
SINCE_SHOWN = 50
"""Events recorded since the decision shown on the case page; the rest are on the organization's."""
FILTERS = ("open", "all", "received", "acknowledged", "assigned", "investigating", "resolved",
           "closed")  # fmt: skip


def marked(row: dict[str, Any]) -> dict[str, Any]:
    """A queue row with its tag: "overdue" past its due date, "soon" within 7 days."""
    is_open = row["status"] != "closed"
    tag = None
    if row["overdue"]:
        tag = "overdue"
    elif is_open and row["days_left"] <= SOON_DAYS:
        tag = "soon"
    return {**row, "tag": tag}


@router.get("/appeals", response_class=HTMLResponse)
def appeal_queue(page: Page, status: str = "open") -> HTMLResponse:
    """The queue, most urgent first: due date, days left, marked soon or overdue; paged."""
    page.require(*READERS)
    chosen = status if status in FILTERS else "open"
    view = page.services.read_models.view("appeals")
    today = page.services.backoffice.today()
    filtered = None if chosen == "all" else chosen
    _, total = view.queue_page(today, filtered, 0, 1)
    pages = paging(page.request, total, status=chosen)
    rows, total = view.queue_page(today, filtered, pages.offset, pages.size)
    return render(
        page,
        "staff/appeals.html",
        rows=[marked(r) for r in rows],
        paging=pages,
        status=chosen,
        filters=FILTERS,
    )


NEW_FIELDS = ("kind", "decision_id", "certificate_number", "application_id", "appellant_name",
              "appellant_contact", "received_on", "text")  # fmt: skip


@router.get("/appeals/new", response_class=HTMLResponse)
def new_appeal(page: Page) -> HTMLResponse:
    """The form to receive an appeal or complaint."""
    page.require(OFFICER)
    values = {name: page.request.query_params.get(name, "") for name in NEW_FIELDS}
    return render(page, "staff/appeal_new.html", values=values)


@router.post("/appeals", response_class=HTMLResponse)
def receive_appeal(page: FormPost) -> Response:
    """Record an appeal or complaint (9.1); it is due 60 days after receipt."""
    page.require(OFFICER)
    values = {name: page.field(name) for name in NEW_FIELDS}
    subject = {
        key: values[key] or None for key in ("decision_id", "certificate_number", "application_id")
    }

    def command() -> Appeal:
        body = AppealIn.model_validate(
            {
                "kind": values["kind"],
                "subject": {k: v for k, v in subject.items() if v is not None},
                "appellant": {
                    "name": values["appellant_name"],
                    "contact": values["appellant_contact"],
                },
                "received_on": values["received_on"] or None,
                "text": values["text"],
            }
        )
        appeal: Appeal = page.services.backoffice.receive_appeal(
            kind=body.kind,
            subject=body.subject.model_dump(),
            appellant=body.appellant.model_dump(),
            received_on=body.received_on,
            text=body.text,
            by=page.actor,
        )
        return appeal

    return form_action(
        page,
        command,
        lambda problem: rejected(page, problem, "staff/appeal_new.html", values=values),
        lambda appeal: f"/appeals/{appeal.id}",
    )


def _now(page: StaffPage, appeal: Appeal, latest_id: str | None) -> dict[str, Any]:
    """The subject as it is today: its latest decision and its certificate."""
    backoffice = page.services.backoffice
    now: dict[str, Any] = {"decision": None, "certificate": None}
    number = appeal.subject.get("certificate_number")
    try:
        if latest_id:
            decision = backoffice.get_decision(UUID(latest_id))
            now["decision"] = decision
            number = number or decision.certificate_number
        if number:
            now["certificate"] = backoffice.get_certificate(number)
    except DomainError:
        pass  # a disposed or unknown record has no "now"
    return now


def _certificate_then(page: StaffPage, appeal: Appeal) -> Certificate | None:
    """A certificate under appeal as it stood when the appeal was received."""
    number = appeal.subject.get("certificate_number")
    if not number:
        return None
    try:
        certificate: Certificate | None = page.services.backoffice.as_of(
            Certificate, Certificate.create_id(number), appeal.created_on
        )
    except DomainError:
        return None
    return certificate


def case_context(page: StaffPage, appeal: Appeal) -> dict[str, Any]:
    """What the case page shows: the case, then and now, the handlers one may assign."""
    services = page.services
    try:
        view = appeal_view(services, appeal)
    except DomainError:
        view = {"then": None, "since": [], "latest_decision_id": None}
    try:
        involved = services.backoffice.involved_in(appeal.subject)
    except DomainError:
        involved = {}
    names = ActorNames(services)
    officers = [
        {**member, "involved": involved.get(member["id"])}
        for member in services.read_models.view("staff").with_role(OFFICER)
    ]
    today = services.backoffice.today()
    since = view["since"]
    return {
        "appeal": appeal,
        "days_left": (appeal.due_on - today).days,
        "overdue": appeal.is_open and today > appeal.due_on,
        "then": view["then"],
        "certificate_then": _certificate_then(page, appeal),
        "since": since[-SINCE_SHOWN:],
        "since_total": len(since),
        "latest_decision_id": view["latest_decision_id"],
        "now": _now(page, appeal, view["latest_decision_id"]),
        "officers": officers,
        "by_name": names.name,
        "may_act": page.actor.has_any(OFFICER),
    }


@router.get("/appeals/{appeal_id}", response_class=HTMLResponse)
def appeal_page(appeal_id: str, page: Page) -> HTMLResponse:
    """One case: then and now, due date and days left, and the forms of its next steps."""
    page.require(*READERS)
    uid = uuid_or_none(appeal_id)
    if uid is None:
        return not_found(page)
    try:
        appeal = page.services.backoffice.get_appeal(uid)
    except NotFound:
        return not_found(page)
    return render(page, "staff/appeal.html", values={}, failed=None, **case_context(page, appeal))


def _version(page: StaffPage) -> int | None:
    raw = page.field("version")
    return int(raw) if raw.isdigit() else None


def _act(
    page: StaffPage,
    appeal_id: str,
    form: str,
    fields: tuple[str, ...],
    schema: type[BaseModel],
    body_of: Callable[[dict[str, Any]], dict[str, Any]],
    command: Callable[[UUID, Any, int | None], object],
) -> Response:
    """Validate one form of a case with its API schema and run its BackOffice command; on a
    refusal, the case page again with the rule beside that form and its values kept."""
    page.require(OFFICER)
    uid = uuid_or_none(appeal_id)
    if uid is None:
        return not_found(page)
    values: dict[str, Any] = {name: page.field(name) for name in fields}
    if "handler_ids" in fields:
        values["handler_ids"] = page.fields("handler_ids")

    def again(problem: FormProblem) -> Response:
        try:
            appeal = page.services.backoffice.get_appeal(uid)
        except NotFound:
            return not_found(page)
        context = {**case_context(page, appeal), "values": values, "failed": form}
        return rejected(page, problem, "staff/appeal.html", **context)

    return form_action(
        page,
        lambda: command(uid, schema.model_validate(body_of(values)), _version(page)),
        again,
        lambda _: f"/appeals/{uid}#{form}",
    )


def _day(value: str) -> str | None:
    return value or None


@router.post("/appeals/{appeal_id}/acknowledgement", response_class=HTMLResponse)
def acknowledge(appeal_id: str, page: FormPost) -> Response:
    """Acknowledge receipt to the appellant."""
    backoffice = page.services.backoffice
    return _act(
        page, appeal_id, "acknowledgement", ("acknowledged_on",), AcknowledgementIn,
        lambda v: {"acknowledged_on": _day(v["acknowledged_on"])},
        lambda uid, body, version: backoffice.acknowledge_appeal(
            uid, body.acknowledged_on, by=page.actor, expected_version=version),
    )  # fmt: skip


@router.post("/appeals/{appeal_id}/assignment", response_class=HTMLResponse)
def assign(appeal_id: str, page: FormPost) -> Response:
    """Assign handlers; anyone involved in the subject's history is refused (not_impartial)."""
    backoffice = page.services.backoffice
    return _act(
        page, appeal_id, "assignment", ("handler_ids", "assigned_on"), AssignmentIn,
        lambda v: {"handler_ids": v["handler_ids"], "assigned_on": _day(v["assigned_on"])},
        lambda uid, body, version: backoffice.assign_appeal(
            uid, [str(h) for h in body.handler_ids], by=page.actor,
            assigned_on=body.assigned_on, expected_version=version),
    )  # fmt: skip


@router.post("/appeals/{appeal_id}/notes", response_class=HTMLResponse)
def record_note(appeal_id: str, page: FormPost) -> Response:
    """A handler's investigation note, with an evidence document (by SHA-256) if any."""
    backoffice = page.services.backoffice
    return _act(
        page, appeal_id, "notes", ("text", "evidence", "noted_on"), NoteIn,
        lambda v: {"text": v["text"], "evidence": v["evidence"].split(),
                   "noted_on": _day(v["noted_on"])},
        lambda uid, body, version: backoffice.record_appeal_note(
            uid, text=body.text, evidence=[e.lower() for e in body.evidence],
            noted_on=body.noted_on, by=page.actor, expected_version=version),
    )  # fmt: skip


@router.post("/appeals/{appeal_id}/resolution", response_class=HTMLResponse)
def resolve(appeal_id: str, page: FormPost) -> Response:
    """Resolve the case; an upheld appeal against a decision reopens it (9.2)."""
    backoffice = page.services.backoffice
    return _act(
        page, appeal_id, "resolution",
        ("outcome", "resolved_on", "notice", "corrective_actions"), ResolutionIn,
        lambda v: {"outcome": v["outcome"], "resolved_on": _day(v["resolved_on"]),
                   "notice": v["notice"],
                   "corrective_actions": [line.strip() for line in
                                          v["corrective_actions"].splitlines() if line.strip()]},
        lambda uid, body, version: backoffice.resolve_appeal(
            uid, outcome=body.outcome, resolved_on=body.resolved_on, notice=body.notice,
            corrective_actions=list(body.corrective_actions), by=page.actor,
            expected_version=version),
    )  # fmt: skip


@router.post("/appeals/{appeal_id}/notice-sent", response_class=HTMLResponse)
def notice_sent(appeal_id: str, page: FormPost) -> Response:
    """Record that the written notice went to the appellant; the case closes."""
    backoffice = page.services.backoffice
    return _act(
        page, appeal_id, "notice-sent", ("sent_on",), NoticeSentIn,
        lambda v: {"sent_on": _day(v["sent_on"])},
        lambda uid, body, version: backoffice.send_appeal_notice(
            uid, body.sent_on, by=page.actor, expected_version=version),
    )  # fmt: skip


@router.post("/appeals/{appeal_id}/escalation", response_class=HTMLResponse)
def escalate(appeal_id: str, page: FormPost) -> Response:
    """Record the appellant's escalation to the regulator or the accreditor (9.3)."""
    backoffice = page.services.backoffice
    return _act(
        page, appeal_id, "escalation", ("to", "escalated_on", "note"), EscalationIn,
        lambda v: {"to": v["to"], "escalated_on": _day(v["escalated_on"]),
                   **({"note": v["note"]} if v["note"] else {})},
        lambda uid, body, version: backoffice.escalate_appeal(
            uid, body.to, body.escalated_on, body.note, by=page.actor,
            expected_version=version),
    )  # fmt: skip


@router.get("/appeals/{appeal_id}/notice", response_class=HTMLResponse)
def notice(appeal_id: str, page: Page) -> HTMLResponse:
    """The written notice to the appellant, as `GET /api/v1/appeals/{id}/notice` gives it."""
    page.require(*READERS)
    uid = uuid_or_none(appeal_id)
    if uid is None:
        return not_found(page)
    try:
        appeal = page.services.backoffice.get_appeal(uid)
    except NotFound:
        return not_found(page)
    try:
        backoffice = page.services.backoffice
        letter = appeal_notice(appeal, backoffice.today(), backoffice)
    except DomainError as error:
        context = {**case_context(page, appeal), "values": {}, "failed": "notice"}
        return refused(page, error, "staff/appeal.html", **context)
    html = templates.get_template("letter.html").render(letter=letter)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
