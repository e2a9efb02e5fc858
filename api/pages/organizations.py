"""The organization page: who it is, its certificates and their schedule, applications,
documents, appeals, and — for compliance officers, as the history API — its timeline, filtered
by kind and cut at a past moment; and a search by USCC or name."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.labels import (
    APPEAL_STATUSES,
    APPLICATION_STATUSES,
    AUDIT_STATUSES,
    CERTIFICATE_STATUSES,
    GRADES,
    RECORD_KINDS,
    label,
)
from api.pages.event_story import event_name, story
from api.pages.rendering import Paging, not_found, paging, refused, render
from api.pages.session import Page, StaffPage
from api.routes.certificates import schedule_of
from api.routes.organizations import moment
from domain.application import DOCUMENT_KINDS
from domain.errors import DomainError, InvalidInput, NotFound
from domain.rulebook.dates import CHINA_STANDARD_TIME
from domain.uscc import uscc_problem
from ecpsc.disposal import RecordDisposed
from ecpsc.history import ActorNames, aggregate_state, event_record

router = APIRouter(include_in_schema=False)

HISTORY_READERS = ("compliance_officer",)
"""Who reads an organization's whole timeline (as `GET /api/v1/organizations/{uscc}/history`)."""
CERTIFICATES_SHOWN = 50
APPLICANTS_SHOWN = 50
"""Applicants without a certificate a name search lists (beside the register's paged holders)."""
APPLICATIONS_SHOWN = 10
"""Latest applications on the page; the rest are a click away in the paged applications list."""
SHOWN_CHARS = 300
"""How much of each recorded value the timeline shows (findings and scores run long)."""
KINDS = RECORD_KINDS
"""The kinds of record the organization index maps to an organization."""
THEN_STATUSES = {
    "application": APPLICATION_STATUSES,
    "audit": AUDIT_STATUSES,
    "certificate": CERTIFICATE_STATUSES,
    "appeal": APPEAL_STATUSES,
}
"""The words for a record's status, by its kind."""


def _view(page: StaffPage, name: str) -> Any:
    return page.services.read_models.view(name)


def _today(page: StaffPage) -> date:
    return page.services.backoffice.today()  # type: ignore[no-any-return]


# -- search -----------------------------------------------------------------------------------


@router.get("/organizations", response_class=HTMLResponse)
def organizations(page: Page, q: str = "") -> HTMLResponse:
    """Organizations by USCC (applicants and certificate holders) or by name: holders from the
    register, a page at a time, and applicants that hold no certificate."""
    query = q.strip()[:100]
    code = query.upper()
    if len(code) == 18 and code.isalnum():
        if uscc_problem(code):
            error = InvalidInput("q", f"统一社会信用代码有误 / invalid USCC: {uscc_problem(code)}")
            return refused(
                page,
                error,
                "staff/organizations.html",
                q=query,
                rows=[],
                paging=paging(page.request, 0, q=query),
            )
        return _by_uscc(page, query, code)
    if not query:
        return render(
            page, "staff/organizations.html", q="", rows=[], paging=paging(page.request, 0)
        )
    register = _view(page, "register")
    _, total = register.search(today=_today(page), q=query, offset=0, limit=1)
    pages = paging(page.request, total, q=query)
    found, _ = register.search(today=_today(page), q=query, offset=pages.offset, limit=pages.size)
    rows = [
        {
            "uscc": r["uscc"],
            "name": r["organization_name"],
            "number": r["number"],
            "status": r["status"],
            "expires_on": r["expires_on"],
        }
        for r in found
    ]
    applicants = _applicants_not_certified(page, query)
    return render(
        page, "staff/organizations.html", q=query, rows=rows, paging=pages, applicants=applicants
    )


def _applicants_not_certified(page: StaffPage, query: str) -> list[dict[str, Any]]:
    """Organizations whose name on an application holds the query and that hold no
    certificate (not yet, or refused): the register does not know them."""
    named = _view(page, "applications").applicants_named(query, APPLICANTS_SHOWN)
    if not named:
        return []
    codes = [row["uscc"] for row in named]
    marks = ", ".join("?" for _ in codes)
    held = {
        row["uscc"]
        for row in _view(page, "register").rows(
            f"SELECT DISTINCT uscc FROM register_certificates WHERE uscc IN ({marks})", codes
        )
    }
    return [row for row in named if row["uscc"] not in held]


def _by_uscc(page: StaffPage, query: str, code: str) -> HTMLResponse:
    applications, applied = _view(page, "applications").page(None, code, 0, 1)
    certificates, held = _view(page, "register").search(
        today=_today(page), uscc=code, offset=0, limit=1
    )
    rows = []
    if applied or held:
        name = (applications or certificates)[0]["organization_name"]
        rows.append({"uscc": code, "name": name, "applications": applied, "certificates": held})
    return render(
        page,
        "staff/organizations.html",
        q=query,
        rows=rows,
        paging=paging(page.request, len(rows), q=query),
    )


