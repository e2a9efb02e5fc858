"""Valid example inputs for tests (organizations, documents, applications)."""

from __future__ import annotations

from typing import Any

VALID_USCCS = (
    "91350100M000100Y43",
    "91110000100000000R",
    "91440300MA5DC12341",
    "12100000400000624D",
)


def organization(uscc: str = VALID_USCCS[0], name: str = "福州某商贸有限公司") -> dict[str, Any]:
    """An applicant organization."""
    return {
        "name": name,
        "uscc": uscc,
        "address": "福建省福州市鼓楼区五四路1号",
        "industry": "F52",
        "contact": {"name": "王五", "phone": "13800000000", "email": "service@example.cn"},
    }


def application_body(
    documents: list[dict[str, str]],
    uscc: str = VALID_USCCS[0],
    received_on: str = "2026-11-20",
    sites: int = 0,
) -> dict[str, Any]:
    """A POST /applications body."""
    return {
        "organization": organization(uscc),
        "scope": "家用电器的销售及售后服务 / sale and after-sales service of household appliances",
        "effective_headcount": 300,
        "sites": [
            {"name": f"门店{i}", "address": f"福州市台江区{i}号"} for i in range(1, sites + 1)
        ],
        "documents": documents,
        "received_on": received_on,
    }
