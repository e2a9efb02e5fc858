"""Appeals and complaints over HTTP (rules.md §9; api.md Appeals): received within 60 days,
handled by people not involved, resolved with consequences, seen then and now.

Today is pinned to 2026-11-28.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc


class AppealsDesk(LifecycleOffice):
    """The staff, plus appeals officers."""

    def __init__(self, client: TestClient, admin: dict[str, str]) -> None:
        super().__init__(client, admin)
        self.officer_id, self.officer = self.user("申诉专员甲", "appeals_officer")
        self.handler_id, self.handler = self.user("申诉专员乙", "appeals_officer")

    def refused_decision(self, code: str, day: str = "2026-10-10") -> tuple[str, str]:
        """A refusal of an initial certification; (decision id, audit id)."""
        app_id = self.contracted(self.application(code, day), day)
        planned = self.plan({"application_id": app_id}, "initial", day)
        assert planned.status_code == 201, planned.text
        audit_id = planned.json()["id"]
        self.complete(audit_id, day, repair_nonconformity=True)
        refused = self.decide(audit_id, "refuse", day)
        assert refused.status_code == 201, refused.text
        return refused.json()["id"], audit_id

    def appeal(self, subject: dict[str, Any], received_on: str, kind: str = "appeal") -> Any:
        """POST /appeals (unchecked)."""
        body = {
            "kind": kind,
            "subject": subject,
            "appellant": {"name": "福州某电器有限公司", "contact": "13900000000"},
            "received_on": received_on,
            "text": "对不予认证决定有异议：维修记录已补充。",
        }
        return self.post("/appeals", body, self.officer)

    def opened(self, subject: dict[str, Any], received_on: str = "2026-11-20") -> str:
        """An appeal received, acknowledged and assigned to the handler; its id."""
        received = self.appeal(subject, received_on)
        assert received.status_code == 201, received.text
        appeal_id: str = received.json()["id"]
        ack = self.post(
            f"/appeals/{appeal_id}/acknowledgement", {"acknowledged_on": received_on}, self.officer
        )
        assert ack.status_code == 200, ack.text
        assigned = self.post(
            f"/appeals/{appeal_id}/assignment",
            {"handler_ids": [self.handler_id], "assigned_on": received_on},
            self.officer,
        )
        assert assigned.status_code == 200, assigned.text
        return appeal_id

    def resolve(self, appeal_id: str, outcome: str, **extra: Any) -> Any:
        """POST /appeals/{id}/resolution by the handler (unchecked)."""
        body = {
            "outcome": outcome,
            "resolved_on": "2026-11-27",
            "notice": "经复核，申诉成立，将重新作出认证决定。",
            **extra,
        }
        return self.post(f"/appeals/{appeal_id}/resolution", body, self.handler)


@pytest.fixture
def desk(client: TestClient, admin_headers: dict[str, str]) -> AppealsDesk:
    """Staff on a fresh server."""
    return AppealsDesk(client, admin_headers)


def test_an_appeal_is_due_60_days_after_receipt(desk: AppealsDesk) -> None:
    """Given a refusal, when an appeal against it is received on 2026-11-20, then it is
    recorded as received, due 2027-01-19, with 52 days left as of 2026-11-28."""
    decision_id, _ = desk.refused_decision(uscc(801))
    received = desk.appeal({"decision_id": decision_id}, "2026-11-20")
    assert received.status_code == 201, received.text
    body = received.json()
    assert (body["status"], body["due_on"], body["days_left"], body["overdue"]) == (
        "received",
        "2027-01-19",
        52,
        False,
    )
    assert body["organization_uscc"] == uscc(801)


def test_an_appeal_received_before_the_decision_it_objects_to_is_409(desk: AppealsDesk) -> None:
    """Given a refusal decided on 2026-10-10, when an appeal against it is received on 10-09,
    then 409 {code: appeal_before_decision, message, clause: "ZPIC-WF-20 9"} and nothing is
    recorded; naming only the application, received before the application was, 409
    appeal_before_application; received on the decision's day, 201."""
    decision_id, _ = desk.refused_decision(uscc(809))
    application_id = desk.client.get(
        f"{API}/decisions/{decision_id}", headers=desk.officer
    ).json()["application_id"]
    events = events_recorded(desk.client)
    early = desk.appeal({"decision_id": decision_id}, "2026-10-09")
    assert early.status_code == 409, early.text
    assert set(early.json()) == {"code", "message", "clause"}
    assert (early.json()["code"], early.json()["clause"]) == (
        "appeal_before_decision",
        "ZPIC-WF-20 9",
    )
    assert "2026-10-10" in early.json()["message"]
    before_application = desk.appeal({"application_id": application_id}, "2026-10-01")
    assert (before_application.status_code, before_application.json()["code"]) == (
        409,
        "appeal_before_application",
    )
    assert events_recorded(desk.client) == events
    on_the_day = desk.appeal({"decision_id": decision_id}, "2026-10-10")
    assert on_the_day.status_code == 201, on_the_day.text


