"""Helpers of the in-memory domain tests: documents, applications, stored-event counts."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any
from uuid import UUID

from domain.application import CertificationApplication
from domain.backoffice import BackOffice
from domain.people import Actor
from tests.factories import organization

TODAY = date(2026, 11, 28)
RECEIVED_ON = date(2026, 11, 20)
SCOPE = "家用电器的销售及售后服务 / sale and after-sales service of household appliances"


def upload(bo: BackOffice, by: Actor, kind: str, label: str = "") -> dict[str, str]:
    """Register a document of the given kind and return its reference for an application."""
    content = f"{kind}{label}".encode()
    sha256 = hashlib.sha256(content).hexdigest()
    filename = f"{kind}{label}.pdf"
    bo.register_document(sha256, len(content), "application/pdf", filename, by)
    return {"kind": kind, "filename": filename, "sha256": sha256}


def complete_documents(bo: BackOffice, by: Actor, sites: int = 0) -> list[dict[str, str]]:
    """The materials an application needs to be accepted (4.1.1)."""
    kinds = ["application_form", "legal_status"] + (["multi_site_list"] if sites else [])
    return [upload(bo, by, kind) for kind in kinds]


def site_list(count: int) -> list[dict[str, str]]:
    """Service sites beside the central office."""
    return [{"name": f"门店{i}", "address": f"福州市台江区{i}号"} for i in range(1, count + 1)]


def submit(
    bo: BackOffice,
    by: Actor,
    documents: list[dict[str, str]] | None = None,
    sites: int = 0,
    received_on: date = RECEIVED_ON,
    **org: Any,
) -> CertificationApplication:
    """Submit an application (complete materials unless given)."""
    return bo.submit_application(
        organization=organization(**org),
        scope=SCOPE,
        effective_headcount=300,
        sites=site_list(sites),
        documents=complete_documents(bo, by, sites) if documents is None else documents,
        received_on=received_on,
        by=by,
    )


def stored_count(bo: BackOffice, aggregate_id: UUID) -> int:
    """How many events are stored for an aggregate."""
    return len(list(bo.events.get(aggregate_id)))
