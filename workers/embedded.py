"""The daily jobs inside `ecpsc serve` (ECPSC_DAILY_JOBS=on): a dramatiq worker in process.

With no ECPSC_BROKER_URL the broker is dramatiq's stub broker and this process works its
queues; with one, this process only keeps the schedule and `ecpsc worker` processes run them.
"""

from __future__ import annotations

import dramatiq
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker

from ecpsc.services import Services
from workers.broker import install_broker
from workers.context import use_services
from workers.schedule import DailySchedule


class EmbeddedJobs:
    """The schedule, and for the stub broker an in-process worker, for one server."""

    def __init__(self, services: Services) -> None:
        self.broker = install_broker(services.settings)
        use_services(services)
        from workers import actors  # imported after the broker it binds to is installed

        for actor in actors.ACTORS:
            actor.broker = self.broker
            self.broker.declare_actor(actor)
        self.worker: Worker | None = None
        if isinstance(self.broker, StubBroker):
            self.worker = Worker(self.broker, worker_threads=1, worker_timeout=200)
            self.worker.start()
        self.schedule = DailySchedule(actors.daily_jobs.send)
        self.schedule.start()

    def close(self) -> None:
        """Stop the schedule and the worker."""
        self.schedule.stop()
        if self.worker is not None:
            self.worker.stop()
        self.broker.close()
        use_services(None)
        dramatiq.set_broker(StubBroker())