def test_the_queue_lists_open_cases_by_urgency_with_days_left_and_overdue(
    desk: AppealsDesk,
) -> None:
    """Given cases received 2026-09-01 (due 2026-10-31), 2026-11-20 (due 2027-01-19) and
    2026-10-15 (due 2026-12-14), and one closed, when the open queue is read on 2026-11-28, then
    the three open ones come most urgent first: -28 days (overdue), 16, 52."""
    decision_id, _ = desk.refused_decision(uscc(802))
    ids = {}
    for day in ("2026-11-20", "2026-09-01", "2026-10-15"):
        response = desk.appeal({"decision_id": decision_id}, day, kind="complaint")
        assert response.status_code == 201, response.text
        ids[day] = response.json()["id"]
    closed = desk.opened({"decision_id": decision_id}, "2026-11-01")
    assert desk.resolve(closed, "rejected").status_code == 200
    sent = desk.post(f"/appeals/{closed}/notice-sent", {"sent_on": "2026-11-28"}, desk.officer)
    assert sent.status_code == 200 and sent.json()["status"] == "closed"

    queue = desk.client.get(f"{API}/appeals?status=open", headers=desk.officer)
    assert queue.status_code == 200, queue.text
    rows = [(r["id"], r["due_on"], r["days_left"], r["overdue"]) for r in queue.json()]
    assert rows == [
        (ids["2026-09-01"], "2026-10-31", -28, True),
        (ids["2026-10-15"], "2026-12-14", 16, False),
        (ids["2026-11-20"], "2027-01-19", 52, False),
    ]
    everything = desk.client.get(f"{API}/appeals", headers=desk.officer).json()
    assert {r["id"] for r in everything} == {*ids.values(), closed}


def test_nobody_involved_in_the_subject_may_handle_it(desk: AppealsDesk) -> None:
    """Given a refusal decided by someone who is also an appeals officer, and an audit whose
    team included another appeals officer as trainee, when either is assigned to the appeal,
    then 409 not_impartial and nothing is recorded; an uninvolved officer is assigned."""
    decider_id, decider = desk.user("决定人兼申诉专员", "decision_maker", "appeals_officer")
    trainee_id, _ = desk.user("实习审查员兼申诉专员", "auditor", "appeals_officer")
    app_id = desk.contracted(desk.application(uscc(803), "2026-10-10"), "2026-10-10")
    planned = desk.plan(
        {"application_id": app_id},
        "initial",
        "2026-10-10",
        team=[
            {"user_id": desk.leader_id, "role": "leader", "days": "3"},
            {"user_id": desk.auditor_id, "role": "auditor", "days": "3"},
            {"user_id": trainee_id, "role": "trainee", "days": "1"},
        ],
    )
    assert planned.status_code == 201, planned.text
    desk.complete(planned.json()["id"], "2026-10-10")
    refused = desk.post(
        "/decisions",
        {
            "audit_id": planned.json()["id"],
            "outcome": "refuse",
            "reasons": ["资料不全"],
            "decided_on": "2026-10-12",
        },
        decider,
    )
    assert refused.status_code == 201, refused.text
    appeal_id = desk.appeal({"decision_id": refused.json()["id"]}, "2026-11-20").json()["id"]
    desk.post(
        f"/appeals/{appeal_id}/acknowledgement", {"acknowledged_on": "2026-11-21"}, desk.officer
    )
    for involved in (decider_id, trainee_id):
        before = events_recorded(desk.client)
        refused_assignment = desk.post(
            f"/appeals/{appeal_id}/assignment", {"handler_ids": [involved]}, desk.officer
        )
        assert refused_assignment.status_code == 409, refused_assignment.text
        assert refused_assignment.json()["code"] == "not_impartial"
        assert events_recorded(desk.client) == before
    ok = desk.post(
        f"/appeals/{appeal_id}/assignment", {"handler_ids": [desk.handler_id]}, desk.officer
    )
    assert ok.status_code == 200 and ok.json()["handlers"][0]["id"] == desk.handler_id


