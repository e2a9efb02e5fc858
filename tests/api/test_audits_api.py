"""Audits over HTTP (api.md Rules calculator, Audits; rules.md §2-§3; ZPIC-WF-20 4.2-4.5):
the calculator's worked examples, the whole flow from staff and a contracted application to a
completed, scored audit and a closed corrective action, and the refusals' status codes and
bodies, each leaving the audit as it was."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, bearer, events_recorded
from tests.factories import organization

CONFLICT_KEYS = {"code", "message", "clause"}
REGISTRATION = {"number": "CCAA-SC-0101", "valid_from": "2025-01-01", "valid_until": "2028-12-31"}
INDICATORS = [
    ("4.3.1.1", 4),
    ("4.3.1.2", 6),
    ("4.3.1.3", 6),
    ("4.3.1.4", 6),
    ("4.3.1.5", 7),
    ("4.3.1.6", 5),
    ("4.3.1.7", 6),
    ("4.3.2.1", 6),
    ("4.3.2.2", 6),
    ("4.3.2.3", 4),
    ("4.3.2.4", 10),
    ("4.3.2.5", 7),
    ("4.3.2.6", 2),
    ("4.3.3.1", 15),
    ("4.3.3.2", 10),
]


class Office:
    """The certification body's staff on a fresh server, and one contracted application
    (50 people, 10 service sites: 2.00 days, 1.60 on site, 4 sites sampled)."""

    def __init__(self, client: TestClient, admin: dict[str, str]) -> None:
        self.client = client
        self.admin = admin
        self.intake = self.user("受理员", "intake")[1]
        self.planner = self.user("策划员", "planner")[1]
        self.leader_id, self.leader = self.user("组长张三", "auditor", registered=True)
        self.auditor_id, self.auditor = self.user("审查员李四", "auditor", registered=True)
        self.trainee_id, self.trainee = self.user("实习审查员王五", "auditor")
        self.outsider_id, self.outsider = self.user("组外审查员赵六", "auditor", registered=True)
        self.app_id = self.contracted_application()

    def user(self, name: str, *roles: str, registered: bool = False) -> tuple[str, dict[str, str]]:
        """POST /users; the new user's id and Authorization header."""
        body: dict[str, Any] = {"name": name, "roles": list(roles)}
        if registered:
            body["ccaa_registration"] = REGISTRATION
        response = self.client.post(f"{API}/users", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return response.json()["id"], bearer(response.json()["token"])

    def contracted_application(self) -> str:
        """Upload the materials, submit, accept and sign the contract."""
        documents = []
        for kind in ("application_form", "legal_status", "multi_site_list"):
            response = self.client.post(
                f"{API}/documents",
                files={"file": (f"{kind}.pdf", f"%PDF-1.4 {kind}".encode(), "application/pdf")},
                headers=self.intake,
            )
            assert response.status_code == 201, response.text
            documents.append(
                {"kind": kind, "filename": f"{kind}.pdf", "sha256": response.json()["sha256"]}
            )
        body = {
            "organization": organization(),
            "scope": "家用电器的销售及售后服务 / sale and after-sales service of appliances",
            "effective_headcount": 50,
            "sites": [{"name": f"门店{i}", "address": f"福州市台江区{i}号"} for i in range(1, 11)],
            "documents": documents,
            "received_on": "2026-11-01",
        }
        response = self.client.post(f"{API}/applications", json=body, headers=self.intake)
        assert response.status_code == 201, response.text
        app_id: str = response.json()["id"]
        review = {"outcome": "accepted", "reasons": [], "missing": [], "reviewed_on": "2026-11-02"}
        response = self.client.post(
            f"{API}/applications/{app_id}/review", json=review, headers=self.intake
        )
        assert response.status_code == 200, response.text
        response = self.client.post(
            f"{API}/applications/{app_id}/contract",
            json={"number": "HT-2026-0001", "signed_on": "2026-11-03"},
            headers=self.intake,
        )
        assert response.status_code == 200, response.text
        return app_id

    def plan_body(self, **overrides: Any) -> dict[str, Any]:
        """The initial plan: leader 1 day, auditor 1 day, trainee 1 day, 1.60 on site."""
        body: dict[str, Any] = {
            "application_id": self.app_id,
            "type": "initial",
            "start_on": "2026-11-10",
            "end_on": "2026-11-11",
            "team": [
                {"user_id": self.leader_id, "role": "leader", "days": "1"},
                {"user_id": self.auditor_id, "role": "auditor", "days": "1"},
                {"user_id": self.trainee_id, "role": "trainee", "days": "1"},
            ],
            "onsite_days": "1.60",
            "layers": ["service_management", "service_execution", "customer_feedback"],
        }
        return {**body, **overrides}

    def plan(self) -> dict[str, Any]:
        """POST /audits, checked to be 201."""
        response = self.client.post(f"{API}/audits", json=self.plan_body(), headers=self.planner)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        """POST under /api/v1 (the response, unchecked)."""
        return self.client.post(f"{API}{path}", json=body, headers=headers)

    def audit(self, audit_id: str) -> dict[str, Any]:
        """GET /audits/{id}, checked to be 200."""
        response = self.client.get(f"{API}/audits/{audit_id}", headers=self.auditor)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> Office:
    """Staff and a contracted application on a fresh server."""
    return Office(client, admin_headers)


@pytest.fixture
def audit_id(office: Office) -> str:
    """A planned audit's id."""
    return office.plan()["id"]  # type: ignore[no-any-return]


def nonconformity(indicator: str = "4.3.2.4", clause: str = "4.3.2.4.3") -> dict[str, Any]:
    """A qualitative nonconformity finding body."""
    return {"indicator": indicator, "clause": clause, "kind": "nonconformity", "evidence": "缺失"}


def assert_conflict(response: Any, code: str) -> None:
    """A 409 whose body is exactly {code, message, clause}, of that code."""
    assert response.status_code == 409, response.text
    body = response.json()
    assert set(body) == CONFLICT_KEYS
    assert body["code"] == code
    assert body["message"]
    assert body["clause"].startswith("ZPIC-WF-20")


def assert_unchanged(office: Office, audit_id: str, before: dict[str, Any], events: int) -> None:
    """The audit reads as it did and nothing was recorded anywhere."""
    assert office.audit(audit_id) == before
    assert events_recorded(office.client) == events


# -- the calculator (4.2.1, 4.2.2) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "required", "onsite"),
    [
        ("effective_headcount=50&type=initial", "2.00", "1.60"),
        ("effective_headcount=300&type=surveillance", "1.00", "0.80"),
        ("effective_headcount=1000&type=recertification", "3.00", "2.40"),
        ("effective_headcount=2000&type=surveillance", "2.00", "1.60"),
        ("effective_headcount=65&type=initial", "2.00", "1.60"),
        ("effective_headcount=276&type=surveillance", "1.00", "0.80"),
    ],
)
def test_the_calculator_gives_the_worked_examples(
    office: Office, query: str, required: str, onsite: str
) -> None:
    """Given the rules.md §2.1 examples, when a staff member asks GET /audit-time,
    then 200 with the required and on-site person-days as two-decimal strings."""
    response = office.client.get(f"{API}/audit-time?{query}", headers=office.planner)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["required_days"], body["required_onsite_days"]) == (required, onsite)
    assert body["sample_size"] == 0


