"""Applications (ZPIC-WF-20 4.1) as staff pages: the list, the intake form with its uploads,
one application with its review, supplement and contract forms, and document downloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

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
from api.routes.documents import MAX_DOCUMENT_BYTES
from api.schemas.applications import ApplicationIn, ContractIn, DocumentRef, ReviewIn, SupplementIn
from api.schemas.common import printable
from domain.application import DOCUMENT_KINDS, STATUSES, CertificationApplication
from domain.errors import DomainError, InvalidInput, NotFound
from domain.uscc import uscc_problem
from ecpsc.documents import DocumentCorrupted, DocumentMissing, sha256_of

router = APIRouter(include_in_schema=False)

WRITERS = ("intake",)
READERS = ("intake", "planner", "compliance_officer")
SITE_ROWS = 5
"""Empty service-site rows the intake form offers (more with "add a site")."""
MAX_SITE_ROWS = 200


# -- the list ---------------------------------------------------------------------------------


@router.get("/applications", response_class=HTMLResponse)
def applications(page: Page, status: str = "", uscc: str = "") -> HTMLResponse:
    """Applications, newest receipt first, by status and USCC, a page at a time."""
    page.require(*READERS)
    chosen = status if status in STATUSES else None
    code = uscc.strip().upper()
    problem = uscc_problem(code) if code else None
    view = page.services.read_models.view("applications")
    if problem:
        error = InvalidInput("uscc", f"统一社会信用代码有误 / invalid USCC: {problem}")
        pages = paging(page.request, 0, status=chosen, uscc=code)
        return refused(
            page,
            error,
            "staff/applications.html",
            rows=[],
            paging=pages,
            status=chosen or "",
            uscc=code,
            statuses=STATUSES,
        )
    _, total = view.page(chosen, code or None, 0, 1)
    pages = paging(page.request, total, status=chosen, uscc=code)
    rows, total = view.page(chosen, code or None, pages.offset, pages.size)
    return render(
        page,
        "staff/applications.html",
        rows=rows,
        paging=pages,
        status=chosen or "",
        uscc=code,
        statuses=STATUSES,
    )


# -- intake -----------------------------------------------------------------------------------


def _blank_form(page: StaffPage) -> dict[str, Any]:
    return {
        "received_on": page.services.backoffice.today().isoformat(),
        "sites": [{"name": "", "address": ""}] * SITE_ROWS,
    }


def _new_form(page: StaffPage, status_code: int = 200, **values: Any) -> HTMLResponse:
    return render(
        page, "staff/application_new.html", status_code=status_code, kinds=DOCUMENT_KINDS, **values
    )


@router.get("/applications/new", response_class=HTMLResponse)
def new_application(page: Page) -> HTMLResponse:
    """The intake form: the organization, scope, headcount, sites, documents, date received."""
    page.require(*WRITERS)
    return _new_form(page, form=_blank_form(page), kept=[])


@router.get("/applications/new/site-row", response_class=HTMLResponse)
def site_row(page: Page, n: str = "0") -> HTMLResponse:
    """One more empty service-site row for the intake form (htmx); `n` numbers it."""
    page.require(*WRITERS)
    i = int(n) if n.isdigit() and len(n) < 6 else 0
    site = {"name": "", "address": ""}
    return render(page, "staff/_application_site_row.html", i=min(i, MAX_SITE_ROWS), site=site)


def _uploads(page: StaffPage, name: str) -> list[UploadFile]:
    """Files chosen in a file input (browsers send an empty part when none was chosen)."""
    assert page.form is not None
    return [f for f in page.form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def _read_uploads(page: StaffPage) -> list[tuple[str, UploadFile, bytes]]:
    """Each chosen file with its kind and bytes; too large a file is malformed input."""
    chosen = []
    for kind in DOCUMENT_KINDS:
        for upload in _uploads(page, f"document_{kind}"):
            content = upload.file.read(MAX_DOCUMENT_BYTES + 1)
            if len(content) > MAX_DOCUMENT_BYTES:
                message = f"文件超过 50 MiB / {upload.filename} is larger than 50 MiB"
                raise InvalidInput(f"document_{kind}", message)
            chosen.append((kind, upload, content))
    return chosen


def _refs(chosen: list[tuple[str, UploadFile, bytes]]) -> list[dict[str, str]]:
    """Document references of the chosen files, by the hash of their bytes."""
    return [
        {"kind": kind, "filename": _filename(upload), "sha256": sha256_of(content)}
        for kind, upload, content in chosen
    ]


def _filename(upload: UploadFile) -> str:
    return printable(upload.filename or "")[:255] or "document"


def _store(page: StaffPage, chosen: list[tuple[str, UploadFile, bytes]]) -> None:
    """Store each file and record its upload, as `POST /api/v1/documents` does."""
    for _, upload, content in chosen:
        media_type = printable(upload.content_type or "")[:255] or "application/octet-stream"
        sha256 = page.services.documents.put(content)
        page.services.backoffice.register_document(
            sha256=sha256,
            size=len(content),
            media_type=media_type,
            filename=_filename(upload),
            by=page.actor,
        )


def _kept(page: StaffPage) -> list[dict[str, str]]:
    """Documents stored by an earlier, refused submission of the same form (hidden fields)."""
    assert page.form is not None
    kept = []
    for value in page.form.getlist("kept_document"):
        try:
            ref = DocumentRef.model_validate(json.loads(value) if isinstance(value, str) else {})
        except (ValueError, ValidationError):
            continue
        kept.append(ref.model_dump())
    return kept


def _sites(page: StaffPage) -> list[dict[str, str]]:
    """The service-site rows, paired by position; rows left wholly empty are dropped."""
    assert page.form is not None
    names = [v.strip() if isinstance(v, str) else "" for v in page.form.getlist("site_name")]
    addresses = [v.strip() if isinstance(v, str) else "" for v in page.form.getlist("site_address")]
    width = max(len(names), len(addresses))
    names += [""] * (width - len(names))
    addresses += [""] * (width - len(addresses))
    return [{"name": n, "address": a} for n, a in zip(names, addresses, strict=True) if n or a]


def _application_input(page: StaffPage, sites: list[dict[str, str]]) -> dict[str, Any]:
    """The intake form as the API's request body (before its documents are added)."""
    contact = {
        "name": page.field("contact_name"),
        "phone": page.field("contact_phone"),
        "email": page.field("contact_email"),
    }
    return {
        "organization": {
            "name": page.field("name"),
            "uscc": page.field("uscc").upper(),
            "address": page.field("address"),
            "industry": page.field("industry").upper() or None,
            "contact": contact,
        },
        "scope": page.field("scope"),
        "effective_headcount": page.field("effective_headcount"),
        "sites": sites,
        "received_on": page.field("received_on"),
        "certificate_number": page.field("certificate_number") or None,
    }