# -- the organization -------------------------------------------------------------------------


def _certificates(page: StaffPage, code: str) -> tuple[list[dict[str, Any]], int]:
    """The organization's certificates with their status today and their schedule."""
    rows, total = _view(page, "register").search(
        today=_today(page), uscc=code, offset=0, limit=CERTIFICATES_SHOWN
    )
    shown = []
    for row in rows:
        try:
            certificate = page.services.backoffice.get_certificate(row["number"])
        except NotFound:
            continue
        shown.append(
            {
                "number": certificate.number,
                "grade": certificate.grade,
                "status": certificate.status_on(_today(page)),
                "issued_on": certificate.issued_on,
                "expires_on": certificate.expires_on,
                "schedule": schedule_of(certificate),
                "id": str(certificate.id),
            }
        )
    return shown, int(total)


def _applications(page: StaffPage, code: str) -> tuple[list[dict[str, Any]], int, Any]:
    """The latest applications, their documents, and the latest application itself."""
    rows, total = _view(page, "applications").page(None, code, 0, APPLICATIONS_SHOWN)
    documents: dict[str, dict[str, Any]] = {}
    latest = None
    for row in rows:
        try:
            application = page.services.backoffice.get_application(UUID(row["id"]))
        except NotFound:
            continue
        latest = latest or application
        for ref in application.documents:
            documents.setdefault(
                ref["sha256"],
                {
                    **ref,
                    "kind_name": DOCUMENT_KINDS.get(ref["kind"], ref["kind"]),
                    "application_id": row["id"],
                    "received_on": row["received_on"],
                },
            )
    return rows, int(total), (latest, list(documents.values()))


