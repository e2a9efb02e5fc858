"""A certificate over its years, through the API (rules.md §6–§8; api.md Certificates, sweeps).

Surveillance sized and sampled from the certificate, the schedule recomputed after each
audit, grades following passed audits, follow-ups of a failed one, the deadline jobs and
recertification. Today is 2026-11-28; the certificates were issued in 2023.
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


# -- surveillance (5) -----------------------------------------------------------------------


def test_a_surveillance_offers_the_sites_not_yet_visited_this_cycle_first(
    office: LifecycleOffice,
) -> None:
    """Given a certificate of an organization with 9 service sites whose initial audit sampled
    some, when a surveillance is planned without naming sites, then the offered sample starts
    with sites the cycle has not visited, sized for a surveillance (5.4, 4.2.2)."""
    number = office.certificate(uscc(501), "2023-01-10", sites=9)
    initial = office.get(f"/audits/{office.cert(number)['audit_id']}")
    planned = office.plan({"certificate_number": number}, "surveillance", "2023-12-01")
    assert planned.status_code == 201, planned.text
    audit = planned.json()
    assert audit["type"] == "surveillance" and audit["certificate_number"] == number
    assert audit["sample_offered"] is True
    assert audit["effective_headcount"] == 300
    calc = office.get("/audit-time?effective_headcount=300&type=surveillance&sites=9")
    assert audit["required_days"] == calc["required_days"]
    assert len(audit["sites"]) == calc["sample_size"]
    unvisited = [s["name"] for s in office.cert(number)["sites"][1:]]
    unvisited = [s for s in unvisited if s not in initial["sites"]]
    assert audit["sites"][: len(unvisited)] == unvisited[: len(audit["sites"])]
    assert not set(audit["sites"][: len(unvisited)]) & set(initial["sites"])


def test_a_second_plan_while_one_is_open_is_refused(office: LifecycleOffice) -> None:
    """Given a surveillance planned and not completed, when another is planned, then 409
    audit_already_planned and nothing is recorded."""
    number = office.certificate(uscc(502), "2023-01-10")
    assert (
        office.plan({"certificate_number": number}, "surveillance", "2023-12-01").status_code == 201
    )
    before = events_recorded(office.client)
    again = office.plan({"certificate_number": number}, "surveillance", "2023-12-02")
    assert again.status_code == 409 and again.json()["code"] == "audit_already_planned"
    assert events_recorded(office.client) == before


def test_a_certificate_audit_is_surveillance_or_supplementary(office: LifecycleOffice) -> None:
    """Given a certificate, when an initial or a recertification audit is planned on it, then
    409 wrong_audit_type; an unknown number is 409 unknown_certificate."""
    number = office.certificate(uscc(503), "2023-01-10")
    for audit_type in ("initial", "recertification"):
        refused = office.plan({"certificate_number": number}, audit_type, "2023-12-01")
        assert refused.status_code == 409 and refused.json()["code"] == "wrong_audit_type"
    unknown = office.plan(
        {"certificate_number": "ECPSC-SC-2023-99999"}, "surveillance", "2023-12-01"
    )
    assert unknown.status_code == 409 and unknown.json()["code"] == "unknown_certificate"


def test_the_schedule_follows_each_surveillance_and_skips_the_recertification_year(
    office: LifecycleOffice,
) -> None:
    """Given a certificate issued 2023-01-10 (valid through 2026-01-09), then the first
    surveillance is due by 2024-01-10; after one on 2023-12-15, the next by 2024-12-31 (year
    end before 15 months); after one on 2024-12-20, the next by 2025-12-31 — 2025 is not the
    recertification year (2026) —; after one on 2025-06-01, none: 2026 has none (5.2)."""
    number = office.certificate(uscc(504), "2023-01-10")
    schedule = office.cert(number)["schedule"]
    assert schedule["next_surveillance_due"] == "2024-01-10"
    assert schedule["recertification_window"] == {
        "opens_on": "2025-10-09",
        "closes_on": "2026-01-09",
    }
    for completed, due in (
        ("2023-12-15", "2024-12-31"),
        ("2024-12-20", "2025-12-31"),
        ("2025-06-01", None),
    ):
        office.surveil(number, completed)
        schedule = office.cert(number)["schedule"]
        assert (schedule["last_surveillance_on"], schedule["next_surveillance_due"]) == (
            completed,
            due,
        )
    refused = office.plan({"certificate_number": number}, "surveillance", "2025-07-01")
    assert refused.status_code == 409 and refused.json()["code"] == "no_surveillance_due"


def test_a_passed_surveillance_sets_the_grade_and_tells_the_register_and_regulator(
    office: LifecycleOffice,
) -> None:
    """Given a five-star certificate, when a surveillance passes at 90.00 (four star), then
    the certificate, the public register and the regulator outbox show four star (5.5)."""
    number = office.certificate(uscc(505), "2023-01-10")
    audit = office.surveil(number, "2023-12-15", repair_nonconformity=True)
    assert (audit["score"]["score"], audit["score"]["grade"]) == ("90.00", "four_star")
    record = office.cert(number)
    assert record["grade"] == "four_star"
    assert record["cycle_audits"][0]["grade"] == "four_star"
    assert office.public(number)["grade"] == "four_star"
    changes = office.client.get(f"{API}/register/changes?after=0&limit=100").json()["items"]
    assert [c["change"] for c in changes if c["number"] == number] == ["issued", "grade_changed"]
    outbox = office.client.get(f"{API}/regulator/notifications?month=2023-12", headers=office.admin)
    assert outbox.status_code == 200, outbox.text
    assert any(n.get("change") == "grade_changed" for n in outbox.json()["items"])


# -- a failed surveillance (5.6) -------------------------------------------------------------


def test_a_failed_surveillance_waits_for_a_follow_up_by_someone_off_the_team(
    office: LifecycleOffice,
) -> None:
    """Given a surveillance failed with five special deductions, then the grade is kept and a
    follow-up is pending; grant is not a follow-up (follow_up_required), a downgrade must go
    down (not_a_downgrade), and a downgrade to compliant is recorded with the grade changed."""
    number = office.certificate(uscc(506), "2023-01-10")
    audit = office.surveil(number, "2023-12-15", deductions=5)
    assert audit["score"]["passed"] is False
    record = office.cert(number)
    assert (record["grade"], record["follow_up_pending"]) == ("five_star", audit["id"])

    by_member = office.post(
        "/decisions",
        {
            "audit_id": audit["id"],
            "outcome": "downgrade",
            "grade": "compliant",
            "reasons": ["x"],
            "decided_on": "2023-12-20",
        },
        office.leader,
    )
    assert by_member.status_code == 403  # the leader holds no decision role
    grant = office.decide(audit["id"], "grant", "2023-12-20")
    assert grant.status_code == 409 and grant.json()["code"] == "follow_up_required"
    up = office.decide(audit["id"], "downgrade", "2023-12-20", grade="five_star")
    assert up.status_code == 409 and up.json()["code"] == "not_a_downgrade"
    down = office.decide(audit["id"], "downgrade", "2023-12-20", grade="compliant")
    assert down.status_code == 201, down.text
    assert (down.json()["outcome"], down.json()["grade"]) == ("downgrade", "compliant")
    record = office.cert(number)
    assert (record["grade"], record["follow_up_pending"]) == ("compliant", None)
    again = office.decide(audit["id"], "suspend", "2023-12-21")
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_a_team_member_cannot_decide_the_follow_up(office: LifecycleOffice) -> None:
    """Given a failed surveillance whose team includes a user who also decides, when that
    user records the follow-up, then 409 not_impartial (4.6.1 applies to follow-ups, 5.6)."""
    number = office.certificate(uscc(507), "2023-01-10")
    member_id, member = office.user(
        "兼任审查员的决定人", "decision_maker", "auditor", registered=True
    )
    planned = office.plan(
        {"certificate_number": number},
        "surveillance",
        "2023-12-15",
        team=[
            {"user_id": office.leader_id, "role": "leader", "days": "3"},
            {"user_id": member_id, "role": "auditor", "days": "3"},
        ],
    )
    assert planned.status_code == 201, planned.text
    office.complete(planned.json()["id"], "2023-12-15", deductions=5)
    body = {
        "audit_id": planned.json()["id"],
        "outcome": "suspend",
        "reasons": ["不通过"],
        "decided_on": "2023-12-20",
    }
    refused = office.post("/decisions", body, member)
    assert refused.status_code == 409 and refused.json()["code"] == "not_impartial"


def test_a_suspension_follow_up_suspends_for_surveillance_failed(office: LifecycleOffice) -> None:
    """Given a failed surveillance, when the follow-up is suspension on 2023-12-20, then the
    certificate is suspended from that day through 2024-03-19 for surveillance_failed."""
    number = office.certificate(uscc(508), "2023-01-10")
    audit = office.surveil(number, "2023-12-15", deductions=5)
    decided = office.decide(audit["id"], "suspend", "2023-12-20")
    assert decided.status_code == 201, decided.text
    public = office.public(number)
    assert (public["status"], public["suspended_from"], public["suspended_until"]) == (
        "suspended",
        "2023-12-20",
        "2024-03-19",
    )


def test_a_passed_surveillance_needs_no_decision(office: LifecycleOffice) -> None:
    """Given a passed surveillance, when a decision is posted on it, then 409
    no_decision_needed (the grade followed the audit on completion)."""
    number = office.certificate(uscc(509), "2023-01-10")
    audit = office.surveil(number, "2023-12-15")
    refused = office.decide(audit["id"], "grant", "2023-12-20")
    assert refused.status_code == 409 and refused.json()["code"] == "no_decision_needed"


# -- the deadline jobs (5.3, 7.3.1, 8.1.2) ----------------------------------------------------


def test_an_overdue_surveillance_suspends_and_an_unresolved_suspension_withdraws(
    office: LifecycleOffice,
) -> None:
    """Given a certificate issued 2023-01-10 with no surveillance (due by 2024-01-10), when
    the deadline jobs run as of 2024-01-11, then it is suspended from 2024-01-11 through
    2024-04-10 (surveillance_overdue); run again for that day, nothing; as of 2024-04-11 it is
    withdrawn (suspension_expired_unresolved) and a public notice appears (7.3.2)."""
    number = office.certificate(uscc(510), "2023-01-10")
    assert office.sweep("2024-01-10") == []
    changes = office.sweep("2024-01-11")
    assert changes == [
        {
            "number": number,
            "change": "suspend",
            "effective_on": "2024-01-11",
            "reason": "surveillance_overdue",
        }
    ]
    assert office.sweep("2024-01-11") == []
    public = office.public(number)
    assert (public["status"], public["suspended_until"]) == ("suspended", "2024-04-10")
    assert office.sweep("2024-04-10") == []
    assert office.sweep("2024-04-11") == [
        {
            "number": number,
            "change": "withdraw",
            "effective_on": "2024-04-11",
            "reason": "suspension_expired_unresolved",
        }
    ]
    public = office.public(number)
    assert (public["status"], public["withdrawn_on"]) == ("withdrawn", "2024-04-11")
    notices = office.client.get(f"{API}/register/notices").json()["items"]
    assert [n["number"] for n in notices] == [number]


def test_a_sweep_after_downtime_records_the_days_the_rules_set(office: LifecycleOffice) -> None:
    """Given a certificate whose surveillance went overdue on 2024-01-11 and no sweep since,
    when the jobs run as of today, then they record the suspension effective 2024-01-11 and the
    withdrawal effective 2024-04-11, in that order, not today's date."""
    number = office.certificate(uscc(511), "2023-01-10")
    changes = office.sweep(date(2026, 11, 28).isoformat())
    assert [(c["change"], c["effective_on"]) for c in changes] == [
        ("suspend", "2024-01-11"),
        ("withdraw", "2024-04-11"),
    ]
    assert office.cert(number)["withdrawn_on"] == "2024-04-11"


