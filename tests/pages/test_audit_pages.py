"""The audit pages (issue 8) and the audit worklist read model: planning through the form with
the calculator, findings recorded through the page (plain and htmx, the breakdown updated),
refusals beside the form with nothing recorded, completion, the report, paging, who may record.

Scenarios are built through the JSON API; today is pinned to 2026-11-28.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import (
    COMPLETED_ON,
    END_ON,
    START_ON,
    CertificationOffice,
    uscc,
)
from tests.pages.support import ADMIN, PASSWORD, csrf_of, staff_member


def sign_in(client: TestClient, sign_in_name: str) -> str:
    """Sign in through the form; the session's CSRF token, read off the audits list."""
    client.cookies.clear()
    form = client.get("/sign-in")
    answer = client.post("/sign-in", data={
        "sign_in_name": sign_in_name, "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": "/audits"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/audits").text)


def password(client: TestClient, user_id: str, sign_in_name: str) -> None:
    """Give an API-made user a password for the pages."""
    answer = client.post(f"{API}/users/{user_id}/password",
                         json={"sign_in_name": sign_in_name, "password": PASSWORD},
                         headers=ADMIN)  # fmt: skip
    assert answer.status_code == 200, answer.text


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff, the leader and planner able to sign in."""
    o = CertificationOffice(client, admin_headers)
    password(client, o.leader_id, "zhangsan")
    password(client, o.auditor_id, "lisi")
    return o


def api_audit(office: CertificationOffice, audit_id: str) -> dict[str, Any]:
    """An audit read back through the API."""
    answer = office.client.get(f"{API}/audits/{audit_id}", headers=office.decision_maker)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def worklist(client: TestClient) -> Any:
    """The audit worklist read model of the running server."""
    return client.app.state.services.read_models.view("audit_worklist")  # type: ignore[attr-defined]


def planner(client: TestClient) -> str:
    """A planner signed in; the CSRF token."""
    staff_member(client, "策划员周八", ["planner"], "zhouba")
    return sign_in(client, "zhouba")


def test_a_plan_through_the_form_shows_the_calculator_and_records_the_audit(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a contracted application and a planner signed in
    app_id = office.contracted_application(uscc(901), "福州审核甲有限公司")
    csrf = planner(client)
    listing = client.get("/audits")
    assert "待策划" in listing.text and f"/audits/new?application_id={app_id}" in listing.text
    form = client.get(f"/audits/new?application_id={app_id}")
    assert form.status_code == 200 and 'id="required-days">3.00' in form.text
    assert "组长张三" in form.text
    # when the plan is posted
    answer = client.post("/audits", data={
        "csrf_token": csrf, "application_id": app_id, "certificate_number": "",
        "type": "initial", "start_on": START_ON, "end_on": END_ON,
        "team_user_id": [office.leader_id, office.auditor_id, "", ""],
        "team_role": ["leader", "auditor", "auditor", "auditor"],
        "team_days": ["1.5", "1.5", "", ""], "onsite_days": "2.4",
        "layers": ["service_management", "service_execution", "customer_feedback"],
        "justification": ""}, follow_redirects=False)  # fmt: skip
    # then the audit is planned and its page shows the team
    assert answer.status_code == 303, answer.text
    audit_id = answer.headers["location"].rsplit("/", 1)[1]
    assert api_audit(office, audit_id)["status"] == "planned"
    shown = client.get(f"/audits/{audit_id}")
    assert shown.status_code == 200 and "组长张三" in shown.text
    assert "待策划" not in client.get("/audits").text


def test_a_plan_short_of_time_is_refused_with_the_rule_and_nothing_recorded(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a contracted application needing 3.0 person-days
    app_id = office.contracted_application(uscc(902), "福州审核乙有限公司")
    csrf = planner(client)
    # when a plan of 2.0 days is posted
    answer = client.post("/audits", data={
        "csrf_token": csrf, "application_id": app_id, "type": "initial",
        "start_on": START_ON, "end_on": END_ON,
        "team_user_id": [office.leader_id, office.auditor_id],
        "team_role": ["leader", "auditor"], "team_days": ["1", "1"], "onsite_days": "1.6",
        "layers": ["service_management", "service_execution", "customer_feedback"]},
        follow_redirects=False)  # fmt: skip
    # then the form is shown again with the Chinese message and clause; no audit exists
    assert answer.status_code == 409, answer.text
    box = answer.text[answer.text.find('id="refusal"') :][:600]
    assert "少于要求的 3.00" in box and "ZPIC-WF-20 4.2.1" in box, box
    assert 'value="1"' in answer.text
    assert worklist(client).page(None, 0, 10)[1] == 0


def test_findings_recorded_through_the_page_update_the_breakdown(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a planned audit and its leader signed in
    audit_id = office.planned_audit(office.contracted_application(uscc(903), "福州审核丙有限公司"))
    csrf = sign_in(client, "zhangsan")
    page = client.get(f"/audits/{audit_id}")
    assert page.status_code == 200 and 'id="finding-form"' in page.text
    assert 'id="total-score">100.00' in page.text
    clauses = client.get(f"/audits/{audit_id}/clauses?indicator=4.3.2.4")
    assert clauses.status_code == 200 and "4.3.2.4.3" in clauses.text
    # when a finding is posted plainly, then another with htmx
    plain = client.post(f"/audits/{audit_id}/findings", data={
        "csrf_token": csrf, "indicator": "4.3.2.4", "clause": "4.3.2.4.3",
        "kind": "nonconformity", "evidence": "维修记录缺失"}, follow_redirects=False)  # fmt: skip
    assert plain.status_code == 303, plain.text
    htmx = client.post(f"/audits/{audit_id}/findings", data={
        "indicator": "4.3.2.4", "clause": "4.3.2.4.1", "kind": "sampled", "sampled": "10",
        "nonconforming": "2", "evidence": "抽查十份"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf})  # fmt: skip
    # then the fragment carries both findings and the updated breakdown
    assert htmx.status_code == 200, htmx.text
    assert htmx.text.lstrip().startswith("{%") is False and 'id="audit-records"' in htmx.text
    assert "<html" not in htmx.text and "抽查十份" in htmx.text and "维修记录缺失" in htmx.text
    assert 'id="total-score">100.00' not in htmx.text
    assert len(api_audit(office, audit_id)["findings"]) == 2


def test_a_refused_finding_shows_the_rule_and_records_nothing(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a planned audit and an auditor who is not on its team
    audit_id = office.planned_audit(office.contracted_application(uscc(904), "福州审核丁有限公司"))
    staff_member(client, "审查员郑九", ["auditor"], "zhengjiu")
    csrf = sign_in(client, "zhengjiu")
    assert 'id="finding-form"' not in client.get(f"/audits/{audit_id}").text
    # when they post a finding
    answer = client.post(f"/audits/{audit_id}/findings", data={
        "csrf_token": csrf, "indicator": "4.3.2.4", "clause": "4.3.2.4.3",
        "kind": "nonconformity", "evidence": "记录缺失"})  # fmt: skip
    # then a 409 page (a rule, not a missing role) says only team members record; nothing
    # was recorded
    assert answer.status_code == 409, answer.text
    assert "只有审查组成员可以记录" in answer.text
    assert api_audit(office, audit_id)["findings"] == []


def test_completion_shows_the_score_and_the_report(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a planned audit with one finding and its leader signed in
    audit_id = office.planned_audit(office.contracted_application(uscc(905), "福州审核戊有限公司"))
    office.finding(audit_id, "4.3.2.4", "4.3.2.4.3")
    csrf = sign_in(client, "zhangsan")
    # when the leader completes it
    answer = client.post(f"/audits/{audit_id}/completion", data={
        "csrf_token": csrf, "completed_on": COMPLETED_ON, "onsite_days": "2.4"})  # fmt: skip
    # then the result shows score and grade, and the report opens
    assert answer.status_code == 200, answer.text
    assert 'id="result-score">90.00' in answer.text and "四星" in answer.text
    assert api_audit(office, audit_id)["status"] == "completed"
    report = client.get(f"/audits/{audit_id}/report")
    assert report.status_code == 200 and "福州审核戊有限公司" in report.text
    assert client.get("/audits/not-an-id").status_code == 404


def test_the_audit_list_is_paged_and_filtered(
    client: TestClient, office: CertificationOffice
) -> None:
    # given eleven planned audits
    for n in range(11):
        office.planned_audit(office.contracted_application(uscc(910 + n), f"福州分页{n}有限公司"))
    planner(client)
    # when the list is read ten at a time
    first = client.get("/audits?status=planned&page_size=10")
    second = client.get("/audits?status=planned&page_size=10&page=2")
    # then the pages hold ten and one
    assert first.text.count('<tr><td><a href="/audits/') == 10
    assert second.text.count('<tr><td><a href="/audits/') == 1
    assert "共 11 条" in first.text.replace("\n", "") or "11" in first.text
    assert client.get("/audits?status=decided").text.count('<tr><td><a href="/audits/') == 0
    assert client.get("/audits?plan_page=abc&page=x&status=nonsense").status_code == 200


def test_the_worklist_follows_completion_decision_and_reopening(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    # given a refused decision on a completed audit
    desk = AppealsDesk(client, admin_headers)
    view = worklist(client)
    decision_id, audit_id = desk.refused_decision(uscc(930))
    (row,) = view.of_organization(uscc(930))
    assert (row["status"], row["decided"], row["grade"]) == ("completed", True, "four_star")
    assert view.awaiting_decision(0, 10) == ([], 0)
    assert view.to_complete(desk.leader_id, 0, 10)[1] == 0
    # when an upheld appeal reopens the decision
    appeal_id = desk.opened({"decision_id": decision_id})
    resolved = desk.resolve(appeal_id, "upheld", corrective_actions=["完善复核"])
    assert resolved.status_code == 200, resolved.text
    # then the audit waits for a decision again
    rows, total = view.awaiting_decision(0, 10)
    assert total == 1 and rows[0]["id"] == audit_id and rows[0]["decided"] is False


def test_to_complete_lists_the_members_planned_audits(
    client: TestClient, office: CertificationOffice
) -> None:
    # given two planned audits, one completed
    a = office.planned_audit(office.contracted_application(uscc(940), "福州待完成甲有限公司"))
    b = office.planned_audit(office.contracted_application(uscc(941), "福州待完成乙有限公司"))
    office.complete(b)
    view = worklist(client)
    # then the leader has one to complete, an outsider none, and one waits for a decision
    rows, total = view.to_complete(office.leader_id, 0, 10)
    assert total == 1 and rows[0]["id"] == a
    assert view.to_complete(office.decision_maker_id, 0, 10) == ([], 0)
    waiting, n = view.awaiting_decision(0, 10)
    assert n == 1 and waiting[0]["id"] == b and waiting[0]["passed"] is True
    assert view.to_plan(0, 10) == ([], 0)


def test_a_surveillance_is_planned_from_the_certificate_with_its_sites(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    # given a certificate of an organization with three service sites
    lifecycle = LifecycleOffice(client, admin_headers)
    number = lifecycle.certificate(uscc(950), "2026-06-01", sites=3)
    csrf = planner(client)
    # when the planner opens the form for the certificate
    form = client.get(f"/audits/new?certificate_number={number}")
    # then it shows the organization's sites and what the rules require
    assert form.status_code == 200, form.text
    assert 'id="required-days">' in form.text and 'name="sites"' in form.text
    # and the plan posted is recorded as a surveillance of the certificate
    answer = client.post("/audits", data={
        "csrf_token": csrf, "certificate_number": number, "type": "surveillance",
        "start_on": "2026-11-18", "end_on": "2026-11-20",
        "team_user_id": [lifecycle.leader_id, lifecycle.auditor_id],
        "team_role": ["leader", "auditor"], "team_days": ["3", "3"], "onsite_days": "6",
        "layers": ["service_management", "service_execution", "customer_feedback"],
        "justification": "按组织规模安排"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    audit = client.get(answer.headers["location"])
    assert audit.status_code == 200 and number in audit.text
    assert client.get("/audits/new?certificate_number=ZPIC-NONE").status_code == 404


def test_exclusion_deduction_and_bonus_are_recorded_and_malformed_input_is_422(
    client: TestClient, office: CertificationOffice
) -> None:
    # given a planned audit and its auditor signed in
    audit_id = office.planned_audit(office.contracted_application(uscc(960), "福州审核己有限公司"))
    csrf = sign_in(client, "lisi")
    # when an exclusion, a special deduction and the bonus are posted
    for path, data in (
        ("exclusions", {"indicator": "4.3.2.5", "reason": "不提供安装服务"}),
        ("special-deductions", {"category": "law", "evidence": "违反相关法规"}),
        ("special-bonus", {"evidence": "获得省级表彰"}),
    ):
        answer = client.post(f"/audits/{audit_id}/{path}", data={"csrf_token": csrf, **data},
                             follow_redirects=False)  # fmt: skip
        assert answer.status_code == 303, (path, answer.text)
    # then the audit holds them and the page shows them
    audit = api_audit(office, audit_id)
    assert [e["indicator"] for e in audit["exclusions"]] == ["4.3.2.5"]
    assert len(audit["special_deductions"]) == 1 and audit["bonus"]["evidence"] == "获得省级表彰"
    page = client.get(f"/audits/{audit_id}").text
    assert "不提供安装服务" in page and "获得省级表彰" in page
    # and a sampled check without counts, sent by htmx, answers the fragment with the problem
    bad = client.post(f"/audits/{audit_id}/findings", data={
        "indicator": "4.3.2.4", "clause": "4.3.2.4.1", "kind": "sampled", "evidence": "抽查"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf})  # fmt: skip
    assert bad.status_code == 422 and 'id="refusal"' in bad.text and "<html" not in bad.text
    assert len(api_audit(office, audit_id)["findings"]) == 0
