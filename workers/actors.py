"""The dramatiq actors: the deadline jobs and the notices they cause (ZPIC-WF-20 5.3, 6.1, 7, 8).

Messages carry only days, numbers and versions; each actor re-derives what to do from the event
store, and every notice is recorded under a key, so a message delivered twice, or retried after
a crash, sends nothing the second time. Import this module after the broker is installed
(workers.app, `ecpsc worker`, or the embedded jobs).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import Any

import dramatiq

from domain.certificate import Certificate
from domain.people import DEADLINE_JOBS_ID
from domain.rulebook.schedule import reminder_expiry_dates
from ecpsc import integrity
from ecpsc.deadline_jobs import sweep
from ecpsc.notifier import Notice, make_notifier
from ecpsc.services import Services
from workers.context import current_services
from workers.notices import appeals_digest, change_notice, expiry_reminder

log = logging.getLogger(__name__)

DEADLINES_QUEUE = "deadlines"
NOTICES_QUEUE = "notices"
HOUR_MS = 3_600_000


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=5_000, time_limit=HOUR_MS)
def daily_jobs() -> None:
    """Run the deadline jobs for each day missed since the last run, through today, and queue
    that day's expiry reminders; on a new day, the appeals digest and the chain's verification
    (a restart later the same day does not recompute the whole chain again)."""
    services = current_services()
    days = services.backoffice.days_to_sweep()
    for day in days:
        sweep_day(day.isoformat())
        send_expiry_reminders.send(day.isoformat())
    if days:
        send_appeals_digest.send(services.backoffice.today().isoformat())
        verify_integrity.send()
    sign_daily_checkpoint.send()


@dramatiq.actor(queue_name=DEADLINES_QUEUE, max_retries=3, min_backoff=5_000, time_limit=HOUR_MS)
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


def deliver_once(services: Services, notice: Notice, kind: str) -> bool:
    """Send a notice unless its key is already recorded, then record it."""
    backoffice = services.backoffice
    if backoffice.notice_recorded(notice.key):
        return False
    make_notifier(services.settings).deliver(notice)
    backoffice.record_notice(
        key=notice.key,
        kind=kind,
        recipient=notice.recipient,
        subject=notice.subject,
        certificate_numbers=notice.certificate_numbers,
    )
    return True


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def notify_certificate_change(number: str, version: int) -> None:
    """Tell the organization's contact of its certificate's status at a version (once)."""
    services = current_services()
    certificate: Certificate = services.backoffice.repository.get(
        Certificate.create_id(number), version=version
    )
    contact = services.backoffice.contact_of(certificate)
    notice = change_notice(certificate, contact) if contact else None
    if notice is not None:
        deliver_once(services, notice, "certificate_change")


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def send_expiry_reminders(day: str) -> None:
    """Remind contacts of certificates expiring in 90, 30 or 7 days: one message per recipient
    per day, however many of their certificates expire (6.1)."""
    services = current_services()
    backoffice = services.backoffice
    on = date.fromisoformat(day)
    expiry_dates = reminder_expiry_dates(on)
    numbers = services.read_models.view("certificate_deadlines").expiring_on(expiry_dates)
    by_recipient: dict[str, tuple[dict[str, Any], list[Certificate]]] = defaultdict(
        lambda: ({}, [])
    )
    for number in numbers:
        certificate = backoffice.get_certificate(number)
        if certificate.status not in ("valid", "suspended"):
            continue
        if certificate.expires_on not in expiry_dates:
            continue
        contact = backoffice.contact_of(certificate)
        if contact is None:
            continue
        entry = by_recipient[contact["email"].lower()]
        entry[0].update(contact)
        entry[1].append(certificate)
    for contact, certificates in by_recipient.values():
        deliver_once(services, expiry_reminder(on, contact, certificates), "expiry_reminder")


DIGEST_HORIZON_DAYS = 14
"""The appeals digest lists open cases due within 14 days, and overdue ones."""


@dramatiq.actor(queue_name=NOTICES_QUEUE, max_retries=5, min_backoff=10_000)
def send_appeals_digest(day: str) -> None:
    """Send each appeals officer one digest of the day's urgent cases (once per day)."""
    services = current_services()
    on = date.fromisoformat(day)
    cases = services.read_models.view("appeals").due_within(on, DIGEST_HORIZON_DAYS)
    if not cases:
        return
    for officer in services.read_models.view("staff").with_role("appeals_officer"):
        if officer["email"]:
            deliver_once(services, appeals_digest(on, officer, cases), "appeals_digest")


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