def test_a_certificate_not_recertified_expires_the_day_after_expiry(
    office: LifecycleOffice,
) -> None:
    """Given a certificate valid through 2026-11-19 with its surveillances done (2024-11-01,
    2025-10-01: none in 2026), when the jobs run as of 2026-11-20, then it expires, effective
    that day; the register says expired and the regulator is told."""
    number = office.certificate(uscc(512), "2023-11-20")
    office.surveil(number, "2024-11-01")
    office.surveil(number, "2025-10-01")
    assert office.cert(number)["schedule"]["next_surveillance_due"] is None
    assert office.sweep("2026-11-19") == []
    assert office.sweep("2026-11-20") == [
        {"number": number, "change": "expire", "effective_on": "2026-11-20", "reason": None}
    ]
    record = office.cert(number)
    assert (record["status"], record["expired_on"]) == ("expired", "2026-11-20")
    assert office.public(number)["status"] == "expired"
    refused = office.plan({"certificate_number": number}, "supplementary", "2026-11-21")
    assert refused.status_code == 409 and refused.json()["code"] == "certificate_expired"


def test_sweeps_are_for_admins_and_not_for_tomorrow(office: LifecycleOffice) -> None:
    """Given a decision maker, when they post a sweep, then 403; an admin's sweep dated after
    today is malformed (422)."""
    assert office.post("/sweeps", {"as_of": "2026-11-28"}, office.decider).status_code == 403
    assert office.post("/sweeps", {"as_of": "2026-11-29"}, office.admin).status_code == 422


