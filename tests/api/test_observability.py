"""Operations: request ids in answers and logs, Prometheus metrics (issue 9, item 4)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.logs import JsonFormatter
from ecpsc.settings import Settings
from workers.queue_depth import queue_depths

REDIS_URL = "redis://127.0.0.1:6379/13"


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name} {labels} in /metrics")


def test_every_answer_carries_a_request_id(client: TestClient) -> None:
    # given a caller that sends its own request id, and one that sends none or a bad one
    # when both ask for the same page
    theirs = client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    ours = client.get("/healthz")
    bad = client.get("/healthz", headers={"X-Request-ID": "no spaces or\nnewlines allowed"})
    # then the caller's sane id is echoed; otherwise a fresh one is made
    assert theirs.headers["X-Request-ID"] == "trace-42"
    assert re.fullmatch(r"[0-9a-f]{32}", ours.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", bad.headers["X-Request-ID"])


def test_the_access_log_is_json_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given the access logger captured
    caplog.set_level(logging.INFO, logger="ecpsc.access")
    # when a request with an id is served
    client.get("/api/v1/register/certificates", headers={"X-Request-ID": "trace-7"})
    # then its line, formatted as the server writes it, is JSON naming route, status and id
    record = next(r for r in caplog.records if r.name == "ecpsc.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["route"] == "/api/v1/register/certificates" and line["status"] == 200
    assert line["method"] == "GET" and line["duration_ms"] >= 0
    assert record.__dict__.get("request_id") is None  # the id comes from the request's context


def test_a_log_line_written_while_serving_carries_the_request_id() -> None:
    # given a line logged inside a request's context
    from ecpsc.logs import request_id

    token = request_id.set("trace-9")
    try:
        record = logging.LogRecord("ecpsc.test", logging.WARNING, __file__, 1, "重试 %s", ("x",),
                                   None)  # fmt: skip
        formatted = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    # then the JSON line holds the id, the level and the message (Chinese kept as is)
    line = json.loads(formatted)
    assert line == {**line, "request_id": "trace-9", "level": "warning", "message": "重试 x"}


def test_metrics_show_latency_commands_lag_and_events(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    # given a register lookup, an accepted command and a refused one
    client.get("/api/v1/register/certificates")
    made = client.post("/api/v1/users", json={"name": "甲", "roles": ["intake"]},
                       headers=admin_headers)  # fmt: skip
    assert made.status_code == 201
    refused = client.post(f"/api/v1/users/{made.json()['id']}/password",
                          json={"sign_in_name": "a", "password": "short"},
                          headers=admin_headers)  # fmt: skip
    assert refused.status_code == 422
    # when the read models have caught up (a command waits only for the views it reads) and
    # Prometheus scrapes
    client.app.state.services.settle()  # type: ignore[attr-defined]
    answer = client.get("/metrics")
    # then it sees the latency by route template, the commands by outcome, the store and lag
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert metric(text, "ecpsc_http_request_duration_seconds_count", method="GET",
                  route="/api/v1/register/certificates", status="200") == 1  # fmt: skip
    assert metric(text, "ecpsc_commands_total", route="/api/v1/users", outcome="accepted") == 1
    assert metric(text, "ecpsc_commands_total", route="/api/v1/users/{user_id}/password",
                  outcome="refused") == 1  # fmt: skip
    assert metric(text, "ecpsc_events_recorded") >= 2
    assert metric(text, "ecpsc_projection_lag_events", view="register") == 0


def test_metrics_show_the_workers_queue_depth_on_redis(settings: Settings) -> None:
    # given an API beside separate workers on Redis, with two messages waiting in `deadlines`
    broker = RedisBroker(url=REDIS_URL)
    broker.client.flushdb()
    for n in range(2):
        broker.client.hset("dramatiq:deadlines.msgs", f"m{n}", "{}")
    try:
        app = create_app(settings.model_copy(update={"broker_url": REDIS_URL}))
        with TestClient(app) as client:
            # when Prometheus scrapes
            text = client.get("/metrics").text
        # then the depth of each queue is shown
        assert metric(text, "ecpsc_queue_depth_messages", queue="deadlines") == 2
        assert metric(text, "ecpsc_queue_depth_messages", queue="notices") == 0
    finally:
        broker.client.flushdb()
        broker.close()


def test_queue_depth_of_the_in_process_broker() -> None:
    # given the stub broker of `ecpsc serve` with one message enqueued on `notices`
    import dramatiq

    broker = StubBroker()
    actor = dramatiq.actor(lambda: None, actor_name="noop", queue_name="notices", broker=broker)
    actor.send()
    # when its depth is read
    # then `notices` holds one message and `deadlines` none
    assert queue_depths(broker) == {"deadlines": 0, "notices": 1}
