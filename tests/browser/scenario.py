"""A certification body's records for walking the pages in a browser, built through the HTTP
API of a running server: a certificate withdrawn when its suspension ran out, one suspended,
one valid with three shops, an application awaiting review, an audit awaiting its decision and
an open complaint; and one staff member per role, each with a password."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.browser.staff_walk import ADMIN, give_password, new_staff

SIGN_IN_NAMES = {
    "intake": "shouli",
    "planner": "cehua",
    "auditor": "zuzhang",
    "decision_maker": "jueding",
    "appeals_officer": "shensu",
    "compliance_officer": "hegui",
}
"""Who signs in for each role."""


@dataclass(frozen=True)
class Scenario:
    """What the walk looks at."""

    withdrawn_uscc: str
    withdrawn: str
    suspended: str
    valid: str


def build_scenario(base: str) -> Scenario:
    """The records and the staff, through the server's API at `base`."""
    with httpx.Client(base_url=base, timeout=60) as client:
        office = LifecycleOffice(client, ADMIN)
        withdrawn_uscc = uscc(611)
        withdrawn = office.certificate(withdrawn_uscc, "2025-06-10")
        office.surveil(withdrawn, "2026-05-10")
        _status(office, withdrawn, "suspension", "licence_lapsed", "2026-07-02")
        office.sweep("2026-10-02")  # the suspension ran out unresolved: withdrawn
        suspended = office.certificate(uscc(612), "2026-06-10", sites=2)
        _status(office, suspended, "suspension", "requested_by_organization", "2026-11-20")
        valid = office.certificate(uscc(613), "2026-11-20", sites=3)
        assert office.application(uscc(614), "2026-11-25").status_code == 201
        app_id = office.contracted(office.application(uscc(615), "2026-11-20"), "2026-11-20")
        audit = office.plan({"application_id": app_id}, "initial", "2026-11-24").json()["id"]
        office.complete(audit, "2026-11-24", repair_nonconformity=True)
        officer_id, officer = office.user("申诉专员赵丽", "appeals_officer")
        complaint = {
            "kind": "complaint",
            "subject": {"certificate_number": valid},
            "appellant": {"name": "消费者孙女士", "contact": "13900000002"},
            "received_on": "2026-11-26",
            "text": "门店1 维修超期未处理。",
        }
        assert office.post("/appeals", complaint, officer).status_code == 201
        give_password(base, office.leader_id, SIGN_IN_NAMES["auditor"])
        give_password(base, officer_id, SIGN_IN_NAMES["appeals_officer"])
    for role, name in (("intake", "王敏"), ("planner", "李强"), ("decision_maker", "张伟"),
                       ("compliance_officer", "陈静")):  # fmt: skip
        new_staff(base, name, [role], SIGN_IN_NAMES[role])
    return Scenario(withdrawn_uscc, withdrawn, suspended, valid)


def _status(office: LifecycleOffice, number: str, action: str, reason: str, day: str) -> None:
    body = {"reason": reason, "verified_on": day, "effective_on": day}
    answer = office.post(f"/certificates/{number}/{action}", body, office.decider)
    assert answer.status_code == 200, answer.text
