"""Applications through the staff pages (ZPIC-WF-20 4.1): intake with uploads, review,
supplement, contract, refusals beside the forms, the list and document downloads."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_decisions_api import uscc
from tests.pages.support import ADMIN, csrf_of, sign_in, staff_member

API = "/api/v1"
FORM_PDF = b"%PDF-1.4 application form of the page test"
LICENCE_PDF = b"%PDF-1.4 business licence of the page test"
SITE_LIST_PDF = b"%PDF-1.4 multi-site list of the page test"


def intake_form(code: str, **changes: Any) -> dict[str, Any]:
    """The intake form's fields as a browser posts them (two sites, three rows left empty)."""
    fields: dict[str, Any] = {
        "name": "福州页面测试商贸有限公司",
        "uscc": code,
        "address": "福建省福州市鼓楼区五四路1号",
        "industry": "F52",
        "contact_name": "王五",
        "contact_phone": "13800000000",
        "contact_email": "service@example.cn",
        "scope": "家用电器的销售及售后服务 / sale and after-sales service of household appliances",
        "effective_headcount": "300",
        "site_name": ["台江门店", "仓山门店", "", "", ""],
        "site_address": ["福州市台江区1号", "福州市仓山区2号", "", "", ""],
        "received_on": "2026-11-20",
        "certificate_number": "",
    }
    fields.update(changes)
    return fields


@pytest.fixture
def intake(client: TestClient) -> dict[str, str]:
    """An intake officer, signed in; their CSRF token."""
    staff_member(client, "受理员小陈", ["intake"], "xiaochen")
    return {"csrf_token": sign_in(client, "xiaochen")}


def submit(
    client: TestClient,
    csrf: dict[str, str],
    code: str,
    files: list[Any] | None = None,
    **changes: Any,
) -> Any:
    """Post the intake form with its files (multipart, as the browser sends it)."""
    if files is None:
        files = [
            ("document_application_form", ("申请书.pdf", FORM_PDF, "application/pdf")),
            ("document_legal_status", ("licence.pdf", LICENCE_PDF, "application/pdf")),
        ]
    return client.post("/applications", data={**intake_form(code, **changes), **csrf},
                       files=files, follow_redirects=False)  # fmt: skip


def application_id_of(answer: Any) -> str:
    assert answer.status_code == 303, answer.text
    match = re.fullmatch(r"/applications/([0-9a-f-]{36})", answer.headers["location"])
    assert match, answer.headers["location"]
    return match.group(1)