def test_resolution_comes_after_acknowledgement_and_assignment(desk: AppealsDesk) -> None:
    """Given an appeal just received, when it is resolved, then 409 (not yet acknowledged and
    assigned); an unassigned officer may not resolve an assigned one (not_a_handler)."""
    decision_id, _ = desk.refused_decision(uscc(804))
    appeal_id = desk.appeal({"decision_id": decision_id}, "2026-11-20").json()["id"]
    early = desk.resolve(appeal_id, "rejected")
    assert early.status_code == 409 and early.json()["code"] == "appeal_received"
    desk.post(
        f"/appeals/{appeal_id}/acknowledgement", {"acknowledged_on": "2026-11-21"}, desk.officer
    )
    desk.post(f"/appeals/{appeal_id}/assignment", {"handler_ids": [desk.handler_id]}, desk.officer)
    by_other = desk.post(
        f"/appeals/{appeal_id}/resolution",
        {"outcome": "rejected", "resolved_on": "2026-11-27", "notice": "驳回"},
        desk.officer,
    )
    assert by_other.status_code == 409 and by_other.json()["code"] == "not_a_handler"


def test_an_upheld_appeal_reopens_the_decision_for_a_new_one_on_the_same_audit(
    desk: AppealsDesk,
) -> None:
    """Given an appeal against a refusal, investigated with evidence, when it is upheld with a
    corrective action, then the refusal stays as it was, a new decision on the same audit is
    accepted (a grant issuing the certificate), and the corrective action is open."""
    decision_id, audit_id = desk.refused_decision(uscc(805))
    appeal_id = desk.opened({"decision_id": decision_id})
    upload = desk.client.post(
        f"{API}/documents",
        files={"file": ("维修记录.pdf", b"%PDF-1.4 repair records", "application/pdf")},
        headers=desk.handler,
    )
    assert upload.status_code == 201, upload.text
    noted = desk.post(
        f"/appeals/{appeal_id}/notes",
        {
            "text": "核实维修记录齐全",
            "evidence": [upload.json()["sha256"]],
            "noted_on": "2026-11-25",
        },
        desk.handler,
    )
    assert noted.status_code == 201 and noted.json()["status"] == "investigating"
    again_before = desk.decide(audit_id, "grant", "2026-11-26")
    assert again_before.status_code == 409 and again_before.json()["code"] == "already_decided"

    resolved = desk.resolve(appeal_id, "upheld", corrective_actions=["完善决定复核程序"])
    assert resolved.status_code == 200, resolved.text
    resolution = resolved.json()["resolution"]
    assert resolution["reopened_decision_id"] == decision_id
    (action_id,) = resolution["corrective_action_ids"]
    action = desk.client.get(f"{API}/corrective-actions/{action_id}", headers=desk.auditor)
    assert action.status_code == 200 and action.json()["status"] == "open"

    original = desk.get(f"/decisions/{decision_id}")
    assert (original["outcome"], original["version"]) == ("refuse", 2)
    assert original["reopened"]["appeal_id"] == appeal_id
    new = desk.decide(audit_id, "grant", "2026-11-28")
    assert new.status_code == 201, new.text
    assert new.json()["id"] != decision_id and new.json()["certificate_number"]
    third = desk.decide(audit_id, "refuse", "2026-11-28")
    assert third.status_code == 409 and third.json()["code"] == "already_decided"


def test_escalation_to_the_regulator_is_recorded(desk: AppealsDesk) -> None:
    """Given a rejected appeal, when the appellant escalates to the regulator, then the case
    records it with its date (9.3)."""
    decision_id, _ = desk.refused_decision(uscc(806))
    appeal_id = desk.opened({"decision_id": decision_id})
    assert desk.resolve(appeal_id, "rejected").status_code == 200
    escalated = desk.post(
        f"/appeals/{appeal_id}/escalation",
        {"to": "regulator", "escalated_on": "2026-11-28", "note": "向认监委投诉"},
        desk.officer,
    )
    assert escalated.status_code == 200, escalated.text
    (record,) = escalated.json()["escalations"]
    assert (record["to"], record["escalated_on"]) == ("regulator", "2026-11-28")


def test_then_and_now_shows_the_decision_as_it_stood_beside_what_came_after(
    desk: AppealsDesk,
) -> None:
    """Given a grant on 2026-06-15 at five stars, and after it a surveillance at four stars and
    a suspension, when a complaint against the grant is read, then 'then' shows the decision,
    the audit's 100.00 score and the certificate as valid five star, and 'since' lists the
    surveillance, the grade change and the suspension, and nothing from before the decision."""
    number = desk.certificate(uscc(807), "2026-06-15")
    certificate = desk.cert(number)
    decision_id = certificate["decision_id"]
    desk.surveil(number, "2026-10-01", repair_nonconformity=True)
    suspended = desk.post(
        f"/certificates/{number}/suspension",
        {
            "reason": "service_system_failing",
            "verified_on": "2026-11-02",
            "effective_on": "2026-11-02",
        },
        desk.decider,
    )
    assert suspended.status_code == 200, suspended.text
    complaint = desk.appeal({"decision_id": decision_id}, "2026-11-20", kind="complaint")
    assert complaint.status_code == 201, complaint.text

    view = desk.get(f"/appeals/{complaint.json()['id']}", desk.officer)["then_and_now"]
    then = view["then"]
    assert then["decision"]["outcome"] == "grant" and then["decision"]["id"] == decision_id
    assert then["audit"]["score"]["score"] == "100.00"
    assert (then["certificate"]["status"], then["certificate"]["grade"]) == ("valid", "five_star")
    types = [e["type"] for e in view["since"]]
    assert "Certificate.GradeChanged" in types and "Certificate.Suspended" in types
    assert "Audit.Completed" in types  # the surveillance's
    assert "Decision.Made" not in types and "Certificate.Issued" not in types
    assert all(e["recorded_at"] > then["recorded_at"] for e in view["since"])
    suspension = next(e for e in view["since"] if e["type"] == "Certificate.Suspended")
    assert suspension["business_date"] == "2026-11-02"
    assert suspension["actor"]["name"] == "决定人"