@pytest.mark.parametrize(
    ("audit_type", "size"), [("initial", 4), ("surveillance", 2), ("recertification", 3)]
)
def test_the_calculator_samples_ten_sites(office: Office, audit_type: str, size: int) -> None:
    """Given 10 service sites, then 4 / 2 / 3 are sampled by audit type (4.2.2)."""
    response = office.client.get(
        f"{API}/audit-time",
        params={"effective_headcount": 50, "type": audit_type, "sites": 10},
        headers=office.auditor,
    )
    assert response.status_code == 200, response.text
    assert response.json()["sample_size"] == size


def test_the_calculator_refuses_nonsense_and_strangers(office: Office) -> None:
    """Given a headcount of 0, then 422; without a token, 401; an unknown token, 401."""
    zero = office.client.get(f"{API}/audit-time?effective_headcount=0", headers=office.planner)
    assert zero.status_code == 422
    assert office.client.get(f"{API}/audit-time?effective_headcount=50").status_code == 401
    stranger = office.client.get(
        f"{API}/audit-time?effective_headcount=50", headers=bearer("not-a-token")
    )
    assert stranger.status_code == 401


# -- the whole flow --------------------------------------------------------------------------


def test_the_whole_audit_flow(office: Office) -> None:
    """Given staff and a contracted application of 50 people with 10 sites,
    when the planner plans without naming sites, the team records findings (one a trainee's,
    approved by the leader), excludes take-back, records a special deduction and a bonus, and
    the leader completes, then each answer carries the exact figures of rules.md §2-§3, GET
    shows the same completed score, and the corrective action closes once."""
    c = office.client
    plan = office.plan()
    audit_id = plan["id"]
    assert plan["status"] == "planned"
    assert (plan["required_days"], plan["required_onsite_days"]) == ("2.00", "1.60")
    assert (plan["qualified_days"], plan["onsite_days"]) == ("2.00", "1.60")
    assert plan["sample_size"] == 4
    assert plan["sites"] == ["门店1", "门店2", "门店3", "门店4"]
    assert plan["sample_offered"] is True
    assert plan["application_id"] == office.app_id
    assert plan["score"]["score"] == "100.00"
    assert plan["version"] == 1
    assert [m["days"] for m in plan["team"]] == ["1.00", "1.00", "1.00"]

    repair = office.post(f"/audits/{audit_id}/findings", nonconformity(), office.auditor)
    assert repair.status_code == 201, repair.text
    assert repair.json()["number"] == 1
    assert repair.json()["needs_approval"] is False
    complaints = office.post(
        f"/audits/{audit_id}/findings",
        {
            "indicator": "4.3.3.2",
            "clause": "4.3.3.2.1",
            "kind": "sampled",
            "sampled": 20,
            "nonconforming": 3,
            "evidence": "20份投诉记录中3份未闭环",
        },
        office.leader,
    )
    assert complaints.status_code == 201, complaints.text
    assert (complaints.json()["sampled"], complaints.json()["nonconforming"]) == (20, 3)
    assert office.audit(audit_id)["score"]["score"] == "88.50"

    trainees = office.post(
        f"/audits/{audit_id}/findings", nonconformity("4.3.1.5", "4.3.1.5.1"), office.trainee
    )
    assert trainees.status_code == 201, trainees.text
    assert trainees.json()["needs_approval"] is True
    assert office.audit(audit_id)["score"]["score"] == "88.50"  # not counted yet
    approval = office.post(f"/audits/{audit_id}/findings/3/approval", {}, office.leader)
    assert approval.status_code == 200, approval.text
    assert approval.json()["approved_by"] == office.leader_id
    assert office.audit(audit_id)["score"]["score"] == "81.50"

    exclusion = office.post(
        f"/audits/{audit_id}/exclusions",
        {"indicator": "4.3.2.6", "reason": "不回收废弃商品：易耗品 / consumables"},
        office.auditor,
    )
    assert exclusion.status_code == 201, exclusion.text
    assert exclusion.json()["indicator"] == "4.3.2.6"

    deduction = office.post(
        f"/audits/{audit_id}/special-deductions",
        {"category": "company_rules", "evidence": "未执行自身三包规定"},
        office.auditor,
    )
    assert deduction.status_code == 201, deduction.text
    action_id = deduction.json()["corrective_action_id"]
    action = c.get(f"{API}/corrective-actions/{action_id}", headers=office.auditor).json()
    assert (action["status"], action["audit_id"], action["category"]) == (
        "open",
        audit_id,
        "company_rules",
    )

    bonus = office.post(
        f"/audits/{audit_id}/special-bonus", {"evidence": "行业领先的回访制度"}, office.auditor
    )
    assert bonus.status_code == 201, bonus.text

    done = office.post(
        f"/audits/{audit_id}/complete",
        {"completed_on": "2026-11-11", "onsite_days": "1.60"},
        office.leader,
    )
    assert done.status_code == 200, done.text
    score = done.json()
    # earned 100 − 10 − 1.5 − 7 − 2 (excluded) = 79.5 of 98 applicable → 81.12; −1 +1.
    assert score["score"] == "81.12"
    assert (score["grade"], score["passed"]) == ("three_star", True)
    assert (score["special_deductions"], score["bonus"]) == (1, 1)
    assert (score["applicable"], score["final_exact"]) == (98, "3975/49")
    breakdown = score["breakdown"]
    assert len(breakdown) == 15
    assert all(set(line) == {"indicator", "points", "earned", "excluded"} for line in breakdown)
    assert [(line["indicator"], line["points"]) for line in breakdown] == INDICATORS
    earned = {line["indicator"]: (line["earned"], line["excluded"]) for line in breakdown}
    assert earned["4.3.2.4"] == ("0.00", False)
    assert earned["4.3.3.2"] == ("8.50", False)
    assert earned["4.3.1.5"] == ("0.00", False)
    assert earned["4.3.2.6"] == ("0.00", True)
    assert earned["4.3.3.1"] == ("15.00", False)

    got = office.audit(audit_id)
    assert got["status"] == "completed"
    assert got["score"]["score"] == "81.12"
    assert got["score"] == {k: score[k] for k in got["score"]}
    assert (got["completed_on"], got["actual_onsite_days"]) == ("2026-11-11", "1.60")
    assert len(got["findings"]) == 3
    assert got["exclusions"][0]["indicator"] == "4.3.2.6"
    assert got["special_deductions"][0]["corrective_action_id"] == action_id
    assert got["version"] == 9  # planned, 3 findings, approval, exclusion, −1, +1, done

    closed = office.post(
        f"/corrective-actions/{action_id}/close",
        {"verified_on": "2026-11-28", "evidence": "已修订并执行三包规定"},
        office.auditor,
    )
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["verified_on"]) == ("closed", "2026-11-28")
    events = events_recorded(c)
    again = office.post(
        f"/corrective-actions/{action_id}/close",
        {"verified_on": "2026-11-28", "evidence": "again"},
        office.auditor,
    )
    assert_conflict(again, "corrective_action_closed")
    assert events_recorded(c) == events


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"onsite_days": "1.59"}, "insufficient_onsite_time"),
        ({"onsite_days": "2.01"}, "onsite_exceeds_audit_time"),
        ({"type": "surveillance"}, "wrong_audit_type"),
        ({"layers": ["service_management", "customer_feedback"]}, "layers_missing"),
        ({"sites": ["门店1", "门店2", "门店3"]}, "insufficient_sample"),
        ({"sites": ["门店1", "门店2", "门店3", "总部"]}, "unknown_site"),
        ({"start_on": "2028-12-30", "end_on": "2029-01-02"}, "auditor_registration_invalid"),
    ],
)
def test_a_plan_that_breaks_the_rules_is_409(
    office: Office, overrides: dict[str, Any], code: str
) -> None:
    """Given a contracted application, when the plan breaks 4.2, then 409 {code, message,
    clause} and nothing is recorded."""
    events = events_recorded(office.client)
    response = office.post("/audits", office.plan_body(**overrides), office.planner)
    assert_conflict(response, code)
    assert events_recorded(office.client) == events


