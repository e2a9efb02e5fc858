"""The certificate pages (issue 8): the register searched and paged, one certificate's record,
and the decision maker's forms taking it from suspension to withdrawal, each refusal shown beside
its form with the rule's Chinese message and clause.

Scenarios are built through the JSON API (the same application); the forms are posted as a
signed-in decision maker would (TestClient keeps the cookie). Today is pinned to 2026-11-28.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import CertificationOffice, uscc
from tests.pages.support import staff_member
from tests.pages.test_decision_pages import sign_in


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff, working through the API."""
    return CertificationOffice(client, admin_headers)


def decider(client: TestClient) -> str:
    """A decision maker signed in to the pages; the session's CSRF token."""
    staff_member(client, "决定人郑十", ["decision_maker"], "zhengshi")
    return sign_in(client, "zhengshi")


def api_certificate(office: CertificationOffice, number: str) -> dict[str, Any]:
    """The certificate read back through the API."""
    answer = office.client.get(f"{API}/certificates/{number}", headers=office.intake)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_certificate_goes_from_suspension_to_withdrawal_through_the_forms(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a valid certificate and a signed-in decision maker
    number = office.certificate(uscc(801), "福州甲商贸有限公司")
    csrf = decider(client)
    page = client.get(f"/certificates/{number}")
    assert page.status_code == 200
    assert "福州甲商贸有限公司" in page.text and "2029-11-27" in page.text
    assert 'id="suspension-form"' in page.text and 'id="withdrawal-form"' in page.text
    assert 'id="reinstatement-form"' not in page.text and 'id="extension-form"' not in page.text
    assert f'href="/certificates/{number}/document"' in page.text

    def post(path: str, form: str, data: dict[str, str]) -> None:
        answer = client.post(f"/certificates/{number}/{path}",
                             data={"csrf_token": csrf, **data}, follow_redirects=False)  # fmt: skip
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/certificates/{number}#{form}"

    # when it is suspended for 2 months, then the API shows it suspended through 2027-01-27
    post("suspension", "suspension", {"reason": "contract_obligations_unmet",
         "verified_on": "2026-11-28", "effective_on": "2026-11-28", "months": "2"})  # fmt: skip
    record = api_certificate(office, number)
    assert (record["status"], record["suspended_until"]) == ("suspended", "2027-01-27")
    page = client.get(f"/certificates/{number}")
    assert '<span class="tag suspended">暂停</span>' in page.text
    assert 'id="extension-form"' in page.text and 'id="reinstatement-form"' in page.text
    assert 'id="suspension-form"' not in page.text
    # when it is extended by 1 month, then it runs through 2027-02-27
    post("suspension/extension", "extension", {"months": "1"})
    assert api_certificate(office, number)["suspended_until"] == "2027-02-27"
    # when it is reinstated, then it is valid again
    post("reinstatement", "reinstatement",
         {"verified_on": "2026-11-28", "effective_on": "2026-11-28"})  # fmt: skip
    record = api_certificate(office, number)
    assert (record["status"], record["suspended_from"]) == ("valid", None)
    # when it is withdrawn, confirmed, then it is withdrawn from today, unrecovered
    post("withdrawal", "withdrawal", {"reason": "major_accident", "verified_on": "2026-11-28",
         "effective_on": "2026-11-28", "confirm": "yes"})  # fmt: skip
    record = api_certificate(office, number)
    assert (record["status"], record["withdrawn_on"], record["recovered"]) == (
        "withdrawn", "2026-11-28", False)  # fmt: skip
    # and the page shows its history of changes and offers only the recovery
    page = client.get(f"/certificates/{number}")
    history = page.text.split('id="history"', 1)[1]
    for change in ("颁发", "暂停", "延长暂停", "恢复", "撤销"):
        assert f"<td>{change}</td>" in history
    assert "决定人郑十" in history
    assert 'id="recovery-form"' in page.text and 'id="withdrawal-form"' not in page.text
    # when its recovery is recorded, then the API shows it recovered and no form is left
    post("recovery", "recovery", {"recovered_on": "2026-11-28"})
    assert api_certificate(office, number)["recovered"] is True
    assert 'id="recovery-form"' not in client.get(f"/certificates/{number}").text


def test_a_refused_action_shows_the_rule_and_its_clause_beside_its_form(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a certificate suspended for 5 months, and a signed-in decision maker
    number = office.certificate(uscc(802), "福州乙商贸有限公司")
    csrf = decider(client)
    client.post(f"/certificates/{number}/suspension", data={
        "csrf_token": csrf, "reason": "other", "verified_on": "2026-11-28",
        "effective_on": "2026-11-28", "months": "5"})  # fmt: skip
    before = events_recorded(client)
    # when the suspension is extended by 2 months (7 in all)
    answer = client.post(f"/certificates/{number}/suspension/extension",
                         data={"csrf_token": csrf, "months": "2"})  # fmt: skip
    # then 409: the rule's Chinese message and clause beside the extension form
    assert answer.status_code == 409
    form = answer.text.split('id="extension-form"', 1)[1].split("</section>", 1)[0]
    assert "暂停期合计 7 个月，超过6个月（依据 ZPIC-WF-20 7.2.2）" in form
    assert 'value="2"' in form
    assert events_recorded(client) == before
    assert api_certificate(office, number)["suspended_until"] == "2027-04-27"

    # given it is withdrawn; when it is withdrawn again
    withdrawal = {"csrf_token": csrf, "reason": "other", "verified_on": "2026-11-28",
                  "effective_on": "2026-11-28", "confirm": "yes"}  # fmt: skip
    assert client.post(f"/certificates/{number}/withdrawal", data=withdrawal,
                       follow_redirects=False).status_code == 303  # fmt: skip
    before = events_recorded(client)
    answer = client.post(f"/certificates/{number}/withdrawal", data=withdrawal)
    # then 409 beside the withdrawal form, nothing recorded
    assert answer.status_code == 409
    form = answer.text.split('id="withdrawal-form"', 1)[1].split("</section>", 1)[0]
    assert "证书在 2026-11-28 的状态为撤销，不能撤销（依据 ZPIC-WF-20 7）" in form
    assert events_recorded(client) == before


def test_a_withdrawal_needs_its_confirmation_and_dates_in_order(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a valid certificate and a signed-in decision maker
    number = office.certificate(uscc(803), "福州丙商贸有限公司")
    csrf = decider(client)
    before = events_recorded(client)
    base = {"csrf_token": csrf, "reason": "other", "verified_on": "2026-11-28",
            "effective_on": "2026-11-28"}  # fmt: skip
    # when the withdrawal is sent unconfirmed, or effective before the facts were verified
    unconfirmed = client.post(f"/certificates/{number}/withdrawal", data=base)
    early = client.post(f"/certificates/{number}/withdrawal",
                        data={**base, "effective_on": "2026-11-27", "confirm": "yes"})  # fmt: skip
    bad_reason = client.post(f"/certificates/{number}/withdrawal",
                             data={**base, "reason": "whim", "confirm": "yes"})  # fmt: skip
    # then each is 422 with the form again and nothing is recorded
    assert unconfirmed.status_code == 422 and "我确认撤销" in unconfirmed.text
    assert "须勾选" in unconfirmed.text
    assert early.status_code == 422 and "不得早于" in early.text
    assert bad_reason.status_code == 422 and 'id="withdrawal-form"' in bad_reason.text
    assert events_recorded(client) == before
    assert api_certificate(office, number)["status"] == "valid"


def test_a_late_suspension_is_recorded_and_flagged_not_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    # given a certificate issued in 2025 and a signed-in decision maker
    lifecycle = LifecycleOffice(client, admin_headers)
    number = lifecycle.certificate(uscc(804), "2025-01-10")
    csrf = decider(client)
    # when a suspension verified on 2026-11-02 takes effect on 2026-11-20 (past 5 working days)
    answer = client.post(f"/certificates/{number}/suspension", data={
        "csrf_token": csrf, "reason": "licence_lapsed", "verified_on": "2026-11-02",
        "effective_on": "2026-11-20"}, follow_redirects=False)  # fmt: skip
    # then it is recorded (3 months by default) and the history flags it late
    assert answer.status_code == 303, answer.text
    assert lifecycle.cert(number)["suspended_until"] == "2027-02-19"
    history = client.get(f"/certificates/{number}").text.split('id="history"', 1)[1]
    assert "逾期生效" in history


def test_staff_without_the_decision_role_see_no_forms_and_may_not_post(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a valid certificate and a signed-in intake clerk
    number = office.certificate(uscc(805), "福州丁商贸有限公司")
    staff_member(client, "受理员钱一", ["intake"], "qianyi")
    csrf = sign_in(client, "qianyi")
    # when they open the certificate, then they see the record but no action form
    page = client.get(f"/certificates/{number}")
    assert page.status_code == 200 and "福州丁商贸有限公司" in page.text
    assert '<form method="post" action="/certificates/' not in page.text
    # and posting a suspension is 403 with nothing recorded
    before = events_recorded(client)
    answer = client.post(f"/certificates/{number}/suspension", data={
        "csrf_token": csrf, "reason": "other", "verified_on": "2026-11-28",
        "effective_on": "2026-11-28"})  # fmt: skip
    assert answer.status_code == 403
    assert events_recorded(client) == before
    # and the printable certificate opens with their session; unknown numbers are 404
    document = client.get(f"/certificates/{number}/document")
    assert document.status_code == 200 and number in document.text
    assert client.get("/certificates/ECPSC-SC-2099-99999").status_code == 404
    assert client.get("/certificates/bad%20number").status_code == 404


def test_the_certificate_list_is_paged_and_filtered(
    client: TestClient, office: CertificationOffice
) -> None:
    # given eleven certificates, one of them suspended, one four star
    numbers = [office.certificate(uscc(810 + i), f"福州列表{i:02d}商贸有限公司") for i in range(10)]
    numbers.append(office.certificate(uscc(830), "厦门星级有限公司", repair_nonconformity=True))
    csrf = decider(client)
    client.post(f"/certificates/{numbers[0]}/suspension", data={
        "csrf_token": csrf, "reason": "other", "verified_on": "2026-11-28",
        "effective_on": "2026-11-28"})  # fmt: skip

    def listed(query: str) -> tuple[list[str], str]:
        answer = client.get(f"/certificates?{query}")
        assert answer.status_code == 200
        return re.findall(r'<td[^>]*><a href="/certificates/([^"]+)">', answer.text), answer.text

    # when the list is read ten at a time, then two pages hold all eleven, each once
    first, text = listed("page_size=10")
    second, _ = listed("page_size=10&page=2")
    assert len(first) == 10 and len(second) == 1
    assert sorted(first + second) == sorted(numbers)
    assert "共 11 条" in text and 'rel="next"' in text
    # when filtered by status, grade or name, then only the matching rows are listed
    assert listed("status=suspended")[0] == [numbers[0]]
    assert listed("grade=four_star")[0] == [numbers[10]]
    assert listed("q=厦门")[0] == [numbers[10]]
    assert listed(f"uscc={uscc(812)}")[0] == [numbers[2]]
    assert len(listed("status=valid")[0]) == 10
    # and unknown filters are ignored rather than failing
    assert len(listed("status=bogus&grade=nope&page=99&page_size=7")[0]) == 11
