"""The retention pages (issue 8): the schedule as of a day, legal holds placed and released
through forms, and disposal only after its confirmation step.

Scenarios are built through the JSON API (backdated certificates, sweeps); the forms are posted
as a signed-in compliance officer would. Today is pinned to 2026-11-28.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.pages.support import sign_in, staff_member


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server, working through the API."""
    return LifecycleOffice(client, admin_headers)


def compliance_officer(client: TestClient) -> str:
    """A compliance officer signed in to the pages; the session's CSRF token."""
    staff_member(client, "郑清", ["compliance_officer"], "zhengqing")
    return sign_in(client, "zhengqing")


def api_rows(office: LifecycleOffice, code: str) -> list[dict[str, Any]]:
    """The organization's retention rows read back through the API."""
    answer = office.client.get(f"{API}/retention", params={"uscc": code},
                               headers=office.compliance)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def shown_rows(html: str) -> dict[str, str]:
    """Row key → whether the page marks it eligible ("yes"/"no")."""
    return dict(re.findall(r'data-key="([^"]+)" data-eligible="(\w+)"', html))


def withdrawn_long_ago(office: LifecycleOffice, n: int) -> tuple[str, str]:
    """A certificate issued 2020-03-01 and withdrawn 2021-06-02, kept until 2024-06-02: its
    organization's USCC and its row key (eligible for disposal today)."""
    code = uscc(n)
    office.certificate(code, "2020-03-01")
    office.sweep("2021-06-02")
    (row,) = api_rows(office, code)
    assert row["eligible_for_disposal"] is True
    return code, row["key"]


def test_the_schedule_shows_rows_as_of_a_day_and_filters_the_eligible(
    client: TestClient, office: LifecycleOffice
) -> None:
    # given a cycle kept until 2027-04-11 (withdrawn 2024-04-11) and one past its retention
    recent = uscc(501)
    office.certificate(recent, "2023-01-10")
    office.sweep("2024-04-11")
    (kept,) = api_rows(office, recent)
    _, old_key = withdrawn_long_ago(office, 502)
    compliance_officer(client)
    # when the schedule is read today
    today = client.get("/retention")
    # then both rows are there with their retain_until, the old one eligible, each USCC linked
    assert today.status_code == 200
    assert shown_rows(today.text) == {kept["key"]: "no", old_key: "yes"}
    assert "2027-04-11" in today.text and "2024-06-02" in today.text
    assert f'href="/organizations/{recent}"' in today.text
    assert f'href="/retention/{old_key}/disposal"' in today.text
    # and as of 2027-04-12 the recent one is eligible too
    later = client.get("/retention?as_of=2027-04-12")
    assert shown_rows(later.text) == {kept["key"]: "yes", old_key: "yes"}
    # and "eligible only" leaves out what is still kept
    eligible = client.get("/retention?eligible=1")
    assert shown_rows(eligible.text) == {old_key: "yes"} and "共 1 条" in eligible.text
    # and a malformed day is named, the schedule shown as of today
    bad = client.get("/retention?as_of=2026-13-40")
    assert bad.status_code == 422 and "as_of" in bad.text and old_key in bad.text


def test_a_legal_hold_placed_and_released_through_the_forms(
    client: TestClient, office: LifecycleOffice
) -> None:
    # given a row past its retention and a compliance officer
    code, key = withdrawn_long_ago(office, 503)
    csrf = compliance_officer(client)
    assert 'name="reason"' in client.get("/retention/holds").text
    # when a legal hold is placed through the form
    placed = client.post("/retention/holds", data={"csrf_token": csrf, "uscc": code,
                                                   "reason": "诉讼保全", "placed_on": "2026-11-27"},
                         follow_redirects=False)  # fmt: skip
    # then it holds the row, as the API shows, and the schedule says so
    assert placed.status_code == 303 and placed.headers["location"] == f"/retention?uscc={code}"
    (row,) = api_rows(office, code)
    assert (row["hold"], row["eligible_for_disposal"]) == (True, False)
    schedule = client.get(placed.headers["location"]).text
    assert shown_rows(schedule) == {key: "no"} and "法律保全" in schedule
    hold_id = row["holds"][0]["id"]
    holds = client.get("/retention/holds").text
    assert f'id="release-{hold_id}"' in holds and "诉讼保全" in holds
    # when it is released through its form
    released = client.post(f"/retention/holds/{hold_id}/release",
                           data={"csrf_token": csrf, "released_on": "2026-11-28"},
                           follow_redirects=False)  # fmt: skip
    # then the row is eligible again
    assert released.status_code == 303
    assert api_rows(office, code)[0]["eligible_for_disposal"] is True
    # and releasing it again is refused with the rule, nothing recorded
    before = events_recorded(client)
    again = client.post(f"/retention/holds/{hold_id}/release", data={"csrf_token": csrf})
    assert again.status_code == 409 and 'class="refusal"' in again.text
    assert events_recorded(client) == before


