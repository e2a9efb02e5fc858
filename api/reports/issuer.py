"""The certification body (本机构) as its documents name it: configured by ECPSC_ISSUER_*."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ecpsc.settings import Settings

Text = dict[str, str]


@functools.cache
def _from_environment() -> Settings:
    return Settings()


def issuer(settings: Settings | None = None) -> dict[str, Any]:
    """The CB's name, address, approval number, accreditation, contact and seal, JSON-ready
    (settings: the server's; else read from the environment)."""
    s = settings if settings is not None else _from_environment()
    seal = s.issuer_seal_image
    return {
        "name": {"zh": s.issuer_name, "en": s.issuer_name_en},
        "address": {"zh": s.issuer_address, "en": s.issuer_address_en},
        "approval_number": s.issuer_approval_number,
        "accreditation": s.issuer_accreditation or None,
        "contact": {"phone": s.issuer_phone, "email": s.issuer_email},
        "seal_image": str(seal) if seal is not None and Path(seal).is_file() else None,
    }


def one_line(cb: dict[str, Any]) -> str:
    """The name on one line, Chinese first."""
    return f"{cb['name']['zh']} / {cb['name']['en']}"


def closing_lines(cb: dict[str, Any]) -> list[str]:
    """The CB's block under a letter: name, approval number, address and contact."""
    credentials = f"批准号 / CNCA approval No.：{cb['approval_number']}"
    if cb["accreditation"]:
        credentials += f"；认可 / Accreditation：{cb['accreditation']}"
    return [
        one_line(cb),
        credentials,
        f"地址 / Address：{cb['address']['zh']} / {cb['address']['en']}",
        f"电话 / Tel：{cb['contact']['phone']}；电子邮箱 / Email：{cb['contact']['email']}",
    ]
