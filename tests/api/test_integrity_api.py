"""The hash chain's head and its verification over HTTP (rules.md §10; issue 7)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import API, UserMaker, bearer


def test_the_head_moves_with_every_write_and_a_verification_is_recorded(
    client: TestClient, make_user: UserMaker
) -> None:
    """Given a compliance officer, when the integrity state is read, a user registered, and a
    verification run, then the head advances with each write, the verification is intact over
    every event before it, and it is shown as the last verification; others get 403."""
    officer = bearer(make_user("compliance_officer", name="合规专员")["token"])
    before = client.get(f"{API}/integrity", headers=officer)
    assert before.status_code == 200, before.text
    head = before.json()["head"]
    assert head["notification_id"] == before.json()["events"] and len(head["hash"]) == 64
    make_user("intake", name="受理员")
    after = client.get(f"{API}/integrity", headers=officer).json()["head"]
    assert after["notification_id"] > head["notification_id"] and after["hash"] != head["hash"]

    verified = client.post(f"{API}/integrity/verification", headers=officer)
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert (body["intact"], body["checked"], body["broken_at"]) == (
        True,
        after["notification_id"],
        None,
    )
    assert body["last_verification"]["head"] == after["hash"]
    shown = client.get(f"{API}/integrity", headers=officer).json()
    assert shown["last_verification"]["intact"] is True
    intake = bearer(make_user("intake", name="另一受理员")["token"])
    assert client.get(f"{API}/integrity", headers=intake).status_code == 403
