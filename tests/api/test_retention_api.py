"""Record retention over HTTP (rules.md §10; api.md GET /retention, holds): a row per cycle and
per application never certified, kept 36 months after its last day, held while disputed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


def rows(office: LifecycleOffice, code: str, as_of: str = "2026-11-28") -> list[dict[str, Any]]:
    response = office.client.get(
        f"{API}/retention", params={"uscc": code, "as_of": as_of}, headers=office.compliance
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def events_of(office: LifecycleOffice, code: str) -> int:
    response = office.client.get(f"{API}/organizations/{code}/history", headers=office.compliance)
    return len(response.json())


def test_an_expired_cycle_is_kept_36_months_after_its_last_day(office: LifecycleOffice) -> None:
    """Given a certificate valid through 2026-11-19 that expired, then its cycle's row holds
    every record of the certification (application, audits, decision, certificate), is kept
    until 2029-11-19, and is eligible for disposal from 2029-11-20, not before."""
    code = uscc(951)
    number = office.certificate(code, "2023-11-20")
    office.surveil(number, "2024-11-01")
    office.surveil(number, "2025-10-01")
    office.sweep("2026-11-20")
    (row,) = rows(office, code)
    assert (row["kind"], row["subject"], row["cycle"]) == ("certification_cycle", number, 1)
    assert (row["last_day"], row["retain_until"]) == ("2026-11-19", "2029-11-19")
    assert row["records"] == events_of(office, code)
    assert rows(office, code, "2029-11-19")[0]["eligible_for_disposal"] is False
    assert rows(office, code, "2029-11-20")[0]["eligible_for_disposal"] is True


def test_a_withdrawal_ends_the_cycle_early(office: LifecycleOffice) -> None:
    """Given a certificate withdrawn on 2024-04-11 (its surveillance missed), then its cycle
    ends that day and is kept until 2027-04-11."""
    code = uscc(952)
    office.certificate(code, "2023-01-10")
    office.sweep("2024-04-11")
    (row,) = rows(office, code)
    assert (row["last_day"], row["retain_until"]) == ("2024-04-11", "2027-04-11")
    assert row["eligible_for_disposal"] is False
    assert rows(office, code, "2027-04-12")[0]["eligible_for_disposal"] is True


def test_an_application_never_certified_is_kept_36_months_after_its_outcome(
    office: LifecycleOffice,
) -> None:
    """Given an application refused on 2026-10-10 and another rejected at review on
    2026-11-02, then each has its own row, kept until 2029-10-10 and 2029-11-02."""
    code = uscc(953)
    app_id = office.contracted(office.application(code, "2026-10-10"), "2026-10-10")
    planned = office.plan({"application_id": app_id}, "initial", "2026-10-10")
    office.complete(planned.json()["id"], "2026-10-10")
    assert office.decide(planned.json()["id"], "refuse", "2026-10-10").status_code == 201
    rejected = office.application(code, "2026-11-01")
    review = {"outcome": "rejected", "reasons": ["不在认证范围"], "missing": [],
              "reviewed_on": "2026-11-02"}  # fmt: skip
    assert (
        office.post(
            f"/applications/{rejected.json()['id']}/review", review, office.intake
        ).status_code
        == 200
    )
    by_subject = {r["subject"]: r for r in rows(office, code)}
    assert by_subject[app_id]["retain_until"] == "2029-10-10"
    assert (
        by_subject[app_id]["records"] == 6
    )  # submitted, reviewed, contracted; planned, completed; refused
    assert by_subject[rejected.json()["id"]]["retain_until"] == "2029-11-02"
    assert {r["kind"] for r in by_subject.values()} == {"application"}


def test_recertification_closes_one_cycle_and_opens_the_next(office: LifecycleOffice) -> None:
    """Given a certificate valid through 2026-12-09 recertified on 2026-11-20, then cycle 1
    ends 2026-12-09 (kept until 2029-12-09) and cycle 2 is open, its retain_until provisional."""
    code = uscc(954)
    number = office.certificate(code, "2023-12-10")
    office.surveil(number, "2024-11-01")
    office.surveil(number, "2025-10-01")
    app_id = office.contracted(
        office.application(code, "2026-10-01", certificate_number=number), "2026-10-01"
    )
    planned = office.plan({"application_id": app_id}, "recertification", "2026-11-02")
    office.complete(planned.json()["id"], "2026-11-02")
    assert office.decide(planned.json()["id"], "grant", "2026-11-20").status_code == 201
    first, second = sorted(rows(office, code), key=lambda r: r["cycle"])
    assert (first["cycle"], first["last_day"], first["retain_until"]) == (
        1,
        "2026-12-09",
        "2029-12-09",
    )
    # a running cycle shows the retain_until its scheduled last day gives, provisional (§12)
    assert (
        second["cycle"],
        second["retain_until"],
        second["retain_until_provisional"],
        second["eligible_for_disposal"],
    ) == (2, "2032-12-09", True, False)
    assert first["records"] + second["records"] == events_of(office, code)


def test_holds_stop_disposal_until_released(office: LifecycleOffice) -> None:
    """Given a withdrawn cycle past its retention, when a legal hold is placed, then it is not
    eligible; released, it is again; an open complaint holds it too, until answered."""
    code = uscc(955)
    office.certificate(code, "2023-01-10")
    office.sweep("2024-04-11")
    as_of = "2027-05-01"
    placed = office.post("/holds", {"uscc": code, "reason": "诉讼保全"}, office.compliance)
    assert placed.status_code == 201, placed.text
    (row,) = rows(office, code, as_of)
    assert (row["hold"], row["eligible_for_disposal"]) == (True, False)
    assert row["holds"][0]["kind"] == "legal"
    released = office.post(f"/holds/{placed.json()['id']}/release", {}, office.compliance)
    assert released.status_code == 200 and released.json()["active"] is False
    assert rows(office, code, as_of)[0]["eligible_for_disposal"] is True
    again = office.post(f"/holds/{placed.json()['id']}/release", {}, office.compliance)
    assert again.status_code == 409 and again.json()["code"] == "hold_released"
    assert office.post("/holds", {"uscc": code, "reason": "x"}, office.decider).status_code == 403