def test_team_refusals_are_409(office: Office) -> None:
    """Given a trainee counted as the only leader's help, then insufficient_audit_time;
    a second leader, team_leader_required; 2.50 days without a justification,
    justification_required."""
    leader = {"user_id": office.leader_id, "role": "leader", "days": "1"}
    cases = [
        ([leader, {"user_id": office.trainee_id, "role": "trainee", "days": "2"}], "1.00"),
        ([leader, {"user_id": office.auditor_id, "role": "leader", "days": "1"}], "1.60"),
        (
            [
                {**leader, "days": "1.5"},
                {"user_id": office.auditor_id, "role": "auditor", "days": "1"},
            ],
            "1.60",
        ),
    ]
    codes = ["insufficient_audit_time", "team_leader_required", "justification_required"]
    events = events_recorded(office.client)
    for (team, onsite), code in zip(cases, codes, strict=True):
        response = office.post(
            "/audits", office.plan_body(team=team, onsite_days=onsite), office.planner
        )
        assert_conflict(response, code)
    assert events_recorded(office.client) == events


def test_one_member_books_at_most_the_audits_calendar_days(office: Office) -> None:
    """Given a two-day audit (2026-11-10 to 11), when the leader is booked for 2.50 days, then
    409 member_days_exceed_audit_days citing 4.2.1 (rules.md §12 "Person-days") and nothing is
    recorded; when the audit runs a third day, the same team is planned."""
    team = [
        {"user_id": office.leader_id, "role": "leader", "days": "2.5"},
        {"user_id": office.auditor_id, "role": "auditor", "days": "0.5"},
    ]
    body = office.plan_body(team=team, justification="组长全程 / the leader throughout")
    events = events_recorded(office.client)
    refused = office.post("/audits", body, office.planner)
    assert_conflict(refused, "member_days_exceed_audit_days")
    assert refused.json()["clause"] == "ZPIC-WF-20 4.2.1"
    assert events_recorded(office.client) == events
    planned = office.post("/audits", {**body, "end_on": "2026-11-12"}, office.planner)
    assert planned.status_code == 201, planned.text


