"""Liveness and readiness (operations): the process answers; the store answers and the read
models have caught up with it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import UserMaker, events_recorded


def test_ready_once_the_read_models_have_caught_up(
    client: TestClient, make_user: UserMaker
) -> None:
    """Given a server after a command (which waits for its read models), when /readyz is asked,
    then it is ready, counts the events recorded and every read model lags by 0."""
    make_user("intake", name="受理员")
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert (body["status"], body["events"]) == ("ready", events_recorded(client))
    assert body["projection_lag"] and set(body["projection_lag"].values()) == {0}
    assert {"register", "appeals", "retention"} <= set(body["projection_lag"])
