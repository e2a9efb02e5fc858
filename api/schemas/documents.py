"""Uploaded documents (4.1.1, 10.3)."""

from __future__ import annotations

from pydantic import BaseModel


class DocumentOut(BaseModel):
    """A stored document's identity."""

    sha256: str
    size: int
    media_type: str
    filename: str
