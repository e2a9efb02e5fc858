"""The regulator-reporting endpoints (4.6.4, 7.4, 8.1.3): roles, months, the workbook, batches."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecpsc.services import Services
from projections.regulator_outbox import CERTIFICATE_SHEET, WORKBOOK_MEDIA_TYPE
from tests.api.conftest import API, UserMaker, bearer
from tests.application.test_regulator_outbox import MONTH, issue_certificate


@pytest.fixture
def compliance_headers(make_user: UserMaker) -> dict[str, str]:
    """The Authorization header of a compliance officer."""
    return bearer(make_user("compliance_officer", name="合规专员")["token"])


@pytest.fixture
def number(client: TestClient) -> str:
    """A certificate issued on 2026-10-20, through the server's own back office."""
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    issued = issue_certificate(services)
    services.settle()
    return issued.number


def test_an_intake_user_may_not_see_regulator_reporting(
    client: TestClient, intake_headers: dict[str, str]
) -> None:
    # given an intake officer
    # when they ask for the notifications, a report, or record a submission
    answers = [
        client.get(f"{API}/regulator/notifications", headers=intake_headers),
        client.get(f"{API}/regulator/reports/{MONTH}", headers=intake_headers),
        client.post(
            f"{API}/regulator/reports/{MONTH}/submission",
            json={"reported_on": "2026-11-05", "reference": "R"},
            headers=intake_headers,
        ),
    ]
    # then each is forbidden
    assert [a.status_code for a in answers] == [403, 403, 403]
    # and without a token, unauthorized
    assert client.get(f"{API}/regulator/notifications").status_code == 401


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-1", "202610", "2026-10-01"])
def test_a_month_that_is_not_yyyy_mm_is_unprocessable(
    client: TestClient, compliance_headers: dict[str, str], month: str
) -> None:
    # when a report or a submission names a malformed month
    report = client.get(f"{API}/regulator/reports/{month}", headers=compliance_headers)
    submission = client.post(
        f"{API}/regulator/reports/{month}/submission",
        json={"reported_on": "2026-11-05", "reference": "R"},
        headers=compliance_headers,
    )
    listing = client.get(
        f"{API}/regulator/notifications", params={"month": month}, headers=compliance_headers
    )
    # then each is refused as unprocessable
    assert (report.status_code, submission.status_code, listing.status_code) == (422, 422, 422)


def test_pending_notifications_are_listed(
    client: TestClient, compliance_headers: dict[str, str], number: str
) -> None:
    # given an issued certificate
    # when the compliance officer lists the pending notifications of October
    response = client.get(
        f"{API}/regulator/notifications",
        params={"status": "pending", "month": MONTH},
        headers=compliance_headers,
    )
    # then it is there, with the total
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 1
    item = body["items"][0]
    assert (item["number"], item["change"], item["business_date"], item["status"]) == (
        number, "issued", "2026-10-20", "pending")
    # and nothing is reported yet
    reported = client.get(
        f"{API}/regulator/notifications", params={"status": "reported"},
        headers=compliance_headers,
    ).json()
    assert reported["total"] == 0


def test_the_monthly_report_downloads_as_a_workbook(
    client: TestClient, compliance_headers: dict[str, str], number: str
) -> None:
    # when October's report is downloaded
    response = client.get(f"{API}/regulator/reports/{MONTH}", headers=compliance_headers)
    # then it is an .xlsx attachment with the certificate on its first sheet
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == WORKBOOK_MEDIA_TYPE
    assert response.headers["content-disposition"] == (
        f'attachment; filename="regulator-{MONTH}.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(response.content))[CERTIFICATE_SHEET].values)
    assert [r[0] for r in rows] == ["证书编号", number]


def test_recording_the_submission_reports_the_batch_once(
    client: TestClient, compliance_headers: dict[str, str], number: str
) -> None:
    # when the compliance officer records October's submission
    body = {"reported_on": "2026-11-05", "reference": "CNCA-2026-10-0042"}
    response = client.post(
        f"{API}/regulator/reports/{MONTH}/submission", json=body, headers=compliance_headers
    )
    # then the batch is recorded with the pending notification, and the notification is reported
    assert response.status_code == 201, response.text
    batch = response.json()
    assert (batch["month"], batch["reference"], batch["due_on"]) == (
        MONTH, "CNCA-2026-10-0042", "2026-11-10")
    assert len(batch["notification_cursors"]) == 1
    listed = client.get(
        f"{API}/regulator/notifications", params={"month": MONTH}, headers=compliance_headers
    ).json()
    assert (listed["items"][0]["status"], listed["items"][0]["batch_id"]) == (
        "reported", batch["batch_id"])
    assert client.get(
        f"{API}/regulator/reports/{MONTH}/submission", headers=compliance_headers
    ).json() == batch
    # when it is recorded again
    again = client.post(
        f"{API}/regulator/reports/{MONTH}/submission", json=body, headers=compliance_headers
    )
    # then it is refused under 8.1.3
    assert again.status_code == 409
    assert again.json()["code"] == "month_already_reported"
    assert again.json()["clause"] == "ZPIC-WF-20 8.1.3"


def test_a_month_not_yet_reported_has_no_submission(
    client: TestClient, compliance_headers: dict[str, str]
) -> None:
    # when the submission of a month never reported is asked for
    response = client.get(f"{API}/regulator/reports/2026-08/submission", headers=compliance_headers)
    # then it is not found
    assert response.status_code == 404
