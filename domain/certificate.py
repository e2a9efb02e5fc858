"""Certificates (ZPIC-WF-20 8): issued on a grant, valid a period of 36 months."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.rulebook.dates import period_last_day

VALIDITY_MONTHS = 36
"""8.1.2: a certificate is valid three years, a period of 36 months from its issue (§0.1)."""

CERTIFICATION_BASIS = "GB/T 27922-2011《商品售后服务评价体系》"


def expiry_for(issued_on: date) -> date:
    """The last day of validity of a certificate issued on a day (8.1.2, rules.md §0.1)."""
    return period_last_day(issued_on, VALIDITY_MONTHS)


def certificate_number(year: int, sequence: int) -> str:
    """The number of the n-th certificate issued in a year, e.g. ECPSC-SC-2026-00001."""
    return f"ECPSC-SC-{year}-{sequence:05d}"


class CertificateNumbering(Aggregate):
    """The year's certificate numbers: each allocated once, in order, never reused (8.1)."""

    class Opened(Aggregate.Created):
        """The year's numbering was opened."""

        year: int

    class NumberAllocated(Aggregate.Event):
        """A number was allocated to a granted decision."""

        number: str
        sequence: int
        decision_id: str
        by: str

    @staticmethod
    def create_id(year: int) -> UUID:
        """The numbering of a year."""
        return uuid5(NAMESPACE_URL, f"/certificate-numbers/{year}")

    @event(Opened)
    def __init__(self, year: int) -> None:
        self.year = year
        self.last_sequence = 0

    def allocate(self, decision_id: str, by: str) -> str:
        """The next number; two concurrent allocations clash on this aggregate's version."""
        sequence = self.last_sequence + 1
        number = certificate_number(self.year, sequence)
        self._allocated(number=number, sequence=sequence, decision_id=decision_id, by=by)
        return number

    @event(NumberAllocated)
    def _allocated(self, number: str, sequence: int, decision_id: str, by: str) -> None:
        self.last_sequence = sequence


class Certificate(Aggregate):
    """A certificate of after-sales service, with its status over time."""

    class Issued(Aggregate.Created):
        """The certificate was issued on the decision date (4.6.4, 8.1.1)."""

        number: str
        organization: dict[str, Any]
        scope: str
        sites: list[dict[str, str]]
        grade: str
        issued_on: date
        expires_on: date
        audit_id: str
        decision_id: str
        application_id: str | None
        basis: str
        by: str

    @staticmethod
    def create_id(number: str) -> UUID:
        """A certificate's id, derived from its unique number."""
        return uuid5(NAMESPACE_URL, f"/certificates/{number}")

    @event(Issued)
    def __init__(
        self,
        number: str,
        organization: dict[str, Any],
        scope: str,
        sites: list[dict[str, str]],
        grade: str,
        issued_on: date,
        expires_on: date,
        audit_id: str,
        decision_id: str,
        application_id: str | None,
        basis: str,
        by: str,
    ) -> None:
        self.number = number
        self.organization = organization
        self.scope = scope
        self.sites = sites
        self.grade = grade
        self.issued_on = issued_on
        self.expires_on = expires_on
        self.audit_id = audit_id
        self.decision_id = decision_id
        self.application_id = application_id
        self.basis = basis
        self.status = "valid"
        self.suspended_from: date | None = None
        self.suspended_until: date | None = None
        self.withdrawn_on: date | None = None

    def status_on(self, day: date) -> str:
        """The status a reader sees on a day: a valid certificate past its expiry has expired."""
        if self.status == "valid" and day > self.expires_on:
            return "expired"
        return self.status
