"""Certification decisions over HTTP (api.md Decisions, Certificates; rules.md §4, §5;
ZPIC-WF-20 4.6, 8.1).

`CertificationOffice` drives the whole way to a certificate through the HTTP API (intake,
contract, plan, findings, completion, decision); the register and browser tests use it too.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from domain.uscc import check_character, uscc_problem
from tests.api.conftest import API, bearer, events_recorded
from tests.conftest import TODAY
from tests.factories import organization

RECEIVED_ON = "2026-11-01"
REVIEWED_ON = "2026-11-02"
SIGNED_ON = "2026-11-03"
START_ON = "2026-11-10"
END_ON = "2026-11-11"
COMPLETED_ON = "2026-11-11"
DECIDED_ON = TODAY.isoformat()  # 2026-11-28
SCOPE = "家用电器的销售及售后服务 / sale and after-sales service of household appliances"
CONTACT = {"name": "联系人赵六", "phone": "13912345678", "email": "zhaoliu.contact@example.cn"}
REGISTRATION = {"number": "CCAA-SC-0001", "valid_from": "2025-01-01", "valid_until": "2028-12-31"}


def uscc(n: int) -> str:
    """The n-th valid unified social credit code of the tests (GB 32100-2015 check digit)."""
    first17 = f"91350100M{n:08d}"
    code = first17 + check_character(first17)
    assert uscc_problem(code) is None, code
    return code


class CertificationOffice:
    """The certification body's staff, acting over HTTP: intake to certificate.

    Works with a FastAPI TestClient or any httpx.Client whose base_url is the server.
    """

    def __init__(self, client: httpx.Client, admin_headers: dict[str, str]) -> None:
        self.client = client
        self.admin = admin_headers
        self._serial = itertools.count(1)
        self.intake = self.user("受理员", "intake")[1]
        self.planner = self.user("策划员", "planner")[1]
        self.leader_id, self.leader = self.user("组长张三", "auditor", registered=True)
        self.auditor_id, self.auditor = self.user("审查员李四", "auditor", registered=True)
        self.decision_maker_id, self.decision_maker = self.user("决定人王五", "decision_maker")
        self.documents = self._upload_documents()

    # -- people and documents ------------------------------------------------------------

    def user(self, name: str, *roles: str, registered: bool = False) -> tuple[str, dict[str, str]]:
        """Register a staff user; return their id and Authorization header."""
        body: dict[str, Any] = {"name": name, "roles": list(roles)}
        if registered:
            body["ccaa_registration"] = {
                **REGISTRATION,
                "number": f"CCAA-SC-{next(self._serial):04d}",
            }
        response = self.client.post(f"{API}/users", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        created = response.json()
        return created["id"], bearer(created["token"])

    def _upload_documents(self) -> list[dict[str, str]]:
        refs = []
        for kind in ("application_form", "legal_status"):
            response = self.client.post(
                f"{API}/documents",
                files={"file": (f"{kind}.pdf", f"%PDF-1.4 {kind}".encode(), "application/pdf")},
                headers=self.intake,
            )
            assert response.status_code == 201, response.text
            refs.append(
                {"kind": kind, "filename": f"{kind}.pdf", "sha256": response.json()["sha256"]}
            )
        return refs

    # -- intake --------------------------------------------------------------------------

    def contracted_application(self, code: str, name: str, sites: int = 0) -> str:
        """An accepted application under contract (4.1); returns its id."""
        org = {**organization(code, name), "contact": dict(CONTACT)}
        body = {
            "organization": org,
            "scope": SCOPE,
            "effective_headcount": 300,
            "sites": [{"name": f"门店{i}", "address": f"福州市台江区{i}号"} for i in range(sites)],
            "documents": self.documents,
            "received_on": RECEIVED_ON,
        }
        response = self.client.post(f"{API}/applications", json=body, headers=self.intake)
        assert response.status_code == 201, response.text
        app_id: str = response.json()["id"]
        review = {"outcome": "accepted", "reasons": [], "missing": [], "reviewed_on": REVIEWED_ON}
        response = self.client.post(
            f"{API}/applications/{app_id}/review", json=review, headers=self.intake
        )
        assert response.status_code == 200, response.text
        response = self.client.post(
            f"{API}/applications/{app_id}/contract",
            json={"number": f"HT-{app_id[:8]}", "signed_on": SIGNED_ON},
            headers=self.intake,
        )
        assert response.status_code == 200, response.text
        return app_id

    # -- the audit -----------------------------------------------------------------------

    def planned_audit(self, app_id: str, extra_team: list[dict[str, str]] | None = None) -> str:
        """An initial audit planned with the leader and the auditor (3.0 days, headcount 300),
        and any extra members (their days justified)."""
        team = [
            {"user_id": self.leader_id, "role": "leader", "days": "1.5"},
            {"user_id": self.auditor_id, "role": "auditor", "days": "1.5"},
            *(extra_team or []),
        ]
        body: dict[str, Any] = {
            "application_id": app_id,
            "type": "initial",
            "start_on": START_ON,
            "end_on": END_ON,
            "team": team,
            "onsite_days": "2.4",
        }
        if extra_team:
            body["justification"] = "增派审查员以满足专业能力要求 / an extra member for competence"
        response = self.client.post(f"{API}/audits", json=body, headers=self.planner)
        assert response.status_code == 201, response.text
        return response.json()["id"]  # type: ignore[no-any-return]

    def finding(self, audit_id: str, indicator: str, clause: str) -> None:
        """A qualitative nonconformity against an indicator."""
        body = {
            "indicator": indicator,
            "clause": clause,
            "kind": "nonconformity",
            "evidence": "记录缺失",
        }
        response = self.client.post(
            f"{API}/audits/{audit_id}/findings", json=body, headers=self.auditor
        )
        assert response.status_code == 201, response.text

    def special_deduction(self, audit_id: str, category: str = "law") -> str:
        """A special deduction; returns its corrective action's id."""
        response = self.client.post(
            f"{API}/audits/{audit_id}/special-deductions",
            json={"category": category, "evidence": "违反相关法规"},
            headers=self.auditor,
        )
        assert response.status_code == 201, response.text
        return response.json()["corrective_action_id"]  # type: ignore[no-any-return]

    def close_action(self, action_id: str, verified_on: str = DECIDED_ON) -> None:
        """Verify a corrective action closed."""
        response = self.client.post(
            f"{API}/corrective-actions/{action_id}/close",
            json={"verified_on": verified_on, "evidence": "已整改并验证"},
            headers=self.auditor,
        )
        assert response.status_code == 200, response.text

    def complete(self, audit_id: str) -> dict[str, Any]:
        """The team leader completes the audit; returns the score."""
        response = self.client.post(
            f"{API}/audits/{audit_id}/complete",
            json={"completed_on": COMPLETED_ON, "onsite_days": "2.4"},
            headers=self.leader,
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def completed_audit(self, code: str, name: str, *, repair_nonconformity: bool = False) -> str:
        """A completed, passed audit: five_star, or four_star (90.00) with a repair finding."""
        audit_id = self.planned_audit(self.contracted_application(code, name))
        if repair_nonconformity:
            self.finding(audit_id, "4.3.2.4", "4.3.2.4.3")
        score = self.complete(audit_id)
        assert score["passed"] is True
        return audit_id

    # -- the decision --------------------------------------------------------------------

    def decide(
        self,
        audit_id: str,
        outcome: str = "grant",
        reasons: list[str] | None = None,
        decided_on: str = DECIDED_ON,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST /decisions (the response, unchecked)."""
        body = {
            "audit_id": audit_id,
            "outcome": outcome,
            "reasons": reasons or [],
            "decided_on": decided_on,
        }
        return self.client.post(
            f"{API}/decisions", json=body, headers=headers or self.decision_maker
        )

    def grant(self, audit_id: str, decided_on: str = DECIDED_ON) -> str:
        """Grant certification; returns the certificate number."""
        response = self.decide(audit_id, decided_on=decided_on)
        assert response.status_code == 201, response.text
        number: str = response.json()["certificate_number"]
        assert number
        return number

    def certificate(self, code: str, name: str, *, repair_nonconformity: bool = False) -> str:
        """A granted certificate of a new organization; returns its number."""
        return self.grant(
            self.completed_audit(code, name, repair_nonconformity=repair_nonconformity)
        )


# -- the tests --------------------------------------------------------------------------------


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff on a fresh server."""
    return CertificationOffice(client, admin_headers)


def audit_version(office: CertificationOffice, audit_id: str) -> int:
    response = office.client.get(f"{API}/audits/{audit_id}", headers=office.decision_maker)
    assert response.status_code == 200, response.text
    return int(response.json()["version"])


def assert_conflict(response: httpx.Response, code: str) -> None:
    """A 409 {code, message, clause} of that code."""
    assert response.status_code == 409, response.text
    body = response.json()
    assert set(body) == {"code", "message", "clause"}
    assert body["code"] == code
    assert body["clause"].startswith("ZPIC-WF-20")


def assert_invalid(response: httpx.Response, field: str) -> None:
    """A 422 naming the field."""
    assert response.status_code == 422, response.text
    assert any(field in map(str, d["loc"]) for d in response.json()["detail"]), response.text


def test_a_grant_issues_a_certificate_valid_36_months_with_its_schedule(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a completed, passed audit and a decision maker who was not on its team,
    when they grant certification on 2026-11-28,
    then 201 with the first certificate number, and the certificate is issued on the decision
    date, valid through 2029-11-27 (36 months), first surveillance due by 2027-11-28 and the
    recertification window 2029-08-27 to 2029-11-27 (rules §5, §6, §7)."""
    audit_id = office.completed_audit(uscc(1), "福州甲商贸有限公司")

    response = office.decide(audit_id, reasons=["审查通过 / audit passed"])

    assert response.status_code == 201, response.text
    decision = response.json()
    assert decision["outcome"] == "grant"
    assert decision["certificate_number"] == "ECPSC-SC-2026-00001"
    assert decision["audit_id"] == audit_id
    assert decision["decided_on"] == "2026-11-28"
    assert decision["decided_by"] == office.decision_maker_id
    assert decision["grade"] == "five_star"
    assert response.headers["Location"] == f"{API}/decisions/{decision['id']}"
    assert client.get(response.headers["Location"], headers=office.intake).json() == decision

    response = client.get(
        f"{API}/certificates/{decision['certificate_number']}", headers=office.decision_maker
    )
    assert response.status_code == 200, response.text
    certificate = response.json()
    assert certificate["number"] == "ECPSC-SC-2026-00001"
    assert certificate["status"] == "valid"
    assert certificate["grade"] == "five_star"
    assert certificate["issued_on"] == decision["decided_on"] == "2026-11-28"
    assert certificate["expires_on"] == "2029-11-27"
    assert certificate["schedule"] == {
        "next_surveillance_due": "2027-11-28",
        "last_surveillance_on": None,
        "recertification_window": {"opens_on": "2029-08-27", "closes_on": "2029-11-27"},
    }
    assert certificate["organization"] == {
        "name": "福州甲商贸有限公司",
        "uscc": uscc(1),
        "address": organization()["address"],
    }
    assert certificate["audit_id"] == audit_id
    assert certificate["decision_id"] == decision["id"]
    assert certificate["basis"].startswith("GB/T 27922-2011")
    assert certificate["verification_url"].endswith("/verify/ECPSC-SC-2026-00001")


@pytest.mark.parametrize("team_role", ["auditor", "trainee"])
def test_a_decision_maker_on_the_team_is_not_impartial(
    office: CertificationOffice, client: TestClient, team_role: str
) -> None:
    """Given a user who is both auditor and decision maker and was on the audit's team
    (as a qualified auditor, or as a trainee),
    when they try to grant or refuse certification,
    then 409 not_impartial and nothing is recorded (4.6.1, 4.6.2)."""
    member_id, member = office.user(
        "兼任人员", "auditor", "decision_maker", registered=team_role == "auditor"
    )
    app_id = office.contracted_application(uscc(2), "福州乙商贸有限公司")
    audit_id = office.planned_audit(
        app_id, [{"user_id": member_id, "role": team_role, "days": "1"}]
    )
    office.complete(audit_id)
    recorded, version = events_recorded(client), audit_version(office, audit_id)

    granted = office.decide(audit_id, headers=member)
    refused = office.decide(audit_id, "refuse", ["不符合要求"], headers=member)

    assert_conflict(granted, "not_impartial")
    assert_conflict(refused, "not_impartial")
    assert events_recorded(client) == recorded
    assert audit_version(office, audit_id) == version
    # the decision is still open to someone off the team, and takes the first number
    assert office.grant(audit_id) == "ECPSC-SC-2026-00001"


def test_a_second_decision_on_the_same_audit_is_refused(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given an audit already decided (granted),
    when a second grant or a refusal is given on it,
    then 409 already_decided, nothing is recorded and no number is used up."""
    audit_id = office.completed_audit(uscc(3), "福州丙商贸有限公司")
    assert office.grant(audit_id) == "ECPSC-SC-2026-00001"
    recorded = events_recorded(client)

    assert_conflict(office.decide(audit_id), "already_decided")
    assert_conflict(office.decide(audit_id, "refuse", ["重复"]), "already_decided")

    assert events_recorded(client) == recorded
    assert office.certificate(uscc(4), "福州丁商贸有限公司") == "ECPSC-SC-2026-00002"


def test_a_decision_on_an_audit_not_completed_is_refused(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a planned audit that is not completed,
    when a decision is given on it,
    then 409 audit_not_completed and nothing is recorded."""
    audit_id = office.planned_audit(office.contracted_application(uscc(5), "福州戊商贸有限公司"))
    recorded = events_recorded(client)

    assert_conflict(office.decide(audit_id), "audit_not_completed")
    assert_conflict(office.decide(audit_id, "refuse", ["未完成"]), "audit_not_completed")
    assert events_recorded(client) == recorded


def test_an_unknown_audit_is_not_found(office: CertificationOffice) -> None:
    """Given no such audit, when a decision is given on it, then 404."""
    response = office.decide("00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404, response.text


def test_a_failed_audit_cannot_be_granted_but_can_be_refused(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given an audit with no findings but five special deductions (95.00, yet failed; rules
    §3.3 example 4), all their corrective actions verified closed,
    when certification is granted, then 409 audit_not_passed and nothing is recorded;
    when it is refused with reasons, then 201 with no certificate number."""
    audit_id = office.planned_audit(office.contracted_application(uscc(6), "福州己商贸有限公司"))
    categories = ["law", "company_rules", "industry", "system_operation", "law"]
    actions = [office.special_deduction(audit_id, c) for c in categories]
    score = office.complete(audit_id)
    assert score["score"] == "95.00"
    assert score["passed"] is False
    assert score["grade"] is None
    for action_id in actions:
        office.close_action(action_id)
    recorded = events_recorded(client)

    assert_conflict(office.decide(audit_id), "audit_not_passed")
    assert events_recorded(client) == recorded

    refused = office.decide(audit_id, "refuse", ["特别扣分项达5项 / five special deductions"])
    assert refused.status_code == 201, refused.text
    body = refused.json()
    assert body["outcome"] == "refuse"
    assert body["certificate_number"] is None
    assert body["reasons"] == ["特别扣分项达5项 / five special deductions"]
    register = client.get(f"{API}/register/certificates").json()
    assert register["total"] == 0


def test_open_corrective_actions_block_a_grant_until_closed(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a passed audit with a special deduction whose corrective action is still open,
    when certification is granted, then 409 corrective_actions_open naming the action, and
    nothing is recorded; once the action is verified closed, the grant succeeds (4.6)."""
    audit_id = office.planned_audit(office.contracted_application(uscc(7), "福州庚商贸有限公司"))
    action_id = office.special_deduction(audit_id)
    score = office.complete(audit_id)
    assert (score["score"], score["passed"]) == ("99.00", True)
    recorded = events_recorded(client)

    blocked = office.decide(audit_id)
    assert_conflict(blocked, "corrective_actions_open")
    assert action_id in blocked.json()["message"]
    assert events_recorded(client) == recorded

    office.close_action(action_id)
    granted = office.decide(audit_id)
    assert granted.status_code == 201, granted.text
    assert granted.json()["certificate_number"] == "ECPSC-SC-2026-00001"
    assert granted.json()["grade"] == "five_star"  # 100 - 1 special deduction = 99.00


def test_an_organization_listed_after_its_contract_cannot_be_granted(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a passed audit of an organization put on the watchlist after its contract,
    when certification is granted, then 409 ineligible and nothing is recorded (4.1.2, 4.6)."""
    audit_id = office.completed_audit(uscc(8), "福州辛商贸有限公司")
    listing = {
        "uscc": uscc(8),
        "list": "business_suspension_order",
        "source": "福州市市场监督管理局 责令停业整顿决定书",
        "listed_on": "2026-11-20",
    }
    response = client.post(f"{API}/watchlist", json=listing, headers=office.intake)
    assert response.status_code == 201, response.text
    recorded = events_recorded(client)

    assert_conflict(office.decide(audit_id), "ineligible")
    assert events_recorded(client) == recorded


def test_a_refusal_needs_reasons(office: CertificationOffice, client: TestClient) -> None:
    """Given a completed audit, when it is refused without reasons, then 422 on reasons and
    nothing is recorded (4.6.3)."""
    audit_id = office.completed_audit(uscc(9), "福州壬商贸有限公司")
    recorded = events_recorded(client)

    assert_invalid(office.decide(audit_id, "refuse", []), "reasons")
    assert events_recorded(client) == recorded


@pytest.mark.parametrize(
    "decided_on",
    [
        pytest.param("2026-11-10", id="before-completion"),
        pytest.param("2026-11-29", id="in-the-future"),
    ],
)
def test_a_decision_date_before_completion_or_after_today_is_malformed(
    office: CertificationOffice, client: TestClient, decided_on: str
) -> None:
    """Given an audit completed on 2026-11-11 and today 2026-11-28,
    when a decision is dated before the completion or after today,
    then 422 on decided_on and nothing is recorded."""
    audit_id = office.completed_audit(uscc(10), "福州癸商贸有限公司")
    recorded = events_recorded(client)

    assert_invalid(office.decide(audit_id, decided_on=decided_on), "decided_on")
    assert_invalid(office.decide(audit_id, "refuse", ["理由"], decided_on=decided_on), "decided_on")
    assert events_recorded(client) == recorded


def test_a_decision_on_the_completion_day_is_accepted(office: CertificationOffice) -> None:
    """Given an audit completed on 2026-11-11, when the grant is dated that same day,
    then it is issued and valid through 2029-11-10."""
    number = office.grant(office.completed_audit(uscc(11), "福州子商贸有限公司"), COMPLETED_ON)
    certificate = office.client.get(
        f"{API}/certificates/{number}", headers=office.decision_maker
    ).json()
    assert (certificate["issued_on"], certificate["expires_on"]) == ("2026-11-11", "2029-11-10")


def test_an_intake_user_may_not_decide(office: CertificationOffice, client: TestClient) -> None:
    """Given a completed audit, when an intake user gives a decision, then 403 and nothing is
    recorded; without a token, 401."""
    audit_id = office.completed_audit(uscc(12), "福州丑商贸有限公司")
    recorded = events_recorded(client)

    assert office.decide(audit_id, headers=office.intake).status_code == 403
    body = {"audit_id": audit_id, "outcome": "grant", "reasons": [], "decided_on": DECIDED_ON}
    assert client.post(f"{API}/decisions", json=body).status_code == 401
    assert events_recorded(client) == recorded


def test_certificate_numbers_increase_without_gaps(office: CertificationOffice) -> None:
    """Given two passed audits, when both are granted one after the other,
    then their certificates are numbered ECPSC-SC-2026-00001 and then -00002."""
    first = office.completed_audit(uscc(13), "福州寅商贸有限公司")
    second = office.completed_audit(uscc(14), "福州卯商贸有限公司")

    assert office.grant(first) == "ECPSC-SC-2026-00001"
    assert office.grant(second) == "ECPSC-SC-2026-00002"


def test_a_grant_dated_before_its_corrective_action_was_verified_closed_is_refused(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a passed audit whose corrective action was verified closed on 2026-11-28,
    when a grant is recorded dated 2026-11-20 (entered after the fact),
    then it is refused (409 corrective_actions_open): on that day the action was open (4.6)."""
    audit_id = office.planned_audit(office.contracted_application(uscc(15), "福州辰商贸有限公司"))
    action_id = office.special_deduction(audit_id)
    office.complete(audit_id)
    office.close_action(action_id, verified_on="2026-11-28")
    recorded = events_recorded(client)

    assert_conflict(office.decide(audit_id, decided_on="2026-11-20"), "corrective_actions_open")
    assert events_recorded(client) == recorded


def test_a_grant_dated_while_the_organization_was_listed_is_refused(
    office: CertificationOffice, client: TestClient
) -> None:
    """Given a passed audit of an organization listed from 2026-11-15 and delisted on
    2026-11-27,
    when a grant is recorded dated 2026-11-20, while it was listed,
    then it is refused (409 ineligible) (4.1.2, 4.6)."""
    audit_id = office.completed_audit(uscc(16), "福州巳商贸有限公司")
    listing = {
        "uscc": uscc(16),
        "list": "serious_illegal",
        "source": "严重违法企业名单",
        "listed_on": "2026-11-15",
    }
    assert client.post(f"{API}/watchlist", json=listing, headers=office.intake).status_code == 201
    delisting = {"source": "移出严重违法企业名单", "delisted_on": "2026-11-27"}
    response = client.post(
        f"{API}/watchlist/{uscc(16)}/delisting", json=delisting, headers=office.intake
    )
    assert response.status_code == 200, response.text
    recorded = events_recorded(client)

    assert_conflict(office.decide(audit_id, decided_on="2026-11-20"), "ineligible")
    assert events_recorded(client) == recorded