@router.post("/applications", response_class=HTMLResponse)
def submit_application(page: FormPost) -> Response:
    """Receive an application: store the uploaded documents, then record it (4.1.1)."""
    page.require(*WRITERS)
    sites = _sites(page)
    form = {
        **{
            k: page.field(k)
            for k in (
                "name",
                "uscc",
                "address",
                "industry",
                "contact_name",
                "contact_phone",
                "contact_email",
                "scope",
                "effective_headcount",
                "received_on",
                "certificate_number",
            )
        },
        "sites": sites + [{"name": "", "address": ""}] * max(1, SITE_ROWS - len(sites)),
    }
    kept = _kept(page)
    context = {"form": form, "kept": kept}

    def command() -> CertificationApplication:
        chosen = _read_uploads(page)
        raw = _application_input(page, sites)
        # A form's numbers are text: lax here, strict for the JSON API.
        body = ApplicationIn.model_validate(
            {**raw, "documents": kept + _refs(chosen)}, strict=False
        )
        _store(page, chosen)
        # Stored now: a refused submission keeps them, so they need not be chosen again.
        context["kept"] = [d.model_dump() for d in body.documents]
        application: CertificationApplication = page.services.backoffice.submit_application(
            organization=body.organization.model_dump(),
            scope=body.scope,
            effective_headcount=body.effective_headcount,
            sites=[s.model_dump() for s in body.sites],
            documents=[d.model_dump() for d in body.documents],
            received_on=body.received_on,
            certificate_number=body.certificate_number,
            by=page.actor,
        )
        return application

    return form_action(
        page,
        command,
        lambda problem: rejected(
            page, problem, "staff/application_new.html", kinds=DOCUMENT_KINDS, **context
        ),
        lambda application: f"/applications/{application.id}",
    )