def test_only_planners_plan(office: Office) -> None:
    """Given an auditor, when they plan, then 403 and nothing is recorded."""
    events = events_recorded(office.client)
    assert office.post("/audits", office.plan_body(), office.auditor).status_code == 403
    assert events_recorded(office.client) == events


def test_a_second_plan_of_the_application_is_409(office: Office, audit_id: str) -> None:
    """Given a planned audit, when the same application's audit is planned again,
    then 409 audit_already_planned and nothing is recorded."""
    events = events_recorded(office.client)
    response = office.post("/audits", office.plan_body(), office.planner)
    assert_conflict(response, "audit_already_planned")
    assert events_recorded(office.client) == events


def test_who_may_record_on_an_audit(office: Office, audit_id: str) -> None:
    """Given a planned audit, when an auditor not on the team records a finding, then 409
    not_on_team; a planner, 403 (a missing role); a trainee approving or adding a bonus, 409
    trainee_not_allowed; the auditor completing, 409 not_team_leader; each 409 names its
    clause (api.md Additions: a rule refusal, not a missing role); nothing is recorded."""
    before, events = office.audit(audit_id), events_recorded(office.client)
    outsider = office.post(f"/audits/{audit_id}/findings", nonconformity(), office.outsider)
    assert_conflict(outsider, "not_on_team")
    planner = office.post(f"/audits/{audit_id}/findings", nonconformity(), office.planner)
    assert planner.status_code == 403
    trainee_finding = office.post(f"/audits/{audit_id}/findings", nonconformity(), office.trainee)
    assert trainee_finding.status_code == 201
    before, events = office.audit(audit_id), events_recorded(office.client)
    approval = office.post(f"/audits/{audit_id}/findings/1/approval", {}, office.trainee)
    assert_conflict(approval, "trainee_not_allowed")
    bonus = office.post(f"/audits/{audit_id}/special-bonus", {"evidence": "x"}, office.trainee)
    assert_conflict(bonus, "trainee_not_allowed")
    complete = office.post(
        f"/audits/{audit_id}/complete",
        {"completed_on": "2026-11-11", "onsite_days": "1.60"},
        office.auditor,
    )
    assert_conflict(complete, "not_team_leader")
    assert_unchanged(office, audit_id, before, events)


