"""Certification applications over HTTP, from receipt to contract (api.md Applications;
rules §1, ZPIC-WF-20 4.1.1-4.1.4)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, Uploader, events_recorded
from tests.factories import VALID_USCCS, application_body

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
CONFLICT_KEYS = {"code", "message", "clause"}


@pytest.fixture
def docs(upload: Uploader) -> dict[str, dict[str, str]]:
    """One uploaded document of every kind, as the references an application names."""
    refs = {}
    for kind in ("application_form", "legal_status", "multi_site_list", "licences"):
        stored = upload(f"{kind} 内容".encode(), filename=f"{kind}.pdf")
        refs[kind] = {"kind": kind, "filename": stored["filename"], "sha256": stored["sha256"]}
    return refs


def complete(docs: dict[str, dict[str, str]], *kinds: str) -> list[dict[str, str]]:
    """The document references of the given kinds (form and legal status by default)."""
    return [docs[k] for k in (kinds or ("application_form", "legal_status"))]


def submit(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    """POST /applications, checked to be 201."""
    response = client.post(f"{API}/applications", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def fetch(client: TestClient, headers: dict[str, str], app_id: str) -> dict[str, Any]:
    """GET /applications/{id}, checked to be 200."""
    response = client.get(f"{API}/applications/{app_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def listing(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    """GET /applications with query parameters, checked to be 200."""
    response = client.get(f"{API}/applications", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def review(
    client: TestClient, headers: dict[str, str], app_id: str, outcome: str, **fields: Any
) -> Any:
    """POST /applications/{id}/review (the response, unchecked)."""
    body = {"outcome": outcome, "reasons": [], "missing": [], "reviewed_on": "2026-11-25"}
    extra_headers = fields.pop("extra_headers", {})
    body.update(fields)
    return client.post(
        f"{API}/applications/{app_id}/review", json=body, headers={**headers, **extra_headers}
    )


def assert_refused(
    client: TestClient, headers: dict[str, str], before: dict[str, Any], recorded: int
) -> None:
    """The application is exactly as it was and no event was recorded."""
    after = fetch(client, headers, before["id"])
    assert after["status"] == before["status"]
    assert after["version"] == before["version"]
    assert after["reviews"] == before["reviews"]
    assert events_recorded(client) == recorded


def assert_conflict(response: Any, code: str) -> dict[str, Any]:
    """A 409 with exactly {code, message, clause}, of that code."""
    assert response.status_code == 409, response.text
    body = response.json()
    assert set(body) == CONFLICT_KEYS
    assert body["code"] == code
    assert body["message"] and body["clause"].startswith("ZPIC-WF-20")
    return body  # type: ignore[no-any-return]


def test_the_whole_intake_flow(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given uploaded form and legal status of a two-site organization (no multi-site list),
    when intake submits, requests the multi-site list, receives it, accepts and signs,
    then each step answers 200/201 with the new status and version, GET and the
    status-filtered list agree at every step."""
    body = application_body(documents=complete(docs), sites=2)
    created = submit(client, intake_headers, body)
    app_id = created["id"]
    assert created["status"] == "submitted"
    assert created["version"] == 1
    assert created["organization"] == body["organization"]
    assert created["sites"] == body["sites"]
    assert created["effective_headcount"] == 300
    assert created["received_on"] == "2026-11-20"
    assert created["missing_documents"] == ["multi_site_list"]
    assert created["documents"] == complete(docs)

    got = client.get(f"{API}/applications/{app_id}", headers=intake_headers)
    assert got.status_code == 200
    assert got.json() == created
    assert got.headers["ETag"] == '"1"'

    submitted = listing(client, intake_headers, status="submitted")
    assert submitted["total"] == 1
    assert [item["id"] for item in submitted["items"]] == [app_id]
    row = submitted["items"][0]
    assert row["status"] == "submitted"
    assert row["uscc"] == VALID_USCCS[0]
    assert row["version"] == 1

    requested = review(client, intake_headers, app_id, "supplement_requested",
                       missing=["multi_site_list"], reviewed_on="2026-11-21")
    assert requested.status_code == 200, requested.text
    assert requested.json()["status"] == "supplement_requested"
    assert requested.json()["version"] == 2
    recorded_review = requested.json()["reviews"][0]
    assert recorded_review["missing"] == ["multi_site_list"]
    assert recorded_review["considered"]["site_count"] == 2
    assert recorded_review["considered"]["effective_headcount"] == 300
    assert recorded_review["considered"]["initial_audit_days"] == "3.00"
    assert recorded_review["rulebook_version"]
    assert listing(client, intake_headers, status="submitted")["total"] == 0
    assert listing(client, intake_headers, status="supplement_requested")["total"] == 1

    supplement = client.post(
        f"{API}/applications/{app_id}/supplements",
        json={"documents": [docs["multi_site_list"]], "received_on": "2026-11-23"},
        headers=intake_headers,
    )
    assert supplement.status_code == 200, supplement.text
    assert supplement.json()["status"] == "submitted"
    assert supplement.json()["version"] == 3
    assert supplement.json()["missing_documents"] == []
    assert listing(client, intake_headers, status="submitted")["items"][0]["version"] == 3

    accepted = review(client, intake_headers, app_id, "accepted", reviewed_on="2026-11-24")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["version"] == 4

    contract = client.post(
        f"{API}/applications/{app_id}/contract",
        json={"number": "ECPSC-HT-2026-001", "signed_on": "2026-11-26"},
        headers=intake_headers,
    )
    assert contract.status_code == 200, contract.text
    assert contract.json()["status"] == "contracted"
    assert contract.json()["version"] == 5
    assert contract.json()["contract"]["number"] == "ECPSC-HT-2026-001"
    assert contract.json()["contract"]["signed_on"] == "2026-11-26"

    assert fetch(client, intake_headers, app_id)["status"] == "contracted"
    contracted = listing(client, intake_headers, status="contracted")
    assert contracted["total"] == 1
    assert contracted["items"][0]["id"] == app_id
    assert contracted["items"][0]["status"] == "contracted"
    assert contracted["items"][0]["version"] == 5
    assert listing(client, intake_headers, status="accepted")["total"] == 0


