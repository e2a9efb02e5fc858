"""Every printed PDF is set in a font that has a glyph for each character it draws, embedded.

On a machine with Debian's chromium, fonts-noto-cjk and poppler-utils, DroidSansFallback (no
Latin glyphs) used to be chosen and every certificate number, USCC and date printed blank. The
fonts are now chosen by the glyphs of the text drawn (read from each font's cmap): here only
Droid is offered first, as that machine had it, then Noto Sans CJK SC. The text layer is read
back with poppler's `pdftotext`; fonts with `pdffonts`.

Needs Debian's fonts-droid-fallback, fonts-noto-cjk and poppler-utils (`make system-deps`).
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.reports import fonts
from api.reports.certificate import build_certificate, render_certificate_pdf
from api.reports.fonts import FontFile, FontUnavailable, choose
from api.reports.samples import sample_certificate
from tests.api.conftest import API
from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import uscc
from tests.api.test_evaluation_report import pdf_text

DROID = FontFile("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "Droid Sans Fallback")
NOTO = FontFile("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC")
PDF = "application/pdf"


@pytest.fixture(autouse=True)
def _fonts_installed() -> None:
    for file in (DROID, NOTO):
        assert Path(file.path).is_file(), (
            f"{file.path} is needed: install Debian's fonts-droid-fallback and fonts-noto-cjk "
            "(make system-deps)"
        )


@pytest.fixture
def desk(client: TestClient, admin_headers: dict[str, str]) -> AppealsDesk:
    """Staff on a fresh server."""
    return AppealsDesk(client, admin_headers)


def documents(desk: AppealsDesk) -> dict[str, tuple[str, list[str]]]:
    """Every printed document of one life, each with what its text layer must hold: a
    certificate issued 2026-11-02 and suspended from 2026-11-12, another withdrawn from
    2026-11-26, a refusal of 2026-10-10 with its evaluation report, and the notice of an
    appeal against it received 2026-11-20."""
    suspended = desk.certificate(uscc(951), "2026-11-02")
    body = {
        "reason": "surveillance_overdue",
        "verified_on": "2026-11-10",
        "effective_on": "2026-11-12",
    }
    assert desk.post(f"/certificates/{suspended}/suspension", body, desk.decider).status_code == 200
    withdrawn = desk.certificate(uscc(952), "2026-11-02")
    body = {"reason": "major_accident", "verified_on": "2026-11-25", "effective_on": "2026-11-26"}
    assert desk.post(f"/certificates/{withdrawn}/withdrawal", body, desk.decider).status_code == 200
    decision_id, audit_id = desk.refused_decision(uscc(953))
    appeal_id = desk.opened({"decision_id": decision_id})
    assert desk.resolve(appeal_id, "upheld").status_code == 200
    return {
        "certificate": (
            f"/certificates/{suspended}/document",
            [suspended, uscc(951), "2026-11-02", "2029-11-01", "GB/T 27922-2011"],
        ),
        "suspension notice": (
            f"/certificates/{suspended}/suspension-notice",
            [suspended, uscc(951), "2026-11-12", "2027-02-11", "ZPIC-WF-20 5.3"],
        ),
        "withdrawal notice": (
            f"/certificates/{withdrawn}/withdrawal-notice",
            [withdrawn, uscc(952), "2026-11-26", "2026-12-26"],
        ),
        "refusal notice": (f"/decisions/{decision_id}/notice", [uscc(953), "2026-10-10"]),
        "evaluation report": (f"/audits/{audit_id}/report", [uscc(953), "2026-10-10", "90.00"]),
        "appeal notice": (
            f"/appeals/{appeal_id}/notice",
            ["2026-11-20", "2027-01-19", "2026-10-10"],
        ),
    }


def test_with_droid_offered_first_every_pdf_keeps_its_latin_letters_and_digits(
    desk: AppealsDesk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Given the fonts of a machine with chromium and fonts-noto-cjk, DroidSansFallback first,
    when each document is printed as PDF,
    then its text layer holds the certificate number, the USCC and the dates, and the one font
    it uses is embedded (a TrueType subset of Noto Sans CJK SC; no unembedded font)."""
    monkeypatch.setattr(fonts, "FONT_FILES", (DROID, NOTO))

    for name, (path, expected) in documents(desk).items():
        response = desk.client.get(f"{API}{path}", headers={**desk.officer, "Accept": PDF})
        assert response.status_code == 200, (name, response.text)
        text = pdf_text(response.content, tmp_path)
        for item in expected:
            assert item in text, (name, item)
        listed = tmp_path / "fonts.pdf"
        listed.write_bytes(response.content)
        table = subprocess.run(
            ["pdffonts", str(listed)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert table, name
        for row in table:
            assert "NotoSansCJKsc" in row and " yes yes yes " in row, (name, row)


def test_with_only_droid_no_pdf_is_made_and_readyz_says_why(
    desk: AppealsDesk, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given only DroidSansFallback installed (no Latin glyphs),
    when any document is asked for as PDF, then 503 pdf_font_unavailable names the missing
    characters and fonts-noto-cjk (never a PDF with blanks), JSON still answers, and /readyz
    reports the fonts unavailable (status degraded) with the same advice."""
    monkeypatch.setattr(fonts, "FONT_FILES", (DROID,))

    for name, (path, _) in documents(desk).items():
        response = desk.client.get(f"{API}{path}", headers={**desk.officer, "Accept": PDF})
        assert response.status_code == 503, (name, response.text)
        refusal = response.json()
        assert refusal["code"] == "pdf_font_unavailable", name
        assert "fonts-noto-cjk" in refusal["message"] and "缺少" in refusal["message"], name
        assert desk.client.get(f"{API}{path}", headers=desk.officer).status_code == 200, name

    ready = client.get("/readyz").json()
    assert ready["status"] == "degraded"
    assert ready["pdf_fonts"]["status"] == "unavailable"
    assert "fonts-noto-cjk" in ready["pdf_fonts"]["error"]


def test_readyz_names_the_font_documents_are_printed_in(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given Droid and Noto installed, when /readyz is asked, then it is ready and names
    Noto Sans CJK SC as the documents' font."""
    monkeypatch.setattr(fonts, "FONT_FILES", (DROID, NOTO))

    ready = client.get("/readyz").json()

    assert ready["status"] == "ready"
    assert ready["pdf_fonts"] == {"status": "ok", "font": "Noto Sans CJK SC", "file": NOTO.path}


def test_fonts_are_chosen_by_the_glyphs_of_the_text() -> None:
    """Given Droid (Chinese only) and Noto (Chinese and Latin), when a font is chosen for
    Chinese alone, Droid (offered first) will do; for a certificate number it must be Noto;
    and a character no font has is refused by name."""
    assert choose("暂停通知书", (DROID, NOTO)) == DROID
    assert choose("证书编号 ECPSC-SC-2026-00001", (DROID, NOTO)) == NOTO
    with pytest.raises(FontUnavailable) as refused:
        choose("证书 ECPSC", (DROID,))
    assert "C" in refused.value.message and "E" in refused.value.message
    with pytest.raises(FontUnavailable):
        choose("\U0001f600", (DROID, NOTO))


def test_documents_printed_at_once_in_threads_each_keep_their_own_text(tmp_path: Path) -> None:
    """Given six certificates of different organizations, when they are printed at the same
    time in four threads (as the server's worker threads would), then each PDF reads back its
    own number and organization, in an embedded font."""
    docs = []
    for n in range(6):
        certificate = sample_certificate()
        certificate.number = f"ECPSC-SC-2026-0010{n}"
        certificate.organization = {
            **certificate.organization,
            "name": f"福州第{n}号家电服务有限公司",
        }
        docs.append(build_certificate(certificate, date(2026, 11, 28), "http://x/verify"))

    with ThreadPoolExecutor(4) as pool:
        pdfs = list(pool.map(render_certificate_pdf, docs))

    for n, (doc, pdf) in enumerate(zip(docs, pdfs, strict=True)):
        (tmp_path / str(n)).mkdir()
        text = pdf_text(pdf, tmp_path / str(n))
        assert doc["number"] in text and f"福州第{n}号家电服务有限公司" in text
        assert b"/FontFile2" in pdf
