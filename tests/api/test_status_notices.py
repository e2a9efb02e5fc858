"""The printed notices of a suspension (ZPIC-WF-20 7.2) and a withdrawal (7.3): JSON, HTML and
PDF, dated the day the decision took effect (not the day printed), naming the reason and its
clause, the period, what the organization must do and its right to appeal with the deadline (9).

Today is pinned to 2026-11-28; the PDFs' text is read back with poppler's `pdftotext`.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.reports.status_notice import APPEAL_WINDOW_DAYS
from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.api.test_evaluation_report import pdf_text
from tests.pages.support import staff_member
from tests.pages.test_decision_pages import sign_in

HTML, PDF = "text/html", "application/pdf"


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


def get(office: LifecycleOffice, path: str, accept: str | None = None) -> httpx.Response:
    """GET a printed document as the decision maker."""
    headers = {**office.decider, **({"Accept": accept} if accept else {})}
    return office.client.get(f"{API}{path}", headers=headers)


def suspended(office: LifecycleOffice, n: int, reason: str = "service_system_failing") -> str:
    """A certificate issued 2026-11-02, facts verified 2026-11-10, suspended from 2026-11-12
    for 3 months; its number."""
    number = office.certificate(uscc(n), "2026-11-02")
    body = {"reason": reason, "verified_on": "2026-11-10", "effective_on": "2026-11-12"}
    response = office.post(f"/certificates/{number}/suspension", body, office.decider)
    assert response.status_code == 200, response.text
    return number


def test_a_suspension_notice_names_reason_clause_period_duties_and_appeal_deadline(
    office: LifecycleOffice,
) -> None:
    """Given a certificate suspended from 2026-11-12 (facts verified 2026-11-10) because its
    service system fails, printed on 2026-11-28,
    when staff ask for its suspension notice,
    then it is dated 2026-11-12 (not the print date), names the reason in Chinese with clause
    7.2.1, the period 2026-11-12 through 2027-02-11, what the organization must do, and the
    right to appeal by 2026-12-12 (30 days), answered within 60 days."""
    number = suspended(office, 901)

    response = get(office, f"/certificates/{number}/suspension-notice")

    assert response.status_code == 200, response.text
    notice = response.json()
    assert notice["title"]["zh"] == "认证证书暂停通知书"
    assert notice["certificate"]["number"] == number
    assert notice["organization"]["uscc"] == uscc(901)
    assert notice["reason"]["zh"] == "服务体系持续或严重不满足要求"
    assert notice["reason"]["clause"] == "ZPIC-WF-20 7.2.1 第1项"
    assert (notice["verified_on"], notice["dated_on"]) == ("2026-11-10", "2026-11-12")
    assert notice["period"] == {
        "from": "2026-11-12",
        "until": "2027-02-11",
        "months": 3,
        "extended": False,
        "first_until": "2027-02-11",
    }
    assert any("不得使用认证证书和认证标志" in line for line in notice["requirements"]["zh"])
    assert any("整改" in line for line in notice["requirements"]["zh"])
    assert APPEAL_WINDOW_DAYS == 30
    assert notice["appeal"]["deadline"] == "2026-12-12"
    assert notice["appeal"]["answer_days"] == 60
    assert "2026-12-12 前" in notice["appeal"]["zh"]
    assert notice["generated_on"] == "2026-11-28"


def test_the_suspension_notice_prints_as_pdf_dated_the_decision_and_as_html(
    office: LifecycleOffice, tmp_path: Path
) -> None:
    """Given a suspended certificate (overdue surveillance, clause 5.3), when its notice is
    printed as PDF and HTML, then both read, Chinese first, the title, the organization, the
    number, the reason, the period, the appeal deadline; the PDF's date line is 2026-11-12
    and nowhere does it carry the print date 2026-11-28."""
    number = suspended(office, 902, reason="surveillance_overdue")

    pdf_response = get(office, f"/certificates/{number}/suspension-notice", PDF)
    html = get(office, f"/certificates/{number}/suspension-notice", HTML).text

    assert pdf_response.status_code == 200, pdf_response.text
    assert pdf_response.headers["Content-Disposition"] == (
        f'inline; filename="suspension-notice-{number}.pdf"'
    )
    text = pdf_text(pdf_response.content, tmp_path)
    for expected in (
        "认证证书暂停通知书",
        "福州某电器有限公司",
        number,
        uscc(902),
        "未按期接受监督审查",
        "ZPIC-WF-20 5.3",
        "2026-11-12",
        "2027-02-11",
        "2026-12-12",
        "第 1 页 共",
    ):
        assert expected in text, expected
        if expected != "第 1 页 共":
            assert expected in html, expected
    assert "2026-11-28" not in text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[-1].startswith("认证证书暂停通知书")  # the foot of the last page
    assert lines[-2] == "2026-11-12"  # the letter's date, under the CB's name
    assert html.index("认证证书暂停通知书") < html.index("Notice of suspension")


def test_an_extended_and_later_lifted_suspension_says_so(office: LifecycleOffice) -> None:
    """Given a suspension extended by 2 months and then lifted on 2026-11-20, when its notice
    is printed again, then the period runs through 2027-04-11 (5 months), marked extended from
    2027-02-11, and a remark says the certificate was reinstated on 2026-11-20."""
    number = suspended(office, 903)
    extended = office.post(
        f"/certificates/{number}/suspension/extension", {"months": 2}, office.decider
    )
    assert extended.status_code == 200, extended.text
    lifted = office.post(
        f"/certificates/{number}/reinstatement",
        {"verified_on": "2026-11-19", "effective_on": "2026-11-20"},
        office.decider,
    )
    assert lifted.status_code == 200, lifted.text

    notice = get(office, f"/certificates/{number}/suspension-notice").json()

    assert notice["period"]["until"] == "2027-04-11"
    assert (notice["period"]["months"], notice["period"]["extended"]) == (5, True)
    assert notice["period"]["first_until"] == "2027-02-11"
    assert notice["since"]["zh"] == "该证书已于 2026-11-20 恢复有效。"


def test_a_withdrawal_notice_names_reason_clause_return_and_appeal(
    office: LifecycleOffice, tmp_path: Path
) -> None:
    """Given a suspended certificate withdrawn from 2026-11-26 (facts verified 2026-11-25)
    because the organization is on the serious-dishonesty list, not recovered,
    when staff print its withdrawal notice, then it is dated 2026-11-26, names the reason with
    clause 7.3.1 item 2, the earlier suspension, that the original must be returned (7.3.2),
    that withdrawal is final, and the appeal deadline 2026-12-26."""
    number = suspended(office, 904)
    body = {
        "reason": "serious_dishonesty_list",
        "verified_on": "2026-11-25",
        "effective_on": "2026-11-26",
    }
    response = office.post(f"/certificates/{number}/withdrawal", body, office.decider)
    assert response.status_code == 200, response.text

    notice = get(office, f"/certificates/{number}/withdrawal-notice").json()
    text = pdf_text(get(office, f"/certificates/{number}/withdrawal-notice", PDF).content, tmp_path)

    assert notice["title"]["zh"] == "认证证书撤销通知书"
    assert notice["reason"]["zh"] == "被列入严重失信名单"
    assert notice["reason"]["clause"] == "ZPIC-WF-20 7.3.1 第2项"
    assert notice["dated_on"] == notice["effective_on"] == "2026-11-26"
    assert notice["suspension"] == {"from": "2026-11-12", "until": "2027-02-11"}
    assert notice["recovered"] is False
    assert any("交回本机构" in line for line in notice["requirements"]["zh"])
    assert any("撤销是最终决定" in line for line in notice["requirements"]["zh"])
    assert notice["appeal"]["deadline"] == "2026-12-26"
    for expected in ("认证证书撤销通知书", number, uscc(904), "被列入严重失信名单", "2026-12-26"):
        assert expected in text, expected


def test_no_notice_for_a_certificate_never_suspended_or_withdrawn(
    office: LifecycleOffice,
) -> None:
    """Given a valid certificate never suspended, when staff ask for its suspension or
    withdrawal notice (in any form), then 409 not_suspended / not_withdrawn; an unknown
    certificate is 404."""
    number = office.certificate(uscc(905), "2026-11-02")

    for accept in (None, HTML, PDF):
        none = get(office, f"/certificates/{number}/suspension-notice", accept)
        assert none.status_code == 409 and none.json()["code"] == "not_suspended"
        none = get(office, f"/certificates/{number}/withdrawal-notice", accept)
        assert none.status_code == 409 and none.json()["code"] == "not_withdrawn"
    unknown = get(office, "/certificates/ECPSC-SC-2026-09999/suspension-notice")
    assert unknown.status_code == 404


def test_status_notices_are_for_staff_only(client: TestClient) -> None:
    """Given no token, when anyone asks for a suspension or withdrawal notice, then 401."""
    for kind in ("suspension-notice", "withdrawal-notice"):
        response = client.get(f"{API}/certificates/ECPSC-SC-2026-00001/{kind}")
        assert response.status_code == 401, response.text


def test_the_staff_certificate_page_links_its_printable_notices(
    office: LifecycleOffice, client: TestClient
) -> None:
    """Given a suspended certificate and a signed-in decision maker, when the certificate's page
    is opened, then it links the suspension notice, which opens as a printable page; once the
    certificate is withdrawn, the page links the withdrawal notice too."""
    number = suspended(office, 906)
    staff_member(client, "决定人郑十", ["decision_maker"], "zhengshi")
    sign_in(client, "zhengshi")

    page = client.get(f"/certificates/{number}").text
    notice = client.get(f"/certificates/{number}/suspension-notice")

    assert f'href="/certificates/{number}/suspension-notice"' in page
    assert 'id="withdrawal-notice-link"' not in page
    assert notice.status_code == 200 and "认证证书暂停通知书" in notice.text
    assert "2026-12-12" in notice.text
    body = {"reason": "other", "verified_on": "2026-11-25", "effective_on": "2026-11-26"}
    assert (
        office.post(f"/certificates/{number}/withdrawal", body, office.decider).status_code == 200
    )
    page = client.get(f"/certificates/{number}").text
    assert f'href="/certificates/{number}/withdrawal-notice"' in page
    assert "认证证书撤销通知书" in client.get(f"/certificates/{number}/withdrawal-notice").text
