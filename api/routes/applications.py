"""Certification applications: intake, review, supplements, contract (4.1)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from api.deps import BackOfficeDep, IfMatch, Intake, ServicesDep, Staff
from api.schemas.applications import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ApplicationRow,
    ContractIn,
    ReviewIn,
    Status,
    SupplementIn,
)
from api.schemas.common import Uscc
from domain.application import CertificationApplication

router = APIRouter(prefix="/applications", tags=["applications"])


def application_out(application: CertificationApplication, response: Response) -> ApplicationOut:
    """An application as the API shows it, with its version as ETag."""
    response.headers["ETag"] = f'"{application.version}"'
    return ApplicationOut(
        id=str(application.id),
        status=application.status,  # type: ignore[arg-type]
        organization=application.organization,
        scope=application.scope,
        effective_headcount=application.effective_headcount,
        sites=application.sites,
        documents=application.documents,
        missing_documents=application.missing_documents(),
        received_on=application.received_on,
        certificate_number=application.certificate_number,
        reviews=application.reviews,
        supplements=application.supplements,
        contract=application.contract,
        created_at=application.created_on,
        modified_at=application.modified_on,
        version=application.version,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApplicationOut)
def submit_application(
    body: ApplicationIn, services: ServicesDep, actor: Intake, response: Response
) -> ApplicationOut:
    """Receive an application with its materials (4.1.1)."""
    application = services.backoffice.submit_application(
        organization=body.organization.model_dump(),
        scope=body.scope,
        effective_headcount=body.effective_headcount,
        sites=[s.model_dump() for s in body.sites],
        documents=[d.model_dump() for d in body.documents],
        received_on=body.received_on,
        certificate_number=body.certificate_number,
        by=actor,
    )
    services.settle()
    response.headers["Location"] = f"/api/v1/applications/{application.id}"
    return application_out(application, response)


@router.get("", response_model=ApplicationPage)
def list_applications(
    services: ServicesDep,
    actor: Staff,
    status: Status | None = None,
    uscc: Uscc | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    """Applications, newest first, by status (a read model; consistent after each command)."""
    rows, total = services.read_models.view("applications").page(
        status=status, uscc=uscc, offset=(page - 1) * page_size, limit=page_size
    )
    return ApplicationPage(
        items=[ApplicationRow(**row) for row in rows], total=total, page=page, page_size=page_size
    )


@router.get("/{application_id}", response_model=ApplicationOut)
def get_application(
    application_id: UUID, backoffice: BackOfficeDep, actor: Staff, response: Response
) -> ApplicationOut:
    """One application, rebuilt from its events."""
    return application_out(backoffice.get_application(application_id), response)


@router.post("/{application_id}/review", response_model=ApplicationOut)
def review_application(
    application_id: UUID,
    body: ReviewIn,
    services: ServicesDep,
    actor: Intake,
    version: IfMatch,
    response: Response,
) -> ApplicationOut:
    """Record the review: accepted, supplement requested or rejected (4.1.3)."""
    application = services.backoffice.review_application(
        application_id,
        outcome=body.outcome,
        reasons=list(body.reasons),
        missing=list(body.missing),
        reviewed_on=body.reviewed_on,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return application_out(application, response)


@router.post("/{application_id}/supplements", response_model=ApplicationOut)
def receive_supplement(
    application_id: UUID,
    body: SupplementIn,
    services: ServicesDep,
    actor: Intake,
    version: IfMatch,
    response: Response,
) -> ApplicationOut:
    """Record supplementary materials; the application returns to review (4.1.3)."""
    application = services.backoffice.receive_supplement(
        application_id,
        documents=[d.model_dump() for d in body.documents],
        received_on=body.received_on,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return application_out(application, response)


@router.post("/{application_id}/contract", response_model=ApplicationOut)
def sign_contract(
    application_id: UUID,
    body: ContractIn,
    services: ServicesDep,
    actor: Intake,
    version: IfMatch,
    response: Response,
) -> ApplicationOut:
    """Record the certification contract; audits may be planned from then on (4.1.4)."""
    application = services.backoffice.sign_contract(
        application_id,
        number=body.number,
        signed_on=body.signed_on,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return application_out(application, response)
