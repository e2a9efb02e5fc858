"""The staff page that ends a member's access: deactivate them, or revoke one token
(issue 20, item 8)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.pages.support import ADMIN, sign_in, staff_member

API = "/api/v1"


def test_an_admin_revokes_a_token_then_deactivates_the_member_from_the_page(
    client: TestClient,
) -> None:
    """Given an admin signed in and a clerk with two tokens,
    when the admin revokes the first token on the clerk's page, then deactivates the clerk,
    then the first token is refused, then both are, the page says deactivated, and another
    role cannot open the page."""
    staff_member(client, "管理员", ["admin"], "admin1")
    clerk_id = staff_member(client, "受理员", ["intake"], "clerk")
    first = client.post(f"{API}/users/{clerk_id}/tokens", headers=ADMIN).json()
    second = client.post(f"{API}/users/{clerk_id}/tokens", headers=ADMIN).json()
    csrf = sign_in(client, "admin1")

    page = client.get(f"/users/{clerk_id}")
    assert page.status_code == 200 and "受理员" in page.text
    assert 'id="deactivate-member"' in page.text
    revoked = client.post(f"/users/{clerk_id}/tokens/revocation", follow_redirects=False,
                          data={"csrf_token": csrf, "token_id": first["token_id"],
                                "token_reason": "泄露"})  # fmt: skip
    assert revoked.status_code == 303, revoked.text
    me = f"{API}/users/me"
    assert client.get(me, headers={"Authorization": f"Bearer {first['token']}"}).status_code == 401
    assert client.get(me, headers={"Authorization": f"Bearer {second['token']}"}).status_code == 200

    no_reason = client.post(f"/users/{clerk_id}/deactivation",
                            data={"csrf_token": csrf, "reason": ""})  # fmt: skip
    assert no_reason.status_code == 422
    done = client.post(f"/users/{clerk_id}/deactivation", follow_redirects=False,
                       data={"csrf_token": csrf, "reason": "离职"})  # fmt: skip
    assert done.status_code == 303, done.text
    assert client.get(me, headers={"Authorization": f"Bearer {second['token']}"}).status_code == 401
    shown = client.get(f"/users/{clerk_id}").text
    assert "已停用" in shown and "离职" in shown

    staff_member(client, "策划员", ["planner"], "planner1")
    sign_in(client, "planner1")
    assert client.get(f"/users/{clerk_id}").status_code == 403
