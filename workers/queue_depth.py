"""How many messages wait in each of the workers' queues, whatever the broker."""

from __future__ import annotations

from dramatiq.broker import Broker
from dramatiq.brokers.stub import StubBroker

QUEUES = ("deadlines", "notices")
"""The queues the actors use (workers/actors.py DEADLINES_QUEUE, NOTICES_QUEUE)."""


def queue_depths(broker: Broker) -> dict[str, int]:
    """Messages enqueued and not yet acknowledged, per queue (in-flight ones included)."""
    depths: dict[str, int] = {}
    for queue in QUEUES:
        if isinstance(broker, StubBroker):
            stub_queue = broker.queues.get(queue)
            depths[queue] = stub_queue.qsize() if stub_queue is not None else 0
        elif hasattr(broker, "get_queue_message_counts"):  # RabbitMQ
            ready, delayed, _dead = broker.get_queue_message_counts(queue)
            depths[queue] = int(ready) + int(delayed)
        elif hasattr(broker, "client") and hasattr(broker, "namespace"):  # Redis
            depths[queue] = int(broker.client.hlen(f"{broker.namespace}:{queue}.msgs"))
    return depths
