"""The decision pages (issue 8): the decision form beside the completed audit, grant and refusal
through it, the not-impartial refusal beside the form, the follow-up of a failed surveillance,
and who may decide.

Scenarios are built through the JSON API (the same application); the forms are posted as a
signed-in decision maker would (TestClient keeps the cookie). Today is pinned to 2026-11-28.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import REGISTRATION, CertificationOffice, uscc
from tests.pages.support import PASSWORD, csrf_of, staff_member


def sign_in(client: TestClient, sign_in_name: str) -> str:
    """Sign in through the form; the session's CSRF token, read off the certificate list."""
    client.cookies.clear()
    form = client.get("/sign-in")
    answer = client.post("/sign-in", data={
        "sign_in_name": sign_in_name, "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": "/certificates"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/certificates").text)


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff, working through the API."""
    return CertificationOffice(client, admin_headers)


def decider(client: TestClient) -> tuple[str, str]:
    """A decision maker signed in to the pages: their id and the session's CSRF token."""
    user_id = staff_member(client, "决定人孙七", ["decision_maker"], "sunqi")
    return user_id, sign_in(client, "sunqi")


def api_decision(office: CertificationOffice, decision_id: str) -> dict[str, Any]:
    """A decision read back through the API."""
    answer = office.client.get(f"{API}/decisions/{decision_id}", headers=office.intake)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_grant_through_the_form_issues_a_certificate_shown_valid_with_its_verify_link(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a completed, passed audit and a decision maker off its team, signed in
    audit_id = office.completed_audit(uscc(701), "福州甲商贸有限公司")
    me, csrf = decider(client)
    form = client.get(f"/decisions/new?audit_id={audit_id}")
    assert form.status_code == 200, form.text
    assert "福州甲商贸有限公司" in form.text and "组长张三" in form.text
    assert 'id="outcome-grant"' in form.text and 'id="outcome-refuse"' in form.text
    assert 'id="outcome-downgrade"' not in form.text
    # when they grant certification through the form
    answer = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit_id, "outcome": "grant",
        "reasons": "审查通过\n整改已验证", "decided_on": "2026-11-28",
    }, follow_redirects=False)  # fmt: skip
    # then the decision is recorded by them and the browser goes to the decision page
    assert answer.status_code == 303, answer.text
    decision_id = answer.headers["location"].rsplit("/", 1)[1]
    decision = api_decision(office, decision_id)
    assert decision["outcome"] == "grant" and decision["decided_by"] == me
    assert decision["reasons"] == ["审查通过", "整改已验证"]
    number = decision["certificate_number"]
    page = client.get(answer.headers["location"])
    assert page.status_code == 200
    assert "批准认证" in page.text and "决定人孙七" in page.text
    assert f'href="/certificates/{number}"' in page.text
    assert f'href="/verify/{number}"' in page.text
    # and the certificate page shows it valid, with the public verification page linked
    certificate = client.get(f"/certificates/{number}")
    assert certificate.status_code == 200
    assert '<span class="tag valid">有效</span>' in certificate.text
    assert f'href="/verify/{number}"' in certificate.text
    assert client.get(f"/verify/{number}").status_code == 200
    # and the decision form now says the audit is decided, with no second form
    again = client.get(f"/decisions/new?audit_id={audit_id}")
    assert 'id="already-decided"' in again.text and 'id="decision-form"' not in again.text


def test_a_refusal_links_its_printable_notice(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a completed audit and a signed-in decision maker
    audit_id = office.completed_audit(uscc(702), "福州乙商贸有限公司")
    _, csrf = decider(client)
    # when they refuse certification with reasons
    answer = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit_id, "outcome": "refuse",
        "reasons": "服务体系运行记录不足", "decided_on": "2026-11-28",
    }, follow_redirects=False)  # fmt: skip
    # then it is recorded, and its page links the notice, which opens for staff
    assert answer.status_code == 303, answer.text
    decision_id = answer.headers["location"].rsplit("/", 1)[1]
    assert api_decision(office, decision_id)["outcome"] == "refuse"
    page = client.get(f"/decisions/{decision_id}")
    assert "不予认证" in page.text and "服务体系运行记录不足" in page.text
    assert f'href="/decisions/{decision_id}/notice"' in page.text
    assert "/certificates/" not in page.text.split('id="decision"', 1)[1]
    notice = client.get(f"/decisions/{decision_id}/notice")
    assert notice.status_code == 200
    assert "不予认证决定通知书" in notice.text and "服务体系运行记录不足" in notice.text


