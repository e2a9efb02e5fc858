"""Certificates, for staff (8)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api.deps import IfMatch, ServicesDep, Staff, require
from api.schemas.certificates import (
    CertificateOut,
    CycleAudit,
    ExtensionIn,
    RecoveryIn,
    ReinstatementIn,
    RescissionIn,
    Schedule,
    SuspensionIn,
    Window,
    WithdrawalIn,
)
from domain.certificate import Certificate
from domain.people import Actor
from ecpsc.services import Services

router = APIRouter(prefix="/certificates", tags=["certificates"])

DecisionMaker = Annotated[Actor, Depends(require("decision_maker"))]
CertificateNumber = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


def verification_url(services: Services, number: str) -> str:
    """The public address a certificate's QR code opens."""
    return f"{services.settings.public_url.rstrip('/')}/verify/{number}"


def schedule_of(certificate: Certificate) -> Schedule:
    """What is due (5.2, 6.1), from the certificate's events; nothing once it has ended."""
    active = certificate.status in ("valid", "suspended")
    window = certificate.recertification_window
    return Schedule(
        next_surveillance_due=certificate.next_surveillance_due if active else None,
        last_surveillance_on=certificate.last_surveillance_on,
        recertification_window=Window(opens_on=window.opens_on, closes_on=window.closes_on),
    )


def certificate_out(
    services: Services, certificate: Certificate, response: Response
) -> CertificateOut:
    """A certificate as staff see it."""
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
        cycle=certificate.cycle,
        cycle_audits=[CycleAudit(**audit) for audit in certificate.cycle_audits],
        follow_up_pending=certificate.follow_up_pending,
        expired_on=certificate.expired_on,
        recovered=certificate.recovered,
        verification_url=verification_url(services, certificate.number),
        version=certificate.version,
    )


@router.get("/{number}", response_model=CertificateOut)
def get_certificate(
    number: CertificateNumber, services: ServicesDep, actor: Staff, response: Response
) -> CertificateOut:
    """A certificate's full record with its schedule."""
    return certificate_out(services, services.backoffice.get_certificate(number), response)


@router.post("/{number}/suspension", response_model=CertificateOut)
def suspend(
    number: CertificateNumber,
    body: SuspensionIn,
    services: ServicesDep,
    actor: DecisionMaker,
    version: IfMatch,
    response: Response,
) -> CertificateOut:
    """Suspend a certificate for a period (7.2); at most 6 months in all."""
    certificate = services.backoffice.suspend_certificate(
        number,
        reason=body.reason,
        verified_on=body.verified_on,
        effective_on=body.effective_on,
        months=body.months,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return certificate_out(services, certificate, response)


@router.post("/{number}/suspension/extension", response_model=CertificateOut)
def extend_suspension(
    number: CertificateNumber,
    body: ExtensionIn,
    services: ServicesDep,
    actor: DecisionMaker,
    version: IfMatch,
    response: Response,
) -> CertificateOut:
    """Extend a suspension, never beyond 6 months in all (7.2.2)."""
    certificate = services.backoffice.extend_suspension(
        number, months=body.months, by=actor, expected_version=version
    )
    services.settle()
    return certificate_out(services, certificate, response)


@router.post("/{number}/reinstatement", response_model=CertificateOut)
def reinstate(
    number: CertificateNumber,
    body: ReinstatementIn,
    services: ServicesDep,
    actor: DecisionMaker,
    version: IfMatch,
    response: Response,
) -> CertificateOut:
    """Reinstate a suspended certificate whose cause was resolved before the end (7.2)."""
    certificate = services.backoffice.reinstate_certificate(
        number,
        verified_on=body.verified_on,
        effective_on=body.effective_on,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return certificate_out(services, certificate, response)


@router.post("/{number}/withdrawal", response_model=CertificateOut)
def withdraw(
    number: CertificateNumber,
    body: WithdrawalIn,
    services: ServicesDep,
    actor: DecisionMaker,
    version: IfMatch,
    response: Response,
) -> CertificateOut:
    """Withdraw a certificate for good (7.3)."""
    certificate = services.backoffice.withdraw_certificate(
        number,
        reason=body.reason,
        verified_on=body.verified_on,
        effective_on=body.effective_on,
        recovered=body.recovered,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return certificate_out(services, certificate, response)


@router.post("/{number}/rescission", response_model=CertificateOut)
def rescind(
    number: CertificateNumber,
    body: RescissionIn,
    services: ServicesDep,
    actor: DecisionMaker,
    version: IfMatch,
    response: Response,
) -> CertificateOut:
    """Rescind a deadline job's suspension or withdrawal that a late entry contradicts (§12)."""
    certificate = services.backoffice.rescind_deadline_action(
        number,
        action=body.action,
        action_effective_on=body.effective_on,
        reason=body.reason,
        decided_on=body.decided_on,
        by=actor,
        expected_version=version,
    )
    services.settle()
    return certificate_out(services, certificate, response)


@router.post("/{number}/recovery", response_model=CertificateOut)
def recover(
    number: CertificateNumber,
    body: RecoveryIn,
    services: ServicesDep,
    actor: DecisionMaker,
    version: IfMatch,
    response: Response,
) -> CertificateOut:
    """Record that a withdrawn certificate was recovered (7.3.2)."""
    certificate = services.backoffice.recover_certificate(
        number, recovered_on=body.recovered_on, by=actor, expected_version=version
    )
    services.settle()
    return certificate_out(services, certificate, response)
