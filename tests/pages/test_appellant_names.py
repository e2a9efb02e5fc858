"""Complainants' and appellants' names are personal data: on the organization page only
appeals and compliance officers see them (issue 20, item 9)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import uscc
from tests.pages.support import ADMIN, sign_in, staff_member

PERSON = "王小明"


def test_only_appeals_and_compliance_officers_see_who_complained(client: TestClient) -> None:
    """Given an organization refused certification and a complaint about it by a person,
    when a planner, an appeals officer and a compliance officer open the organization page,
    then the planner sees the complaint but not the person's name, the two officers see it."""
    desk = AppealsDesk(client, ADMIN)
    code = uscc(611)
    decision_id, _ = desk.refused_decision(code)
    body = {
        "kind": "complaint", "subject": {"decision_id": decision_id},
        "appellant": {"name": PERSON, "contact": "13900000000"},
        "received_on": "2026-11-20", "text": "投诉售后服务。",
    }  # fmt: skip
    filed = desk.post("/appeals", body, desk.officer)
    assert filed.status_code == 201, filed.text
    staff_member(client, "策划员", ["planner"], "planner1")
    staff_member(client, "申诉专员", ["appeals_officer"], "appeals1")
    staff_member(client, "合规专员", ["compliance_officer"], "compliance1")

    sign_in(client, "planner1")
    page = client.get(f"/organizations/{code}")
    assert page.status_code == 200
    assert filed.json()["id"] in page.text  # the complaint is listed
    assert PERSON not in page.text
    assert "仅申诉与合规专员可见" in page.text

    for officer in ("appeals1", "compliance1"):
        sign_in(client, officer)
        assert PERSON in client.get(f"/organizations/{code}").text
