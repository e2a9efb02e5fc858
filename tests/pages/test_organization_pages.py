"""The organization page (ZPIC-WF-20 8, 9, 10): identity, certificates and their schedule,
applications, documents, appeals, and the timeline for compliance officers — filtered by kind
and type, cut at a past moment, paged — and the organization search."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.pages.support import ADMIN, sign_in, staff_member

API = "/api/v1"


@pytest.fixture
def office(client: TestClient) -> LifecycleOffice:
    """Staff acting over the API to build the organization's records."""
    return LifecycleOffice(client, ADMIN)


@pytest.fixture
def suspended(office: LifecycleOffice) -> tuple[str, str]:
    """An organization certified on 2026-06-15 and suspended on 2026-07-02: (uscc, number)."""
    code = uscc(601)
    number = office.certificate(code, "2026-06-15")
    body = {"reason": "licence_lapsed", "verified_on": "2026-07-01", "effective_on": "2026-07-02"}
    answer = office.post(f"/certificates/{number}/suspension", body, office.decider)
    assert answer.status_code == 200, answer.text
    return code, number


def events_on(html: str) -> list[tuple[str, str]]:
    """(type, kind) of each event the timeline shows, in order."""
    return re.findall(r'<li class="card event" data-type="([^"]+)" data-kind="([^"]*)"', html)


def test_the_page_shows_certificates_applications_documents_and_the_timeline(
    client: TestClient, suspended: tuple[str, str]
) -> None:
    # given a certified, then suspended, organization and a compliance officer
    code, number = suspended
    staff_member(client, "合规专员小林", ["compliance_officer"], "xiaolin")
    sign_in(client, "xiaolin")
    # when they open the organization page
    page = client.get(f"/organizations/{code}")
    # then it shows who it is, its certificate with status and schedule, its application
    assert page.status_code == 200
    assert "福州某电器有限公司" in page.text and code in page.text
    assert f'href="/certificates/{number}"' in page.text
    assert 'class="tag suspended"' in page.text
    cert = client.get(f"{API}/certificates/{number}", headers=ADMIN).json()
    assert cert["schedule"]["next_surveillance_due"] in page.text
    assert cert["schedule"]["recertification_window"]["opens_on"] in page.text
    assert cert["application_id"] in page.text
    # and its documents with download links
    assert re.search(r'href="/documents/[0-9a-f]{64}"', page.text)
    # and the timeline, newest first, from the same source as the history API
    shown = [t for t, _ in events_on(page.text)]
    history = client.get(f"{API}/organizations/{code}/history",
                         headers=office_header(client, "compliance_officer")).json()  # fmt: skip
    assert shown == [e["type"] for e in reversed(history)][: len(shown)]
    assert shown[0] == "Certificate.Suspended"
    assert "Decision.Made" in shown and "CertificationApplication.Submitted" in shown


def office_header(client: TestClient, role: str) -> dict[str, str]:
    """A bearer token of a fresh user holding one role (for reading the API alongside)."""
    answer = client.post(f"{API}/users", json={"name": "读者", "roles": [role]}, headers=ADMIN)
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_the_kind_and_type_filters_narrow_the_timeline(
    client: TestClient, suspended: tuple[str, str]
) -> None:
    # given a compliance officer on the organization page
    code, _ = suspended
    staff_member(client, "合规专员小林", ["compliance_officer"], "xiaolin")
    sign_in(client, "xiaolin")
    # when the timeline is filtered to certificates
    certificates = client.get(f"/organizations/{code}", params={"kind": "certificate"})
    # then only certificate events are listed
    shown = events_on(certificates.text)
    assert shown and {k for _, k in shown} == {"certificate"}
    assert "Certificate.Issued" in [t for t, _ in shown]
    # and filtered to applications, only application events
    applications = events_on(client.get(f"/organizations/{code}",
                                        params={"kind": "application"}).text)  # fmt: skip
    assert {t for t, _ in applications} == {
        "CertificationApplication.Submitted", "CertificationApplication.Reviewed",
        "CertificationApplication.ContractSigned"}  # fmt: skip
    # and by event type, just that type
    suspensions = events_on(client.get(f"/organizations/{code}",
                                       params={"type": "Certificate.Suspended"}).text)  # fmt: skip
    assert suspensions == [("Certificate.Suspended", "certificate")]