@pytest.mark.parametrize(
    "body",
    [
        {"indicator": "4.3.2.4", "clause": "4.3.2.4.1", "kind": "sampled", "evidence": "e"},
        {
            "indicator": "4.3.2.4",
            "clause": "4.3.2.4.1",
            "kind": "sampled",
            "sampled": 5,
            "evidence": "e",
        },
        {
            "indicator": "4.3.2.4",
            "clause": "4.3.2.4.1",
            "kind": "sampled",
            "sampled": 5,
            "nonconforming": 6,
            "evidence": "e",
        },
        {
            "indicator": "4.3.2.4",
            "clause": "4.3.2.4.1",
            "kind": "sampled",
            "sampled": 0,
            "nonconforming": 0,
            "evidence": "e",
        },
        {
            "indicator": "4.3.2.4",
            "clause": "4.3.2.4.1",
            "kind": "nonconformity",
            "sampled": 5,
            "nonconforming": 1,
            "evidence": "e",
        },
        {"indicator": "4.3.2.4", "clause": "4.3.2.4", "kind": "nonconformity", "evidence": "e"},
        {"indicator": "4.3.2.4", "clause": "4.3.2.4.x", "kind": "nonconformity", "evidence": "e"},
        {"indicator": "4.3.2.4", "clause": "4.3.2.5.1", "kind": "nonconformity", "evidence": "e"},
        {"indicator": "4.3.2.4", "clause": "4.3.2.4.9", "kind": "nonconformity", "evidence": "e"},
        {"indicator": "4.3.2.4", "clause": "4.3.2.4.1", "kind": "observation", "evidence": "e"},
        {"indicator": "4.3.2.4", "clause": "4.3.2.4.1", "kind": "nonconformity", "evidence": ""},
        {"indicator": "4.3.2.4", "clause": "4.3.2.4.1", "kind": "nonconformity"},
    ],
)
def test_malformed_findings_are_422(office: Office, audit_id: str, body: dict[str, Any]) -> None:
    """Given a planned audit, when a finding lacks its counts, has more nonconforming than
    sampled, names a malformed clause or one of another indicator, then 422, nothing recorded."""
    before, events = office.audit(audit_id), events_recorded(office.client)
    response = office.post(f"/audits/{audit_id}/findings", body, office.auditor)
    assert response.status_code == 422, response.text
    assert_unchanged(office, audit_id, before, events)


