"""Certification applications (4.1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from api.schemas.common import BusinessDate, Count, Sha256, Strict, Text, Uscc, reject_unprintable

DocumentKind = Literal[
    "application_form", "legal_status", "multi_site_list", "licences", "documented_information"
]
Status = Literal["submitted", "supplement_requested", "accepted", "rejected", "contracted"]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20, pattern=r"^\+?[0-9][0-9 \-]{4,19}$"),
]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=254,
        pattern=r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$",
    ),
    AfterValidator(reject_unprintable),
]
Industry = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-T]([0-9]{2,4})?$"),
    Field(description="GB/T 4754 industry code, e.g. F52 (retail)"),
]


class Contact(Strict):
    """The applicant's contact person."""

    name: Text
    phone: Phone
    email: Email


class Organization(Strict):
    """The applicant's identity."""

    name: Text
    uscc: Uscc
    address: Text
    industry: Industry | None = None
    contact: Contact


class Site(Strict):
    """A service site (the central office is not listed)."""

    name: Text
    address: Text


class DocumentRef(Strict):
    """A document named by the hash of its uploaded content."""

    kind: DocumentKind
    filename: Text
    sha256: Sha256


class ApplicationIn(Strict):
    """A new certification application."""

    organization: Organization
    scope: Text
    effective_headcount: Count = Field(gt=0, le=10_000_000)
    sites: list[Site] = Field(default_factory=list, max_length=10_000)
    documents: list[DocumentRef] = Field(default_factory=list, max_length=200)
    received_on: BusinessDate
    certificate_number: Text | None = None


class ReviewIn(Strict):
    """The outcome of an application's review."""

    outcome: Literal["accepted", "supplement_requested", "rejected"]
    reasons: list[Text] = Field(default_factory=list, max_length=100)
    missing: list[DocumentKind] = Field(default_factory=list, max_length=5)
    reviewed_on: BusinessDate


class SupplementIn(Strict):
    """Supplementary materials."""

    documents: list[DocumentRef] = Field(min_length=1, max_length=200)
    received_on: BusinessDate


class ContractIn(Strict):
    """The certification contract."""

    number: Text
    signed_on: BusinessDate


class ApplicationOut(BaseModel):
    """An application as its events tell it."""

    id: str
    status: Status
    organization: dict[str, Any]
    scope: str
    effective_headcount: int
    sites: list[dict[str, str]]
    documents: list[dict[str, str]]
    missing_documents: list[str]
    received_on: date
    certificate_number: str | None
    reviews: list[dict[str, Any]]
    supplements: list[dict[str, Any]]
    contract: dict[str, Any] | None
    created_at: datetime
    modified_at: datetime
    version: int


class ApplicationRow(BaseModel):
    """An application in a list."""

    id: str
    status: Status
    uscc: str
    organization_name: str
    scope: str
    received_on: date
    certificate_number: str | None
    version: int


class ApplicationPage(BaseModel):
    """A page of applications."""

    items: list[ApplicationRow]
    total: int
    page: int
    page_size: int
