"""Audits over HTTP (api.md Rules calculator, Audits; rules.md §2–§3): the calculator, the
plan's refusals, who may record, malformed findings, and the score on completion."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.test_decisions_api import CertificationOffice, uscc


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff on a fresh server."""
    return CertificationOffice(client, admin_headers)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("effective_headcount=50&type=initial", ("2.00", "1.60")),
        ("effective_headcount=300&type=surveillance", ("1.00", "0.80")),
        ("effective_headcount=1000&type=recertification", ("3.00", "2.40")),
        ("effective_headcount=2000&type=surveillance", ("2.00", "1.60")),
    ],
)
def test_the_calculator_gives_the_worked_examples(
    office: CertificationOffice, query: str, expected: tuple[str, str]
) -> None:
    """Given the rules.md §2.1 examples, when the planner asks the calculator,
    then the required and on-site days are exact, as decimal strings."""
    body = office.client.get(f"{API}/audit-time?{query}", headers=office.planner).json()
    assert (body["required_days"], body["required_onsite_days"]) == expected


def test_the_calculator_samples_sites_and_refuses_nonsense(office: CertificationOffice) -> None:
    """Given 10 service sites, then 4 / 2 / 3 are sampled by audit type (4.2.2);
    a headcount of 0 is 422 and no token is 401."""
    sizes = [
        office.client.get(
            f"{API}/audit-time?effective_headcount=100&type={kind}&sites=10",
            headers=office.planner,
        ).json()["sample_size"]
        for kind in ("initial", "surveillance", "recertification")
    ]
    assert sizes == [4, 2, 3]
    assert (
        office.client.get(
            f"{API}/audit-time?effective_headcount=0", headers=office.planner
        ).status_code
        == 422
    )
    assert office.client.get(f"{API}/audit-time?effective_headcount=10").status_code == 401


def plan_body(office: CertificationOffice, app_id: str, **overrides: Any) -> dict[str, Any]:
    """An initial plan: leader and auditor 1.5 days each, 2.4 on site (headcount 300)."""
    body = {
        "application_id": app_id,
        "type": "initial",
        "start_on": "2026-11-10",
        "end_on": "2026-11-11",
        "onsite_days": "2.4",
        "team": [
            {"user_id": office.leader_id, "role": "leader", "days": "1.5"},
            {"user_id": office.auditor_id, "role": "auditor", "days": "1.5"},
        ],
    }
    return {**body, **overrides}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"onsite_days": "2.39"}, "insufficient_onsite_time"),
        ({"type": "surveillance"}, "wrong_audit_type"),
        ({"layers": ["service_management", "service_execution"]}, "layers_missing"),
        ({"start_on": "2028-12-30", "end_on": "2029-01-02"}, "auditor_registration_invalid"),
    ],
)
def test_a_plan_that_breaks_the_rules_is_409_and_records_nothing(
    office: CertificationOffice, client: TestClient, overrides: dict[str, Any], code: str
) -> None:
    """Given a contracted application, when the plan breaks a rule of 4.2,
    then 409 names it and nothing is recorded."""
    app_id = office.contracted_application(uscc(1), "福州甲商贸有限公司")
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/audits", json=plan_body(office, app_id, **overrides), headers=office.planner
    )
    assert response.status_code == 409, response.text
    assert set(response.json()) == {"code", "message", "clause"}
    assert response.json()["code"] == code
    assert events_recorded(client) == recorded


def test_a_plan_without_a_contract_is_refused(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given an accepted application without its contract, when an audit is planned,
    then 409 no_contract (4.1.4)."""
    app_id = office.contracted_application(uscc(2), "福州乙商贸有限公司")
    body = office.client.get(f"{API}/applications/{app_id}", headers=office.intake).json()
    assert body["status"] == "contracted"
    fresh = {**body["organization"], "uscc": uscc(3)}
    submitted = client.post(
        f"{API}/applications",
        headers=office.intake,
        json={
            "organization": fresh,
            "scope": body["scope"],
            "effective_headcount": 300,
            "sites": [],
            "documents": office.documents,
            "received_on": "2026-11-01",
        },
    ).json()
    response = client.post(
        f"{API}/audits", json=plan_body(office, submitted["id"]), headers=office.planner
    )
    assert (response.status_code, response.json()["code"]) == (409, "no_contract")


@pytest.mark.parametrize(
    "finding",
    [
        {"indicator": "4.3.3.2", "clause": "4.3.3.2.1", "kind": "sampled", "evidence": "x"},
        {
            "indicator": "4.3.3.2",
            "clause": "4.3.3.2.1",
            "kind": "sampled",
            "sampled": 3,
            "nonconforming": 4,
            "evidence": "x",
        },
        {"indicator": "4.3.3.2", "clause": "4.3.2.4.1", "kind": "nonconformity", "evidence": "x"},
        {"indicator": "4.3.3.2", "clause": "4.3.3.2", "kind": "nonconformity", "evidence": "x"},
        {"indicator": "4.3.3.2", "clause": "4.3.3.2.1", "kind": "nonconformity", "evidence": ""},
    ],
)
def test_malformed_findings_are_422(
    office: CertificationOffice, client: TestClient, finding: dict[str, Any]
) -> None:
    """Given a planned audit, when a finding lacks its counts, counts more nonconforming than
    sampled, names a clause of another indicator or no clause, or has no evidence, then 422."""
    audit_id = office.planned_audit(office.contracted_application(uscc(4), "福州丙商贸有限公司"))
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/audits/{audit_id}/findings", json=finding, headers=office.auditor
    )
    assert response.status_code == 422, response.text
    assert events_recorded(client) == recorded


def test_only_the_team_records_and_only_its_leader_completes(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a planned audit, when an auditor off the team records a finding, then 409
    not_on_team (a rule); when a planner does, then 403 (a missing role); when a team auditor
    completes it, then 409 not_team_leader; the leader's completion answers the score with
    its 15-line breakdown."""
    audit_id = office.planned_audit(office.contracted_application(uscc(5), "福州丁商贸有限公司"))
    _, outsider = office.user("组外审查员", "auditor", registered=True)
    finding = {
        "indicator": "4.3.2.4",
        "clause": "4.3.2.4.3",
        "kind": "nonconformity",
        "evidence": "维修记录缺失",
    }
    off_team = client.post(f"{API}/audits/{audit_id}/findings", json=finding, headers=outsider)
    assert (off_team.status_code, off_team.json()["code"]) == (409, "not_on_team")
    assert off_team.json()["clause"] == "ZPIC-WF-20 4.2.3"
    by_role = client.post(f"{API}/audits/{audit_id}/findings", json=finding, headers=office.planner)
    assert by_role.status_code == 403, by_role.text
    not_leader = client.post(
        f"{API}/audits/{audit_id}/complete",
        headers=office.auditor,
        json={"completed_on": "2026-11-11", "onsite_days": "2.4"},
    )
    assert (not_leader.status_code, not_leader.json()["code"]) == (409, "not_team_leader")
    office.finding(audit_id, "4.3.2.4", "4.3.2.4.3")
    score = office.complete(audit_id)
    assert (score["score"], score["grade"], score["passed"]) == ("90.00", "four_star", True)
    assert len(score["breakdown"]) == 15
    repair = next(line for line in score["breakdown"] if line["indicator"] == "4.3.2.4")
    assert repair == {"indicator": "4.3.2.4", "points": 10, "earned": "0.00", "excluded": False}
    shown = client.get(f"{API}/audits/{audit_id}", headers=office.auditor).json()
    assert (shown["status"], shown["score"]["score"]) == ("completed", "90.00")