def test_rule_refusals_on_an_audit_are_409(office: Office, audit_id: str) -> None:
    """Given a planned audit with a repair finding and a bonus, then excluding repair is 409
    indicator_has_findings, excluding staffing 409 not_excludable, a second bonus 409
    bonus_already_recorded, completing with 1.59 days on site 409 insufficient_onsite_time;
    after completion a finding is 409 audit_completed; nothing refused is recorded."""
    assert office.post(f"/audits/{audit_id}/findings", nonconformity(), office.auditor).is_success
    bonus = {"evidence": "领先"}
    assert office.post(f"/audits/{audit_id}/special-bonus", bonus, office.auditor).is_success
    before, events = office.audit(audit_id), events_recorded(office.client)
    refusals = [
        ("/exclusions", {"indicator": "4.3.2.4", "reason": "r"}, "indicator_has_findings"),
        ("/exclusions", {"indicator": "4.3.1.2", "reason": "r"}, "not_excludable"),
        ("/special-bonus", bonus, "bonus_already_recorded"),
    ]
    for path, body, code in refusals:
        assert_conflict(office.post(f"/audits/{audit_id}{path}", body, office.auditor), code)
    short = {"completed_on": "2026-11-11", "onsite_days": "1.59"}
    assert_conflict(
        office.post(f"/audits/{audit_id}/complete", short, office.leader),
        "insufficient_onsite_time",
    )
    assert_unchanged(office, audit_id, before, events)

    completion = {"completed_on": "2026-11-11", "onsite_days": "1.60"}
    done = office.post(f"/audits/{audit_id}/complete", completion, office.leader)
    assert done.status_code == 200, done.text
    assert done.json()["score"] == "91.00"
    before, events = office.audit(audit_id), events_recorded(office.client)
    for path, body in [
        ("/findings", nonconformity("4.3.1.2", "4.3.1.2")),
        ("/special-deductions", {"category": "law", "evidence": "e"}),
        ("/complete", completion),
    ]:
        who = office.leader if path == "/complete" else office.auditor
        assert_conflict(office.post(f"/audits/{audit_id}{path}", body, who), "audit_completed")
    assert_unchanged(office, audit_id, before, events)


