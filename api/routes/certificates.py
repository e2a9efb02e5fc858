"""Certificates, for staff (8)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.deps import ServicesDep, Staff
from api.schemas.certificates import CertificateOut, Schedule, Window
from domain.certificate import Certificate
from domain.rulebook.dates import deadline
from ecpsc.services import Services

router = APIRouter(prefix="/certificates", tags=["certificates"])

CertificateNumber = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]

FIRST_SURVEILLANCE_MONTHS = 12
RECERTIFICATION_WINDOW_MONTHS = 3


def verification_url(services: Services, number: str) -> str:
    """The public address a certificate's QR code opens."""
    return f"{services.settings.public_url.rstrip('/')}/verify/{number}"


def schedule_of(certificate: Certificate) -> Schedule:
    """What is due: the first surveillance by 12 months after issue (5.2), the window (6.1)."""
    active = certificate.status in ("valid", "suspended")
    return Schedule(
        next_surveillance_due=deadline(certificate.issued_on, FIRST_SURVEILLANCE_MONTHS)
        if active
        else None,
        recertification_window=Window(
            opens_on=deadline(certificate.expires_on, -RECERTIFICATION_WINDOW_MONTHS),
            closes_on=certificate.expires_on,
        ),
    )


@router.get("/{number}", response_model=CertificateOut)
def get_certificate(
    number: CertificateNumber, services: ServicesDep, actor: Staff, response: Response
) -> CertificateOut:
    """A certificate's full record with its schedule."""
    certificate = services.backoffice.get_certificate(number)
    response.headers["ETag"] = f'"{certificate.version}"'
    return CertificateOut(
        number=certificate.number,
        organization=certificate.organization,
        scope=certificate.scope,
        sites=certificate.sites,
        grade=certificate.grade,  # type: ignore[arg-type]
        status=certificate.status_on(services.backoffice.today()),  # type: ignore[arg-type]
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        suspended_from=certificate.suspended_from,
        suspended_until=certificate.suspended_until,
        withdrawn_on=certificate.withdrawn_on,
        basis=certificate.basis,
        audit_id=certificate.audit_id,
        decision_id=certificate.decision_id,
        application_id=certificate.application_id,
        schedule=schedule_of(certificate),
        verification_url=verification_url(services, certificate.number),
        version=certificate.version,
    )
