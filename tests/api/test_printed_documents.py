"""The printed certificate (ZPIC-WF-20 8.1.1) and the refusal notice (4.6.3–4.6.4, 9) over HTTP:
JSON by default, printable HTML or PDF by Accept, Chinese first.

The whole way to a certificate or a refusal runs over HTTP (`CertificationOffice`); the PDFs'
text is read back with poppler's `pdftotext`. No QR decoder is installed, so the QR code's
modules are read back from the SVG (and from the PDF drawing) and compared with segno's
encoding of the verification address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import segno
from fastapi.testclient import TestClient
from reportlab.graphics.shapes import Rect

from api.main import create_app
from api.reports.certificate import status_part
from api.reports.issuer import issuer
from api.reports.qr import BORDER, qr_drawing
from domain.certificate import CERTIFICATION_BASIS, Certificate
from ecpsc.settings import Settings
from tests.api.conftest import API, bearer
from tests.api.test_decisions_api import (
    COMPLETED_ON,
    DECIDED_ON,
    SCOPE,
    CertificationOffice,
    assert_conflict,
    uscc,
)
from tests.api.test_evaluation_report import pdf_text
from tests.factories import organization

HTML, PDF = "text/html", "application/pdf"
ORG_ADDRESS = organization()["address"]
CB = issuer(Settings())
NAME, ADDRESS = CB["name"], CB["address"]
GRANTED_ON = "2026-11-12"
"""Certificates whose status changes are granted before the changes' business dates."""
REASONS = [
    "特别扣分项达5项 / five special deductions",
    "服务体系运行记录不完整 / the service system's records are incomplete",
]


class PrintOffice(CertificationOffice):
    """The certification body's staff, whose applications carry a multi-site list."""

    def __init__(self, client: httpx.Client, admin_headers: dict[str, str]) -> None:
        super().__init__(client, admin_headers)
        response = self.client.post(
            f"{API}/documents",
            files={"file": ("sites.pdf", b"%PDF-1.4 multi_site_list", "application/pdf")},
            headers=self.intake,
        )
        assert response.status_code == 201, response.text
        sites = {"kind": "multi_site_list", "filename": "sites.pdf"}
        self.documents = [*self.documents, {**sites, "sha256": response.json()["sha256"]}]


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> PrintOffice:
    """The certification body's staff on a fresh server."""
    return PrintOffice(client, admin_headers)


def certificate_with_sites(
    office: CertificationOffice, n: int, granted_on: str = DECIDED_ON
) -> str:
    """A five-star certificate of an organization with two service sites; its number."""
    app_id = office.contracted_application(uscc(n), f"福州{n}号商贸有限公司", sites=2)
    audit_id = office.planned_audit(app_id)
    assert office.complete(audit_id)["passed"] is True
    return office.grant(audit_id, decided_on=granted_on)


def refused_decision(office: CertificationOffice, n: int) -> str:
    """A refusal with two reasons, of an audit failed on five special deductions; its id."""
    audit_id = office.planned_audit(
        office.contracted_application(uscc(n), f"福州{n}号商贸有限公司")
    )
    for category in ("law", "company_rules", "industry", "system_operation", "law"):
        office.special_deduction(audit_id, category)
    assert office.complete(audit_id)["passed"] is False
    response = office.decide(audit_id, "refuse", REASONS)
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


def get(
    office: CertificationOffice, path: str, accept: str | None = None, **headers: str
) -> httpx.Response:
    """GET a document as the intake clerk (any staff role may), with an Accept header."""
    sent = {**office.intake, **headers}
    if accept:
        sent["Accept"] = accept
    return office.client.get(f"{API}{path}", headers=sent)


def svg_modules(html: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) of the inline QR SVG, read from segno's path syntax."""
    match = re.search(r'<svg[^>]*class="qr"[^>]*>.*?<path[^>]* d="([^"]+)"', html, re.S)
    assert match, "no QR code SVG in the page"
    x = y = 0.0
    dark = set()
    for op, args in re.findall(r"([Mmh])([-\d. ]+)", match.group(1)):
        numbers = [float(v) for v in args.split()]
        if op == "M":
            x, y = numbers
        elif op == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # h: a horizontal run of dark modules along the row's middle
            row, length = int(y - 0.5) - BORDER, int(numbers[0])
            dark |= {(row, int(x) - BORDER + i) for i in range(length)}
            x += length
    return dark


