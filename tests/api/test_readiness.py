"""Liveness and readiness (operations): the process answers; the store answers and the read
models have caught up with it."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.settings import Settings
from tests.api.conftest import UserMaker, events_recorded


def test_ready_once_the_read_models_have_caught_up(
    client: TestClient, make_user: UserMaker
) -> None:
    """Given a server after a command (which waits for its read models), when /readyz is asked,
    then it is ready, counts the events recorded and every read model lags by 0."""
    make_user("intake", name="受理员")
    assert client.get("/healthz").json() == {"status": "ok"}
    # the command waits for the read models it shows; the others follow within moments
    deadline = time.monotonic() + 10
    ready = client.get("/readyz")
    while set(ready.json().get("projection_lag", {0: 1}).values()) != {0}:
        assert time.monotonic() < deadline, ready.text
        time.sleep(0.05)
        ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert (body["status"], body["events"]) == ("ready", events_recorded(client))
    assert body["projection_lag"] and set(body["projection_lag"].values()) == {0}
    assert {"register", "appeals", "retention"} <= set(body["projection_lag"])


def test_not_ready_while_the_workers_broker_is_unreachable(settings: Settings) -> None:
    """Given an API whose workers' broker (Redis) is down, when /readyz is asked, then 503 with
    Retry-After names the broker; with the broker up, it is ready and shows the queues."""
    down = settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(down)) as client:
        answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "broker" in answer.json()
    up = settings.model_copy(update={"broker_url": "redis://127.0.0.1:6379/13"})
    with TestClient(create_app(up)) as client:
        answer = client.get("/readyz")
    assert answer.status_code == 200, answer.text
    assert set(answer.json()["queues"]) == {"deadlines", "notices"}
