"""An organization's whole history over HTTP (rules.md §10; api.md History): every event in
order with who and when, and every record as it stood at a past moment, rebuilt from events."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


def history(office: LifecycleOffice, code: str, as_of: str | None = None) -> list[dict]:  # type: ignore[type-arg]
    params = {} if as_of is None else {"as_of": as_of}
    response = office.client.get(
        f"{API}/organizations/{code}/history", params=params, headers=office.compliance
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_the_timeline_holds_every_event_oldest_first_with_who_and_when(
    office: LifecycleOffice,
) -> None:
    """Given an organization certified and then suspended, when a compliance officer reads its
    history, then every event of its application, audit, decision and certificate is there in
    recording order, each with its business date, its actor's id and name, and its data."""
    code = uscc(901)
    number = office.certificate(code, "2026-06-15")
    body = {"reason": "licence_lapsed", "verified_on": "2026-07-01", "effective_on": "2026-07-02"}
    assert (
        office.post(f"/certificates/{number}/suspension", body, office.decider).status_code == 200
    )
    other = office.certificate(uscc(902), "2026-06-15")
    events = history(office, code)
    types = [e["type"] for e in events]
    for expected in (
        "CertificationApplication.Submitted",
        "CertificationApplication.Reviewed",
        "CertificationApplication.ContractSigned",
        "Audit.Planned",
        "Audit.Completed",
        "Decision.Made",
        "Certificate.Issued",
        "Certificate.Suspended",
    ):
        assert expected in types, expected
    assert (
        types.index("Audit.Completed")
        < types.index("Decision.Made")
        < types.index("Certificate.Suspended")
    )
    assert [e["recorded_at"] for e in events] == sorted(e["recorded_at"] for e in events)
    suspended = next(e for e in events if e["type"] == "Certificate.Suspended")
    assert suspended["business_date"] == "2026-07-02"  # effective_on
    assert suspended["data"]["verified_on"] == "2026-07-01"
    assert suspended["actor"]["name"] == "决定人"
    assert suspended["data"]["effective_on"] == "2026-07-02"
    assert all(other not in str(e["data"]) for e in events)


def test_as_of_cuts_the_timeline_and_rebuilds_each_record_as_it_stood(
    office: LifecycleOffice,
) -> None:
    """Given a certificate issued and, later, surveilled at four stars and suspended, when
    the history is read as of the moment of issue, then nothing after it is listed and the
    certificate reads valid, five star, version 1 — while now it is suspended, four star."""
    code = uscc(903)
    number = office.certificate(code, "2026-06-15")
    issued_at = next(
        e["recorded_at"] for e in history(office, code) if e["type"] == "Certificate.Issued"
    )
    office.surveil(number, "2026-10-01", repair_nonconformity=True)
    body = {"reason": "other", "verified_on": "2026-11-02", "effective_on": "2026-11-02"}
    assert (
        office.post(f"/certificates/{number}/suspension", body, office.decider).status_code == 200
    )

    then = history(office, code, as_of=issued_at)
    assert then[-1]["type"] in ("Certificate.Issued", "Decision.Made")
    assert all(e["recorded_at"] <= issued_at for e in then)
    certificate_then = next(e for e in then if e["type"] == "Certificate.Issued")["record_state"]
    assert (certificate_then["status"], certificate_then["grade"]) == ("valid", "five_star")

    records = office.client.get(
        f"{API}/organizations/{code}/records",
        params={"as_of": issued_at},
        headers=office.compliance,
    ).json()
    (cert_then,) = [r for r in records if r["kind"] == "certificate"]
    assert (cert_then["version"], cert_then["state"]["status"]) == (1, "valid")
    now = office.client.get(f"{API}/organizations/{code}/records", headers=office.compliance).json()
    (cert_now,) = [r for r in now if r["kind"] == "certificate"]
    assert (cert_now["state"]["status"], cert_now["state"]["grade"]) == ("suspended", "four_star")

    day_before = history(office, code, as_of="2026-06-14")
    assert day_before == [] or all(e["recorded_at"] <= issued_at for e in day_before)


def test_history_is_for_compliance_officers_and_checks_its_input(office: LifecycleOffice) -> None:
    """Given a decision maker, then 403; a malformed uscc or as_of is 422."""
    code = uscc(904)
    url = f"{API}/organizations/{code}/history"
    assert office.client.get(url, headers=office.decider).status_code == 403
    bad = office.client.get(
        f"{API}/organizations/91350100M000100Y4X/history", headers=office.compliance
    )
    assert bad.status_code == 422
    for as_of in ("yesterday", "2026-11-28T10:00:00"):
        response = office.client.get(url, params={"as_of": as_of}, headers=office.compliance)
        assert response.status_code == 422, as_of