def segno_modules(url: str) -> list[set[tuple[int, int]]]:
    """The dark modules of segno's QR code of a URL, at each error correction level."""
    return [
        {
            (r, c)
            for r, row in enumerate(segno.make_qr(url, error=level, boost_error=False).matrix)
            for c, dark in enumerate(row)
            if dark
        }
        for level in "lmqh"
    ]


# -- the certificate: JSON --------------------------------------------------------------------


def test_the_certificate_document_has_every_item_of_8_1_1(
    office: CertificationOffice, settings: Settings
) -> None:
    """Given a certificate granted on 2026-11-28 to an organization with two service sites,
    when staff ask for its document without Accept,
    then JSON carries every item of 8.1.1: title and mark (logo with the number), number,
    organization name, address and uscc, the covered sites' addresses, basis, scope, grade in
    Chinese and English, issue and expiry dates, the CB's name and address, and how to verify
    it, with its status today."""
    number = certificate_with_sites(office, 1)

    response = get(office, f"/certificates/{number}/document")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["Vary"] == "Accept"
    doc = response.json()
    assert doc["title"] == {
        "zh": "商品售后服务评价认证证书",
        "en": "Certificate of After-sales Service Evaluation",
    }
    assert (doc["mark"]["logo"], doc["mark"]["number"]) == ("ECPSC", number)
    assert doc["number"] == number == "ECPSC-SC-2026-00001"
    assert doc["organization"] == {
        "name": "福州1号商贸有限公司",
        "address": ORG_ADDRESS,
        "uscc": uscc(1),
    }
    assert doc["sites"] == [
        {"name": "中心办公室", "address": ORG_ADDRESS, "central_office": True},
        {"name": "门店0", "address": "福州市台江区0号", "central_office": False},
        {"name": "门店1", "address": "福州市台江区1号", "central_office": False},
    ]
    assert doc["basis"]["zh"] == CERTIFICATION_BASIS
    assert doc["basis"]["en"].startswith("GB/T 27922-2011 ")
    assert doc["scope"] == SCOPE
    assert doc["grade"] == {"code": "five_star", "zh": "五星级", "en": "five star"}
    assert (doc["issued_on"], doc["expires_on"]) == ("2026-11-28", "2029-11-27")
    assert (doc["issuer"]["name"], doc["issuer"]["address"]) == (NAME, ADDRESS)
    assert doc["issuer"]["approval_number"] == CB["approval_number"]
    assert doc["verification"]["url"] == f"{settings.public_url}/verify/{number}"
    assert doc["status"] == {
        "code": "valid",
        "zh": "有效",
        "en": "VALID",
        "as_of": "2026-11-28",
        "as_of_text": {
            "zh": "截至打印日期 2026-11-28 的状态",
            "en": "status as of the print date, 2026-11-28",
        },
        "valid": True,
        "detail": None,
    }


# -- the certificate: HTML and PDF ------------------------------------------------------------


def test_the_certificate_as_html_is_readable_on_a_phone_with_a_qr_code_of_its_address(
    office: CertificationOffice, settings: Settings
) -> None:
    """Given a granted certificate, when staff ask for it as HTML,
    then the page (with a viewport) shows the organization, number, uscc, each site's
    address, basis, scope, grade in Chinese, dates, the CB, the verification address and an
    inline SVG QR code whose modules are segno's encoding of that address."""
    number = certificate_with_sites(office, 2)
    url = f"{settings.public_url}/verify/{number}"

    response = get(office, f"/certificates/{number}/document", HTML)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["Vary"] == "Accept"
    html = response.text
    assert '<meta name="viewport"' in html
    for text in (
        "商品售后服务评价认证证书",
        "福州2号商贸有限公司",
        number,
        uscc(2),
        ORG_ADDRESS,
        "福州市台江区0号",
        "福州市台江区1号",
        CERTIFICATION_BASIS,
        SCOPE,
        "五星级",
        "2026-11-28",
        "2029-11-27",
        NAME["zh"],
        ADDRESS["zh"],
        url,
    ):
        assert text in html, text
    assert "<svg" in html
    qr = get(office, f"/certificates/{number}/document").json()["verification"]["qr"]
    assert qr.startswith(f"{url}?s=")  # the address with its signed statement (issue 20)
    assert svg_modules(html) in segno_modules(qr)
    assert "SUSPENDED" not in html


