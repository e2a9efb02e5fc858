"""Documents stored by content over HTTP (api.md Documents; rules §1, ZPIC-WF-20 4.1.1, 10.3)."""

from __future__ import annotations

import hashlib

import psycopg
from fastapi.testclient import TestClient

from ecpsc.settings import Settings
from tests.api.conftest import API, Uploader, events_recorded

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def test_upload_answers_the_content_hash(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Given some bytes,
    when they are uploaded as the multipart field `file`,
    then 201 with sha256 (the SHA-256 of the bytes), size, media type and filename."""
    response = client.post(
        f"{API}/documents",
        files={"file": ("申请书.pdf", PDF, "application/pdf")},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
        "media_type": "application/pdf",
        "filename": "申请书.pdf",
        "original": None,
    }


def test_same_bytes_give_the_same_hash(upload: Uploader) -> None:
    """Given a document already uploaded,
    when the same bytes are uploaded again under another name,
    then the same sha256 is answered, with the new name."""
    first = upload(PDF, filename="a.pdf")
    second = upload(PDF, filename="b.pdf")
    assert first["sha256"] == second["sha256"]
    assert second["filename"] == "b.pdf"
    other = upload(PDF + b" ")
    assert other["sha256"] != first["sha256"]


def test_get_returns_the_bytes(
    client: TestClient, admin_headers: dict[str, str], upload: Uploader
) -> None:
    """Given an uploaded document, when GET /documents/{sha256} (in upper case too),
    then 200 with exactly the bytes and their media type."""
    stored = upload(PDF)
    for name in (stored["sha256"], stored["sha256"].upper()):
        response = client.get(f"{API}/documents/{name}", headers=admin_headers)
        assert response.status_code == 200, response.text
        assert response.content == PDF
        assert response.headers["content-type"].startswith("application/pdf")
        assert response.headers["X-Content-SHA256"] == stored["sha256"]


def test_a_document_is_served_as_a_download_under_its_name_never_as_a_page(
    client: TestClient, admin_headers: dict[str, str], upload: Uploader
) -> None:
    """Given an HTML file uploaded as a document, when GET /documents/{sha256}, then it comes as
    an attachment under its recorded (Chinese) name, not sniffed, not cached: a browser saves it
    instead of running its script in the back office's origin."""
    page = b"<html><script>fetch('/api/v1/staff')</script></html>"
    stored = upload(page, filename="整改报告.html", media_type="text/html")
    response = client.get(f"{API}/documents/{stored['sha256']}", headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.content == page
    assert response.headers["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.html"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_any_staff_role_may_upload(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given an intake user, when they upload, then 201."""
    response = client.post(
        f"{API}/documents", files={"file": ("x.txt", b"x", "text/plain")}, headers=intake_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["sha256"] == hashlib.sha256(b"x").hexdigest()


def test_unknown_hash_is_404(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Given nothing uploaded with that hash, when GET by a well-formed sha256, then 404."""
    response = client.get(
        f"{API}/documents/{hashlib.sha256(b'never').hexdigest()}", headers=admin_headers
    )
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"


def test_malformed_hash_is_422(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Given a name that is not 64 hex digits, when GET, then 422 naming the path parameter."""
    for bad in ("abc", "g" * 64, "0" * 63, "0" * 65):
        response = client.get(f"{API}/documents/{bad}", headers=admin_headers)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["detail"][0]["loc"] == ["path", "sha256"]


def test_upload_without_file_field_is_422(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a multipart body without `file`, when POST /documents, then 422, nothing recorded."""
    before = events_recorded(client)
    response = client.post(
        f"{API}/documents", files={"other": ("x", b"x", "text/plain")}, headers=admin_headers
    )
    assert response.status_code == 422, response.text
    assert events_recorded(client) == before


def _tamper(settings: Settings, sha256: str, content: bytes) -> None:
    """Overwrite the stored content of a document behind the server's back."""
    if settings.is_postgres:
        with psycopg.connect(**settings.postgres) as conn:  # type: ignore[arg-type]
            updated = conn.execute(
                "UPDATE ecpsc_documents SET content = %s WHERE sha256 = %s", (content, sha256)
            ).rowcount
        assert updated == 1
        return
    files = [p for p in settings.documents_path.rglob(sha256) if p.is_file()]
    assert len(files) == 1, files
    files[0].write_bytes(content)


def test_tampered_content_is_never_served(
    client: TestClient, admin_headers: dict[str, str], upload: Uploader, settings: Settings
) -> None:
    """Given an uploaded document whose stored bytes were later altered,
    when GET /documents/{sha256},
    then 409 document_integrity_failed with the 409 body, and neither old nor new bytes."""
    stored = upload(PDF)
    tampered = PDF.replace(b"Catalog", b"Catalof")
    _tamper(settings, stored["sha256"], tampered)

    response = client.get(f"{API}/documents/{stored['sha256']}", headers=admin_headers)
    assert response.status_code == 409, response.text
    body = response.json()
    assert set(body) == {"code", "message", "clause"}
    assert body["code"] == "document_integrity_failed"
    assert "10.3" in body["clause"]
    assert b"Catalo" not in response.content


def test_unauthenticated_upload_and_download_are_401(client: TestClient, upload: Uploader) -> None:
    """Given no token, when uploading or downloading, then 401 and nothing is recorded."""
    stored = upload(PDF)
    before = events_recorded(client)
    response = client.post(f"{API}/documents", files={"file": ("x.txt", b"y", "text/plain")})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    response = client.get(f"{API}/documents/{stored['sha256']}")
    assert response.status_code == 401
    assert response.content != PDF
    assert events_recorded(client) == before


def test_a_signed_original_is_marked_once(
    client: TestClient, upload: Uploader, admin_headers: dict[str, str]
) -> None:
    """Given an uploaded scan of a stamped contract, when it is marked as a stamped original
    verified on 2026-11-20, then its record says so; a second marking is 409 and an unknown
    form is 422 (10.3)."""
    sha = upload(b"%PDF-1.4 stamped contract", "contract.pdf")["sha256"]
    record = client.get(f"{API}/documents/{sha}/record", headers=admin_headers)
    assert record.status_code == 200 and record.json()["original"] is None
    marked = client.post(
        f"{API}/documents/{sha}/original",
        json={"form": "stamped", "note": "合同盖章页", "verified_on": "2026-11-20"},
        headers=admin_headers,
    )
    assert marked.status_code == 200, marked.text
    assert marked.json()["original"] == {
        "form": "stamped",
        "note": "合同盖章页",
        "verified_on": "2026-11-20",
    }
    shown = client.get(f"{API}/documents/{sha}/record", headers=admin_headers).json()
    assert shown["original"]["form"] == "stamped"
    before = events_recorded(client)
    again = client.post(
        f"{API}/documents/{sha}/original",
        json={"form": "signed", "verified_on": "2026-11-21"},
        headers=admin_headers,
    )
    assert again.status_code == 409 and again.json()["code"] == "already_marked_original"
    bad = client.post(
        f"{API}/documents/{sha}/original",
        json={"form": "copied", "verified_on": "2026-11-21"},
        headers=admin_headers,
    )
    assert bad.status_code == 422
    assert events_recorded(client) == before