def test_a_refusal_without_reasons_or_a_date_is_shown_beside_the_form(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a completed audit and a signed-in decision maker
    audit_id = office.completed_audit(uscc(703), "福州丙商贸有限公司")
    _, csrf = decider(client)
    before = events_recorded(client)
    # when they refuse without reasons, or send no decision date
    no_reasons = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit_id, "outcome": "refuse", "reasons": "",
        "decided_on": "2026-11-28"})  # fmt: skip
    no_date = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit_id, "outcome": "grant",
        "decided_on": ""})  # fmt: skip
    # then each is 422 with the form again, and nothing is recorded
    assert no_reasons.status_code == 422
    assert "不予认证须说明理由" in no_reasons.text and 'id="decision-form"' in no_reasons.text
    assert no_date.status_code == 422 and "decided_on" in no_date.text
    assert events_recorded(client) == before


def test_a_team_member_deciding_is_refused_as_not_impartial(
    client: TestClient, office: CertificationOffice
) -> None:
    # given an auditor who is also a decision maker, on the audit's team, signed in
    member = staff_member(client, "兼任人员周八", ["auditor", "decision_maker"], "zhouba",
                          ccaa_registration={**REGISTRATION, "number": "CCAA-SC-0701"})  # fmt: skip
    app_id = office.contracted_application(uscc(704), "福州丁商贸有限公司")
    audit_id = office.planned_audit(app_id, [{"user_id": member, "role": "auditor", "days": "1"}])
    office.complete(audit_id)
    csrf = sign_in(client, "zhouba")
    assert 'id="on-team-warning"' in client.get(f"/decisions/new?audit_id={audit_id}").text
    before = events_recorded(client)
    # when they grant through the form
    answer = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit_id, "outcome": "grant",
        "reasons": "", "decided_on": "2026-11-28"})  # fmt: skip
    # then 409: the rule's Chinese message and clause beside the form, nothing recorded
    assert answer.status_code == 409
    rule = "审查组成员（含实习审查员）不得作出认证决定（依据 ZPIC-WF-20 4.6.1, 4.6.2）"
    assert rule in answer.text
    assert "not_impartial" in answer.text and 'id="decision-form"' in answer.text
    assert events_recorded(client) == before


def test_a_failed_surveillance_offers_the_follow_ups_and_a_downgrade_is_recorded(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    # given a certificate whose surveillance failed, and a decision maker off the team
    lifecycle = LifecycleOffice(client, admin_headers)
    number = lifecycle.certificate(uscc(705), "2023-01-10")
    audit = lifecycle.surveil(number, "2023-12-15", deductions=5)
    _, csrf = decider(client)
    # when they open the decision form
    form = client.get(f"/decisions/new?audit_id={audit['id']}")
    # then it offers the follow-ups, not grant or refuse
    assert form.status_code == 200
    for outcome in ("supplementary_audit", "downgrade", "suspend", "withdraw"):
        assert f'id="outcome-{outcome}"' in form.text
    assert 'id="outcome-grant"' not in form.text and 'name="grade"' in form.text
    # when they record a downgrade to compliant
    answer = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit["id"], "outcome": "downgrade",
        "grade": "compliant", "reasons": "监督审查未通过", "decided_on": "2023-12-20",
    }, follow_redirects=False)  # fmt: skip
    # then the certificate's grade changed and no follow-up is pending
    assert answer.status_code == 303, answer.text
    record = lifecycle.cert(number)
    assert (record["grade"], record["follow_up_pending"]) == ("compliant", None)
    assert "降级" in client.get(answer.headers["location"]).text


def test_only_decision_makers_decide_and_unknown_audits_are_not_found(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a completed audit and a signed-in intake clerk
    audit_id = office.completed_audit(uscc(706), "福州戊商贸有限公司")
    staff_member(client, "受理员吴九", ["intake"], "wujiu")
    csrf = sign_in(client, "wujiu")
    before = events_recorded(client)
    # when they open the form or post a decision
    form = client.get(f"/decisions/new?audit_id={audit_id}")
    posted = client.post("/decisions", data={
        "csrf_token": csrf, "audit_id": audit_id, "outcome": "grant",
        "decided_on": "2026-11-28"})  # fmt: skip
    # then both are 403 and nothing is recorded
    assert form.status_code == 403 and posted.status_code == 403
    assert events_recorded(client) == before
    # and for a decision maker, unknown or malformed ids are 404 pages
    decider(client)
    assert client.get("/decisions/new?audit_id=nonsense").status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/decisions/new?audit_id={unknown}").status_code == 404
    assert client.get("/decisions/not-a-uuid").status_code == 404
    assert client.get(f"/decisions/{audit_id}/notice").status_code == 404