def test_rejection_with_reasons(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given a submitted application, when rejected with a reason, then 200 status rejected."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    response = review(client, intake_headers, app["id"], "rejected",
                      reasons=["超出认证范围 / outside the certification field"])
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rejected"
    assert listing(client, intake_headers, status="rejected")["total"] == 1


def test_accepting_a_watchlisted_organization_is_409_ineligible(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given a complete application from an organization on the serious-illegal list,
    when intake accepts it,
    then 409 ineligible citing 4.1.2 and the application is still submitted, unchanged."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    listed = client.post(
        f"{API}/watchlist",
        json={"uscc": VALID_USCCS[0], "list": "serious_illegal",
              "source": "国家企业信用信息公示系统", "listed_on": "2026-11-22"},
        headers=intake_headers,
    )
    assert listed.status_code == 201
    recorded = events_recorded(client)

    body = assert_conflict(review(client, intake_headers, app["id"], "accepted"), "ineligible")
    assert "4.1.2" in body["clause"]
    assert_refused(client, intake_headers, app, recorded)
    assert listing(client, intake_headers, status="accepted")["total"] == 0

    client.post(f"{API}/watchlist/{VALID_USCCS[0]}/delisting",
                json={"source": "移出决定", "delisted_on": "2026-11-24"}, headers=intake_headers)
    after_delisting = review(client, intake_headers, app["id"], "accepted")
    assert after_delisting.status_code == 200, after_delisting.text
    assert after_delisting.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("sites", "kinds", "missing"),
    [
        (0, ("application_form",), "legal_status"),
        (0, ("legal_status", "licences"), "application_form"),
        (3, ("application_form", "legal_status"), "multi_site_list"),
    ],
    ids=["no_legal_status", "no_form", "multi_site_without_list"],
)
def test_accepting_without_required_documents_is_409(
    client: TestClient,
    intake_headers: dict[str, str],
    docs: dict[str, dict[str, str]],
    sites: int,
    kinds: tuple[str, ...],
    missing: str,
) -> None:
    """Given an application lacking a required kind of material,
    when intake accepts it,
    then 409 incomplete_application naming the kind, and nothing is recorded."""
    app = submit(client, intake_headers,
                 application_body(documents=complete(docs, *kinds), sites=sites))
    assert app["missing_documents"] == [missing]
    recorded = events_recorded(client)
    body = assert_conflict(
        review(client, intake_headers, app["id"], "accepted"), "incomplete_application"
    )
    assert missing in body["message"]
    assert "4.1.1" in body["clause"]
    assert_refused(client, intake_headers, app, recorded)


