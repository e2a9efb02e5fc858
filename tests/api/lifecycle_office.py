"""A certification body over HTTP whose certificates were issued years ago (rules.md §6–§8).

Today is pinned to 2026-11-28, so a certificate's whole life is played with past business dates:
issued in 2023, surveilled in 2023–2025, swept as of any day up to today.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import httpx

from tests.api.conftest import API, bearer
from tests.factories import organization

SCOPE = "家用电器的销售及售后服务 / sale and after-sales service of household appliances"
REGISTRATION = {"valid_from": "2020-01-01", "valid_until": "2030-12-31"}
LAYERS = ["service_management", "service_execution", "customer_feedback"]
SITES = [{"name": f"门店{i}", "address": f"福州市鼓楼区{i}号"} for i in range(1, 10)]


class LifecycleOffice:
    """Staff who take certificates through surveillance, suspension, recertification, expiry."""

    def __init__(self, client: httpx.Client, admin: dict[str, str]) -> None:
        self.client = client
        self.admin = admin
        self._serial = itertools.count(1)
        self.intake = self.user("受理员", "intake")[1]
        self.planner = self.user("策划员", "planner")[1]
        self.leader_id, self.leader = self.user("组长", "auditor", registered=True)
        self.auditor_id, self.auditor = self.user("审查员", "auditor", registered=True)
        self.decider_id, self.decider = self.user("决定人", "decision_maker")
        self.compliance = self.user("合规专员", "compliance_officer")[1]
        self.documents = [self._upload(kind) for kind in ("application_form", "legal_status")]
        self.site_list = self._upload("multi_site_list")

    def user(self, name: str, *roles: str, registered: bool = False) -> tuple[str, dict[str, str]]:
        """A staff user: id and Authorization header."""
        body: dict[str, Any] = {"name": name, "roles": list(roles)}
        if registered:
            body["ccaa_registration"] = {**REGISTRATION, "number": f"CCAA-L-{next(self._serial)}"}
        response = self.client.post(f"{API}/users", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return response.json()["id"], bearer(response.json()["token"])

    def _upload(self, kind: str) -> dict[str, str]:
        response = self.client.post(
            f"{API}/documents",
            files={"file": (f"{kind}.pdf", f"%PDF-1.4 {kind}".encode(), "application/pdf")},
            headers=self.intake,
        )
        assert response.status_code == 201, response.text
        return {"kind": kind, "filename": f"{kind}.pdf", "sha256": response.json()["sha256"]}

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        """POST under /api/v1 (the response, unchecked)."""
        return self.client.post(f"{API}{path}", json=body, headers=headers)

    def get(self, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        """GET under /api/v1, checked for 200."""
        response = self.client.get(f"{API}{path}", headers=headers or self.decider)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    # -- applications and audits ----------------------------------------------------------

    def application(
        self,
        code: str,
        received_on: str,
        *,
        sites: int = 0,
        certificate_number: str | None = None,
        contact_email: str = "c@example.cn",
    ) -> httpx.Response:
        """POST /applications (unchecked)."""
        body: dict[str, Any] = {
            "organization": {
                **organization(code, "福州某电器有限公司"),
                "contact": {"name": "联系人", "phone": "13900000000", "email": contact_email},
            },
            "scope": SCOPE,
            "effective_headcount": 300,
            "sites": SITES[:sites],
            "documents": self.documents + ([self.site_list] if sites else []),
            "received_on": received_on,
        }
        if certificate_number:
            body["certificate_number"] = certificate_number
        return self.post("/applications", body, self.intake)

    def contracted(self, application: httpx.Response, day: str) -> str:
        """Accept and contract an application received the same day; its id."""
        assert application.status_code == 201, application.text
        app_id: str = application.json()["id"]
        review = {"outcome": "accepted", "reasons": [], "missing": [], "reviewed_on": day}
        reviewed = self.post(f"/applications/{app_id}/review", review, self.intake)
        assert reviewed.status_code == 200, reviewed.text
        contract = {"number": f"HT-{app_id[:8]}", "signed_on": day}
        assert (
            self.post(f"/applications/{app_id}/contract", contract, self.intake).status_code == 200
        )
        return app_id

    def plan(
        self, subject: dict[str, str], audit_type: str, day: str, **extra: Any
    ) -> httpx.Response:
        """POST /audits for an application or a certificate over the three days ending on day,
        each member booked for at most them (rules.md §12 "Person-days") (unchecked)."""
        body: dict[str, Any] = {
            **subject,
            "type": audit_type,
            "start_on": (date.fromisoformat(day) - timedelta(days=2)).isoformat(),
            "end_on": day,
            "team": [
                {"user_id": self.leader_id, "role": "leader", "days": "3"},
                {"user_id": self.auditor_id, "role": "auditor", "days": "3"},
            ],
            "onsite_days": "6",
            "layers": LAYERS,
            "justification": "按组织规模安排 / sized for the organization",
            **extra,
        }
        return self.post("/audits", body, self.planner)

    def complete(
        self, audit_id: str, day: str, *, repair_nonconformity: bool = False, deductions: int = 0
    ) -> dict[str, Any]:
        """Record findings and complete; the score. A repair nonconformity makes 90.00 (four
        star); five special deductions fail the audit."""
        if repair_nonconformity:
            finding = {
                "indicator": "4.3.2.4",
                "clause": "4.3.2.4.3",
                "kind": "nonconformity",
                "evidence": "维修记录缺失",
            }
            assert (
                self.post(f"/audits/{audit_id}/findings", finding, self.auditor).status_code == 201
            )
        for _ in range(deductions):
            body = {"category": "law", "evidence": "违反相关法规"}
            response = self.post(f"/audits/{audit_id}/special-deductions", body, self.leader)
            assert response.status_code == 201, response.text
        response = self.post(
            f"/audits/{audit_id}/complete", {"completed_on": day, "onsite_days": "6"}, self.leader
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def decide(self, audit_id: str, outcome: str, day: str, **extra: Any) -> httpx.Response:
        """POST /decisions by the decision maker (unchecked)."""
        body = {
            "audit_id": audit_id,
            "outcome": outcome,
            "reasons": ["依据审查结论"],
            "decided_on": day,
        }
        return self.post("/decisions", {**body, **extra}, self.decider)

    def certificate(
        self, code: str, issued_on: str, *, sites: int = 0, contact_email: str = "c@example.cn"
    ) -> str:
        """A certificate issued on a day after an initial audit that day; its number."""
        application = self.application(code, issued_on, sites=sites, contact_email=contact_email)
        app_id = self.contracted(application, issued_on)
        planned = self.plan({"application_id": app_id}, "initial", issued_on)
        assert planned.status_code == 201, planned.text
        self.complete(planned.json()["id"], issued_on)
        granted = self.decide(planned.json()["id"], "grant", issued_on)
        assert granted.status_code == 201, granted.text
        return granted.json()["certificate_number"]  # type: ignore[no-any-return]

    def surveil(self, number: str, day: str, **completion: Any) -> dict[str, Any]:
        """A surveillance of the certificate planned and completed on a day; the audit."""
        planned = self.plan({"certificate_number": number}, "surveillance", day)
        assert planned.status_code == 201, planned.text
        self.complete(planned.json()["id"], day, **completion)
        return self.get(f"/audits/{planned.json()['id']}")

    def sweep(self, as_of: str) -> list[dict[str, Any]]:
        """POST /sweeps as the admin; the changes it recorded."""
        response = self.post("/sweeps", {"as_of": as_of}, self.admin)
        assert response.status_code == 200, response.text
        return response.json()["changes"]  # type: ignore[no-any-return]

    def cert(self, number: str) -> dict[str, Any]:
        """GET /certificates/{number} (staff)."""
        return self.get(f"/certificates/{number}")

    def public(self, number: str) -> dict[str, Any]:
        """GET /register/certificates/{number} (no authentication)."""
        response = self.client.get(f"{API}/register/certificates/{number}")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]
