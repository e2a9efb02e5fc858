"""Suspension, extension, reinstatement and withdrawal over HTTP (rules.md §8; ZPIC-WF-20 7).

Certificates here are granted on 2026-11-12 so that later business dates up to today
(2026-11-28) can be recorded.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.test_decisions_api import CertificationOffice, uscc

GRANTED_ON = "2026-11-12"


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff on a fresh server."""
    return CertificationOffice(client, admin_headers)


def granted(office: CertificationOffice, n: int) -> str:
    """A certificate granted on 2026-11-12; its number."""
    return office.grant(office.completed_audit(uscc(n), f"福州{n}号商贸有限公司"), GRANTED_ON)


def post(office: CertificationOffice, number: str, action: str, body: dict[str, Any]) -> Any:
    """POST a status change by the decision maker (the response)."""
    return office.client.post(
        f"{API}/certificates/{number}/{action}", json=body, headers=office.decision_maker
    )


def suspension(**overrides: Any) -> dict[str, Any]:
    """A suspension body: requested by the organization, verified and effective 2026-11-20."""
    return {
        "reason": "requested_by_organization",
        "verified_on": "2026-11-20",
        "effective_on": "2026-11-20",
        **overrides,
    }


def public(office: CertificationOffice, number: str) -> dict[str, Any]:
    """The certificate on the public register."""
    response = office.client.get(f"{API}/register/certificates/{number}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_suspension_runs_three_months_from_its_effective_day(
    office: CertificationOffice,
) -> None:
    """Given a valid certificate, when it is suspended from 2026-11-20 without a period,
    then it is suspended through 2027-02-19 (a period of 3 months, §0.1) and the register
    shows the start and end at once (7.2.3)."""
    number = granted(office, 1)
    response = post(office, number, "suspension", suspension())
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["suspended_until"]) == (
        "suspended",
        "2027-02-19",
    )
    entry = public(office, number)
    assert (entry["status"], entry["suspended_from"], entry["suspended_until"]) == (
        "suspended",
        "2026-11-20",
        "2027-02-19",
    )


def test_a_suspension_never_exceeds_six_months_in_all(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a certificate suspended for 3 months from 2026-11-20,
    when it is extended by 4 months, then 409 suspension_too_long and nothing is recorded;
    when it is extended by 3, then it is suspended through 2027-05-19 (6 months from the start);
    and a first suspension of 7 months is refused too."""
    number = granted(office, 2)
    post(office, number, "suspension", suspension())
    recorded = events_recorded(client)
    refused = post(office, number, "suspension/extension", {"months": 4})
    assert refused.status_code == 409
    assert refused.json()["code"] == "suspension_too_long"
    assert "7.2.2" in refused.json()["clause"]
    assert events_recorded(client) == recorded
    extended = post(office, number, "suspension/extension", {"months": 3})
    assert extended.status_code == 200, extended.text
    assert extended.json()["suspended_until"] == "2027-05-19"
    assert public(office, number)["suspended_until"] == "2027-05-19"
    other = granted(office, 3)
    too_long = post(office, other, "suspension", suspension(months=7))
    assert (too_long.status_code, too_long.json()["code"]) == (409, "suspension_too_long")


def test_reinstatement_makes_a_suspended_certificate_valid_again(
    office: CertificationOffice,
) -> None:
    """Given a suspended certificate, when the cause is verified resolved,
    then it is valid again and the register shows no suspension; reinstating a valid
    certificate is refused."""
    number = granted(office, 4)
    post(office, number, "suspension", suspension())
    body = {"verified_on": "2026-11-27", "effective_on": "2026-11-28"}
    response = post(office, number, "reinstatement", body)
    assert response.status_code == 200, response.text
    entry = public(office, number)
    assert (entry["status"], entry["suspended_from"], entry["suspended_until"]) == (
        "valid",
        None,
        None,
    )
    again = post(office, number, "reinstatement", body)
    assert (again.status_code, again.json()["code"]) == (409, "certificate_valid")


def test_an_unrecovered_withdrawal_is_final_and_publicly_noticed(
    office: CertificationOffice,
) -> None:
    """Given a valid certificate, when it is withdrawn and not recovered,
    then the register shows it withdrawn with its date, a public notice names it (7.3.2),
    the change feed has issued then withdrawn, and nothing can change it any more."""
    number = granted(office, 5)
    body = {
        "reason": "serious_dishonesty_list",
        "verified_on": "2026-11-25",
        "effective_on": "2026-11-26",
    }
    response = post(office, number, "withdrawal", body)
    assert response.status_code == 200, response.text
    entry = public(office, number)
    assert (entry["status"], entry["withdrawn_on"]) == ("withdrawn", "2026-11-26")
    notices = office.client.get(f"{API}/register/notices").json()
    assert [n["number"] for n in notices["items"]] == [number]
    assert "撤销" in notices["items"][0]["notice"]
    changes = office.client.get(f"{API}/register/changes").json()["items"]
    assert [c["change"] for c in changes if c["number"] == number] == ["issued", "withdrawn"]
    for action, again in (
        ("suspension", suspension(verified_on="2026-11-27", effective_on="2026-11-27")),
        ("withdrawal", body),
    ):
        refused = post(office, number, action, again)
        assert (refused.status_code, refused.json()["code"]) == (409, "certificate_withdrawn")


def test_a_recovered_certificate_needs_no_public_notice(office: CertificationOffice) -> None:
    """Given a certificate withdrawn and recovered, then no public notice is published."""
    number = granted(office, 6)
    body = {
        "reason": "legal_status_cancelled",
        "verified_on": "2026-11-25",
        "effective_on": "2026-11-25",
        "recovered": True,
    }
    assert post(office, number, "withdrawal", body).status_code == 200
    assert office.client.get(f"{API}/register/notices").json()["total"] == 0
    assert public(office, number)["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("suspension", suspension(reason="bored"), "reason"),
        (
            "suspension",
            suspension(verified_on="2026-11-21", effective_on="2026-11-20"),
            "effective_on",
        ),
        (
            "suspension",
            suspension(effective_on="2026-11-10", verified_on="2026-11-10"),
            "effective_on",
        ),
        ("suspension", suspension(effective_on="2026-11-29"), "effective_on"),
        (
            "withdrawal",
            {"reason": "whim", "verified_on": "2026-11-20", "effective_on": "2026-11-20"},
            "reason",
        ),
    ],
)
def test_malformed_status_changes_are_422_and_record_nothing(
    office: CertificationOffice,
    client: TestClient,
    action: str,
    body: dict[str, Any],
    field: str,
) -> None:
    """Given a valid certificate, when a status change has an unknown reason, takes effect
    before its verification or before the certificate was issued, or is dated after today,
    then 422 names the field and nothing is recorded."""
    number = granted(office, 7)
    recorded = events_recorded(client)
    response = post(office, number, action, body)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["detail"])
    assert events_recorded(client) == recorded
    assert public(office, number)["status"] == "valid"


def test_only_decision_makers_change_a_certificate_and_unknown_numbers_are_404(
    office: CertificationOffice,
) -> None:
    """Given a certificate, when an auditor tries to suspend it, then 403; when the number
    is unknown, then 404."""
    number = granted(office, 8)
    response = office.client.post(
        f"{API}/certificates/{number}/suspension", json=suspension(), headers=office.auditor
    )
    assert response.status_code == 403
    assert post(office, "ECPSC-SC-2026-09999", "suspension", suspension()).status_code == 404
