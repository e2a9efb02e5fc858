"""Input that only the error answer used to choke on, and loose types at the edge (issue 20,
item 6): each is a 422 naming the field, and nothing is recorded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.factories import VALID_USCCS, application_body

SHA = "a" * 64
JSON = {"Content-Type": "application/json"}


def raw_post(
    client: TestClient, path: str, body: str, headers: dict[str, str]
) -> Any:
    """POST a body written by hand: JSON that json.dumps would never write (NaN, "\\ud800")."""
    return client.post(f"{API}{path}", content=body.encode("utf-8", "surrogatepass"),
                       headers={**headers, **JSON})  # fmt: skip


def application_with(field: str, raw: str) -> str:
    """An application body whose `field` (top level) is the raw JSON text `raw`."""
    body = application_body([])
    body[field] = "__RAW__"
    return json.dumps(body, ensure_ascii=False).replace('"__RAW__"', raw)


MALFORMED = [
    ("/users", '{"name": "\\ud800", "roles": ["intake"]}', "name"),
    ("/users", '{"name": "甲", "roles": ["intake"], "email": "\\udfff@a.cn"}', "email"),
    ("/applications", application_with("scope", '"\\ud800"'), "scope"),
    ("/applications", application_with("effective_headcount", "NaN"), "effective_headcount"),
    ("/applications", application_with("effective_headcount", "Infinity"), "effective_headcount"),
    ("/applications", application_with("effective_headcount", '"300"'), "effective_headcount"),
    ("/applications", application_with("effective_headcount", "true"), "effective_headcount"),
    ("/applications", application_with("effective_headcount", "300.0"), "effective_headcount"),
    ("/applications", application_with("received_on", '"1949-09-30"'), "received_on"),
    ("/applications", application_with("received_on", "1767225600"), "received_on"),
    ("/holds", f'{{"uscc": "{VALID_USCCS[0]}", "reason": "\\ud800"}}', "reason"),
    ("/holds", f'{{"uscc": "{VALID_USCCS[0]}", "reason": NaN}}', "reason"),
    ("/holds", f'{{"uscc": "{VALID_USCCS[0]}", "reason": "x", "placed_on": -Infinity}}',
     "placed_on"),
    (f"/documents/{SHA}/original", '{"form": "signed", "note": "\\ud800", '
     '"verified_on": "2026-11-01"}', "note"),
    (f"/documents/{SHA}/original", '{"form": "signed", "verified_on": NaN}', "verified_on"),
    ("/sweeps", '{"as_of": 0}', "as_of"),
    ("/sweeps", '{"as_of": Infinity}', "as_of"),
]


@pytest.mark.parametrize(("path", "body", "field"), MALFORMED)
def test_malformed_input_is_a_422_naming_the_field_and_records_nothing(
    client: TestClient, admin_headers: dict[str, str], path: str, body: str, field: str
) -> None:
    """Given a fresh server,
    when a command arrives with a lone surrogate, a NaN or Infinity, a number written as text
    or as true, or a day that is a number of seconds or before 1949-10-01,
    then the answer is a 422 (not a 500) whose problem names the field, and nothing is
    recorded."""
    before = events_recorded(client)
    response = raw_post(client, path, body, admin_headers)
    assert response.status_code == 422, response.text
    fields = [problem["loc"][-1] for problem in response.json()["detail"]]
    assert field in fields
    assert events_recorded(client) == before


def test_a_far_day_is_refused_with_a_message_that_says_why(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a fresh server,
    when a sweep is asked for 1949-09-30 and an application is dated 2200-01-01,
    then both are 422 and the message names the plausible range."""
    for path, body, day in (
        ("/sweeps", '{"as_of": "1949-09-30"}', "1949-10-01"),
        ("/applications", application_with("received_on", '"2200-01-01"'), "2099-12-31"),
    ):
        response = raw_post(client, path, body, admin_headers)
        assert response.status_code == 422, response.text
        assert day in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("view", ["history", "records"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59+14:00"])
def test_an_as_of_out_of_range_is_a_422_not_an_overflow(
    client: TestClient, admin_headers: dict[str, str], view: str, as_of: str
) -> None:
    """Given a fresh server,
    when an organization's history or records are asked as of year 9999 or year 1,
    then the answer is a 422 naming as_of (the day's end used to overflow into a 500)."""
    response = client.get(
        f"{API}/organizations/{VALID_USCCS[0]}/{view}",
        params={"as_of": as_of},
        headers=admin_headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == "as_of"


def test_a_refused_value_is_not_echoed_in_the_422(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a user,
    when the admin gives them a password that is too short,
    then the 422 names the password field but does not repeat the password."""
    user = client.post(
        f"{API}/users", json={"name": "甲", "roles": ["intake"]}, headers=admin_headers
    ).json()
    response = client.post(
        f"{API}/users/{user['id']}/password",
        json={"sign_in_name": "jia", "password": "s3cr3t-pw"},
        headers=admin_headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == "password"
    assert "s3cr3t-pw" not in response.text


def test_a_headcount_written_as_a_number_is_still_accepted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given the strict JSON edge,
    when the JSON API gets a headcount of 300 as a number,
    then it is accepted (the strictness refuses only text, booleans and fractions)."""
    response = client.post(f"{API}/applications", json=application_body([]), headers=admin_headers)
    assert response.status_code == 201, response.text
    assert response.json()["effective_headcount"] == 300