def test_as_of_shows_the_records_as_they_stood_then(
    client: TestClient, suspended: tuple[str, str]
) -> None:
    # given the moment the certificate was issued (it was suspended later)
    code, number = suspended
    history = client.get(f"{API}/organizations/{code}/history",
                         headers=office_header(client, "compliance_officer")).json()  # fmt: skip
    issued_at = next(e["recorded_at"] for e in history if e["type"] == "Certificate.Issued")
    staff_member(client, "合规专员小林", ["compliance_officer"], "xiaolin")
    sign_in(client, "xiaolin")
    # when the page is read as of that moment
    then = client.get(f"/organizations/{code}", params={"as_of": issued_at})
    # then the timeline stops there and the certificate reads as it stood: valid, version 1
    assert then.status_code == 200
    shown = [t for t, _ in events_on(then.text)]
    assert "Certificate.Suspended" not in shown and "Certificate.Issued" in shown
    cert_id = next(e["aggregate_id"] for e in history if e["type"] == "Certificate.Issued")
    row = re.search(rf'<tr data-record="{cert_id}">(.*?)</tr>', then.text, re.S)
    assert row, then.text
    assert 'class="then-status">有效<' in row.group(1)
    assert re.search(r'<td class="num">1</td>', row.group(1))
    # while now it is suspended
    now = client.get(f"{API}/certificates/{number}", headers=ADMIN).json()
    assert now["status"] == "suspended"
    # and a day before anything was recorded lists nothing; a malformed as_of is named
    assert (
        events_on(client.get(f"/organizations/{code}", params={"as_of": "2020-01-01"}).text) == []
    )
    bad = client.get(f"/organizations/{code}", params={"as_of": "yesterday"})
    assert bad.status_code == 422 and "as_of" in bad.text


def test_the_timeline_pages(client: TestClient, office: LifecycleOffice) -> None:
    # given an organization with an application and thirty watchlist changes
    code = uscc(602)
    assert office.application(code, "2026-06-15").status_code == 201
    for i in range(15):
        listed_on = date(2026, 7, 1) + timedelta(days=2 * i)
        listing = {"uscc": code, "list": "serious_illegal", "source": f"公告 {i}",
                   "listed_on": listed_on.isoformat()}  # fmt: skip
        answer = office.post("/watchlist", listing, office.intake)
        assert answer.status_code == 201, answer.text
        delisting = {"source": f"撤销 {i}",
                     "delisted_on": (listed_on + timedelta(days=1)).isoformat()}  # fmt: skip
        answer = office.post(f"/watchlist/{code}/delisting", delisting, office.intake)
        assert answer.status_code == 200, answer.text
    staff_member(client, "合规专员小林", ["compliance_officer"], "xiaolin")
    sign_in(client, "xiaolin")
    # when the timeline is read ten events at a time
    first = client.get(f"/organizations/{code}", params={"page_size": 10})
    last = client.get(f"/organizations/{code}", params={"page_size": 10, "page": 4})
    # then 31 events make four pages, the oldest (the application) on the last
    assert "共 31 条" in first.text
    assert len(events_on(first.text)) == 10 and len(events_on(last.text)) == 1
    assert events_on(last.text) == [("CertificationApplication.Submitted", "application")]
    assert 'rel="next"' in first.text and 'rel="prev"' in last.text
    # and the filter is kept when paging
    kinds = client.get(f"/organizations/{code}", params={"kind": "watchlist_entry",
                                                         "page_size": 10})  # fmt: skip
    assert "kind=watchlist_entry" in kinds.text and "共 30 条" in kinds.text


def test_other_staff_see_the_organization_but_not_its_timeline(
    client: TestClient, suspended: tuple[str, str]
) -> None:
    # given an appeals officer
    code, number = suspended
    staff_member(client, "申诉专员小吴", ["appeals_officer"], "xiaowu")
    sign_in(client, "xiaowu")
    # when they open the organization page
    page = client.get(f"/organizations/{code}")
    # then the certificates and applications are there, the timeline is not
    assert page.status_code == 200 and f"/certificates/{number}" in page.text
    assert events_on(page.text) == [] and "仅供合规专员查阅" in page.text
    # and unknown or malformed codes are 404 pages
    assert client.get(f"/organizations/{uscc(699)}").status_code == 404
    assert client.get("/organizations/not-a-code").status_code == 404


def test_organizations_are_found_by_uscc_or_name(
    client: TestClient, suspended: tuple[str, str], office: LifecycleOffice
) -> None:
    # given a certified organization and one that only applied
    code, number = suspended
    applicant = uscc(603)
    assert office.application(applicant, "2026-11-20").status_code == 201
    staff_member(client, "受理员", ["intake"], "shouli")
    sign_in(client, "shouli")
    # when searched by USCC, both are found
    for searched in (code, applicant):
        found = client.get("/organizations", params={"q": searched})
        assert found.status_code == 200 and f'href="/organizations/{searched}"' in found.text
    # and by part of the name, the certificate holder is (from the register)
    by_name = client.get("/organizations", params={"q": "电器"})
    assert f'href="/organizations/{code}"' in by_name.text and number in by_name.text
    # and a code with a wrong check character is named
    bad = client.get("/organizations", params={"q": code[:-1] + ("0" if code[-1] != "0" else "1")})
    assert bad.status_code == 422