def test_the_certificate_as_pdf_reads_back_with_its_items(
    office: CertificationOffice, settings: Settings, tmp_path: Path
) -> None:
    """Given a granted certificate, when staff ask for it as PDF,
    then an inline PDF whose text shows the Chinese title, number, organization, uscc,
    grade, dates, the CB and the verification address."""
    number = certificate_with_sites(office, 3)

    response = get(office, f"/certificates/{number}/document", PDF)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == PDF
    assert response.headers["Vary"] == "Accept"
    assert response.headers["Content-Disposition"] == f'inline; filename="certificate-{number}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    for item in (
        "商品售后服务评价认证证书",
        number,
        "福州3号商贸有限公司",
        uscc(3),
        "福州市台江区1号",
        "五星级",
        "2026-11-28",
        "2029-11-27",
        NAME["zh"],
        f"{settings.public_url}/verify/{number}",
    ):
        assert item in text, item


def test_the_pdf_qr_code_draws_segnos_modules() -> None:
    """Given a verification address, when its QR code is drawn for the PDF,
    then the dark rectangles cover exactly segno's dark modules, inside a 4-module quiet zone."""
    url = "https://zs.example.cn/verify/ECPSC-SC-2026-00001"
    size = 100.0
    drawing = qr_drawing(url, size)
    rects = [s for s in drawing.contents if isinstance(s, Rect)]
    background, dark = rects[0], rects[1:]
    assert (background.width, background.height) == (size, size)
    modules = len(segno.make_qr(url, error="m", boost_error=False).matrix) + 2 * BORDER
    unit = size / modules
    drawn = set()
    for rect in dark:
        row = round((size - rect.y) / unit) - 1 - BORDER
        first = round(rect.x / unit) - BORDER
        drawn |= {(row, first + i) for i in range(round(rect.width / unit))}
    assert drawn in segno_modules(url)


# -- the verification address follows the settings --------------------------------------------


