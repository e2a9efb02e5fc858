"""The lifecycle by business dates over HTTP (rules.md §12): the same answers on both stores.

Today is pinned to 2026-11-28; certificates are issued in 2023–2024 so that due dates, sweeps
and late entries can all be played with past business dates.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.pages.support import sign_in, staff_member


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """The certification body's staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


def act(office: LifecycleOffice, number: str, action: str, body: dict[str, Any]) -> Any:
    """A decision maker's status command on a certificate (the response)."""
    return office.post(f"/certificates/{number}/{action}", body, office.decider)


def exceptions(office: LifecycleOffice, number: str) -> list[dict[str, Any]]:
    """The compliance exceptions of one certificate."""
    return office.get(f"/compliance/exceptions?number={number}", office.compliance)["items"]  # type: ignore[no-any-return]


def test_an_overdue_suspension_starts_when_a_requested_one_is_lifted(
    office: LifecycleOffice,
) -> None:
    """Given a certificate issued 2024-03-10 (surveillance due 2025-03-10), suspended at its
    request from 2025-03-01 and reinstated from 2025-04-15, when the sweep runs for 2025-06-30,
    then the overdue suspension starts 2025-04-15, no withdrawal is dated before it, and the
    certificate page explains it in Chinese."""
    number = office.certificate(uscc(961), "2024-03-10")
    body = {"reason": "requested_by_organization", "verified_on": "2025-03-01",
            "effective_on": "2025-03-01"}  # fmt: skip
    assert act(office, number, "suspension", body).status_code == 200
    lifted = {"verified_on": "2025-04-14", "effective_on": "2025-04-15"}
    assert act(office, number, "reinstatement", lifted).status_code == 200

    changes = office.sweep("2025-06-30")

    assert [(c["change"], c["effective_on"]) for c in changes] == [("suspend", "2025-04-15")]
    row = office.public(number)
    assert (row["status"], row["suspended_from"], row["suspended_until"]) == (
        "suspended", "2025-04-15", "2025-07-14"
    )
    assert [(c["change"], c["effective_on"]) for c in office.sweep("2025-07-20")] == [
        ("withdraw", "2025-07-15")
    ]
    staff_member(office.client, "决定人二", ["decision_maker"], "decider2")
    sign_in(office.client, "decider2")
    page = office.client.get(f"/certificates/{number}")
    assert "因监督审查逾期（应于 2025-03-10 前完成），自 2025-04-15 起暂停" in page.text
    assert "因获证组织主动请求暂停，自 2025-03-01 起暂停" in page.text
    assert "自 2025-04-15 起恢复有效" in page.text


def test_a_late_surveillance_entered_early_does_not_hide_the_overdue_day(
    office: LifecycleOffice,
) -> None:
    """Given a surveillance completed late (2025-03-20) and entered before the sweep for
    2025-03-11 runs, when it runs, then 5.3 applies as of that day: suspended from 2025-03-11."""
    number = office.certificate(uscc(962), "2024-03-10")
    office.surveil(number, "2025-03-20")
    changes = office.sweep("2025-03-11")
    assert [(c["change"], c["effective_on"]) for c in changes] == [("suspend", "2025-03-11")]
    assert office.public(number)["status"] == "suspended"


def test_an_on_time_surveillance_entered_after_the_sweep_is_listed_and_rescinded(
    office: LifecycleOffice,
) -> None:
    """Given the sweep suspended a certificate from 2025-03-11, when a surveillance completed
    on time (2025-03-08) is entered, then the conflict is a compliance exception; a decision
    maker's rescission makes the register valid again and clears it."""
    number = office.certificate(uscc(963), "2024-03-10")
    office.sweep("2025-03-11")
    office.surveil(number, "2025-03-08")

    listed = [e for e in exceptions(office, number) if e["kind"] == "contradiction"]
    assert [(e["action"], e["effective_on"], e["reason"]) for e in listed] == [
        ("suspension", "2025-03-11", "surveillance_on_time")
    ]
    wrong = {"action": "withdrawal", "effective_on": "2025-03-11", "reason": "x",
             "decided_on": "2025-03-20"}  # fmt: skip
    refused = act(office, number, "rescission", wrong)
    assert refused.status_code == 409 and refused.json()["code"] == "nothing_to_rescind"
    rescinded = act(office, number, "rescission", {
        "action": "suspension", "effective_on": "2025-03-11",
        "reason": "监督审查已于2025-03-08按期完成", "decided_on": "2025-03-20"})  # fmt: skip
    assert rescinded.status_code == 200, rescinded.text

    assert office.public(number)["status"] == "valid"
    assert [e for e in exceptions(office, number) if e["kind"] == "contradiction"] == []
    assert office.sweep("2025-12-31") == []