# -- one application --------------------------------------------------------------------------


def _load(page: StaffPage, application_id: str) -> CertificationApplication | None:
    try:
        return page.services.backoffice.get_application(UUID(application_id))  # type: ignore[no-any-return]
    except (ValueError, NotFound):
        return None


def _documents(page: StaffPage, refs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The application's documents with what the store recorded of each (size, type)."""
    shown = []
    for ref in refs:
        row: dict[str, Any] = {**ref, "kind_name": DOCUMENT_KINDS.get(ref["kind"], ref["kind"])}
        try:
            document = page.services.backoffice.get_document(ref["sha256"])
            row.update(size=document.size, media_type=document.media_type)
        except NotFound:
            row.update(size=None, media_type=None)
        shown.append(row)
    return shown


def _user_names(page: StaffPage, ids: list[str]) -> dict[str, str]:
    names = {}
    for user_id in set(ids):
        try:
            names[user_id] = page.services.backoffice.get_user(UUID(user_id)).name
        except (ValueError, DomainError):
            names[user_id] = user_id
    return names


def _context(
    page: StaffPage,
    application: CertificationApplication,
    failed: str | None = None,
    **values: Any,
) -> dict[str, Any]:
    """What the application page shows; its forms filled with `values` (after a refusal)."""
    today = page.services.backoffice.today().isoformat()
    by = [r["by"] for r in application.reviews] + [s["by"] for s in application.supplements]
    if application.contract:
        by.append(application.contract["by"])
    supplements = [
        {**s, "documents": _documents(page, s["documents"])} for s in application.supplements
    ]
    defaults = {
        "reviewed_on": today,
        "received_on": today,
        "signed_on": today,
        "outcome": "",
        "reasons": "",
        "missing": [],
        "number": "",
    }
    return {
        "application": application,
        "documents": _documents(page, application.documents),
        "supplements": supplements,
        "names": _user_names(page, by),
        "kinds": DOCUMENT_KINDS,
        "missing_kinds": application.missing_documents(),
        "form": {**defaults, **values},
        "may_write": page.actor.has_any(*WRITERS),
        "may_plan": page.actor.has_any("planner"),
        "failed": failed,
        "failed_visible": failed in _open_steps(page, application),
    }


def _open_steps(page: StaffPage, application: CertificationApplication) -> set[str]:
    """The forms the application page shows the staff member now."""
    if not page.actor.has_any(*WRITERS):
        return set()
    return {
        "submitted": {"review"},
        "supplement_requested": {"supplement"},
        "accepted": {"contract"},
    }.get(application.status, set())


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application_page(application_id: str, page: Page) -> HTMLResponse:
    """One application: organization, sites, documents, reviews, supplements, contract, and
    the forms of the next step (their roles'); any staff member reads it, as the API allows
    and as the organization and certificate pages link to it."""
    application = _load(page, application_id)
    if application is None:
        return not_found(page)
    return render(page, "staff/application.html", **_context(page, application))


def _version(page: StaffPage) -> int | None:
    """The version the form was shown at (a stale form is refused, as If-Match is)."""
    value = page.field("version")
    return int(value) if value.isdigit() and len(value) < 18 else None


def _step(
    page: StaffPage,
    application_id: str,
    step: str,
    command: Callable[[UUID], object],
    values: dict[str, Any],
    anchor: str,
) -> Response:
    """Run one step's form on the application; a refusal shows the application page again, the
    rule beside the step's form and its `values` kept; nothing is recorded then."""
    if _load(page, application_id) is None:
        return not_found(page)

    def again(problem: FormProblem) -> Response:
        application = _load(page, application_id)
        if application is None:
            return not_found(page)
        context = _context(page, application, failed=step, **values)
        return rejected(page, problem, "staff/application.html", **context)

    return form_action(
        page,
        lambda: command(UUID(application_id)),
        again,
        lambda _: f"/applications/{application_id}#{anchor}",
    )


@router.post("/applications/{application_id}/review", response_class=HTMLResponse)
def review(application_id: str, page: FormPost) -> Response:
    """Record the review: accepted, supplement requested or rejected (4.1.3)."""
    page.require(*WRITERS)
    values = {
        "outcome": page.field("outcome"),
        "reasons": page.field("reasons"),
        "missing": page.fields("missing"),
        "reviewed_on": page.field("reviewed_on"),
    }
    reasons = [line.strip() for line in str(values["reasons"]).splitlines() if line.strip()]

    def command(uid: UUID) -> None:
        body = ReviewIn.model_validate({**values, "reasons": reasons})
        page.services.backoffice.review_application(
            uid,
            outcome=body.outcome,
            reasons=list(body.reasons),
            missing=list(body.missing),
            reviewed_on=body.reviewed_on,
            by=page.actor,
            expected_version=_version(page),
        )

    return _step(page, application_id, "review", command, values, "reviews")


@router.post("/applications/{application_id}/supplements", response_class=HTMLResponse)
def supplement(application_id: str, page: FormPost) -> Response:
    """Record supplementary materials (uploaded here); the application returns to review."""
    page.require(*WRITERS)
    values: dict[str, Any] = {"received_on": page.field("received_on")}

    def command(uid: UUID) -> None:
        chosen = _read_uploads(page)
        body = SupplementIn.model_validate(
            {"documents": _kept(page) + _refs(chosen), "received_on": values["received_on"]}
        )
        # A refusal from here on keeps the documents, so they need not be chosen again.
        values["kept"] = [d.model_dump() for d in body.documents]
        _store(page, chosen)
        page.services.backoffice.receive_supplement(
            uid,
            documents=[d.model_dump() for d in body.documents],
            received_on=body.received_on,
            by=page.actor,
            expected_version=_version(page),
        )

    return _step(page, application_id, "supplement", command, values, "supplements")


@router.post("/applications/{application_id}/contract", response_class=HTMLResponse)
def contract(application_id: str, page: FormPost) -> Response:
    """Record the certification contract; audits may be planned from then on (4.1.4)."""
    page.require(*WRITERS)
    values = {"number": page.field("number"), "signed_on": page.field("signed_on")}

    def command(uid: UUID) -> None:
        body = ContractIn.model_validate(values)
        page.services.backoffice.sign_contract(
            uid,
            number=body.number,
            signed_on=body.signed_on,
            by=page.actor,
            expected_version=_version(page),
        )

    return _step(page, application_id, "contract", command, values, "contract")


# -- documents --------------------------------------------------------------------------------


@router.get("/documents/{sha256}")
def download(sha256: str, page: Page) -> Response:
    """A stored document's bytes for signed-in staff, checked against their hash; always as
    a download, so an uploaded page never runs as one of ours."""
    if len(sha256) != 64 or any(c not in "0123456789abcdefABCDEF" for c in sha256):
        return not_found(page)
    try:
        document = page.services.backoffice.get_document(sha256.lower())
        content = page.services.documents.get(document.sha256)
    except (NotFound, DocumentMissing):
        return not_found(page)
    except DocumentCorrupted:
        error = DomainError(
            "文件内容与其 SHA-256 不符，已拒绝提供 / the stored content no longer matches its "
            "SHA-256 and is not served",
            code="document_integrity_failed",
            clause="ZPIC-WF-20 10.3",
        )
        return refused(page, error, "staff/application_document.html")
    return Response(
        content=content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "X-Content-Type-Options": "nosniff",
            "X-Content-SHA256": document.sha256,
            "Cache-Control": "private, no-store",
        },
    )
