"""Disposal of records past retention, end to end (rules.md §10; issue 7): nothing of them
stays readable in the event store, the document store or any read model, a tombstone records
what was disposed of, and the hash chain still verifies."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ecpsc.cli import cli
from ecpsc.settings import Settings
from tests.api.conftest import API, events_recorded
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc

NAME = "福州某电器有限公司"  # the organization name LifecycleOffice applies with


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


def retention(office: LifecycleOffice, code: str) -> list[dict[str, Any]]:
    response = office.client.get(
        f"{API}/retention", params={"uscc": code}, headers=office.compliance
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def stored_states(office: LifecycleOffice) -> list[bytes]:
    """Every stored event's content, as the database holds it."""
    recorder: Any = office.client.app.state.services.backoffice.recorder  # type: ignore[attr-defined]
    return [n.state for n in recorder.select_notifications(start=1, limit=100_000)]


def test_a_withdrawn_cycle_past_retention_is_disposed_of_and_the_chain_still_verifies(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given a certificate issued 2020-03-01 and withdrawn 2021-06-02 (kept until 2024-06-02),
    when a compliance officer disposes of its cycle on 2026-11-28, then: its application,
    register entry and documents are gone; its events stand in the history as disposed, with
    their digests, and no stored event, list or page shows the organization's name any more;
    the disposal record names what, when and by whom; and `ecpsc verify` still passes."""
    code = uscc(961)
    number = office.certificate(code, "2020-03-01")
    office.sweep("2021-06-02")
    (row,) = retention(office, code)
    assert (row["retain_until"], row["eligible_for_disposal"]) == ("2024-06-02", True)
    app_id = office.get(f"/certificates/{number}")["application_id"]
    sha = office.documents[0]["sha256"]
    assert any(NAME.encode() in state for state in stored_states(office))

    disposed = office.post(
        f"/retention/{row['key']}/disposal", {"reason": "保存期满"}, office.compliance
    )
    assert disposed.status_code == 201, disposed.text
    record = disposed.json()
    assert (record["uscc"], record["certificate_numbers"], record["disposed_on"]) == (
        code, [number], "2026-11-28"
    )  # fmt: skip
    kinds = {r["kind"] for r in record["records"]}
    assert {"application", "audit", "decision", "certificate"} <= kinds
    assert all(len(d) == 64 for r in record["records"] for d in r["digests"])
    assert sha in record["documents"]

    assert not any(NAME.encode() in state for state in stored_states(office))
    assert office.client.get(f"{API}/register/certificates/{number}").status_code == 404
    assert (
        office.client.get(f"{API}/applications/{app_id}", headers=office.intake).status_code == 404
    )
    listed = office.client.get(f"{API}/applications", params={"uscc": code}, headers=office.intake)
    assert listed.status_code == 200 and NAME not in listed.text
    assert office.client.get(f"{API}/documents/{sha}", headers=office.intake).status_code in (
        404,
        410,
    )
    history = office.client.get(f"{API}/organizations/{code}/history", headers=office.compliance)
    assert history.status_code == 200 and NAME not in history.text
    assert any(e["data"].get("disposed") for e in history.json())
    assert retention(office, code)[0]["disposed"] is True

    verify = CliRunner().invoke(cli, ["verify"], env={"ECPSC_DATABASE_URL": settings.database_url})
    assert verify.exit_code == 0, verify.output

    again = office.post(f"/retention/{row['key']}/disposal", {"reason": "再次"}, office.compliance)
    assert again.status_code == 409


def test_records_still_kept_or_held_are_not_disposed_of(office: LifecycleOffice) -> None:
    """Given a cycle kept until 2027-04-11, when disposal is asked for, then 409
    not_eligible_for_disposal naming the date, and nothing is recorded; a row under a legal
    hold is refused the same way, naming the hold."""
    code = uscc(962)
    office.certificate(code, "2023-01-10")
    office.sweep("2024-04-11")
    (row,) = retention(office, code)
    before = events_recorded(office.client)
    refused = office.post(f"/retention/{row['key']}/disposal", {"reason": "x"}, office.compliance)
    assert refused.status_code == 409 and refused.json()["code"] == "not_eligible_for_disposal"
    assert "2027-04-11" in refused.json()["message"]
    assert events_recorded(office.client) == before

    old = uscc(963)
    office.certificate(old, "2020-03-01")
    office.sweep("2021-06-02")
    assert (
        office.post("/holds", {"uscc": old, "reason": "诉讼"}, office.compliance).status_code == 201
    )
    (held,) = retention(office, old)
    refused = office.post(f"/retention/{held['key']}/disposal", {"reason": "x"}, office.compliance)
    assert refused.status_code == 409 and "hold" in refused.json()["message"]
