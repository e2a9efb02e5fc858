"""The certification body (本机构) as its documents name it: one place for name and address."""

from __future__ import annotations

Text = dict[str, str]

NAME: Text = {"zh": "ECPSC 认证中心", "en": "ECPSC Certification Centre"}
"""The CB's name on certificates, notices and letters (8.1.1 item 10)."""

ADDRESS: Text = {
    "zh": "北京市朝阳区望京街 1 号 ECPSC 大厦",
    "en": "ECPSC Building, 1 Wangjing Street, Chaoyang District, Beijing, China",
}
"""The CB's address printed on certificates (8.1.1 item 10)."""

ISSUER = f"{NAME['zh']} / {NAME['en']}"
"""The name on one line, Chinese first."""


def issuer() -> dict[str, Text]:
    """The CB's name and address, JSON-ready."""
    return {"name": dict(NAME), "address": dict(ADDRESS)}
