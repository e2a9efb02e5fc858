"""Uploaded documents (4.1.1, 10.3)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

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

    form: Literal["signed", "stamped", "signed_and_stamped"]
    note: LongText = ""
    verified_on: BusinessDate
