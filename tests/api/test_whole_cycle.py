"""One certificate's whole life, day by day (rules.md §5–§8; issue 5's whole-cycle test).

Today is pinned and moved forward one day at a time, as a calendar on the wall would be; each
morning the daily jobs run (catching up since the last run), as the worker does at 00:05 CST.
The certificate is applied for, issued, surveilled twice, recertified inside its window and
surveilled in its second cycle, and nothing the deadline jobs do may touch it on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.deadline_jobs import catch_up
from ecpsc.services import Services
from ecpsc.settings import Settings
from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc


class Calendar:
    """The server's today, pinned, moved on by the test; each new day runs the daily jobs."""

    def __init__(self, services: Services, start: date) -> None:
        self.services = services
        self.today = start
        services.backoffice._today = lambda: self.today  # ECPSC_TODAY, moving
        self.changes: list[tuple[date, str, str]] = []

    def advance_to(self, day: date) -> None:
        """Live each day up to `day`, running the daily jobs every morning."""
        while self.today < day:
            self.today += timedelta(days=1)
            for swept, changes in catch_up(self.services).items():
                self.changes += [(swept, c.number, c.change) for c in changes]


@pytest.fixture
def calendar_client(settings: Settings) -> Iterator[tuple[TestClient, Calendar]]:
    """A server whose today starts on 2026-06-01."""
    with TestClient(create_app(settings.model_copy(update={"today": date(2026, 6, 1)}))) as client:
        services: Services = client.app.state.services  # type: ignore[attr-defined]
        yield client, Calendar(services, date(2026, 6, 1))


def test_a_certificate_through_two_surveillances_recertification_and_a_second_cycle(
    calendar_client: tuple[TestClient, Calendar], admin_headers: dict[str, str]
) -> None:
    """Given an organization applying on 2026-06-01, when it is certified on 2026-06-15 (valid
    through 2029-06-14), surveilled on 2027-05-10 and 2028-07-01, recertified by an application
    of 2029-04-01 granted on 2029-05-20, and surveilled again on 2030-05-01, with the daily jobs
    run every day from 2026-06-02 to 2030-06-30, then:
    - the schedule is due 2027-06-15, then 2028-08-10, then none (2029 is the recertification
      year), then 2030-05-20 in the second cycle, then 2031-08-01;
    - the certificate keeps its number, reissued 2029-05-20 and valid through 2032-06-14;
    - the daily jobs never suspend, withdraw or expire it, and ran for every day."""
    client, calendar = calendar_client
    office = LifecycleOffice(client, admin_headers)
    code = uscc(701)

    def schedule() -> dict[str, object]:
        return office.cert(number)["schedule"]  # type: ignore[no-any-return]

    # the initial certification
    app_id = office.contracted(office.application(code, "2026-06-01"), "2026-06-01")
    calendar.advance_to(date(2026, 6, 15))
    planned = office.plan({"application_id": app_id}, "initial", "2026-06-15")
    assert planned.status_code == 201, planned.text
    office.complete(planned.json()["id"], "2026-06-15")
    granted = office.decide(planned.json()["id"], "grant", "2026-06-15")
    assert granted.status_code == 201, granted.text
    number = granted.json()["certificate_number"]
    assert number == "ECPSC-SC-2026-00001"
    record = office.cert(number)
    assert (record["issued_on"], record["expires_on"]) == ("2026-06-15", "2029-06-14")
    assert schedule()["next_surveillance_due"] == "2027-06-15"

    # two surveillances
    calendar.advance_to(date(2027, 5, 10))
    office.surveil(number, "2027-05-10", repair_nonconformity=True)
    assert schedule()["next_surveillance_due"] == "2028-08-10"
    assert office.public(number)["grade"] == "four_star"
    calendar.advance_to(date(2028, 7, 1))
    office.surveil(number, "2028-07-01")
    assert schedule()["next_surveillance_due"] is None
    assert office.public(number)["grade"] == "five_star"

    # recertification in the window (2029-03-14 to 2029-06-14)
    calendar.advance_to(date(2029, 3, 13))
    early = office.application(code, "2029-03-13", certificate_number=number)
    assert early.status_code == 409 and early.json()["code"] == "outside_recertification_window"
    calendar.advance_to(date(2029, 4, 1))
    renewal = office.contracted(
        office.application(code, "2029-04-01", certificate_number=number), "2029-04-01"
    )
    calendar.advance_to(date(2029, 5, 10))
    planned = office.plan({"application_id": renewal}, "recertification", "2029-05-10")
    assert planned.status_code == 201, planned.text
    assert [a["type"] for a in planned.json()["previous_cycle"]["audits"]] == [
        "initial",
        "surveillance",
        "surveillance",
    ]
    office.complete(planned.json()["id"], "2029-05-10")
    calendar.advance_to(date(2029, 5, 20))
    renewed = office.decide(planned.json()["id"], "grant", "2029-05-20")
    assert renewed.status_code == 201, renewed.text
    assert renewed.json()["certificate_number"] == number
    record = office.cert(number)
    assert (record["issued_on"], record["expires_on"], record["cycle"]) == (
        "2029-05-20",
        "2032-06-14",
        2,
    )
    assert schedule()["next_surveillance_due"] == "2030-05-20"

    # past the old expiry, into the second cycle
    calendar.advance_to(date(2030, 5, 1))
    assert office.public(number)["status"] == "valid"
    office.surveil(number, "2030-05-01")
    assert schedule()["next_surveillance_due"] == "2031-08-01"
    calendar.advance_to(date(2030, 6, 30))

    assert calendar.changes == []
    assert office.public(number)["status"] == "valid"
    assert calendar.services.backoffice.days_to_sweep() == []
    changes = client.get(f"{API}/register/changes?after=0&limit=100").json()["items"]
    assert [c["change"] for c in changes] == [
        "issued",
        "grade_changed",
        "grade_changed",
        "recertified",
    ]


def test_a_missed_surveillance_is_caught_by_the_first_morning_after_its_due_date(
    calendar_client: tuple[TestClient, Calendar], admin_headers: dict[str, str]
) -> None:
    """Given a certificate issued 2026-06-15 never surveilled, when the days pass with the
    daily jobs, then on the morning of 2027-06-16 it is suspended (effective that day), and on
    2027-09-16, its 3 months over, withdrawn."""
    client, calendar = calendar_client
    office = LifecycleOffice(client, admin_headers)
    calendar.advance_to(date(2026, 6, 15))
    number = office.certificate(uscc(702), "2026-06-15")
    calendar.advance_to(date(2027, 6, 15))
    assert calendar.changes == []
    calendar.advance_to(date(2027, 6, 16))
    assert calendar.changes == [(date(2027, 6, 16), number, "suspend")]
    assert office.public(number)["suspended_until"] == "2027-09-15"
    calendar.advance_to(date(2027, 9, 16))
    assert calendar.changes[-1] == (date(2027, 9, 16), number, "withdraw")
    assert office.public(number)["withdrawn_on"] == "2027-09-16"
