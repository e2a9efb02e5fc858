"""What the printed documents say: the certification body as configured (ECPSC_ISSUER_*), the
certificate's annex of sites and its page count, the status as of the print date, the central
office stored as entered, and the appeal and complaint notices in words (ZPIC-WF-20 8.1.1, 9.2).

Today is pinned to 2026-11-28; PDFs are read back with poppler's `pdftotext`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.main import create_app
from api.reports.certificate import covered_sites
from api.reports.issuer import issuer
from api.reports.samples import sample_certificate
from ecpsc.settings import Settings
from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import uscc
from tests.api.test_evaluation_report import pdf_text

HTML, PDF = "text/html", "application/pdf"
CB_NAME = "中平国际认证（深圳）有限公司（测试配置）"
APPROVAL = "CNCA-R-2099-123"


def get(office: LifecycleOffice, path: str, accept: str | None = None) -> Any:
    """GET a document as the decision maker; checked for 200."""
    headers = {**office.decider, **({"Accept": accept} if accept else {})}
    response = office.client.get(f"{API}{path}", headers=headers)
    assert response.status_code == 200, response.text
    return response


# -- the certification body as configured -----------------------------------------------------


@pytest.fixture
def seal(tmp_path: Path) -> Path:
    """A red seal image (PNG)."""
    path = tmp_path / "seal.png"
    Image.new("RGB", (64, 64), (200, 20, 20)).save(path)
    return path


@pytest.fixture
def configured_client(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, seal: Path
) -> Iterator[TestClient]:
    """A server whose CB is configured by ECPSC_ISSUER_* (and the test's store)."""
    monkeypatch.setenv("ECPSC_ISSUER_NAME", CB_NAME)
    monkeypatch.setenv("ECPSC_ISSUER_NAME_EN", "ZPIC (Shenzhen) Co., Ltd.")
    monkeypatch.setenv("ECPSC_ISSUER_ADDRESS", "深圳市南山区科技园 8 号")
    monkeypatch.setenv("ECPSC_ISSUER_APPROVAL_NUMBER", APPROVAL)
    monkeypatch.setenv("ECPSC_ISSUER_ACCREDITATION", "CNAS C999-S")
    monkeypatch.setenv("ECPSC_ISSUER_PHONE", "0755-12345678")
    monkeypatch.setenv("ECPSC_ISSUER_SEAL_IMAGE", str(seal))
    configured = Settings(**settings.model_dump(exclude_unset=True))
    with TestClient(create_app(configured)) as test_client:
        yield test_client


def test_the_configured_cb_is_on_the_certificate_and_every_notice(
    configured_client: TestClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    """Given ECPSC_ISSUER_* naming the CB, its approval number, accreditation, telephone and
    seal, when a certificate, its suspension notice and a refusal notice are printed,
    then JSON, HTML and PDF name that CB with its approval number (批准号), the PDFs carry
    the seal image, and nothing shows the demonstration identity."""
    office = LifecycleOffice(configured_client, admin_headers)
    number = office.certificate(uscc(961), "2026-11-02")
    body = {"reason": "licence_lapsed", "verified_on": "2026-11-10", "effective_on": "2026-11-12"}
    assert (
        office.post(f"/certificates/{number}/suspension", body, office.decider).status_code == 200
    )
    app_id = office.contracted(office.application(uscc(962), "2026-10-10"), "2026-10-10")
    audit_id = office.plan({"application_id": app_id}, "initial", "2026-10-10").json()["id"]
    office.complete(audit_id, "2026-10-10", deductions=5)
    refused = office.decide(audit_id, "refuse", "2026-10-10")
    assert refused.status_code == 201, refused.text

    for path in (
        f"/certificates/{number}/document",
        f"/certificates/{number}/suspension-notice",
        f"/decisions/{refused.json()['id']}/notice",
    ):
        data = get(office, path).json()
        html = get(office, path, HTML).text
        pdf = get(office, path, PDF).content
        text = pdf_text(pdf, tmp_path)
        assert data["issuer"]["name"]["zh"] == CB_NAME, path
        assert data["issuer"]["approval_number"] == APPROVAL, path
        for shown in (html, text):
            assert CB_NAME in shown and APPROVAL in shown, path
            assert "演示" not in shown, path
        assert b"/Subtype /Image" in pdf, path


def test_the_default_cb_is_a_marked_demonstration_identity() -> None:
    """Given no ECPSC_ISSUER_* set, when the CB is asked for, then its name, address and
    approval number each say they are a demonstration (演示)."""
    cb = issuer(Settings(_env_file=None))

    assert "演示" in cb["name"]["zh"] and "demonstration" in cb["name"]["en"]
    assert "演示" in cb["address"]["zh"] and "演示" in cb["approval_number"]
    assert cb["seal_image"] is None


# -- the certificate: annex, page count, status as of the print date --------------------------


def test_many_sites_go_to_an_annex_page_with_the_qr_and_cb_on_page_1(
    client: TestClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    """Given a certificate covering the central office and five service sites, when printed,
    then page 1 holds the number, the QR's address and the CB and points to the annex; page 2
    is "附件：认证覆盖场所" listing all six with addresses; the feet say "第 1 页 共 2 页" and
    "第 2 页 共 2 页"; the status line is the status as of the print date 2026-11-28."""
    office = LifecycleOffice(client, admin_headers)
    number = office.certificate(uscc(963), "2026-11-02", sites=5)

    pdf = get(office, f"/certificates/{number}/document", PDF).content
    pages = pdf_text(pdf, tmp_path).split("\f")

    first, annex = pages[0], pages[1]
    assert number in first and "/verify/" in first and issuer()["name"]["zh"] in first
    assert "共 6 处，见附件：认证覆盖场所" in first
    assert "截至打印日期 2026-11-28 的状态" in first
    assert "第 1 页 共 2 页" in first
    assert "附件：认证覆盖场所" in annex and "第 2 页 共 2 页" in annex
    for n in range(1, 6):
        assert f"门店{n}" in annex and f"福州市鼓楼区{n}号" in annex
    assert "中心办公室" in annex and "central office" in annex
    assert not pages[2:] or not pages[2].strip()


def test_a_new_certificate_stores_the_central_office_as_entered_and_old_ones_still_print(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a certificate granted now, when its record is read, then its first site is
    named "中心办公室" (no English stored beside it); and a certificate stored before, named
    "中心办公室 / central office", prints the same way, the English only as a label."""
    office = LifecycleOffice(client, admin_headers)
    number = office.certificate(uscc(964), "2026-11-02", sites=1)

    record = office.cert(number)
    doc = get(office, f"/certificates/{number}/document").json()

    assert record["sites"][0]["name"] == "中心办公室"
    assert doc["sites"][0] == {
        "name": "中心办公室",
        "address": record["sites"][0]["address"],
        "central_office": True,
    }
    old = sample_certificate()
    old.sites = [{"name": "中心办公室 / central office", "address": "福州"}, *old.sites[1:]]
    assert covered_sites(old)[0] == {
        "name": "中心办公室",
        "address": "福州",
        "central_office": True,
    }


# -- appeal and complaint notices --------------------------------------------------------------


def test_a_complaint_notice_names_the_complainant_subject_outcome_reasons_and_sent_date(
    client: TestClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    """Given a complaint about certificate N (issued 2026-11-02), received 2026-11-20 and
    rejected with reasons, when its notice is printed before and after it is sent on 2026-11-28,
    then it calls the sender 投诉人 (not 申诉人), names the subject as the organization's
    certificate with its number and issue date (no raw ids), states the outcome 不成立 with the
    reasons in the body, and carries "尚未发出" before and the sent date 2026-11-28 after."""
    desk = AppealsDesk(client, admin_headers)
    number = desk.certificate(uscc(965), "2026-11-02")
    received = desk.appeal({"certificate_number": number}, "2026-11-20", kind="complaint")
    assert received.status_code == 201, received.text
    case = received.json()["id"]
    assert (
        desk.post(
            f"/appeals/{case}/acknowledgement", {"acknowledged_on": "2026-11-20"}, desk.officer
        ).status_code
        == 200
    )
    assigned = {"handler_ids": [desk.handler_id], "assigned_on": "2026-11-20"}
    assert desk.post(f"/appeals/{case}/assignment", assigned, desk.officer).status_code == 200
    reasons = "经核查门店维修记录，投诉所述情况与事实不符，获证组织的服务符合认证要求。"
    assert desk.resolve(case, "rejected", notice=reasons).status_code == 200

    draft = desk.client.get(f"{API}/appeals/{case}/notice", headers=desk.officer).json()
    sent = desk.post(f"/appeals/{case}/notice-sent", {"sent_on": "2026-11-28"}, desk.officer)
    assert sent.status_code == 200, sent.text
    letter = desk.client.get(f"{API}/appeals/{case}/notice", headers=desk.officer).json()
    pdf = desk.client.get(
        f"{API}/appeals/{case}/notice", headers={**desk.officer, "Accept": PDF}
    ).content
    text = pdf_text(pdf, tmp_path)

    labels = dict(letter["particulars"])
    assert "投诉人 / Complainant" in labels and "申诉人 / Appellant" not in labels
    assert labels["事由 / Subject"] == (
        f"福州某电器有限公司的认证证书（证书编号 {number}，颁证日期 2026-11-02）"
    )
    assert case not in " ".join(str(v) for v in labels.values())
    assert "尚未发出" in dict(draft["particulars"])["发出日期 / Sent on"]
    assert labels["发出日期 / Sent on"] == "2026-11-28"
    assert letter["closing"][-1] == "2026-11-28"
    body = "\n".join(letter["paragraphs"])
    assert "处理结论：不成立" in body and "您的投诉不成立" in body
    assert reasons in body
    assert body.index("处理结论") < body.index(reasons)
    for expected in ("投诉处理结果通知书", "投诉人", number, "不成立", "2026-11-28"):
        assert expected in text, expected


def test_an_appeal_notice_names_the_decision_in_words(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given an upheld appeal against a refusal of 2026-10-10, when its notice is asked for,
    then it says 申诉人, names the subject as the refusal decided on 2026-10-10 for the
    organization (not the decision's id), and says a new decision follows."""
    desk = AppealsDesk(client, admin_headers)
    decision_id, _ = desk.refused_decision(uscc(966))
    case = desk.opened({"decision_id": decision_id})
    assert desk.resolve(case, "upheld").status_code == 200

    letter = desk.client.get(f"{API}/appeals/{case}/notice", headers=desk.officer).json()

    labels = dict(letter["particulars"])
    assert labels["申诉人 / Appellant"] == "福州某电器有限公司"
    assert labels["事由 / Subject"] == "本机构于 2026-10-10 对福州某电器有限公司作出的不予认证决定"
    assert decision_id not in str(letter)
    assert any("重新作出认证决定" in p for p in letter["paragraphs"])


def test_a_refusal_notice_is_dated_its_decision_not_the_print_date(
    client: TestClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    """Given a refusal decided on 2026-10-10, when its notice is printed on 2026-11-28, then
    the letter's date under the CB's name is 2026-10-10, and the print date is nowhere on it."""
    desk = AppealsDesk(client, admin_headers)
    decision_id, _ = desk.refused_decision(uscc(967))

    text = pdf_text(get(desk, f"/decisions/{decision_id}/notice", PDF).content, tmp_path)
    html = get(desk, f"/decisions/{decision_id}/notice", HTML).text

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[-2] == "2026-10-10"  # above the page's foot
    assert "2026-11-28" not in text
    assert html.rstrip().endswith("</html>") and "2026-11-28" not in html
