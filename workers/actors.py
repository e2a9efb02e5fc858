"""The dramatiq actors: the deadline jobs and the notices they cause (ZPIC-WF-20 5.3, 6.1, 7, 8).

Messages carry only days, numbers and versions; each actor re-derives what to do from the event
store, and every notice is recorded under a key, so a message delivered twice, or retried after
a crash, sends nothing the second time. Import this module after the broker is installed
(workers.app, `ecpsc worker`, or the embedded jobs).
"""

from __future__ import annotations

import logging
from datetime import date

import dramatiq

from domain.people import DEADLINE_JOBS_ID
from ecpsc import integrity
from ecpsc.deadline_jobs import run_day
from workers import day_notices
from workers.context import current_services

log = logging.getLogger(__name__)

DEADLINES_QUEUE = "deadlines"
NOTICES_QUEUE = "notices"
HOUR_MS = 3_600_000


class QueuedNotices:
    """A day's notices handed to the notices queue, each message retried on its own."""

    def certificate_changed(self, number: str, version: int) -> None:
        """Queue the notice of a certificate's change at a version."""
        notify_certificate_change.send(number, version)

    def expiry_reminders(self, day: date) -> None:
        """Queue the day's expiry reminders."""
        send_expiry_reminders.send(day.isoformat())

    def appeals_digest(self, day: date) -> None:
        """Queue the day's appeals digest."""
        send_appeals_digest.send(day.isoformat())


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=5_000, time_limit=HOUR_MS)
def daily_jobs() -> None:
    """Run each day missed since the last run, through today (changes, then that day's notices
    and, for today, the appeals digest); on a new day, the chain's verification (a restart
    later the same day does not recompute the whole chain again)."""
    services = current_services()
    days = services.backoffice.days_to_sweep()
    for day in days:
        sweep_day(day.isoformat())
    if days:
        verify_integrity.send()
    sign_daily_checkpoint.send()


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=5_000, time_limit=HOUR_MS)
def run_sweep(as_of: str) -> None:
    """Run the deadline jobs as of one day (the message form of `sweep_day`)."""
    sweep_day(as_of)


def sweep_day(as_of: str) -> None:
    """The day's run (`deadline_jobs.run_day`), its notices queued."""
    changes = run_day(current_services(), date.fromisoformat(as_of), QueuedNotices())
    if changes:
        log.info("deadline jobs as of %s: %d change(s)", as_of, len(changes))


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def notify_certificate_change(number: str, version: int) -> None:
    """Tell the organization's contact of its certificate's status at a version (once)."""
    day_notices.notify_certificate_change(current_services(), number, version)


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def send_expiry_reminders(day: str) -> None:
    """Remind contacts of certificates expiring in 90, 30 or 7 days: one message per recipient
    per day, however many of their certificates expire (6.1)."""
    day_notices.send_expiry_reminders(current_services(), date.fromisoformat(day))


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def send_appeals_digest(day: str) -> None:
    """Send each appeals officer one digest of the day's urgent cases (once per day)."""
    day_notices.send_appeals_digest(current_services(), date.fromisoformat(day))


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=1, time_limit=6 * HOUR_MS)
def verify_integrity() -> None:
    """Recompute the event log's hash chain and record the outcome (daily)."""
    services = current_services()
    report = integrity.verify(services.backoffice, by=DEADLINE_JOBS_ID)
    if not report.intact:
        log.error("hash chain broken at %s: %s", report.broken_at, report.problem)


@dramatiq.actor(
    queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=60_000, time_limit=6 * HOUR_MS
)
def sign_daily_checkpoint() -> None:
    """Sign the day's checkpoint of the event log, unless one was signed today (issue 20)."""
    from domain.errors import RuleViolation
    from ecpsc.checkpoints import sign_if_due
    from ecpsc.signing import SigningKeyUnavailable, signing_key

    services = current_services()
    try:
        signed = sign_if_due(services.backoffice, signing_key(services.settings), DEADLINE_JOBS_ID)
    except (SigningKeyUnavailable, RuleViolation) as refused:
        log.error("no checkpoint signed: %s", refused)
        return
    if signed is not None:
        log.info("checkpoint signed at position %s", signed["position"])


ACTORS = (
    daily_jobs,
    run_sweep,
    notify_certificate_change,
    send_expiry_reminders,
    send_appeals_digest,
    verify_integrity,
    sign_daily_checkpoint,
)
"""Every actor of this module (bound to a broker together)."""