def test_a_paragraph_only_indicator_is_cited_by_its_own_number(
    office: Office, audit_id: str
) -> None:
    """Given staffing 4.3.1.2 (人员配置, one paragraph in GB/T 27922, no numbered item), when a
    finding cites clause "4.3.1.2", then 201 and the audit and its report show 4.3.1.2 with the
    standard's text; the made-up 4.3.1.2.1 is 422 naming the clause, nothing recorded."""
    cited = office.post(
        f"/audits/{audit_id}/findings", nonconformity("4.3.1.2", "4.3.1.2"), office.auditor
    )
    assert cited.status_code == 201, cited.text
    audit = office.audit(audit_id)
    assert [f["clause"] for f in audit["findings"]] == ["4.3.1.2"]
    report = office.client.get(f"{API}/audits/{audit_id}/report", headers=office.auditor)
    assert report.status_code == 200, report.text
    finding = report.json()["findings"][0]
    assert finding["clause"] == "4.3.1.2"
    assert finding["clause_zh"].startswith("根据行业特性")
    before, events = office.audit(audit_id), events_recorded(office.client)
    made_up = office.post(
        f"/audits/{audit_id}/findings", nonconformity("4.3.1.2", "4.3.1.2.1"), office.auditor
    )
    assert made_up.status_code == 422, made_up.text
    assert made_up.json()["detail"][0]["loc"][-1] == "clause"
    assert_unchanged(office, audit_id, before, events)


def test_a_completion_dated_after_today_is_422(office: Office, audit_id: str) -> None:
    """Given today 2026-11-28, when the audit is completed on 2026-11-29, then 422."""
    before, events = office.audit(audit_id), events_recorded(office.client)
    response = office.post(
        f"/audits/{audit_id}/complete",
        {"completed_on": "2026-11-29", "onsite_days": "1.60"},
        office.leader,
    )
    assert response.status_code == 422, response.text
    assert_unchanged(office, audit_id, before, events)


def test_unknown_audits_are_404(office: Office) -> None:
    """Given no such audit, then GET and a finding are 404."""
    unknown = "00000000-0000-4000-8000-000000000000"
    assert office.client.get(f"{API}/audits/{unknown}", headers=office.auditor).status_code == 404
    response = office.post(f"/audits/{unknown}/findings", nonconformity(), office.auditor)
    assert response.status_code == 404


def test_a_stale_if_match_is_409_version_conflict(office: Office, audit_id: str) -> None:
    """Given an audit at version 2, when a finding is sent with If-Match 1, then 409
    version_conflict and nothing is recorded; If-Match 2 is accepted."""
    assert office.post(f"/audits/{audit_id}/findings", nonconformity(), office.auditor).is_success
    before, events = office.audit(audit_id), events_recorded(office.client)
    assert before["version"] == 2
    body = nonconformity("4.3.1.2", "4.3.1.2")
    stale = office.post(f"/audits/{audit_id}/findings", body, {**office.auditor, "If-Match": '"1"'})
    assert_conflict(stale, "version_conflict")
    assert_unchanged(office, audit_id, before, events)
    fresh = office.post(f"/audits/{audit_id}/findings", body, {**office.auditor, "If-Match": '"2"'})
    assert fresh.status_code == 201, fresh.text
    assert fresh.json()["audit_version"] == 3