def api_application(client: TestClient, app_id: str) -> dict[str, Any]:
    answer = client.get(f"{API}/applications/{app_id}", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_intake_submits_an_application_with_its_uploaded_documents(
    client: TestClient, intake: dict[str, str]
) -> None:
    # given the intake form
    form = client.get("/applications/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    assert 'name="document_multi_site_list"' in form.text and 'name="site_name"' in form.text
    # and "add a site" (htmx) brings one more numbered row
    row = client.get("/applications/new/site-row", params={"n": "5"})
    assert row.status_code == 200 and 'id="site_name_5"' in row.text and "<html" not in row.text
    assert client.get("/applications/new/site-row", params={"n": "x"}).status_code == 200
    # when the officer fills it in with two sites and uploads two documents
    answer = submit(client, intake, uscc(501))
    # then the application is recorded and shown
    app_id = application_id_of(answer)
    page = client.get(f"/applications/{app_id}")
    assert page.status_code == 200
    assert "福州页面测试商贸有限公司" in page.text and "仓山门店" in page.text
    # and the API reads back the same application, its documents named by their hashes
    recorded = api_application(client, app_id)
    assert recorded["status"] == "submitted"
    assert recorded["organization"]["uscc"] == uscc(501)
    assert recorded["organization"]["contact"]["email"] == "service@example.cn"
    assert recorded["sites"] == [{"name": "台江门店", "address": "福州市台江区1号"},
                                 {"name": "仓山门店", "address": "福州市仓山区2号"}]  # fmt: skip
    assert {(d["kind"], d["filename"], d["sha256"]) for d in recorded["documents"]} == {
        ("application_form", "申请书.pdf", hashlib.sha256(FORM_PDF).hexdigest()),
        ("legal_status", "licence.pdf", hashlib.sha256(LICENCE_PDF).hexdigest()),
    }
    # and two sites make the multi-site list a missing document
    assert recorded["missing_documents"] == ["multi_site_list"]
    assert 'id="missing-documents"' in page.text
    # and each document downloads, with a cookie session, byte for byte
    sha = hashlib.sha256(FORM_PDF).hexdigest()
    assert f'href="/documents/{sha}"' in page.text
    download = client.get(f"/documents/{sha}")
    assert download.status_code == 200 and download.content == FORM_PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    # and the list shows it
    listed = client.get("/applications", params={"uscc": uscc(501)})
    assert listed.status_code == 200 and f"/applications/{app_id}" in listed.text


def test_review_supplement_accept_and_contract_through_the_forms(
    client: TestClient, intake: dict[str, str]
) -> None:
    # given an application of a multi-site organization without its multi-site list
    app_id = application_id_of(submit(client, intake, uscc(502)))
    page = client.get(f"/applications/{app_id}")
    assert 'id="review-form"' in page.text
    # when the review requests the missing list
    answer = client.post(f"/applications/{app_id}/review", data={
        **intake, "outcome": "supplement_requested", "reasons": "缺多场所清单\n请补交",
        "missing": "multi_site_list", "reviewed_on": "2026-11-21", "version": "1"},
        follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    assert api_application(client, app_id)["status"] == "supplement_requested"
    page = client.get(f"/applications/{app_id}")
    assert "缺多场所清单" in page.text and 'id="supplement-form"' in page.text
    # and the supplement brings the list as an upload
    answer = client.post(
        f"/applications/{app_id}/supplements",
        data={**intake, "received_on": "2026-11-22", "version": "2"},
        files=[("document_multi_site_list", ("sites.pdf", SITE_LIST_PDF, "application/pdf"))],
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    # and the review accepts it and the contract is signed
    answer = client.post(f"/applications/{app_id}/review", data={
        **intake, "outcome": "accepted", "reasons": "", "reviewed_on": "2026-11-23",
        "version": "3"}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    page = client.get(f"/applications/{app_id}")
    assert 'id="contract-form"' in page.text
    answer = client.post(f"/applications/{app_id}/contract", data={
        **intake, "number": "HT-2026-PAGE-1", "signed_on": "2026-11-24", "version": "4"},
        follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    # then the API tells the same story
    recorded = api_application(client, app_id)
    assert recorded["status"] == "contracted"
    assert [r["outcome"] for r in recorded["reviews"]] == ["supplement_requested", "accepted"]
    assert recorded["reviews"][0]["reasons"] == ["缺多场所清单", "请补交"]
    assert recorded["reviews"][0]["missing"] == ["multi_site_list"]
    (received,) = recorded["supplements"]
    assert received["documents"][0]["sha256"] == hashlib.sha256(SITE_LIST_PDF).hexdigest()
    assert recorded["contract"]["number"] == "HT-2026-PAGE-1"
    assert recorded["missing_documents"] == []
    # and a planner reading it is offered to plan the audit, not the intake forms
    staff_member(client, "策划员", ["planner"], "planner1")
    sign_in(client, "planner1")
    page = client.get(f"/applications/{app_id}")
    assert page.status_code == 200 and "HT-2026-PAGE-1" in page.text
    assert f'href="/audits/new?application_id={app_id}"' in page.text
    assert 'id="review-form"' not in page.text


def test_accepting_a_watch_listed_organization_is_refused_with_its_rule(
    client: TestClient, intake: dict[str, str]
) -> None:
    # given an application whose organization is then put on the watchlist
    code = uscc(503)
    app_id = application_id_of(submit(client, intake, code, site_name=[], site_address=[]))
    listed = client.post(f"{API}/watchlist", headers=ADMIN, json={
        "uscc": code, "list": "serious_illegal", "source": "市场监管局公告 2026-99",
        "listed_on": "2026-11-21"})  # fmt: skip
    assert listed.status_code == 201, listed.text
    # when the intake officer accepts it
    answer = client.post(f"/applications/{app_id}/review", data={
        **intake, "outcome": "accepted", "reasons": "材料齐全", "reviewed_on": "2026-11-22",
        "version": "1"})  # fmt: skip
    # then the form comes back with the rule's Chinese message and clause, values kept
    assert answer.status_code == 409
    assert "严重违法企业名单，不能受理" in answer.text and "ZPIC-WF-20 4.1.2" in answer.text
    assert "ineligible" in answer.text and 'id="review-form"' in answer.text
    assert "材料齐全" in answer.text and 'value="accepted" checked' in answer.text
    # and nothing was recorded
    recorded = api_application(client, app_id)
    assert (recorded["status"], recorded["reviews"], recorded["version"]) == ("submitted", [], 1)


def test_a_malformed_uscc_is_answered_422_naming_the_field(
    client: TestClient, intake: dict[str, str]
) -> None:
    # given an intake officer
    # when the form is sent with a USCC whose check character is wrong
    answer = submit(client, intake, "91350100M000100Y4X")
    # then the form comes back 422 naming the field, the values kept, nothing recorded
    assert answer.status_code == 422
    assert "organization.uscc" in answer.text
    assert 'value="91350100M000100Y4X"' in answer.text and "仓山门店" in answer.text
    listed = client.get(f"{API}/applications", headers=ADMIN)
    assert listed.json()["total"] == 0
    # and a headcount that is not a number names its field too
    answer = submit(client, intake, uscc(504), effective_headcount="many")
    assert answer.status_code == 422 and "effective_headcount" in answer.text


def test_a_refused_submission_keeps_its_uploads_for_the_next_try(
    client: TestClient, intake: dict[str, str]
) -> None:
    # given an application received "tomorrow" (after today, 2026-11-28)
    answer = submit(client, intake, uscc(505), received_on="2026-11-29")
    # then it is refused naming the date, and the stored uploads ride along in the form
    assert answer.status_code == 422 and "received_on" in answer.text
    assert answer.text.count('name="kept_document"') == 2
    # when it is sent again with the date corrected and no new files
    kept = re.findall(r'name="kept_document" value="([^"]+)"', answer.text)
    import html

    resent = submit(client, intake, uscc(505), files=[], received_on="2026-11-28",
                    kept_document=[html.unescape(v) for v in kept])  # fmt: skip
    # then the application is recorded with both documents
    recorded = api_application(client, application_id_of(resent))
    assert len(recorded["documents"]) == 2


def test_a_refused_supplement_keeps_its_upload_and_a_malformed_one_stores_nothing(
    client: TestClient, intake: dict[str, str]
) -> None:
    # given an application waiting for its multi-site list
    app_id = application_id_of(submit(client, intake, uscc(506)))
    answer = client.post(f"/applications/{app_id}/review", data={
        **intake, "outcome": "supplement_requested", "reasons": "缺多场所清单",
        "missing": "multi_site_list", "reviewed_on": "2026-11-21", "version": "1"},
        follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    upload = [("document_multi_site_list", ("sites.pdf", SITE_LIST_PDF, "application/pdf"))]
    # when the supplement is sent without its date
    answer = client.post(f"/applications/{app_id}/supplements",
                         data={**intake, "received_on": "", "version": "2"},
                         files=upload)  # fmt: skip
    # then the field is named and no upload rides along
    assert answer.status_code == 422 and "received_on" in answer.text
    assert 'name="kept_document"' not in answer.text
    # when it is sent from a stale page (version 1)
    answer = client.post(f"/applications/{app_id}/supplements",
                         data={**intake, "received_on": "2026-11-22", "version": "1"},
                         files=upload)  # fmt: skip
    # then it is refused, nothing is recorded, and the stored upload rides along in the form
    assert answer.status_code == 409, answer.text
    assert answer.text.count('name="kept_document"') == 1
    assert hashlib.sha256(SITE_LIST_PDF).hexdigest() in answer.text
    assert api_application(client, app_id)["supplements"] == []


def test_the_list_filters_by_status_and_pages(client: TestClient, intake: dict[str, str]) -> None:
    # given twelve applications, one of them rejected
    ids = [application_id_of(submit(client, intake, uscc(510 + i), site_name=[],
                                    site_address=[])) for i in range(12)]  # fmt: skip
    answer = client.post(f"/applications/{ids[0]}/review", data={
        **intake, "outcome": "rejected", "reasons": "不在认证范围内", "reviewed_on": "2026-11-21"},
        follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    # when the list is read ten at a time
    first = client.get("/applications", params={"page_size": 10})
    second = client.get("/applications", params={"page_size": 10, "page": 2})
    # then the pages split the twelve
    assert first.text.count('<a href="/applications/') == 10
    assert second.text.count('<a href="/applications/') == 2
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text
    # and the status filter finds the rejected one only
    rejected = client.get("/applications", params={"status": "rejected"})
    assert rejected.text.count('<a href="/applications/') == 1 and ids[0] in rejected.text
    # and a malformed USCC filter is named
    bad = client.get("/applications", params={"uscc": "12345"})
    assert bad.status_code == 422 and "uscc" in bad.text


def test_bad_ids_and_roles(client: TestClient, intake: dict[str, str]) -> None:
    # given an intake officer: unknown or malformed ids are 404 pages, never errors
    assert client.get("/applications/not-a-uuid").status_code == 404
    assert client.get("/applications/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/documents/" + "0" * 64).status_code == 404
    assert client.get("/documents/xyz").status_code == 404
    csrf = intake["csrf_token"]
    answer = client.post("/applications/not-a-uuid/review", data={"csrf_token": csrf})
    assert answer.status_code == 404
    # and an appeals officer may not read applications
    staff_member(client, "申诉专员", ["appeals_officer"], "appeals1")
    sign_in(client, "appeals1")
    assert client.get("/applications").status_code == 403
    assert client.get("/applications/new").status_code == 403
    # and the form needs its CSRF token
    form_token = csrf_of(client.get("/").text)
    assert form_token
    sign_in(client, "xiaochen")
    assert client.post("/applications", data=intake_form(uscc(520))).status_code == 403
