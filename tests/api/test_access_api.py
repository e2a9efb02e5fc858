"""Ending access: a token revoked, a staff member deactivated, tokens that expire, and the
command line's `ecpsc user revoke` (issue 20, item 8; api.md Additions → People)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from ecpsc.cli import cli
from ecpsc.settings import Settings
from tests.api.conftest import API, UserMaker, bearer, events_recorded
from tests.pages.support import PASSWORD, csrf_of, sign_in, staff_member


def test_a_revoked_token_is_refused_and_the_others_still_work(
    client: TestClient, admin_headers: dict[str, str], make_user: UserMaker
) -> None:
    """Given a clerk with two tokens,
    when the admin revokes the first by its id,
    then the first is answered 401 from then on, the second still works, and a second
    revocation of the same token is refused 409."""
    clerk = make_user("intake")
    second = client.post(f"{API}/users/{clerk['id']}/tokens", headers=admin_headers).json()
    assert client.get(f"{API}/users/me", headers=bearer(clerk["token"])).status_code == 200

    revoked = client.post(
        f"{API}/users/{clerk['id']}/tokens/{clerk['token_id']}/revocation",
        json={"reason": "泄露 / leaked"}, headers=admin_headers,
    )  # fmt: skip
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked"] is True
    assert revoked.json()["reason"] == "泄露 / leaked"
    assert client.get(f"{API}/users/me", headers=bearer(clerk["token"])).status_code == 401
    assert client.get(f"{API}/users/me", headers=bearer(second["token"])).status_code == 200
    again = client.post(
        f"{API}/users/{clerk['id']}/tokens/{clerk['token_id']}/revocation", headers=admin_headers
    )
    assert again.status_code == 409
    assert again.json()["code"] == "token_already_revoked"


def test_a_token_of_another_user_or_by_a_non_admin_cannot_be_revoked(
    client: TestClient, admin_headers: dict[str, str], make_user: UserMaker
) -> None:
    """Given two clerks,
    when the admin names the first's token under the second, and a clerk tries to revoke,
    then 404 and 403, and nothing is recorded."""
    first, other = make_user("intake"), make_user("intake")
    before = events_recorded(client)
    wrong = client.post(
        f"{API}/users/{other['id']}/tokens/{first['token_id']}/revocation", headers=admin_headers
    )
    assert wrong.status_code == 404
    refused = client.post(
        f"{API}/users/{first['id']}/tokens/{first['token_id']}/revocation",
        headers=bearer(other["token"]),
    )
    assert refused.status_code == 403
    assert events_recorded(client) == before


def test_deactivation_stops_every_token_and_web_session_at_once(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a clerk signed in to the staff pages, with an API token and a second token,
    when the admin deactivates them with a reason,
    then both tokens are answered 401, the open page session goes back to sign-in, signing in
    again is refused, and the user record says inactive."""
    user_id = staff_member(client, "受理员", ["intake"], "clerk")
    first = client.post(f"{API}/users/{user_id}/tokens", headers=admin_headers).json()["token"]
    second = client.post(f"{API}/users/{user_id}/tokens", headers=admin_headers).json()["token"]
    sign_in(client, "clerk")
    assert client.get("/", follow_redirects=False).status_code == 200

    answer = client.post(
        f"{API}/users/{user_id}/deactivation", json={"reason": "离职 / left the company"},
        headers=admin_headers,
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["active"] is False
    assert answer.json()["deactivated_at"]
    for token in (first, second):
        assert client.get(f"{API}/users/me", headers=bearer(token)).status_code == 401
    page = client.get("/", follow_redirects=False)
    assert page.status_code in (302, 303) and "/sign-in" in page.headers["location"]
    form = client.get("/sign-in")
    again = client.post("/sign-in", data={"sign_in_name": "clerk", "password": PASSWORD,
                                          "csrf_token": csrf_of(form.text), "next": "/"},
                        follow_redirects=False)  # fmt: skip
    assert again.status_code == 401
    shown = client.get(f"{API}/users/{user_id}", headers=admin_headers).json()
    assert shown["active"] is False


def test_deactivation_needs_a_reason_and_an_admin(
    client: TestClient, admin_headers: dict[str, str], make_user: UserMaker
) -> None:
    """Given a clerk,
    when deactivated without a reason, or by another clerk,
    then 422 and 403; nothing is recorded."""
    clerk, other = make_user("intake"), make_user("intake")
    before = events_recorded(client)
    assert client.post(f"{API}/users/{clerk['id']}/deactivation", json={},
                       headers=admin_headers).status_code == 422  # fmt: skip
    assert client.post(f"{API}/users/{clerk['id']}/deactivation", json={"reason": "x"},
                       headers=bearer(other["token"])).status_code == 403  # fmt: skip
    assert events_recorded(client) == before


@pytest.fixture
def short_lived(settings: Settings) -> Iterator[TestClient]:
    """A server whose new tokens live zero days (they expire as they are issued)."""
    with TestClient(create_app(settings.model_copy(update={"token_lifetime_days": 0}))) as c:
        yield c


def test_tokens_carry_an_expiry_and_an_expired_token_is_refused(
    client: TestClient, admin_headers: dict[str, str], short_lived: TestClient
) -> None:
    """Given the default lifetime, then a lifetime of zero days,
    when a user is registered,
    then the answer names the token's id and expiry (a year on by default), and a token past
    its expiry is answered 401."""
    created = client.post(f"{API}/users", json={"name": "甲", "roles": ["intake"]},
                          headers=admin_headers).json()  # fmt: skip
    lifetime = datetime.fromisoformat(created["token_expires_at"]) - datetime.now(UTC)
    assert created["token_id"]
    assert timedelta(days=364) < lifetime <= timedelta(days=365)
    assert client.get(f"{API}/users/me", headers=bearer(created["token"])).status_code == 200
    expired = short_lived.post(f"{API}/users", json={"name": "乙", "roles": ["intake"]},
                               headers=admin_headers).json()  # fmt: skip
    assert short_lived.get(f"{API}/users/me", headers=bearer(expired["token"])).status_code == 401


def test_ecpsc_user_revoke_ends_a_token_or_a_member(
    client: TestClient, settings: Settings, make_user: UserMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a clerk with a token, and the command line on the same store,
    when `ecpsc user revoke ID --token TOKEN_ID --reason …` runs, then `ecpsc user revoke ID
    --reason …`,
    then the token is refused (401), then the member is deactivated; each exits 0, and a
    second deactivation exits 1 saying why."""
    clerk = make_user("intake")
    second = client.post(f"{API}/users/{clerk['id']}/tokens",
                         headers={"Authorization": "Bearer test-admin-token"}).json()  # fmt: skip
    monkeypatch.setenv("ECPSC_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    one = runner.invoke(cli, ["user", "revoke", clerk["id"], "--token", clerk["token_id"],
                              "--reason", "leaked"])  # fmt: skip
    assert one.exit_code == 0, one.output
    assert client.get(f"{API}/users/me", headers=bearer(clerk["token"])).status_code == 401
    assert client.get(f"{API}/users/me", headers=bearer(second["token"])).status_code == 200
    everyone = runner.invoke(cli, ["user", "revoke", clerk["id"], "--reason", "left"])
    assert everyone.exit_code == 0, everyone.output
    assert client.get(f"{API}/users/me", headers=bearer(second["token"])).status_code == 401
    twice = runner.invoke(cli, ["user", "revoke", clerk["id"], "--reason", "left"])
    assert twice.exit_code == 1
    assert "already deactivated" in twice.output
