"""The dramatiq broker from the settings; set it before any module with actors is imported."""

from __future__ import annotations

import dramatiq
from dramatiq.broker import Broker
from dramatiq.brokers.stub import StubBroker

from ecpsc.settings import Settings

MAX_RETRIES = 5
"""Actors are idempotent and re-derivable from the events; a few retries, then dead-letter."""


def make_broker(settings: Settings) -> Broker:
    """Redis or RabbitMQ for separate workers; an in-process stub when ECPSC_BROKER_URL is unset."""
    url = settings.broker_url
    broker: Broker
    if not url:
        broker = StubBroker()
    elif url.startswith(("redis://", "rediss://")):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url)
    elif url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        # Without publisher confirms an enqueue can be lost silently.
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    else:
        raise ValueError(f"ECPSC_BROKER_URL must be redis://… or amqp://…, not {url!r}")
    for middleware in broker.middleware:
        if isinstance(middleware, dramatiq.middleware.Retries):
            middleware.max_retries = MAX_RETRIES
    return broker


def install_broker(settings: Settings) -> Broker:
    """Make the configured broker dramatiq's global one."""
    broker = make_broker(settings)
    dramatiq.set_broker(broker)
    return broker