# -- recertification (6) ----------------------------------------------------------------------


def test_recertification_outside_the_window_is_refused_and_names_it(
    office: LifecycleOffice,
) -> None:
    """Given a certificate valid through 2026-12-09 (window 2026-09-09 to 2026-12-09), when
    a recertification application is received on 2026-09-08, then 409
    outside_recertification_window naming the window, and nothing is recorded."""
    number = office.certificate(uscc(513), "2023-12-10")
    before = events_recorded(office.client)
    refused = office.application(uscc(513), "2026-09-08", certificate_number=number)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["code"] == "outside_recertification_window"
    assert body["recertification_window"] == {"opens_on": "2026-09-09", "closes_on": "2026-12-09"}
    assert "2026-09-09" in body["message"] and body["clause"] == "ZPIC-WF-20 6.1"
    assert events_recorded(office.client) == before
    other = office.application(uscc(514), "2026-10-01", certificate_number=number)
    assert other.status_code == 409
    assert other.json()["code"] == "certificate_of_another_organization"


def test_a_recertification_continues_the_certificate_with_the_same_number(
    office: LifecycleOffice,
) -> None:
    """Given a certificate issued 2023-12-10 (through 2026-12-09), surveilled in 2024 and
    2025, when a recertification application inside the window is audited and granted on
    2026-11-20, then the number stays, it is reissued on 2026-11-20 for 36 months from
    2026-12-10 (through 2029-12-09), and its first surveillance is due by 2027-11-20; the
    recertification plan showed the previous cycle (6.2, 6.3)."""
    number = office.certificate(uscc(515), "2023-12-10")
    office.surveil(number, "2024-11-01", repair_nonconformity=True)
    office.surveil(number, "2025-10-01")
    app_id = office.contracted(
        office.application(uscc(515), "2026-10-01", certificate_number=number), "2026-10-01"
    )
    wrong = office.plan({"application_id": app_id}, "initial", "2026-11-02")
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_audit_type"
    planned = office.plan({"application_id": app_id}, "recertification", "2026-11-02")
    assert planned.status_code == 201, planned.text
    previous = planned.json()["previous_cycle"]
    assert previous["certificate_number"] == number
    assert [(a["type"], a["score"]) for a in previous["audits"]] == [
        ("initial", "100.00"),
        ("surveillance", "90.00"),
        ("surveillance", "100.00"),
    ]
    assert previous["suspensions"] == [] and previous["appeals"] == []
    office.complete(planned.json()["id"], "2026-11-02")
    granted = office.decide(planned.json()["id"], "grant", "2026-11-20")
    assert granted.status_code == 201, granted.text
    assert granted.json()["certificate_number"] == number
    record = office.cert(number)
    assert (record["issued_on"], record["expires_on"], record["cycle"]) == (
        "2026-11-20",
        "2029-12-09",
        2,
    )
    assert record["schedule"]["next_surveillance_due"] == "2027-11-20"
    assert record["cycle_audits"] == []
    public = office.public(number)
    assert (public["status"], public["issued_on"], public["expires_on"]) == (
        "valid",
        "2026-11-20",
        "2029-12-09",
    )
    page = office.client.get(f"{API}/register/certificates?uscc={uscc(515)}").json()
    assert page["total"] == 1