def test_naming_a_never_uploaded_document_is_409(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given a document reference whose sha256 was never uploaded,
    when it is named in a submission or a supplement,
    then 409 unknown_document and nothing is recorded."""
    ghost = {"kind": "legal_status", "filename": "营业执照.pdf",
             "sha256": hashlib.sha256(b"never uploaded").hexdigest()}
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/applications",
        json=application_body(documents=[docs["application_form"], ghost]),
        headers=intake_headers,
    )
    body = assert_conflict(response, "unknown_document")
    assert ghost["sha256"] in body["message"]
    assert events_recorded(client) == recorded
    assert listing(client, intake_headers)["total"] == 0

    app = submit(client, intake_headers, application_body(documents=complete(docs), sites=1))
    assert review(client, intake_headers, app["id"], "supplement_requested",
                  missing=["multi_site_list"]).status_code == 200
    before = fetch(client, intake_headers, app["id"])
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/applications/{app['id']}/supplements",
        json={"documents": [{**ghost, "kind": "multi_site_list"}], "received_on": "2026-11-26"},
        headers=intake_headers,
    )
    assert_conflict(response, "unknown_document")
    assert_refused(client, intake_headers, before, recorded)


def test_contract_before_acceptance_is_409(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given a submitted (not accepted) application,
    when a contract is recorded,
    then 409 not_accepted citing 4.1.4 and the application stays submitted."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/applications/{app['id']}/contract",
        json={"number": "HT-1", "signed_on": "2026-11-26"},
        headers=intake_headers,
    )
    body = assert_conflict(response, "not_accepted")
    assert "4.1.4" in body["clause"]
    assert_refused(client, intake_headers, app, recorded)
    assert fetch(client, intake_headers, app["id"])["contract"] is None


def test_reviewing_twice_is_409(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given an accepted application,
    when it is reviewed again (accepted or rejected),
    then 409 not_awaiting_review and it stays accepted with one review."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    assert review(client, intake_headers, app["id"], "accepted").status_code == 200
    before = fetch(client, intake_headers, app["id"])
    recorded = events_recorded(client)
    assert_conflict(review(client, intake_headers, app["id"], "accepted"), "not_awaiting_review")
    assert_conflict(
        review(client, intake_headers, app["id"], "rejected", reasons=["x"]),
        "not_awaiting_review",
    )
    assert_refused(client, intake_headers, before, recorded)
    assert len(before["reviews"]) == 1


def test_supplement_when_none_was_requested_is_409(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given a submitted application, when a supplement arrives, then 409, nothing recorded."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/applications/{app['id']}/supplements",
        json={"documents": [docs["licences"]], "received_on": "2026-11-26"},
        headers=intake_headers,
    )
    assert_conflict(response, "no_supplement_requested")
    assert_refused(client, intake_headers, app, recorded)


@pytest.mark.parametrize(
    ("outcome", "fields", "loc"),
    [
        ("rejected", {"reasons": []}, ["body", "reasons"]),
        ("supplement_requested", {"missing": [], "reasons": []}, ["body", "missing"]),
        ("accepted", {"reviewed_on": "2026-11-29"}, ["body", "reviewed_on"]),
        ("accepted", {"reviewed_on": "2026-11-19"}, ["body", "reviewed_on"]),
        ("approved", {}, ["body", "outcome"]),
        ("supplement_requested", {"missing": ["passport"]}, ["body", "missing", 0]),
        ("accepted", {"reviewed_on": "2026-02-30"}, ["body", "reviewed_on"]),
    ],
    ids=["rejected_without_reasons", "supplement_naming_nothing", "reviewed_after_today",
         "reviewed_before_receipt", "unknown_outcome", "unknown_kind", "impossible_date"],
)
def test_malformed_review_is_422_and_nothing_is_recorded(
    client: TestClient,
    intake_headers: dict[str, str],
    docs: dict[str, dict[str, str]],
    outcome: str,
    fields: dict[str, Any],
    loc: list[Any],
) -> None:
    """Given a submitted application (received 2026-11-20),
    when a malformed review is posted (a rejection without reasons, a supplement request
    naming nothing, a date after today or before receipt, unknown values),
    then 422 naming the field, and the application is unchanged."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    recorded = events_recorded(client)
    response = review(client, intake_headers, app["id"], outcome, **fields)
    assert response.status_code == 422, response.text
    assert loc in [error["loc"] for error in response.json()["detail"]]
    assert_refused(client, intake_headers, app, recorded)


@pytest.mark.parametrize(
    ("change", "loc_part"),
    [
        ({"received_on": "2026-11-29"}, "received_on"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"received_on": "20261120"}, "received_on"),
        ({"effective_headcount": 0}, "effective_headcount"),
        ({"effective_headcount": -1}, "effective_headcount"),
        ({"effective_headcount": 2.5}, "effective_headcount"),
        ({"organization": {"uscc": "91350100M000100Y44"}}, "uscc"),
        ({"organization": {"uscc": "91350100M000100Y4"}}, "uscc"),
        ({"organization": {"uscc": "91350100I000100Y43"}}, "uscc"),
        ({"organization": {"contact": {"name": "王五", "phone": "13800000000",
                                       "email": "not-an-email"}}}, "email"),
        ({"organization": {"industry": "52"}}, "industry"),
        ({"scope": "   "}, "scope"),
        ({"documents": [{"kind": "selfie", "filename": "a.jpg", "sha256": "0" * 64}]}, "kind"),
        ({"documents": [{"kind": "licences", "filename": "a.pdf", "sha256": "abc"}]}, "sha256"),
        ({"extra": 1}, "extra"),
    ],
    ids=["received_after_today", "impossible_date", "not_iso_date", "headcount_0",
         "headcount_negative", "headcount_fraction", "uscc_check_digit", "uscc_length",
         "uscc_charset", "email", "industry", "blank_scope", "unknown_kind", "bad_sha256",
         "unknown_field"],
)
def test_malformed_application_is_422_and_nothing_is_recorded(
    client: TestClient,
    intake_headers: dict[str, str],
    docs: dict[str, dict[str, str]],
    change: dict[str, Any],
    loc_part: str,
) -> None:
    """Given an otherwise valid application body,
    when one field is malformed (a future or impossible date, a headcount below 1,
    a bad uscc, a bad contact, an unknown document kind, an unknown field),
    then 422 whose error loc names the field, and no application is recorded."""
    body = application_body(documents=complete(docs))
    for key, value in change.items():
        if key == "organization":
            body["organization"] = {**body["organization"], **value}
        else:
            body[key] = value
    recorded = events_recorded(client)
    response = client.post(f"{API}/applications", json=body, headers=intake_headers)
    assert response.status_code == 422, response.text
    locations = [error["loc"] for error in response.json()["detail"]]
    assert any(loc_part in loc for loc in locations), locations
    assert events_recorded(client) == recorded
    assert listing(client, intake_headers)["total"] == 0