def test_only_appeals_staff_receive_and_malformed_input_is_422(desk: AppealsDesk) -> None:
    """Given an intake officer, when they post an appeal, then 403; an appeal without a subject
    is 422 naming subject; an unknown decision is 409 unknown_subject; a receipt after today
    is 422."""
    decision_id, _ = desk.refused_decision(uscc(808))
    body = {
        "kind": "appeal",
        "subject": {"decision_id": decision_id},
        "appellant": {"name": "某", "contact": "x"},
        "received_on": "2026-11-20",
        "text": "异议",
    }
    assert desk.post("/appeals", body, desk.intake).status_code == 403
    no_subject = desk.post("/appeals", {**body, "subject": {}}, desk.officer)
    assert no_subject.status_code == 422 and "subject" in no_subject.text
    unknown = desk.post(
        "/appeals",
        {**body, "subject": {"decision_id": "00000000-0000-0000-0000-000000000000"}},
        desk.officer,
    )
    assert unknown.status_code == 409 and unknown.json()["code"] == "unknown_subject"
    future = desk.post("/appeals", {**body, "received_on": "2026-11-29"}, desk.officer)
    assert future.status_code == 422


def test_the_written_notice_to_the_appellant_in_chinese_html_and_pdf(
    desk: AppealsDesk, tmp_path: Path
) -> None:
    """Given an upheld appeal, when its notice is asked for as HTML and as PDF, then both say,
    Chinese first, the appellant, the dates, the outcome 成立, the handler's text, that a new
    decision follows, and the way to the regulator (9.3); before resolution it is 409."""
    decision_id, _ = desk.refused_decision(uscc(809))
    appeal_id = desk.opened({"decision_id": decision_id})
    early = desk.client.get(f"{API}/appeals/{appeal_id}/notice", headers=desk.officer)
    assert early.status_code == 409 and early.json()["code"] == "appeal_not_resolved"
    assert desk.resolve(appeal_id, "upheld").status_code == 200

    html = desk.client.get(
        f"{API}/appeals/{appeal_id}/notice", headers={**desk.officer, "Accept": "text/html"}
    )
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    page = html.text
    for text in (
        "申诉处理结果通知书",
        "福州某电器有限公司",
        "2026-11-20",
        "2027-01-19",
        "成立 / upheld",
        "经复核，申诉成立",
        "重新作出认证决定",
        "认证监管部门",
    ):
        assert text in page, text
    assert page.index("申诉处理结果通知书") < page.index("Notice of the outcome")

    pdf = desk.client.get(
        f"{API}/appeals/{appeal_id}/notice", headers={**desk.officer, "Accept": "application/pdf"}
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    for expected in ("申诉处理结果通知书", "2027-01-19", "成立", "经复核，申诉成立"):
        assert expected in text, expected


def test_a_recertification_plan_shows_the_cycles_appeals_and_complaints(
    desk: AppealsDesk,
) -> None:
    """Given a certificate issued 2023-12-10 with a complaint about it received 2025-05-01,
    when its recertification audit is planned, then the previous cycle lists the complaint
    (and no appeal) (6.2)."""
    number = desk.certificate(uscc(810), "2023-12-10")
    desk.surveil(number, "2024-11-01")
    desk.surveil(number, "2025-10-01")
    complaint = desk.appeal({"certificate_number": number}, "2025-05-01", kind="complaint")
    assert complaint.status_code == 201, complaint.text
    app_id = desk.contracted(
        desk.application(uscc(810), "2026-10-01", certificate_number=number), "2026-10-01"
    )
    planned = desk.plan({"application_id": app_id}, "recertification", "2026-11-02")
    assert planned.status_code == 201, planned.text
    previous = planned.json()["previous_cycle"]
    assert [c["id"] for c in previous["complaints"]] == [complaint.json()["id"]]
    assert previous["appeals"] == []