# -- follow-up by supplementary audit, late actions, recovery ----------------------------------


def test_a_supplementary_audit_follows_a_failed_surveillance_and_sets_the_grade(
    office: LifecycleOffice,
) -> None:
    """Given a failed surveillance whose follow-up is a supplementary audit, when that audit
    is planned (the planner sets its time, with a justification) and passes at 90.00, then the
    certificate's grade becomes four star and the surveillance schedule is unchanged."""
    number = office.certificate(uscc(520), "2023-01-10")
    failed = office.surveil(number, "2023-12-15", deductions=5)
    decided = office.decide(failed["id"], "supplementary_audit", "2023-12-20")
    assert decided.status_code == 201, decided.text
    due = office.cert(number)["schedule"]["next_surveillance_due"]
    planned = office.plan({"certificate_number": number}, "supplementary", "2024-01-05")
    assert planned.status_code == 201, planned.text
    assert (planned.json()["type"], planned.json()["sample_size"]) == ("supplementary", None)
    office.complete(planned.json()["id"], "2024-01-05", repair_nonconformity=True)
    record = office.cert(number)
    assert record["grade"] == "four_star"
    assert record["schedule"]["next_surveillance_due"] == due == "2024-12-31"
    assert [a["audit_type"] for a in record["cycle_audits"]] == ["surveillance", "supplementary"]