def test_received_today_is_accepted(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given today is 2026-11-28, when an application received today is submitted, then 201."""
    app = submit(client, intake_headers,
                 application_body(documents=complete(docs), received_on="2026-11-28"))
    assert app["received_on"] == "2026-11-28"


def test_unknown_application_is_404(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given no application with that id,
    when it is read, reviewed, supplemented or contracted,
    then 404 and nothing is recorded; a non-UUID id is 422."""
    recorded = events_recorded(client)
    assert client.get(f"{API}/applications/{UNKNOWN_ID}",
                      headers=intake_headers).status_code == 404
    response = review(client, intake_headers, UNKNOWN_ID, "accepted")
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"
    response = client.post(
        f"{API}/applications/{UNKNOWN_ID}/contract",
        json={"number": "HT-1", "signed_on": "2026-11-26"},
        headers=intake_headers,
    )
    assert response.status_code == 404
    assert events_recorded(client) == recorded
    assert client.get(f"{API}/applications/not-a-uuid",
                      headers=intake_headers).status_code == 422


def test_if_match(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given an application at version 1,
    when reviewed with If-Match 0 (stale), then 409 version_conflict, nothing recorded;
    when reviewed with an unreadable If-Match, then 422;
    when reviewed with If-Match "1" (current, as its ETag), then 200 at version 2."""
    app = submit(client, intake_headers, application_body(documents=complete(docs)))
    recorded = events_recorded(client)
    for stale in ("0", "2"):
        response = review(client, intake_headers, app["id"], "accepted",
                          extra_headers={"If-Match": stale})
        body = assert_conflict(response, "version_conflict")
        assert "10.1" in body["clause"]
    assert_refused(client, intake_headers, app, recorded)

    unreadable = review(client, intake_headers, app["id"], "accepted",
                        extra_headers={"If-Match": "yesterday"})
    assert unreadable.status_code == 422, unreadable.text
    assert_refused(client, intake_headers, app, recorded)

    etag = client.get(f"{API}/applications/{app['id']}", headers=intake_headers).headers["ETag"]
    current = review(client, intake_headers, app["id"], "accepted",
                     extra_headers={"If-Match": etag})
    assert current.status_code == 200, current.text
    assert current.json()["version"] == 2
    assert current.json()["status"] == "accepted"

    stale_contract = client.post(
        f"{API}/applications/{app['id']}/contract",
        json={"number": "HT-9", "signed_on": "2026-11-27"},
        headers={**intake_headers, "If-Match": "1"},
    )
    assert_conflict(stale_contract, "version_conflict")
    current_contract = client.post(
        f"{API}/applications/{app['id']}/contract",
        json={"number": "HT-9", "signed_on": "2026-11-27"},
        headers={**intake_headers, "If-Match": "2"},
    )
    assert current_contract.status_code == 200, current_contract.text
    assert current_contract.json()["version"] == 3


def test_pagination_and_filters(
    client: TestClient, intake_headers: dict[str, str], docs: dict[str, dict[str, str]]
) -> None:
    """Given three applications received on different days, from two organizations,
    when listed two per page,
    then page 1 has the two newest, page 2 the oldest, total 3 on both;
    a uscc filter narrows the list, a malformed filter is 422."""
    ids = []
    for day, uscc in (("2026-11-10", VALID_USCCS[0]), ("2026-11-12", VALID_USCCS[2]),
                      ("2026-11-11", VALID_USCCS[0])):
        ids.append(submit(client, intake_headers, application_body(
            documents=complete(docs), received_on=day, uscc=uscc))["id"])

    first = listing(client, intake_headers, page_size=2)
    assert first["total"] == 3
    assert first["page"] == 1
    assert first["page_size"] == 2
    assert [item["id"] for item in first["items"]] == [ids[1], ids[2]]
    second = listing(client, intake_headers, page_size=2, page=2)
    assert second["total"] == 3
    assert [item["id"] for item in second["items"]] == [ids[0]]
    assert listing(client, intake_headers, page_size=2, page=3)["items"] == []

    by_org = listing(client, intake_headers, uscc=VALID_USCCS[0])
    assert by_org["total"] == 2
    assert {item["id"] for item in by_org["items"]} == {ids[0], ids[2]}
    assert listing(client, intake_headers, status="accepted")["total"] == 0

    for params in ({"status": "pending"}, {"page": 0}, {"page_size": 0},
                   {"page_size": 201}, {"uscc": "91350100M000100Y44"}):
        response = client.get(f"{API}/applications", params=params, headers=intake_headers)
        assert response.status_code == 422, (params, response.text)


def test_applications_need_authentication(client: TestClient) -> None:
    """Given no token, when listing or submitting, then 401 and nothing is recorded."""
    recorded = events_recorded(client)
    assert client.get(f"{API}/applications").status_code == 401
    response = client.post(f"{API}/applications", json=application_body(documents=[]))
    assert response.status_code == 401
    assert events_recorded(client) == recorded
