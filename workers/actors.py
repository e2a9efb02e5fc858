"""The dramatiq actors: the deadline jobs and the notices they cause (ZPIC-WF-20 5.3, 7, 8.1.2).

Messages carry only days, numbers and versions; each actor re-derives what to do from the event
store, so a message delivered twice, or retried after a crash, changes nothing the second time.
Import this module after the broker is installed (workers.app, or the embedded jobs).
"""

from __future__ import annotations

import logging
from datetime import date

import dramatiq

from domain.certificate import Certificate
from ecpsc.deadline_jobs import sweep
from workers.context import current_services
from workers.notices import drop_notice

log = logging.getLogger(__name__)

DEADLINES_QUEUE = "deadlines"
NOTICES_QUEUE = "notices"


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=5_000, time_limit=3_600_000)
def daily_jobs() -> None:
    """Run the deadline jobs for each day missed since the last run, through today."""
    services = current_services()
    for day in services.backoffice.days_to_sweep():
        sweep_day(day.isoformat())


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=5_000, time_limit=3_600_000)
def run_sweep(as_of: str) -> None:
    """Run the deadline jobs as of one day (the message form of `sweep_day`)."""
    sweep_day(as_of)


def sweep_day(as_of: str) -> None:
    """Sweep one day and queue a notice of every certificate it changed."""
    services = current_services()
    changes = sweep(services, date.fromisoformat(as_of))
    for number in dict.fromkeys(change.number for change in changes):
        version = services.backoffice.get_certificate(number).version
        notify_certificate_change.send(number, version)
    if changes:
        log.info("deadline jobs as of %s: %d change(s)", as_of, len(changes))


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def notify_certificate_change(number: str, version: int) -> None:
    """Drop the notice of a certificate's status at a version for the mail relay (once)."""
    services = current_services()
    certificate: Certificate = services.backoffice.repository.get(
        Certificate.create_id(number), version=version
    )
    drop_notice(services.settings.outbox_path, certificate)