def test_a_late_suspension_is_recorded_as_it_happened_and_listed_for_compliance(
    office: LifecycleOffice,
) -> None:
    """Given facts verified on Monday 2026-06-01 (due by Monday 2026-06-08), when the
    suspension takes effect on 2026-06-10, then it is recorded with that date, flagged late,
    and listed in /compliance/exceptions (compliance officers only) with 2 days late."""
    number = office.certificate(uscc(521), "2026-01-10")
    body = {"reason": "licence_lapsed", "verified_on": "2026-06-01", "effective_on": "2026-06-10"}
    suspended = office.post(f"/certificates/{number}/suspension", body, office.decider)
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["suspended_from"] == "2026-06-10"
    listed = office.client.get(f"{API}/compliance/exceptions", headers=office.compliance)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 1
    (item,) = page["items"]
    assert (item["number"], item["action"], item["reason"]) == (
        number,
        "suspension",
        "licence_lapsed",
    )
    assert (item["verified_on"], item["due_on"], item["effective_on"], item["days_late"]) == (
        "2026-06-01",
        "2026-06-08",
        "2026-06-10",
        2,
    )
    assert item["due_on_provisional"] is False
    on_time = office.post(
        f"/certificates/{number}/reinstatement",
        {"verified_on": "2026-07-01", "effective_on": "2026-07-01"},
        office.decider,
    )
    assert on_time.status_code == 200
    assert (
        office.client.get(f"{API}/compliance/exceptions", headers=office.compliance).json()["total"]
        == 1
    )
    # decision makers read the list too (they correct its contradictions, rules.md §12);
    # planners do not
    assert (
        office.client.get(f"{API}/compliance/exceptions", headers=office.decider).status_code == 200
    )
    assert (
        office.client.get(f"{API}/compliance/exceptions", headers=office.planner).status_code == 403
    )