def _cut(as_of: str) -> datetime | None:
    """The moment the timeline is cut at: a day (through its end in China), or a timestamp
    (China time when it carries no offset)."""
    if not as_of:
        return None
    if len(as_of) == 10:
        return moment(as_of)
    try:
        parsed = datetime.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput("as_of", "须为日期或时间 / a date or a timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_STANDARD_TIME)


def _short(topic: str) -> str:
    return topic.split(":", 1)[-1]


def _timeline(
    page: StaffPage,
    code: str,
    kind: str,
    event_type: str,
    as_of: str,
    cut: datetime | None,
    certificate_numbers: dict[str, str],
) -> dict[str, Any]:
    """One page of the organization's events, newest first, filtered; only the page's events
    are read from the store (the index rows are enough to filter and count)."""
    index = _view(page, "organization_index")
    kinds = {row["originator_id"]: row["kind"] for row in index.aggregates(code)}
    rows = index.events(code)
    types = [(name, event_name(name)) for name in sorted({_short(row["topic"]) for row in rows})]
    versions: dict[str, int] = {}
    if cut is not None:
        rows = [r for r in rows if datetime.fromisoformat(r["recorded_at"]) <= cut]
        # Each record's version at the cut, from the index: one replay per record, not two.
        for r in rows:
            versions[r["originator_id"]] = int(r["originator_version"])
    if kind:
        rows = [r for r in rows if kinds.get(r["originator_id"]) == kind]
    if event_type:
        rows = [r for r in rows if _short(r["topic"]) == event_type]
    rows.reverse()
    pages: Paging = paging(page.request, len(rows), kind=kind, type=event_type, as_of=as_of)
    shown = rows[pages.offset : pages.offset + pages.size]
    stored = _stored_events(page, shown)
    names = ActorNames(page.services)
    events = []
    for row in shown:
        e = stored[(row["originator_id"], int(row["originator_version"]))]
        record = event_record(e, names)
        record["kind"] = kinds.get(record["aggregate_id"], "")
        record["link"] = _link(record["kind"], record["aggregate_id"], certificate_numbers)
        record["label"] = certificate_numbers.get(record["aggregate_id"])
        record["story"] = story(record["type"], record["data"])
        recorded = datetime.fromisoformat(record["recorded_at"]).astimezone(CHINA_STANDARD_TIME)
        record["recorded_local"] = recorded.strftime("%Y-%m-%d %H:%M:%S")
        record["shown"] = [
            (key, _shown(value)) for key, value in record["data"].items() if key != "by"
        ]
        events.append(record)
    records = _records_then(page, events, versions) if cut is not None else {}
    for record in events:
        record["then"] = records.get(record["aggregate_id"])
    return {"events": events, "paging": pages, "types": types, "records": list(records.values())}


def _stored_events(page: StaffPage, rows: list[dict[str, Any]]) -> dict[tuple[str, int], Any]:
    """The stored events of a page of index rows, read one span of versions per record
    rather than one query per event."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row["originator_id"], set()).add(int(row["originator_version"]))
    event_store = page.services.backoffice.repository.event_store
    stored = {}
    for aggregate_id, versions in wanted.items():
        span = event_store.get(UUID(aggregate_id), gt=min(versions) - 1, lte=max(versions))
        for e in span:
            if e.originator_version in versions:
                stored[(aggregate_id, e.originator_version)] = e
    return stored


def _records_then(
    page: StaffPage, events: list[dict[str, Any]], versions: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """Each record on the page as it stood at the cut (its version then), rebuilt from its
    events."""
    records: dict[str, dict[str, Any]] = {}
    for record in events:
        aggregate_id = record["aggregate_id"]
        if aggregate_id in records:
            continue
        then: dict[str, Any] = {
            "id": aggregate_id,
            "kind": record["kind"],
            "link": record["link"],
            "label": record["label"],
        }
        records[aggregate_id] = then
        try:
            aggregate: Aggregate = page.services.backoffice.repository.get(
                UUID(aggregate_id), version=versions[aggregate_id]
            )
        except RecordDisposed:
            then["disposed"] = True
            continue
        except (KeyError, AggregateNotFoundError):
            continue
        state = aggregate_state(aggregate)
        status, grade = state.get("status"), state.get("grade")
        then.update(
            version=aggregate.version,
            status=label(THEN_STATUSES.get(record["kind"], {}), status) if status else None,
            grade=label(GRADES, grade) if grade else None,
        )
    return records


def _shown(value: Any) -> str:
    """A recorded value as the timeline shows it: text as it is, the rest as readable JSON."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _link(kind: str, aggregate_id: str, certificate_numbers: dict[str, str]) -> str | None:
    """The page of a record, where there is one."""
    if kind == "application":
        return f"/applications/{aggregate_id}"
    if kind == "audit":
        return f"/audits/{aggregate_id}"
    if kind == "appeal":
        return f"/appeals/{aggregate_id}"
    if kind == "certificate" and aggregate_id in certificate_numbers:
        return f"/certificates/{certificate_numbers[aggregate_id]}"
    return None


APPELLANT_READERS = ("appeals_officer", "compliance_officer")
"""Who may see the names of complainants and appellants (personal data)."""


@router.get("/organizations/{uscc}", response_class=HTMLResponse)
def organization(
    uscc: str, page: Page, kind: str = "", type: str = "", as_of: str = ""
) -> HTMLResponse:
    """An organization: identity, certificates and schedule, applications, documents, appeals,
    and its timeline (compliance officers) by kind and type, as of a past moment."""
    code = uscc.strip().upper()
    if uscc_problem(code):
        return not_found(page)
    certificates, certificate_total = _certificates(page, code)
    applications, application_total, (latest, documents) = _applications(page, code)
    appeals = _view(page, "appeals").of_organization(code, _today(page))
    if not page.actor.has_any(*APPELLANT_READERS):  # personal data: not for every role
        appeals = [{**row, "appellant_name": ""} for row in appeals]
    register_row = _view(page, "register").search(today=_today(page), uscc=code, limit=1)[0]
    known = latest is not None or register_row or appeals
    if not known and not _view(page, "organization_index").aggregates(code):
        return not_found(page)
    identity = (
        dict(latest.organization)
        if latest is not None
        else {
            "name": register_row[0]["organization_name"] if register_row else "",
            "uscc": code,
            "address": register_row[0]["address"] if register_row else "",
        }
    )
    values: dict[str, Any] = {
        "uscc": code,
        "identity": identity,
        "certificates": certificates,
        "certificate_total": certificate_total,
        "applications": applications,
        "application_total": application_total,
        "documents": documents,
        "appeals": appeals,
        "kinds": KINDS,
        "kind": kind if kind in KINDS else "",
        "event_type": type[:100],
        "as_of": as_of[:40],
        "timeline": None,
        "may_read_history": False,
    }
    if not page.actor.has_any(*HISTORY_READERS):
        return render(page, "staff/organization.html", **values)
    values["may_read_history"] = True
    try:
        cut = _cut(values["as_of"])
    except DomainError as error:
        return refused(page, error, "staff/organization.html", **values)
    numbers = {row["id"]: row["number"] for row in certificates}
    values["cut"] = cut
    values["timeline"] = _timeline(
        page, code, values["kind"], values["event_type"], values["as_of"], cut, numbers
    )
    return render(page, "staff/organization.html", **values)
