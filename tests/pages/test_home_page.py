"""The home page: each staff member sees the work their roles bring today (issue 8, item 2).

Scenarios are built through the JSON API (the same application), then read as a signed-in user
in the browser's place (TestClient keeps the cookie). Today is pinned to 2026-11-28.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import uscc
from tests.pages.support import sign_in, staff_member


@pytest.fixture
def desk(client: TestClient, admin_headers: dict[str, str]) -> AppealsDesk:
    """The lifecycle staff and two appeals officers, working through the API."""
    return AppealsDesk(client, admin_headers)


def section(html: str, key: str) -> str:
    """The HTML of one home-page list."""
    match = re.search(rf'<section[^>]*id="work-{key}".*?</section>', html, re.S)
    assert match, f"no list {key} on the page"
    return match.group(0)


def test_intake_sees_applications_awaiting_review_and_supplements(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given one application just received and one waiting for a supplement
    waiting = desk.application(uscc(701), "2026-11-20").json()["id"]
    asked = desk.application(uscc(702), "2026-11-21").json()["id"]
    review = {"outcome": "supplement_requested", "reasons": ["缺营业执照"],
              "missing": ["legal_status"], "reviewed_on": "2026-11-22"}
    assert desk.post(f"/applications/{asked}/review", review, desk.intake).status_code == 200
    staff_member(client, "王敏", ["intake"], "wangmin")
    # when the intake clerk opens home
    sign_in(client, "wangmin")
    home = client.get("/").text
    # then each list holds its application, linked; lists of other roles are not shown
    assert f"/applications/{waiting}" in section(home, "to-review")
    assert f"/applications/{asked}" in section(home, "awaiting-supplement")
    assert f"/applications/{asked}" not in section(home, "to-review")
    assert 'id="work-appeals"' not in home and 'id="work-exceptions"' not in home


def test_the_planner_sees_contracts_to_plan_and_surveillance_due_within_90_days(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a certificate issued 2025-12-01 (first surveillance due 2026-12-01, in 3 days),
    # one issued 2026-06-01 (due 2027-06-01, beyond 90 days), and a contract with no audit yet
    soon = desk.certificate(uscc(711), "2025-12-01")
    later = desk.certificate(uscc(712), "2026-06-01")
    contracted = desk.contracted(desk.application(uscc(713), "2026-11-25"), "2026-11-25")
    staff_member(client, "李强", ["planner"], "liqiang")
    # when the planner opens home
    sign_in(client, "liqiang")
    home = client.get("/").text
    # then the near surveillance is listed, marked with its days left; the far one is not
    due = section(home, "surveillance-due")
    assert soon in due and later not in due
    assert "2026-12-01" in due and "剩3 天" in due
    assert f"/audits/new?certificate_number={soon}" in due
    # and the contract waits to be planned
    assert f"/audits/new?application_id={contracted}" in section(home, "to-plan")


def test_the_surveillance_list_names_the_organization_of_every_certificate(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given two certificates whose surveillance falls due within 90 days
    numbers = [desk.certificate(uscc(714), "2025-12-01"), desk.certificate(uscc(715), "2025-12-02")]
    staff_member(client, "李强", ["planner"], "liqiang")
    # when the planner opens home
    sign_in(client, "liqiang")
    due = section(client.get("/").text, "surveillance-due")
    # then each row carries its organization's name from the register
    row = r'<tr><td><a href="/certificates/([^"]+)">[^<]*</a></td><td>([^<]*)</td>'
    rows = re.findall(row, due)
    assert sorted(rows) == sorted((n, "福州某电器有限公司") for n in numbers)


def test_an_auditor_sees_their_audits_and_a_decision_maker_the_completed_ones(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given an audit planned with the leader on its team, and another completed
    app_id = desk.contracted(desk.application(uscc(721), "2026-11-20"), "2026-11-20")
    planned = desk.plan({"application_id": app_id}, "initial", "2026-11-26").json()["id"]
    other = desk.contracted(desk.application(uscc(722), "2026-11-20"), "2026-11-20")
    completed = desk.plan({"application_id": other}, "initial", "2026-11-24").json()["id"]
    desk.complete(completed, "2026-11-24")
    client.post(f"/api/v1/users/{desk.leader_id}/password",
                json={"sign_in_name": "zuzhang", "password": "a long test password"},
                headers=desk.admin)  # fmt: skip
    staff_member(client, "张伟", ["decision_maker"], "zhangwei")
    # when the team leader opens home, then the decision maker
    sign_in(client, "zuzhang")
    auditor_home = client.get("/").text
    sign_in(client, "zhangwei")
    decider_home = client.get("/").text
    # then the leader's list holds the planned audit, the decision maker's the completed one
    assert f"/audits/{planned}" in section(auditor_home, "to-complete")
    assert f"/audits/{completed}" not in section(auditor_home, "to-complete")
    awaiting = section(decider_home, "awaiting-decision")
    assert f"/decisions/new?audit_id={completed}" in awaiting and planned not in awaiting
    # and once decided, it leaves the list
    assert desk.decide(completed, "grant", "2026-11-26").status_code == 201
    assert completed not in section(client.get("/").text, "awaiting-decision")


def test_a_decision_maker_sees_suspensions_ending_within_30_days(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a certificate suspended from 2026-09-10 for three months (until 2026-12-09)
    number = desk.certificate(uscc(731), "2025-06-10")
    body = {"reason": "licence_lapsed", "verified_on": "2026-09-08",
            "effective_on": "2026-09-10", "months": 3}
    suspended = desk.post(f"/certificates/{number}/suspension", body, desk.decider)
    assert suspended.status_code == 200, suspended.text
    staff_member(client, "张伟", ["decision_maker"], "zhangwei")
    # when the decision maker opens home
    sign_in(client, "zhangwei")
    ending = section(client.get("/").text, "suspensions-ending")
    # then the suspension is listed with its end
    assert number in ending and suspended.json()["suspended_until"] in ending


def test_appeals_are_listed_by_urgency_and_marked_when_seven_days_or_fewer_remain(
    client: TestClient, desk: AppealsDesk
) -> None:
    # given a case received 2026-10-01 (due 2026-11-30: 2 days left), one received
    # 2026-09-20 (due 2026-11-19: overdue) and one received 2026-11-27 (59 days left)
    urgent = desk.appeal({}, "2026-10-01", kind="complaint")
    assert urgent.status_code == 201, urgent.text
    overdue = desk.appeal({}, "2026-09-20", kind="complaint").json()["id"]
    calm = desk.appeal({}, "2026-11-27", kind="complaint").json()["id"]
    client.post(f"/api/v1/users/{desk.officer_id}/password",
                json={"sign_in_name": "shensu", "password": "a long test password"},
                headers=desk.admin)  # fmt: skip
    # when the appeals officer opens home
    sign_in(client, "shensu")
    listed = section(client.get("/").text, "appeals")
    # then the overdue case comes first, marked; the urgent one is marked; the calm one is not
    rows = re.findall(r"<tr>.*?</tr>", listed, re.S)[1:]
    assert overdue in rows[0] and "已逾期" in rows[0]
    assert urgent.json()["id"] in rows[1] and "tag urgent" in rows[1] and "剩2 天" in rows[1]
    assert calm in rows[2] and "tag" not in rows[2].split("</td>")[-2]


def test_each_list_is_paged_beyond_the_home_page(client: TestClient, desk: AppealsDesk) -> None:
    # given twelve applications awaiting review
    for n in range(12):
        assert desk.application(uscc(740 + n), "2026-11-20").status_code == 201
    staff_member(client, "王敏", ["intake"], "wangmin")
    sign_in(client, "wangmin")
    # when home and then the whole list are opened
    home = section(client.get("/").text, "to-review")
    first = client.get("/work/to-review?page_size=10").text
    second = client.get("/work/to-review?page=2&page_size=10").text
    # then home shows ten with a link to all twelve; the list pages ten and two
    assert home.count("/applications/") == 10 and "/work/to-review" in home
    assert first.count('href="/applications/') == 10 and "第 1 / 2 页" in first
    assert second.count('href="/applications/') == 2 and 'rel="prev"' in second
    # and a list of another role is refused
    assert client.get("/work/appeals").status_code == 403
    assert client.get("/work/nothing").status_code == 404