def test_a_withdrawn_certificate_recovered_later_is_recorded_once(
    office: LifecycleOffice,
) -> None:
    """Given a certificate withdrawn unrecovered (a public notice published), when its
    recovery is recorded, then the record says recovered; a second recovery is 409
    already_recovered, and a valid certificate cannot be 'recovered' (409)."""
    number = office.certificate(uscc(522), "2026-01-10")
    body = {"reason": "major_accident", "verified_on": "2026-06-01", "effective_on": "2026-06-02"}
    assert (
        office.post(f"/certificates/{number}/withdrawal", body, office.decider).status_code == 200
    )
    assert office.cert(number)["recovered"] is False
    notices = office.client.get(f"{API}/register/notices").json()["items"]
    assert [n["number"] for n in notices] == [number]
    recovered = office.post(
        f"/certificates/{number}/recovery", {"recovered_on": "2026-06-20"}, office.decider
    )
    assert recovered.status_code == 200, recovered.text
    assert recovered.json()["recovered"] is True
    again = office.post(
        f"/certificates/{number}/recovery", {"recovered_on": "2026-06-21"}, office.decider
    )
    assert again.status_code == 409 and again.json()["code"] == "already_recovered"
    other = office.certificate(uscc(523), "2026-01-10")
    valid = office.post(
        f"/certificates/{other}/recovery", {"recovered_on": "2026-06-21"}, office.decider
    )
    assert valid.status_code == 409 and valid.json()["code"] == "certificate_valid"


def test_after_expiry_only_an_initial_certification_is_possible(office: LifecycleOffice) -> None:
    """Given a certificate that expired after 2026-11-19 (recorded by the jobs), when a
    recertification application arrives on 2026-11-25, then 409 outside_recertification_window,
    saying that only an initial certification is possible (6.1 ruling)."""
    number = office.certificate(uscc(524), "2023-11-20")
    office.surveil(number, "2024-11-01")
    office.surveil(number, "2025-10-01")
    assert [c["change"] for c in office.sweep("2026-11-20")] == ["expire"]
    refused = office.application(uscc(524), "2026-11-25", certificate_number=number)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "outside_recertification_window"
    assert "initial certification" in refused.json()["message"]


def test_a_deduction_recorded_after_the_fact_opens_on_the_audits_last_day(
    office: LifecycleOffice,
) -> None:
    """Given an initial audit of 2023-12-04 whose special deduction is entered today, when its
    corrective action is verified closed on 2023-12-06, then a grant dated 2023-12-10 is
    accepted (the action opened on the audit's last day, not on the day of entry)."""
    app_id = office.contracted(office.application(uscc(525), "2023-12-01"), "2023-12-01")
    planned = office.plan({"application_id": app_id}, "initial", "2023-12-04")
    assert planned.status_code == 201, planned.text
    audit_id = planned.json()["id"]
    deduction = office.post(
        f"/audits/{audit_id}/special-deductions",
        {"category": "law", "evidence": "无证"},
        office.leader,
    )
    assert deduction.status_code == 201, deduction.text
    action_id = deduction.json()["corrective_action_id"]
    action = office.client.get(f"{API}/corrective-actions/{action_id}", headers=office.auditor)
    assert action.json()["opened_on"] == "2023-12-04"
    office.complete(audit_id, "2023-12-04")
    closed = office.post(
        f"/corrective-actions/{action_id}/close",
        {"verified_on": "2023-12-06", "evidence": "已整改"},
        office.auditor,
    )
    assert closed.status_code == 200, closed.text
    granted = office.decide(audit_id, "grant", "2023-12-10")
    assert granted.status_code == 201, granted.text
