"""An organization's whole history over HTTP (rules.md §10; api.md History): every event in
order with who and when, and every record as it stood at a past moment, rebuilt from events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from api.routes.organizations import moment
from ecpsc.disposal import RecordDisposed
from ecpsc.history import ActorNames, aggregate_state, event_record
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


def _event_by_event(services: Any, uscc: str, as_of: datetime | None) -> list[dict[str, Any]]:
    """The history as it was first written — each event read on its own, each record rebuilt
    with `BackOffice.as_of` — kept as the answer a faster reading must give byte for byte
    (as of a moment: every event with its record's version then, and the record's state once,
    on its last event up to the moment)."""
    names = ActorNames(services)
    backoffice = services.backoffice
    events = []
    for row in services.read_models.view("organization_index").events(uscc):
        e = backoffice.stored_event(UUID(row["originator_id"]), int(row["originator_version"]))
        if as_of is not None and e.timestamp > as_of:
            continue
        events.append(event_record(e, names))
    if as_of is not None:
        states = {r["id"]: r for r in _records_one_by_one(services, uscc, as_of)}
        for n, record in enumerate(events):
            state = states.get(record["aggregate_id"])
            record["record_version"] = None if state is None else state["version"]
            later = [e for e in events[n + 1 :] if e["aggregate_id"] == record["aggregate_id"]]
            if not later:
                record["record_state"] = None if state is None else state["state"]
    return events


def _records_one_by_one(services: Any, uscc: str, as_of: datetime) -> list[dict[str, Any]]:
    records = []
    for row in services.read_models.view("organization_index").aggregates(uscc):
        try:
            aggregate = services.backoffice.as_of(Aggregate, UUID(row["originator_id"]), as_of)
        except RecordDisposed:
            records.append(
                {
                    "kind": row["kind"],
                    "id": row["originator_id"],
                    "version": None,
                    "state": None,
                    "disposed": True,
                }
            )
            continue
        if aggregate is not None:
            records.append(
                {
                    "kind": row["kind"],
                    "id": row["originator_id"],
                    "version": aggregate.version,
                    "state": aggregate_state(aggregate),
                }
            )
    return records


def test_history_and_records_answer_byte_for_byte_as_read_event_by_event(
    office: LifecycleOffice,
) -> None:
    """Given an organization with an application, two audits, a decision, a certificate
    suspended, and a watchlist entry listed and delisted, when its history and records are read
    whole and as of several moments (before it began, at its first, middle and last events, a
    bare day, now), then each answer is, byte for byte, what reading every event on its own and
    rebuilding every record one by one gives."""
    code = uscc(905)
    number = office.certificate(code, "2026-06-15")
    office.surveil(number, "2026-10-01", repair_nonconformity=True)
    body = {"reason": "other", "verified_on": "2026-11-02", "effective_on": "2026-11-02"}
    assert (
        office.post(f"/certificates/{number}/suspension", body, office.decider).status_code == 200
    )
    source = "北京市市场监督管理局 京市监责〔2026〕12号"
    for listed_on in ("2026-11-03", "2026-11-05"):
        listed = office.post(
            "/watchlist",
            {
                "uscc": code,
                "list": "business_suspension_order",
                "source": source,
                "listed_on": listed_on,
            },
            office.intake,
        )
        assert listed.status_code in (200, 201), listed.text
        delisted = office.post(
            f"/watchlist/{code}/delisting",
            {"source": source, "delisted_on": listed_on},
            office.intake,
        )
        assert delisted.status_code == 200, delisted.text
    services = office.client.app.state.services  # type: ignore[attr-defined]
    whole = history(office, code)
    kinds = {r["kind"] for r in services.read_models.view("organization_index").aggregates(code)}
    assert {"application", "audit", "decision", "certificate", "watchlist_entry"} <= kinds
    at = [e["recorded_at"] for e in whole]
    first = datetime.fromisoformat(at[0])
    moments = [
        None,
        (first - timedelta(seconds=1)).isoformat(),
        at[0],
        at[len(at) // 2],
        at[-3],
        at[-1],
        "2026-06-14",
        datetime.now(UTC).isoformat(),
    ]
    for as_of in moments:
        params = {} if as_of is None else {"as_of": as_of}
        response = office.client.get(
            f"{API}/organizations/{code}/history", params=params, headers=office.compliance
        )
        assert response.status_code == 200, response.text
        expected = _event_by_event(services, code, moment(as_of))
        assert response.content == JSONResponse(jsonable_encoder(expected)).body, as_of
        if as_of is not None:
            response = office.client.get(
                f"{API}/organizations/{code}/records", params=params, headers=office.compliance
            )
            assert response.status_code == 200, response.text
            cut = moment(as_of)
            assert cut is not None
            expected = _records_one_by_one(services, code, cut)
            assert response.content == JSONResponse(jsonable_encoder(expected)).body, as_of


def test_as_of_gives_each_record_s_state_once_not_beside_every_event(
    office: LifecycleOffice,
) -> None:
    """Given a certified organization listed on and taken off a watchlist six times, when its
    history is read as of its last event, then every event carries its record's version then,
    each record's state appears once, on its last event (the watchlist entry's reads it off the
    list, its periods all there) and is written out once in the answer (beside every event, a
    state growing with its events made the answer grow with their square)."""
    code = uscc(906)
    office.certificate(code, "2026-06-15")
    source = "北京市市场监督管理局 京市监责〔2026〕12号"
    for _ in range(6):
        body = {"uscc": code, "list": "business_suspension_order", "source": source,
                "listed_on": "2026-11-03"}  # fmt: skip
        assert office.post("/watchlist", body, office.intake).status_code in (200, 201)
        body = {"source": source, "delisted_on": "2026-11-03"}
        assert office.post(f"/watchlist/{code}/delisting", body, office.intake).status_code == 200
    whole = office.client.get(f"{API}/organizations/{code}/history", headers=office.compliance)
    last = whole.json()[-1]["recorded_at"]
    then = office.client.get(
        f"{API}/organizations/{code}/history", params={"as_of": last}, headers=office.compliance
    )
    events = then.json()
    assert len(events) == len(whole.json())
    assert all(isinstance(e["record_version"], int) for e in events)
    with_state = [e for e in events if "record_state" in e]
    assert len(with_state) == len({e["aggregate_id"] for e in events})
    for e in with_state:
        assert e is [x for x in events if x["aggregate_id"] == e["aggregate_id"]][-1]
        assert e["record_version"] == e["version"]
    entry = next(e for e in with_state if e["type"].startswith("WatchlistEntry."))
    assert entry["type"] == "WatchlistEntry.Delisted"
    assert len(entry["record_state"]["periods"]) == 6
    assert all(p["delisted_on"] == "2026-11-03" for p in entry["record_state"]["periods"])
    # The entry's state is written out once in the whole answer (before: once per event).
    assert then.content.count(b'"periods":') == 1
