"""Staff users, tokens and roles over HTTP (api.md People, Conventions; rules §11)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API, UserMaker, bearer, events_recorded
from tests.factories import application_body


def test_admin_creates_a_user_whose_token_is_shown_once_and_works(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given the bootstrap admin,
    when it registers a user with two roles,
    then the answer is 201 with id, name, the roles and a token,
    and GET /users/me with that token names the same user, without any token."""
    response = client.post(
        f"{API}/users",
        json={"name": "李四", "roles": ["planner", "intake"]},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name"] == "李四"
    assert sorted(created["roles"]) == ["intake", "planner"]
    assert created["token"] and isinstance(created["token"], str)
    assert created["id"]
    assert created["version"] == 1

    me = client.get(f"{API}/users/me", headers=bearer(created["token"]))
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["id"] == created["id"]
    assert body["name"] == "李四"
    assert sorted(body["roles"]) == ["intake", "planner"]
    assert "token" not in body

    shown_again = client.get(f"{API}/users/{created['id']}", headers=admin_headers)
    assert shown_again.status_code == 200
    assert "token" not in shown_again.json()


def test_user_with_a_ccaa_registration_is_echoed(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given an auditor with a CCAA registration,
    when the admin registers them,
    then 201 and the registration is part of the answer."""
    registration = {"number": "2026-N1SV-1234567", "valid_from": "2025-01-01",
                    "valid_until": "2028-12-31"}
    response = client.post(
        f"{API}/users",
        json={"name": "审查员甲", "roles": ["auditor"], "ccaa_registration": registration},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["roles"] == ["auditor"]
    assert response.json()["ccaa_registration"] == registration


def test_bootstrap_admin_is_who_am_i(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Given the bootstrap admin token, when GET /users/me, then 200 with the admin role."""
    response = client.get(f"{API}/users/me", headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["roles"] == ["admin"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token-anyone-was-given"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["no_token", "unknown_token", "not_bearer"],
)
def test_without_a_known_token_the_answer_is_401(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Given no token, an unknown token or another scheme,
    when GET /users/me,
    then 401 with a WWW-Authenticate: Bearer challenge."""
    response = client.get(f"{API}/users/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


def test_without_a_token_nobody_can_register_users(client: TestClient) -> None:
    """Given no token, when POST /users, then 401 and no event is recorded."""
    before = events_recorded(client)
    response = client.post(f"{API}/users", json={"name": "x", "roles": ["admin"]})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert events_recorded(client) == before


def test_intake_user_cannot_register_users(client: TestClient, make_user: UserMaker) -> None:
    """Given a user with only the intake role,
    when they POST /users,
    then 403 and nothing is recorded."""
    token = make_user("intake")["token"]
    before = events_recorded(client)
    response = client.post(
        f"{API}/users", json={"name": "冒名", "roles": ["admin"]}, headers=bearer(token)
    )
    assert response.status_code == 403, response.text
    assert "admin" in response.json()["detail"]
    assert events_recorded(client) == before


def test_auditor_cannot_submit_applications(
    client: TestClient, make_user: UserMaker, admin_headers: dict[str, str]
) -> None:
    """Given a user with only the auditor role,
    when they POST /applications,
    then 403, nothing is recorded and the applications list stays empty."""
    token = make_user("auditor")["token"]
    before = events_recorded(client)
    response = client.post(
        f"{API}/applications", json=application_body(documents=[]), headers=bearer(token)
    )
    assert response.status_code == 403, response.text
    assert "intake" in response.json()["detail"]
    assert events_recorded(client) == before
    listing = client.get(f"{API}/applications", headers=admin_headers)
    assert listing.status_code == 200
    assert listing.json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "roles": ["superuser"]}, "roles"),
        ({"name": "x", "roles": []}, "roles"),
        ({"name": "x"}, "roles"),
        ({"name": "", "roles": ["intake"]}, "name"),
        ({"name": "x", "roles": ["intake"], "password": "p"}, "password"),
        (
            {
                "name": "x",
                "roles": ["auditor"],
                "ccaa_registration": {
                    "number": "N-1",
                    "valid_from": "2026-06-01",
                    "valid_until": "2026-05-31",
                },
            },
            "ccaa_registration",
        ),
    ],
    ids=["unknown_role", "empty_roles", "no_roles", "empty_name", "unknown_field",
         "ccaa_until_before_from"],
)
def test_malformed_user_is_422_and_nothing_is_recorded(
    client: TestClient, admin_headers: dict[str, str], body: dict[str, object], field: str
) -> None:
    """Given a malformed user (unknown or no role, empty name, unknown field,
    a CCAA registration ending before it starts),
    when the admin POSTs it,
    then 422 naming the field, and nothing is recorded."""
    before = events_recorded(client)
    response = client.post(f"{API}/users", json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    locations = [error["loc"] for error in response.json()["detail"]]
    assert any(field in loc for loc in locations), locations
    assert events_recorded(client) == before


def test_second_token_works_beside_the_first(
    client: TestClient, admin_headers: dict[str, str], make_user: UserMaker
) -> None:
    """Given a registered user with their first token,
    when the admin issues them another token,
    then 201 with a different token, and both authenticate as that user."""
    user = make_user("planner", name="策划员")
    response = client.post(f"{API}/users/{user['id']}/tokens", headers=admin_headers)
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["user_id"] == user["id"]
    assert issued["token"] != user["token"]
    for token in (user["token"], issued["token"]):
        me = client.get(f"{API}/users/me", headers=bearer(token))
        assert me.status_code == 200
        assert me.json()["id"] == user["id"]


def test_only_admin_issues_tokens(
    client: TestClient, make_user: UserMaker, admin_headers: dict[str, str]
) -> None:
    """Given a planner, when they ask for a token for another user, then 403, nothing recorded;
    and a token for an unknown user id is 404."""
    target = make_user("intake")
    planner = make_user("planner")
    before = events_recorded(client)
    refused = client.post(f"{API}/users/{target['id']}/tokens", headers=bearer(planner["token"]))
    assert refused.status_code == 403
    assert events_recorded(client) == before

    unknown = client.post(
        f"{API}/users/00000000-0000-4000-8000-000000000000/tokens", headers=admin_headers
    )
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["code"] == "not_found"
    assert events_recorded(client) == before
