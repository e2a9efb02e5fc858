"""Certification applications (4.1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

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


_LICENCE: dict[str, Any] = {
    "kind": "licences",
    "filename": "licence.pdf",
    "sha256": "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
}
APPLICATION_EXAMPLE: dict[str, Any] = {
    "organization": {
        "name": "福州某电器有限公司",
        "uscc": "91350100M000100Y43",
        "address": "福建省福州市鼓楼区五四路1号",
        "industry": "F52",
        "contact": {"name": "林晓", "phone": "13900000000", "email": "linxiao@example.cn"},
    },
    "scope": "家用电器的销售及售后服务 / sale and after-sales service of household appliances",
    "effective_headcount": 300,
    "sites": [{"name": "鼓楼门店", "address": "福建省福州市鼓楼区东街2号"}],
    "documents": [
        {
            "kind": "application_form",
            "filename": "application-form.pdf",
            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        },
        {
            "kind": "legal_status",
            "filename": "business-licence.pdf",
            "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
        },
        {
            "kind": "multi_site_list",
            "filename": "sites.pdf",
            "sha256": "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13",
        },
        _LICENCE,
    ],
    "received_on": "2026-11-20",
}


class Contact(Strict):
    """The applicant's contact person."""

    name: Text = Field(description="联系人姓名 / the contact's name (4.5: the report names them)")
    phone: Phone = Field(description="联系电话 / phone number, digits, spaces and dashes")
    email: Email = Field(description="电子邮箱 / email address")


class Organization(Strict):
    """The applicant's identity."""

    name: Text = Field(description="组织名称 / the organization's registered name (8.1.1)")
    uscc: Uscc
    address: Text = Field(description="地址 / the central office's address (8.1.1)")
    industry: Industry | None = Field(
        default=None, description="行业 / GB/T 4754 industry code, when known (4.4.1.3)"
    )
    contact: Contact = Field(description="联系人 / the applicant's contact person (4.5)")


class Site(Strict):
    """A service site (the central office is not listed)."""

    name: Text = Field(description="服务场所名称 / the site's name (4.2.2)")
    address: Text = Field(
        description="服务场所地址 / the site's address, printed on the certificate (8.1.1)"
    )


class DocumentRef(Strict):
    """A document named by the hash of its uploaded content."""

    kind: DocumentKind = Field(
        description="材料类别 / which of the application's materials (4.1.1)"
    )
    filename: Text = Field(description="文件名 / the name the document is shown under")
    sha256: Sha256 = Field(
        description="the SHA-256 of the uploaded content (POST /documents); an unknown one is "
        "409 unknown_document (10.3)"
    )


class ApplicationIn(Strict):
    """A new certification application."""

    model_config = ConfigDict(json_schema_extra={"examples": [APPLICATION_EXAMPLE]})

    organization: Organization = Field(description="申请组织 / the applicant (4.1.1)")
    scope: Text = Field(description="申请认证范围 / the scope applied for (4.1.3)")
    effective_headcount: Count = Field(
        gt=0,
        le=10_000_000,
        description="有效人数 / effective headcount; sets the audit time (4.2.1)",
    )
    sites: list[Site] = Field(
        default_factory=list,
        max_length=10_000,
        description="服务场所，不含中心办公室 / service sites, central office excluded (4.2.2)",
    )
    documents: list[DocumentRef] = Field(
        default_factory=list,
        max_length=200,
        description="申请材料 / the materials received, by content hash (4.1.1)",
    )
    received_on: BusinessDate = Field(
        description="受理日期 / the day the application was received (4.1.1)"
    )
    certificate_number: Text | None = Field(
        default=None,
        description="再认证时的证书编号 / for a recertification, the certificate it renews (6.1)",
    )


class ReviewIn(Strict):
    """The outcome of an application's review."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"outcome": "accepted", "reasons": [], "missing": [], "reviewed_on": "2026-11-20"}
            ]
        }
    )

    outcome: Literal["accepted", "supplement_requested", "rejected"] = Field(
        description="评审结论 / the review's outcome (4.1.3)"
    )
    reasons: list[Text] = Field(
        default_factory=list,
        max_length=100,
        description="理由，拒绝时必填 / reasons; required to reject (4.1.3)",
    )
    missing: list[DocumentKind] = Field(
        default_factory=list,
        max_length=5,
        description="缺少或不足的材料 / the missing or deficient items a supplement request "
        "names (4.1.3)",
    )
    reviewed_on: BusinessDate = Field(description="评审日期 / the day of the review (4.1.3)")


class SupplementIn(Strict):
    """Supplementary materials."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "documents": [_LICENCE],
                    "received_on": "2026-11-22",
                }
            ]
        }
    )

    documents: list[DocumentRef] = Field(
        min_length=1, max_length=200, description="补充的材料 / the supplementary materials (4.1.3)"
    )
    received_on: BusinessDate = Field(description="收到日期 / the day they were received (4.1.3)")


class ContractIn(Strict):
    """The certification contract."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"number": "HT-2026-0042", "signed_on": "2026-11-21"}]}
    )

    number: Text = Field(description="合同编号 / the contract's number (4.1.4)")
    signed_on: BusinessDate = Field(description="签订日期 / the day it was signed (4.1.4)")


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
