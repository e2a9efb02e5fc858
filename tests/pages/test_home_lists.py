"""Each list on the staff home page holds exactly what its title says, checked over demonstration
data against the records themselves (ZPIC-WF-20 4.1–4.6, 5, 7, 9; issue 19 item 9).

The store is filled by `ecpsc demo-data` (a few certificates, each with its life: surveillances
passed and failed, suspensions, withdrawals, appeals); each list's whole (`/work/{key}`) is read
as the staff member sees it and compared with the list's definition computed from the aggregates
rebuilt from their events — not from the read model the list is served from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.appeal import Appeal
from domain.application import CertificationApplication
from domain.audit import Audit
from domain.certificate import Certificate
from domain.decision import Decision
from ecpsc.demo_data import Report, fill
from ecpsc.settings import Settings
from tests.pages.support import ADMIN, PASSWORD, sign_in, staff_member

DEMO_CERTIFICATES = 12
LONGEST_PAGE = "?page_size=100"


@dataclass
class Records:
    """Every aggregate of the demo store, rebuilt from its events, by kind."""

    applications: list[CertificationApplication]
    audits: list[Audit]
    decisions: list[Decision]
    certificates: list[Certificate]
    appeals: list[Appeal]
    late_numbers: Counter[str]
    """Certificate numbers, once per status change recorded after its deadline."""


def rebuilt(client: TestClient) -> Records:
    """The aggregates of the store behind the client's server, by kind."""
    backoffice = client.app.state.services.backoffice  # type: ignore[attr-defined]
    notifications = backoffice.recorder.select_notifications(start=1, limit=1_000_000)
    ids: dict[str, set[UUID]] = {}
    late: Counter[str] = Counter()
    for n in notifications:
        aggregate = n.topic.split(":", 1)[1].split(".", 1)[0]
        ids.setdefault(aggregate, set()).add(n.originator_id)
    kinds = {}
    for name in ("CertificationApplication", "Audit", "Decision", "Certificate", "Appeal"):
        kinds[name] = [backoffice.repository.get(i) for i in sorted(ids.get(name, ()))]
    for certificate in kinds["Certificate"]:
        for e in backoffice.repository.event_store.get(certificate.id):
            if getattr(e, "late", False):
                late[certificate.number] += 1
    return Records(kinds["CertificationApplication"], kinds["Audit"], kinds["Decision"],
                   kinds["Certificate"], kinds["Appeal"], late)  # fmt: skip


@pytest.fixture
def demo(settings: Settings) -> Iterator[tuple[TestClient, Report]]:
    """A server on a store the demo data filled with a few certified organizations."""
    report = fill(settings, DEMO_CERTIFICATES, seed=1, progress=lambda _: None)
    with TestClient(create_app(settings)) as client:
        yield client, report


def listed(client: TestClient, key: str, link: str) -> list[str]:
    """What the whole list `key` links to, by the pattern of its rows' links."""
    page = client.get(f"/work/{key}{LONGEST_PAGE}")
    assert page.status_code == 200, page.text
    body = page.text.split("<main", 1)[-1]
    return re.findall(link, body)


UUID_LINK = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"


def needs_decision(audit: Audit, decisions: list[Decision]) -> bool:
    """An audit calls for a decision: completed, no standing decision on it, and an initial or
    recertification audit, or a failed surveillance or supplementary one."""
    if audit.completion is None:
        return False
    standing = [d for d in decisions if d.audit_id == str(audit.id) and d.reopened is None]
    if standing:
        return False
    return audit.application_id is not None or not audit.completion["score"]["passed"]


def test_each_home_list_holds_what_its_title_says_over_demo_data(
    demo: tuple[TestClient, Report],
) -> None:
    """Given a store filled by demo-data with 12 certified organizations and their lives,
    when each staff member opens the whole of each of their home lists,
    then each list holds exactly the records its definition picks from the aggregates:
    applications awaiting review or supplements; contracts with no audit planned; valid
    certificates whose surveillance is due within 90 days; the auditor's planned audits; the
    completed audits that call for a decision (never a passed surveillance); suspensions ending
    within 30 days; the open appeals; the late status changes."""
    client, report = demo
    records = rebuilt(client)
    today: date = client.app.state.services.backoffice.today()  # type: ignore[attr-defined]
    staff_member(client, "全能", ["intake", "planner", "decision_maker", "appeals_officer",
                                  "compliance_officer"], "quanneng")  # fmt: skip
    sign_in(client, "quanneng")

    applications = {str(a.id): a.status for a in records.applications}
    assert sorted(listed(client, "to-review", f'href="/applications/{UUID_LINK}"')) == sorted(
        i for i, s in applications.items() if s == "submitted"
    )
    assert sorted(
        listed(client, "awaiting-supplement", f'href="/applications/{UUID_LINK}"')
    ) == sorted(i for i, s in applications.items() if s == "supplement_requested")

    planned_for = {a.application_id for a in records.audits}
    assert sorted(listed(client, "to-plan", f"application_id={UUID_LINK}")) == sorted(
        i for i, s in applications.items() if s == "contracted" and i not in planned_for
    )

    horizon = today + timedelta(days=90)
    due = sorted(
        c.number
        for c in records.certificates
        if c.status_on(today) == "valid"
        and c.next_surveillance_due is not None
        and c.next_surveillance_due <= horizon
    )
    assert sorted(listed(client, "surveillance-due", r"certificate_number=([A-Z0-9-]+)")) == due

    awaiting = sorted(str(a.id) for a in records.audits if needs_decision(a, records.decisions))
    shown = listed(client, "awaiting-decision", f'href="/audits/{UUID_LINK}"')
    assert sorted(shown) == awaiting
    passed_surveillance = [
        a for a in records.audits
        if a.audit_type == "surveillance" and a.completion and a.completion["score"]["passed"]
    ]  # fmt: skip
    assert passed_surveillance, "the demo data has passed surveillances to leave out"
    assert not {str(a.id) for a in passed_surveillance} & set(shown)
    # and the audits list filtered to 待决定 holds the same audits
    filtered = client.get("/audits", params={"status": "completed", "page_size": 100}).text
    table = filtered.split("<main", 1)[-1]
    assert sorted(set(re.findall(f'href="/audits/{UUID_LINK}"', table))) == awaiting

    soon = today + timedelta(days=30)
    ending = sorted(
        c.number
        for c in records.certificates
        if c.status == "suspended" and c.suspended_until and c.suspended_until <= soon
    )
    certificate_link = r'href="/certificates/([A-Z0-9-]+)"'
    assert sorted(listed(client, "suspensions-ending", certificate_link)) == ending

    open_appeals = sorted(str(a.id) for a in records.appeals if a.is_open)
    assert sorted(listed(client, "appeals", f'href="/appeals/{UUID_LINK}"')) == open_appeals

    exceptions = Counter(listed(client, "exceptions", certificate_link))
    assert exceptions == records.late_numbers

    # and an auditor's list holds the planned audits with them on the team
    auditor = next(s for s in report.staff if s.role == "auditor")
    client.post(f"/api/v1/users/{auditor.id}/password", headers=ADMIN,
                json={"sign_in_name": "auditor1", "password": PASSWORD})  # fmt: skip
    sign_in(client, "auditor1")
    theirs = sorted(
        str(a.id)
        for a in records.audits
        if a.completion is None and any(m["user_id"] == auditor.id for m in a.team)
    )
    assert sorted(listed(client, "to-complete", f'href="/audits/{UUID_LINK}"')) == theirs