@pytest.fixture
def relocated_client(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A server configured with ECPSC_PUBLIC_URL=https://zs.example.cn (and the test's store)."""
    monkeypatch.setenv("ECPSC_PUBLIC_URL", "https://zs.example.cn")
    moved = Settings(**settings.model_dump(exclude_unset=True))
    with TestClient(create_app(moved)) as test_client:
        yield test_client


def test_the_verification_address_follows_ecpsc_public_url(
    relocated_client: TestClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    """Given the server's ECPSC_PUBLIC_URL is https://zs.example.cn,
    when staff print a certificate, then JSON, HTML (with its QR code) and PDF name
    https://zs.example.cn/verify/{number}."""
    office = PrintOffice(relocated_client, admin_headers)
    number = office.certificate(uscc(4), "福州4号商贸有限公司")
    url = f"https://zs.example.cn/verify/{number}"

    doc = get(office, f"/certificates/{number}/document").json()
    html = get(office, f"/certificates/{number}/document", HTML).text
    pdf = get(office, f"/certificates/{number}/document", PDF).content

    assert doc["verification"]["url"] == url
    assert url in html
    assert doc["verification"]["qr"].startswith(f"{url}?s=")
    assert svg_modules(html) in segno_modules(doc["verification"]["qr"])
    assert url in pdf_text(pdf, tmp_path)


# -- the status today -------------------------------------------------------------------------


def test_a_suspended_certificates_document_says_so(
    office: CertificationOffice, tmp_path: Path
) -> None:
    """Given a certificate granted on 2026-11-12 and suspended from 2026-11-20,
    when staff print it, then JSON, HTML and PDF say it is suspended (暂停), with the period."""
    number = certificate_with_sites(office, 5, granted_on=GRANTED_ON)
    suspension = {
        "reason": "requested_by_organization",
        "verified_on": "2026-11-20",
        "effective_on": "2026-11-20",
    }
    response = office.client.post(
        f"{API}/certificates/{number}/suspension", json=suspension, headers=office.decision_maker
    )
    assert response.status_code == 200, response.text

    doc = get(office, f"/certificates/{number}/document").json()
    html = get(office, f"/certificates/{number}/document", HTML).text
    pdf = pdf_text(get(office, f"/certificates/{number}/document", PDF).content, tmp_path)

    assert (doc["status"]["code"], doc["status"]["valid"]) == ("suspended", False)
    assert "2026-11-20" in doc["status"]["detail"]["zh"]
    assert "2027-02-19" in doc["status"]["detail"]["zh"]
    assert "已暂停 / SUSPENDED" in html
    assert 'class="banner"' in html
    assert "暂停" in pdf
    assert "SUSPENDED" in pdf


def test_a_withdrawn_certificates_document_says_so(office: CertificationOffice) -> None:
    """Given a certificate withdrawn from 2026-11-26, when staff print it as HTML,
    then the page says it was withdrawn (撤销) on that day."""
    number = certificate_with_sites(office, 6, granted_on=GRANTED_ON)
    withdrawal = {
        "reason": "serious_dishonesty_list",
        "verified_on": "2026-11-25",
        "effective_on": "2026-11-26",
    }
    response = office.client.post(
        f"{API}/certificates/{number}/withdrawal", json=withdrawal, headers=office.decision_maker
    )
    assert response.status_code == 200, response.text

    html = get(office, f"/certificates/{number}/document", HTML).text

    assert "已撤销 / WITHDRAWN" in html
    assert "本证书已于 2026-11-26 撤销" in html


def test_a_certificate_past_its_expiry_is_shown_expired() -> None:
    """Given a certificate valid through 2029-11-27, when its status is shown on 2029-11-28,
    then it is expired (过期), and on 2029-11-27 it is still valid (8.1.2)."""
    certificate = Certificate(
        number="ECPSC-SC-2026-00009",
        organization=organization(),
        scope=SCOPE,
        sites=[],
        grade="compliant",
        issued_on=date(2026, 11, 28),
        expires_on=date(2029, 11, 27),
        audit_id="a",
        decision_id="d",
        application_id=None,
        basis=CERTIFICATION_BASIS,
        by="u",
    )

    assert status_part(certificate, date(2029, 11, 27))["code"] == "valid"
    expired = status_part(certificate, date(2029, 11, 28))
    assert (expired["code"], expired["zh"], expired["valid"]) == ("expired", "已过期", False)
    assert "2029-11-27" in expired["detail"]["zh"]


def test_an_unknown_certificate_has_no_document(office: CertificationOffice) -> None:
    """Given no certificate ECPSC-SC-2026-09999, when staff ask for its document (in any
    form), then 404 not_found."""
    for accept in (None, HTML, PDF):
        response = get(office, "/certificates/ECPSC-SC-2026-09999/document", accept)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"


# -- the refusal notice -----------------------------------------------------------------------


def test_the_refusal_notice_names_the_organization_audit_reasons_and_right_to_appeal(
    office: CertificationOffice,
) -> None:
    """Given an audit failed on five special deductions (95.00) and refused with two reasons,
    when staff ask for the decision's notice without Accept,
    then JSON names the organization (name, uscc, address), the audit (initial, completed
    2026-11-11, 95.00 against the pass mark 70.00, failed), the decision date, each reason,
    the CB, and the right to appeal (申诉) answered within 60 days (9)."""
    decision_id = refused_decision(office, 7)

    response = get(office, f"/decisions/{decision_id}/notice")

    assert response.status_code == 200, response.text
    assert response.headers["Vary"] == "Accept"
    notice = response.json()
    assert notice["title"] == {
        "zh": "不予认证决定通知书",
        "en": "Notice of refusal of certification",
    }
    assert notice["decision_id"] == decision_id
    assert notice["organization"] == {
        "name": "福州7号商贸有限公司",
        "uscc": uscc(7),
        "address": ORG_ADDRESS,
    }
    audit = notice["audit"]
    assert audit["type"]["code"] == "initial"
    assert audit["completed_on"] == COMPLETED_ON
    assert (audit["score"], audit["pass_mark"]) == ("95.00", "70.00")
    assert (audit["special_deductions"], audit["passed"]) == (5, False)
    assert audit["result"] == {"zh": "不通过", "en": "failed"}
    assert notice["decided_on"] == DECIDED_ON
    assert notice["reasons"] == REASONS
    assert notice["appeal"]["answer_days"] == 60
    assert "申诉" in notice["appeal"]["zh"]
    assert "60 日内" in notice["appeal"]["zh"]
    assert "appeal" in notice["appeal"]["en"]
    assert notice["issuer"]["name"] == NAME
    assert notice["set_aside"] is None


def test_the_refusal_notice_prints_as_html_and_pdf(
    office: CertificationOffice, tmp_path: Path
) -> None:
    """Given a refused decision, when staff ask for its notice as HTML and as PDF,
    then both show the title, the organization, the score, each reason and the right to
    appeal, Chinese first."""
    decision_id = refused_decision(office, 8)

    html_response = get(office, f"/decisions/{decision_id}/notice", HTML)
    pdf_response = get(office, f"/decisions/{decision_id}/notice", PDF)

    assert html_response.status_code == 200, html_response.text
    assert html_response.headers["content-type"].startswith("text/html")
    html = html_response.text
    assert '<meta name="viewport"' in html
    assert pdf_response.status_code == 200, pdf_response.text
    assert pdf_response.headers["content-type"] == PDF
    assert pdf_response.headers["Content-Disposition"] == (
        f'inline; filename="refusal-notice-{decision_id}.pdf"'
    )
    assert pdf_response.content.startswith(b"%PDF")
    pdf = pdf_text(pdf_response.content, tmp_path)
    for text in (
        "不予认证决定通知书",
        "福州8号商贸有限公司",
        uscc(8),
        "95.00",
        "特别扣分项达5项",
        "服务体系运行记录不完整",
        "申诉",
        NAME["zh"],
    ):
        assert text in html, text
        assert text in pdf, text
    assert html.index("不予认证决定通知书") < html.index("Notice of refusal of certification")


def test_a_grant_has_no_refusal_notice(office: CertificationOffice) -> None:
    """Given a granted decision, when staff ask for its refusal notice (in any form),
    then 409 not_a_refusal under ZPIC-WF-20 4.6.3."""
    audit_id = office.completed_audit(uscc(9), "福州9号商贸有限公司")
    granted = office.decide(audit_id)
    assert granted.status_code == 201, granted.text

    for accept in (None, HTML, PDF):
        response = get(office, f"/decisions/{granted.json()['id']}/notice", accept)
        assert_conflict(response, "not_a_refusal")
        assert response.json()["clause"] == "ZPIC-WF-20 4.6.3"


def test_an_unknown_decision_has_no_notice(office: CertificationOffice) -> None:
    """Given no such decision, when staff ask for its notice, then 404 not_found; a malformed
    id is 422."""
    response = get(office, "/decisions/00000000-0000-4000-8000-000000000000/notice")
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"
    assert get(office, "/decisions/not-a-uuid/notice").status_code == 422


# -- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/ECPSC-SC-2026-00001/document",
        "/decisions/00000000-0000-4000-8000-000000000000/notice",
    ],
)
@pytest.mark.parametrize("headers", [{}, bearer("no-such-token")])
def test_documents_are_for_staff_only(
    client: TestClient, path: str, headers: dict[str, Any]
) -> None:
    """Given no token or an unknown one, when anyone asks for a document, then 401."""
    response = client.get(f"{API}{path}", headers={**headers, "Accept": HTML})
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"] == "Bearer"
