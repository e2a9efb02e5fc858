"""Helpers of the application-level tests (either store): users, documents, applications."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.application import CertificationApplication
from domain.backoffice import BackOffice
from domain.people import Actor
from ecpsc.services import Services
from tests.factories import organization

SCOPE = "家用电器的销售及售后服务 / sale and after-sales service of household appliances"


def intake_user(backoffice: BackOffice, name: str = "李四") -> tuple[Actor, str]:
    """Register an intake officer; return them as authenticated by their token, and the token."""
    _, token = backoffice.register_user(name, ["intake"], None, backoffice.bootstrap_admin())
    actor = backoffice.authenticate(token)
    assert actor is not None
    return actor, token


def upload(services: Services, by: Actor, kind: str, content: bytes) -> dict[str, str]:
    """Store content and record its upload; return the reference an application gives."""
    sha256 = services.documents.put(content)
    filename = f"{kind}.pdf"
    services.backoffice.register_document(sha256, len(content), "application/pdf", filename, by)
    return {"kind": kind, "filename": filename, "sha256": sha256}


def complete_documents(services: Services, by: Actor, label: str = "") -> list[dict[str, str]]:
    """An application form and proof of legal status (enough for a single-site scope)."""
    return [
        upload(services, by, kind, f"%PDF-1.4 {kind} {label}".encode())
        for kind in ("application_form", "legal_status")
    ]


def submit(
    backoffice: BackOffice,
    by: Actor,
    documents: list[dict[str, str]],
    uscc: str,
    name: str = "福州某商贸有限公司",
    received_on: date = date(2026, 11, 20),
) -> CertificationApplication:
    """Submit a single-site application."""
    return backoffice.submit_application(
        organization=organization(uscc, name),
        scope=SCOPE,
        effective_headcount=300,
        sites=[],
        documents=documents,
        received_on=received_on,
        by=by,
    )


def page(services: Services, status: str | None = None, uscc: str | None = None) -> tuple[
    list[dict[str, Any]], int
]:
    """The first page of the applications read model."""
    items, total = services.read_models.view("applications").page(
        status=status, uscc=uscc, offset=0, limit=10
    )
    return items, total


def settle(services: Services) -> None:
    """`services.settle()`, then check the read models really caught up (settle only logs)."""
    services.settle()
    view = services.read_models.view("applications")
    assert view.max_tracking_id(BackOffice.name) == (
        services.backoffice.recorder.max_notification_id()
    )