def test_a_hold_with_a_malformed_uscc_is_named_and_nothing_recorded(
    client: TestClient, office: LifecycleOffice
) -> None:
    # given a compliance officer
    csrf = compliance_officer(client)
    before = events_recorded(client)
    # when a hold is placed on a USCC with a wrong check digit
    bad = {"csrf_token": csrf, "uscc": "91350100M000100Y44", "reason": "x"}
    answer = client.post("/retention/holds", data=bad)
    # then the form comes back naming the field, its values kept
    assert answer.status_code == 422 and "uscc" in answer.text
    assert 'value="91350100M000100Y44"' in answer.text
    assert events_recorded(client) == before


def test_disposal_needs_its_confirmation_step(client: TestClient, office: LifecycleOffice) -> None:
    # given a row past its retention
    code, key = withdrawn_long_ago(office, 504)
    number = api_rows(office, code)[0]["subject"]
    sha = office.documents[0]["sha256"]
    csrf = compliance_officer(client)
    # when its Dispose button is followed
    step = client.get(f"/retention/{key}/disposal")
    # then the page lists exactly what would be destroyed, and asks for the USCC
    assert step.status_code == 200
    assert number in step.text and sha in step.text and 'name="confirm_uscc"' in step.text
    assert "认证决定" in step.text and "证书" in step.text
    before = events_recorded(client)
    # when the disposal is posted without the confirmation, or with another USCC
    for typed in ("", uscc(505)):
        unconfirmed = {"csrf_token": csrf, "confirm_uscc": typed, "reason": "保存期满"}
        answer = client.post(f"/retention/{key}/disposal", data=unconfirmed)
        # then it is refused 422 and nothing is destroyed
        assert answer.status_code == 422 and "统一社会信用代码以确认处置" in answer.text
    assert events_recorded(client) == before
    assert api_rows(office, code)[0]["disposed"] is False
    assert office.client.get(f"{API}/register/certificates/{number}").status_code == 200
    # when it is confirmed with the USCC
    done = client.post(f"/retention/{key}/disposal",
                       data={"csrf_token": csrf, "confirm_uscc": code, "reason": "保存期满"},
                       follow_redirects=False)  # fmt: skip
    # then the records are disposed of, as the API shows, and the page shows the record
    assert done.status_code == 303 and done.headers["location"] == f"/retention/{key}/disposal"
    assert api_rows(office, code)[0]["disposed"] is True
    assert office.client.get(f"{API}/register/certificates/{number}").status_code == 404
    record = client.get(done.headers["location"])
    assert record.status_code == 200 and 'id="disposed"' in record.text
    assert "2026-11-28" in record.text and 'name="confirm_uscc"' not in record.text


def test_a_disposal_refused_by_the_rule_shows_it_and_destroys_nothing(
    client: TestClient, office: LifecycleOffice
) -> None:
    # given a cycle kept until 2027-04-11, and an old one under a legal hold
    recent = uscc(506)
    office.certificate(recent, "2023-01-10")
    office.sweep("2024-04-11")
    (kept,) = api_rows(office, recent)
    held, held_key = withdrawn_long_ago(office, 507)
    assert office.post("/holds", {"uscc": held, "reason": "诉讼"},
                       office.compliance).status_code == 201  # fmt: skip
    csrf = compliance_officer(client)
    assert 'id="not-eligible"' in client.get(f"/retention/{kept['key']}/disposal").text
    before = events_recorded(client)
    # when each is confirmed for disposal
    confirmed = {"csrf_token": csrf, "reason": "x"}
    early = client.post(
        f"/retention/{kept['key']}/disposal", data={**confirmed, "confirm_uscc": recent}
    )
    on_hold = client.post(
        f"/retention/{held_key}/disposal", data={**confirmed, "confirm_uscc": held}
    )
    # then the rule's Chinese message and clause are shown beside the form
    assert early.status_code == 409 and on_hold.status_code == 409
    assert "该记录尚不能处置" in early.text and "保存至 2027-04-11" in early.text
    assert "ZPIC-WF-20 10.2" in early.text and "not_eligible_for_disposal" in early.text
    assert "有保全" in on_hold.text and "ZPIC-WF-20 10.2" in on_hold.text
    # and nothing was recorded or destroyed
    assert events_recorded(client) == before
    assert api_rows(office, recent)[0]["disposed"] is False
    assert api_rows(office, held)[0]["disposed"] is False


def test_only_compliance_officers_and_known_rows(
    client: TestClient, office: LifecycleOffice
) -> None:
    # given a compliance officer signed in
    csrf = compliance_officer(client)
    # when unknown or malformed rows are asked for, then 404 pages
    assert client.get("/retention/certificate:NOPE:1/disposal").status_code == 404
    assert client.get("/retention/bad%20key!/disposal").status_code == 404
    answer = client.post("/retention/certificate:NOPE:1/disposal",
                         data={"csrf_token": csrf, "confirm_uscc": "x", "reason": "x"})  # fmt: skip
    assert answer.status_code == 404
    assert client.post("/retention/holds/not-a-uuid/release",
                       data={"csrf_token": csrf}).status_code == 404  # fmt: skip
    # and an intake clerk may not see the schedule
    staff_member(client, "受理员", ["intake"], "intake")
    sign_in(client, "intake")
    assert client.get("/retention").status_code == 403
    assert client.get("/retention/holds").status_code == 403