def test_a_withdrawal_effective_within_validity_is_recorded_after_expiry(
    office: LifecycleOffice,
) -> None:
    """Given a certificate the sweep expired on 2026-06-15, when a withdrawal effective
    2026-03-02 is entered, then it is recorded (not 409 certificate_expired): the register
    shows it withdrawn on that day and the cycle's retention runs from that day."""
    number = office.certificate(uscc(964), "2023-06-15")
    for day in ("2024-06-01", "2025-05-01"):
        office.surveil(number, day)
    assert [c["change"] for c in office.sweep("2026-06-15")] == ["expire"]

    body = {"reason": "major_accident", "verified_on": "2026-03-01", "effective_on": "2026-03-02"}
    response = act(office, number, "withdrawal", body)

    assert response.status_code == 200, response.text
    row = office.public(number)
    assert (row["status"], row["withdrawn_on"]) == ("withdrawn", "2026-03-02")
    code = office.cert(number)["organization"]["uscc"]
    retention = office.get(f"/retention?uscc={code}", office.compliance)
    cycle = next(r for r in retention if r["kind"] == "certification_cycle")  # type: ignore[union-attr]
    assert (cycle["last_day"], cycle["retain_until"]) == ("2026-03-02", "2029-03-02")
    late = act(office, number, "withdrawal", {**body, "effective_on": "2026-06-16",
                                                "verified_on": "2026-06-16"})  # fmt: skip
    assert late.status_code == 409 and late.json()["code"] == "certificate_withdrawn"


def test_retention_as_of_a_past_day_shows_the_rows_as_they_stood(
    office: LifecycleOffice,
) -> None:
    """Given a cycle withdrawn on 2026-03-02 and a legal hold placed 2026-11-01, when the
    schedule is read as of 2025-12-31, then the cycle is running (its scheduled retain_until,
    provisional) and not held; as of today it ended on the withdrawal date, and held."""
    number = office.certificate(uscc(965), "2023-06-15")
    office.surveil(number, "2024-06-01")
    office.surveil(number, "2025-05-01")
    code = office.cert(number)["organization"]["uscc"]
    body = {"reason": "major_accident", "verified_on": "2026-03-01", "effective_on": "2026-03-02"}
    assert act(office, number, "withdrawal", body).status_code == 200
    hold = office.post("/holds", {"uscc": code, "reason": "法院调取", "placed_on": "2026-11-01"},
                       office.compliance)  # fmt: skip
    assert hold.status_code == 201, hold.text

    then = office.get(f"/retention?uscc={code}&as_of=2025-12-31", office.compliance)
    now = office.get(f"/retention?uscc={code}", office.compliance)

    past = next(r for r in then if r["kind"] == "certification_cycle")  # type: ignore[union-attr]
    assert (past["last_day"], past["retain_until"], past["retain_until_provisional"]) == (
        None, "2029-06-14", True
    )
    assert past["hold"] is False
    current = next(r for r in now if r["kind"] == "certification_cycle")  # type: ignore[union-attr]
    assert (current["last_day"], current["retain_until"], current["hold"]) == (
        "2026-03-02", "2029-03-02", True
    )
    before = office.get(f"/retention?uscc={code}&as_of=2023-01-01", office.compliance)
    assert before == []


def test_the_state_council_notice_is_loaded_and_shown_with_its_source(
    office: LifecycleOffice,
) -> None:
    """Given no notice for 2028 (the package does not know it), when its calendar is read,
    then it is the statutory floor, provisional; when a notice is loaded, then its days count
    and say so; a make-up working day inside a holiday span is refused with the field."""
    before = office.get("/calendar/2028", office.compliance)
    assert before["provisional"] is True
    spring = [d for d in before["days"] if d["name"] == "春节"]
    assert [d["day"] for d in spring] == ["2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28"]
    notice = {"source": "国办发明电〔2027〕1号",
              "holidays": [{"from": "2028-01-25", "to": "2028-02-01", "name": "春节"}],
              "working_days": ["2028-01-23", "2028-02-05"]}  # fmt: skip
    loaded = office.client.put(f"{API}/calendar/2028", json=notice, headers=office.compliance)
    assert loaded.status_code == 200, loaded.text
    after = loaded.json()
    assert after["notice_source"] == "国办发明电〔2027〕1号" and after["provisional"] is False
    days = {d["day"]: d for d in after["days"]}
    assert days["2028-02-01"]["working"] is False and days["2028-02-01"]["source"] == "notice"
    assert days["2028-01-23"]["working"] is True
    bad = {**notice, "working_days": ["2028-01-26"]}
    refused = office.client.put(f"{API}/calendar/2028", json=bad, headers=office.compliance)
    assert refused.status_code == 422, refused.text
    assert "working_days" in refused.text
    forbidden = office.client.put(f"{API}/calendar/2028", json=notice, headers=office.intake)
    assert forbidden.status_code == 403
