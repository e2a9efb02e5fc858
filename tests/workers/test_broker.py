"""The broker named by ECPSC_BROKER_URL really carries messages (Redis and RabbitMQ run in CI)."""

from __future__ import annotations

import uuid

import dramatiq
import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker

from ecpsc.settings import Settings
from workers.broker import MAX_RETRIES, make_broker


@pytest.mark.parametrize(
    "url", [None, "redis://127.0.0.1:6379/15", "amqp://guest:guest@127.0.0.1:5672/"]
)
def test_a_message_sent_through_the_configured_broker_is_processed(url: str | None) -> None:
    """Given the broker from the settings, when an actor's message is sent and a worker runs,
    then the actor receives exactly that message."""
    broker = make_broker(Settings(broker_url=url))
    if url is None:
        assert isinstance(broker, StubBroker)
    queue = f"test_{uuid.uuid4().hex[:8]}"
    received: list[str] = []

    @dramatiq.actor(broker=broker, queue_name=queue, max_retries=0)
    def remember(value: str) -> None:
        received.append(value)

    broker.declare_queue(queue)
    worker = Worker(broker, worker_timeout=100)
    worker.start()
    try:
        remember.send("已收到 / received")
        broker.join(queue, timeout=10_000)
        worker.join()
    finally:
        worker.stop()
        broker.close()
    assert received == ["已收到 / received"]


def test_retries_are_bounded() -> None:
    """Given the default settings, then failing actors are retried a bounded number of times."""
    broker = make_broker(Settings())
    retries = [m for m in broker.middleware if isinstance(m, dramatiq.middleware.Retries)]
    assert retries and retries[0].max_retries == MAX_RETRIES


def test_an_unknown_broker_scheme_is_refused() -> None:
    """Given a broker URL of no supported kind, then configuration fails loudly."""
    with pytest.raises(ValueError, match="ECPSC_BROKER_URL"):
        make_broker(Settings(broker_url="kafka://localhost"))
