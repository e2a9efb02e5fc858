"""The appeal pages (issue 8): the queue by urgency, a case taken from receipt to its notice
through the forms, the impartiality refusal beside the assignment form, then and now.

Scenarios are built through the JSON API (the same application); the forms are posted as a
signed-in appeals officer would (TestClient keeps the cookie). Today is pinned to 2026-11-28.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import events_recorded
from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import uscc
from tests.pages.support import sign_in, staff_member


@pytest.fixture
def desk(client: TestClient, admin_headers: dict[str, str]) -> AppealsDesk:
    """The lifecycle staff and two appeals officers, working through the API."""
    return AppealsDesk(client, admin_headers)


def officer(client: TestClient) -> tuple[str, str]:
    """An appeals officer signed in to the pages: their id and the session's CSRF token."""
    user_id = staff_member(client, "周洁", ["appeals_officer"], "zhoujie")
    return user_id, sign_in(client, "zhoujie")


def api_appeal(desk: AppealsDesk, appeal_id: str) -> dict:  # type: ignore[type-arg]
    """The case read back through the API."""
    return desk.get(f"/appeals/{appeal_id}", desk.officer)


def test_a_case_goes_from_receipt_to_its_notice_through_the_forms(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a refusal to appeal against, and an appeals officer signed in to the pages
    decision_id, _ = desk.refused_decision(uscc(601))
    me, csrf = officer(client)
    form = client.get("/appeals/new")
    assert form.status_code == 200 and 'name="appellant_name"' in form.text
    # when the appeal is received through the form
    received = client.post("/appeals", data={
        "csrf_token": csrf, "kind": "appeal", "decision_id": decision_id,
        "appellant_name": "福州某电器有限公司", "appellant_contact": "13900000000",
        "received_on": "2026-11-20", "text": "对不予认证决定有异议：维修记录已补充。",
    }, follow_redirects=False)  # fmt: skip
    # then it is recorded and the browser goes to the case page
    assert received.status_code == 303, received.text
    appeal_id = received.headers["location"].rsplit("/", 1)[1]
    assert api_appeal(desk, appeal_id)["status"] == "received"
    page = client.get(f"/appeals/{appeal_id}")
    assert page.status_code == 200 and "2027-01-19" in page.text and "剩52 天" in page.text
    assert 'id="acknowledgement"' in page.text

    # when it is acknowledged, assigned to the officer, noted and resolved through the forms
    def post(form: str, data: dict[str, object]) -> None:
        answer = client.post(f"/appeals/{appeal_id}/{form}",
                             data={"csrf_token": csrf, **data}, follow_redirects=False)  # fmt: skip
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/appeals/{appeal_id}#{form}"

    post("acknowledgement", {"acknowledged_on": "2026-11-21"})
    post("assignment", {"handler_ids": [me], "assigned_on": "2026-11-22"})
    post("notes", {"text": "核实维修记录齐全", "noted_on": "2026-11-23"})
    post("resolution", {"outcome": "rejected", "resolved_on": "2026-11-27",
                        "notice": "经复核，申诉不成立。", "corrective_actions": ""})  # fmt: skip

    # then the API shows each step, by the officer
    case = api_appeal(desk, appeal_id)
    assert case["status"] == "resolved"
    assert case["acknowledged_on"] == "2026-11-21"
    assert [h["id"] for h in case["handlers"]] == [me]
    assert [n["text"] for n in case["notes"]] == ["核实维修记录齐全"]
    assert case["resolution"]["outcome"] == "rejected"
    # and the page shows the resolution and links the written notice, which opens for staff
    page = client.get(f"/appeals/{appeal_id}").text
    assert "不成立" in page and f'href="/appeals/{appeal_id}/notice"' in page
    notice = client.get(f"/appeals/{appeal_id}/notice")
    assert notice.status_code == 200 and "经复核，申诉不成立。" in notice.text
    # when the notice is recorded as sent, the case closes
    post("notice-sent", {"sent_on": "2026-11-28"})
    assert api_appeal(desk, appeal_id)["status"] == "closed"


def test_the_queue_marks_cases_due_within_7_days_and_overdue(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given cases received 2026-09-01 (due 2026-10-31), 2026-10-03 (due 2026-12-02, 4 days
    # left) and 2026-11-20 (due 2027-01-19, 52 days left)
    decision_id, _ = desk.refused_decision(uscc(602))
    ids = {}
    for day in ("2026-11-20", "2026-09-01", "2026-10-03"):
        answer = desk.appeal({"decision_id": decision_id}, day, kind="complaint")
        assert answer.status_code == 201, answer.text
        ids[day] = answer.json()["id"]
    officer(client)
    # when the officer opens the queue
    queue = client.get("/appeals")
    # then the cases come most urgent first, marked overdue, soon, and not at all
    assert queue.status_code == 200
    rows = re.findall(r'<tr id="appeal-([0-9a-f-]+)" data-tag="(\w*)"', queue.text)
    assert rows == [(ids["2026-09-01"], "overdue"), (ids["2026-10-03"], "soon"),
                    (ids["2026-11-20"], "")]  # fmt: skip
    assert "已逾期 28 天" in queue.text and "剩4 天" in queue.text
    # and it is paged: a page past the last shows the last
    paged = client.get("/appeals?status=open&page=2&page_size=10")
    assert paged.status_code == 200 and "共 3 条" in paged.text and "第 1 / 1 页" in paged.text


def test_the_queue_filters_by_status(client: TestClient, desk: AppealsDesk) -> None:
    # given one open case and one closed
    decision_id, _ = desk.refused_decision(uscc(603))
    open_id = desk.appeal({"decision_id": decision_id}, "2026-11-20").json()["id"]
    closed = desk.opened({"decision_id": decision_id}, "2026-11-01")
    assert desk.resolve(closed, "rejected").status_code == 200
    assert desk.post(f"/appeals/{closed}/notice-sent", {"sent_on": "2026-11-28"},
                     desk.officer).status_code == 200  # fmt: skip
    officer(client)
    # when the queue is read open, closed and all
    shown = {status: client.get(f"/appeals?status={status}").text
             for status in ("open", "closed", "all")}  # fmt: skip
    # then each filter lists its cases
    assert open_id in shown["open"] and closed not in shown["open"]
    assert closed in shown["closed"] and open_id not in shown["closed"]
    assert open_id in shown["all"] and closed in shown["all"]


def test_assigning_someone_involved_is_refused_beside_the_form_and_records_nothing(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a refusal whose audit team had a trainee who is also an appeals officer
    trainee = staff_member(client, "实习审查员林峰", ["auditor", "appeals_officer"], "linfeng")
    app_id = desk.contracted(desk.application(uscc(604), "2026-10-10"), "2026-10-10")
    planned = desk.plan({"application_id": app_id}, "initial", "2026-10-10", team=[
        {"user_id": desk.leader_id, "role": "leader", "days": "3"},
        {"user_id": desk.auditor_id, "role": "auditor", "days": "3"},
        {"user_id": trainee, "role": "trainee", "days": "1"},
    ])  # fmt: skip
    assert planned.status_code == 201, planned.text
    desk.complete(planned.json()["id"], "2026-10-10")
    refused = desk.decide(planned.json()["id"], "refuse", "2026-10-12")
    assert refused.status_code == 201, refused.text
    appeal_id = desk.appeal({"decision_id": refused.json()["id"]}, "2026-11-20").json()["id"]
    desk.post(f"/appeals/{appeal_id}/acknowledgement", {"acknowledged_on": "2026-11-21"},
              desk.officer)  # fmt: skip
    _, csrf = officer(client)
    page = client.get(f"/appeals/{appeal_id}").text
    assert f'id="handler-{trainee}"' in page and "审查组成员" in page
    before = events_recorded(client)
    # when the officer assigns the trainee through the form
    answer = client.post(f"/appeals/{appeal_id}/assignment", data={
        "csrf_token": csrf, "handler_ids": [trainee], "assigned_on": "2026-11-22"})  # fmt: skip
    # then the rule's Chinese message and clause stand beside the assignment form
    assert answer.status_code == 409
    box = re.search(r'<section[^>]*id="assignment".*?</section>', answer.text, re.S)
    assert box and 'class="refusal"' in box.group(0)
    assert "参与过申诉对象" in box.group(0) and "不得处理" in box.group(0)
    assert "ZPIC-WF-20 9.2" in box.group(0) and "not_impartial" in box.group(0)
    # and nothing was recorded; the choice is kept in the form
    assert events_recorded(client) == before
    assert api_appeal(desk, appeal_id)["handlers"] == []
    assert f'value="{trainee}" id="handler-{trainee}" checked' in answer.text


def test_then_and_now_shows_the_decision_as_it_stood_and_as_it_is(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given an appeal against a refusal, upheld, and a new decision granting the certificate
    decision_id, audit_id = desk.refused_decision(uscc(605))
    appeal_id = desk.opened({"decision_id": decision_id})
    upheld = desk.resolve(appeal_id, "upheld")
    assert upheld.status_code == 200, upheld.text
    granted = desk.decide(audit_id, "grant", "2026-11-28")
    assert granted.status_code == 201, granted.text
    number = granted.json()["certificate_number"]
    officer(client)
    # when the case page is opened
    page = client.get(f"/appeals/{appeal_id}").text
    then = re.search(r'<div class="card" id="then">.*?</div>', page, re.S)
    now = re.search(r'<div class="card" id="now">.*?</div>', page, re.S)
    assert then and now
    # then "then" shows the refusal with its audit's score, "now" the grant and its certificate
    assert "不予认证" in then.group(0) and "2026-10-10" in then.group(0)
    assert 'id="then-score"' in then.group(0)
    assert "批准认证" in now.group(0) and number in now.group(0) and "已有新决定" in now.group(0)
    # and the events since the refusal are listed, as the API's then_and_now has them
    since = api_appeal(desk, appeal_id)["then_and_now"]["since"]
    assert f"{len(since)} 条" in now.group(0) and 'id="since"' in page


def test_malformed_forms_and_unknown_cases_answer_without_a_server_error(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given an officer signed in
    _, csrf = officer(client)
    before = events_recorded(client)
    # when a receipt is posted without a date and with a made-up decision id
    bad = client.post("/appeals", data={"csrf_token": csrf, "kind": "appeal",
                                        "decision_id": "not-a-uuid", "appellant_name": "某公司",
                                        "appellant_contact": "x", "text": "异议"})  # fmt: skip
    # then the form comes back 422 naming the fields, its values kept; nothing is recorded
    assert bad.status_code == 422 and "received_on" in bad.text and "某公司" in bad.text
    assert events_recorded(client) == before
    # and unknown or malformed case ids are 404 pages
    assert client.get("/appeals/not-a-uuid").status_code == 404
    assert client.get("/appeals/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.post("/appeals/not-a-uuid/acknowledgement",
                       data={"csrf_token": csrf}).status_code == 404  # fmt: skip
    assert client.get("/appeals/00000000-0000-0000-0000-000000000000/notice").status_code == 404
    # and an intake clerk may not open the queue nor receive a case
    staff_member(client, "受理员", ["intake"], "intake")
    token = sign_in(client, "intake")
    assert client.get("/appeals").status_code == 403
    assert client.post("/appeals", data={"csrf_token": token}).status_code == 403


def test_the_notice_before_resolution_is_refused_on_the_case_page(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a case just received
    decision_id, _ = desk.refused_decision(uscc(606))
    appeal_id = desk.appeal({"decision_id": decision_id}, "2026-11-20").json()["id"]
    officer(client)
    # when its notice is asked for
    answer = client.get(f"/appeals/{appeal_id}/notice")
    # then the rule says there is none yet
    assert answer.status_code == 409 and "尚未作出处理结论" in answer.text


def test_a_compliance_officer_reads_a_case_but_may_not_act_on_it(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a case just received, and a compliance officer signed in
    decision_id, _ = desk.refused_decision(uscc(607))
    appeal_id = desk.appeal({"decision_id": decision_id}, "2026-11-20").json()["id"]
    staff_member(client, "郑清", ["compliance_officer"], "zhengqing")
    csrf = sign_in(client, "zhengqing")
    # when they open it
    page = client.get(f"/appeals/{appeal_id}")
    # then they see the case without its forms, and a posted form is refused
    assert page.status_code == 200 and 'id="then-and-now"' in page.text
    assert 'id="acknowledgement"' not in page.text
    before = events_recorded(client)
    answer = client.post(f"/appeals/{appeal_id}/acknowledgement",
                         data={"csrf_token": csrf, "acknowledged_on": "2026-11-21"})  # fmt: skip
    assert answer.status_code == 403 and events_recorded(client) == before
