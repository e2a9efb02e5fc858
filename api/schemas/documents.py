"""Uploaded documents (4.1.1, 10.3)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import BusinessDate, LongText, Strict


class DocumentOut(BaseModel):
    """A stored document's identity."""

    sha256: str
    size: int
    media_type: str
    filename: str
    original: dict[str, str | date] | None = Field(
        default=None, description="set when marked as a signed or stamped original (10.3)"
    )


class OriginalIn(Strict):
    """The content is the scan of a signed or stamped original (10.3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "form": "signed_and_stamped",
                    "note": "合同原件已核对 / checked against the paper contract",
                    "verified_on": "2026-11-21",
                }
            ]
        }
    )

    form: Literal["signed", "stamped", "signed_and_stamped"] = Field(
        description="签字、盖章或两者 / signed, stamped or both (10.3)"
    )
    note: LongText = Field(default="", description="备注 / how it was checked (10.3)")
    verified_on: BusinessDate
