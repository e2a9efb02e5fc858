"""Documents, stored by content (4.1.1, 10.3)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, HTTPException, Path, UploadFile, status
from fastapi.responses import Response

from api.deps import BackOfficeDep, ServicesDep, Staff
from api.schemas.common import printable
from api.schemas.documents import DocumentOut, OriginalIn
from domain.document import Document

router = APIRouter(prefix="/documents", tags=["documents"])

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DocumentOut)
def upload_document(
    file: Annotated[UploadFile, File(description="the document's bytes")],
    services: ServicesDep,
    actor: Staff,
) -> DocumentOut:
    """Store a document under the SHA-256 of its bytes (the same bytes are stored once)."""
    content = file.file.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise HTTPException(status_code=413, detail="document larger than 50 MiB")
    filename = printable(file.filename or "")[:255] or "document"
    media_type = printable(file.content_type or "")[:255] or "application/octet-stream"
    sha256 = services.documents.put(content)
    services.backoffice.register_document(
        sha256=sha256, size=len(content), media_type=media_type, filename=filename, by=actor
    )
    return DocumentOut(sha256=sha256, size=len(content), media_type=media_type, filename=filename)


@router.get("/{sha256}", response_class=Response)
def download_document(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")],
    services: ServicesDep,
    backoffice: BackOfficeDep,
    actor: Staff,
) -> Response:
    """The document's bytes, checked against their hash before they are served; always as a
    download under its recorded name, so an uploaded page never runs in the back office's origin."""
    document = backoffice.get_document(sha256.lower())
    content = services.documents.get(document.sha256)
    return Response(
        content=content,
        media_type=document.media_type,
        headers={
            "ETag": f'"{document.sha256}"',
            "X-Content-SHA256": document.sha256,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/{sha256}/record", response_model=DocumentOut)
def document_record(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")],
    backoffice: BackOfficeDep,
    actor: Staff,
) -> DocumentOut:
    """What is recorded of a document: its hash, size, type, name, and whether it is an
    original (10.3)."""
    return document_out(backoffice.get_document(sha256.lower()))


@router.post("/{sha256}/original", response_model=DocumentOut)
def mark_original(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")],
    body: OriginalIn,
    services: ServicesDep,
    actor: Staff,
) -> DocumentOut:
    """Mark a document as the scan of a signed or stamped original, verified on a day (10.3)."""
    document = services.backoffice.mark_original(
        sha256.lower(), body.form, body.note, body.verified_on, by=actor
    )
    return document_out(document)


def document_out(document: Document) -> DocumentOut:
    """A document as the API shows it."""
    return DocumentOut(
        sha256=document.sha256,
        size=document.size,
        media_type=document.media_type,
        filename=document.filename,
        original=None
        if document.original is None
        else {k: v for k, v in document.original.items() if k != "by"},  # type: ignore[misc]
    )
