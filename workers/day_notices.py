"""The notices a day's run owes (ZPIC-WF-20 6.1, 7, 8.1.2, 9), each sent once.

A run of the deadline jobs for a day owes a notice of each certificate it changed, that day's
expiry reminders and, for today, the appeals digest. Each notice is recorded under its key when
sent, so however often and by whatever a day is run (POST /sweeps, `ecpsc sweep`, the daily
schedule, a redelivered message) each goes out once. `SendNow` delivers them in the calling
process; the actors of workers.actors deliver the same notices from their queues. No broker is
needed to import this module.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from domain.certificate import Certificate
from domain.rulebook.schedule import reminder_expiry_dates
from ecpsc.notifier import Notice, make_notifier
from ecpsc.services import Services
from workers.notices import appeals_digest, change_notice, expiry_reminder

log = logging.getLogger(__name__)

DIGEST_HORIZON_DAYS = 14
"""The appeals digest lists open cases due within 14 days, and overdue ones."""


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


def notify_certificate_change(services: Services, number: str, version: int) -> int:
    """Tell the organization's contact of its certificate's status at a version (once); the
    number of notices sent (0 or 1)."""
    certificate: Certificate = services.backoffice.repository.get(
        Certificate.create_id(number), version=version
    )
    contact = services.backoffice.contact_of(certificate)
    notice = change_notice(certificate, contact) if contact else None
    if notice is None:
        return 0
    return int(deliver_once(services, notice, "certificate_change"))


def send_expiry_reminders(services: Services, day: date) -> int:
    """Remind contacts of certificates expiring in 90, 30 or 7 days: one message per recipient
    per day, however many of their certificates expire (6.1); the number sent."""
    backoffice = services.backoffice
    expiry_dates = reminder_expiry_dates(day)
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
    return sum(
        deliver_once(services, expiry_reminder(day, contact, certificates), "expiry_reminder")
        for contact, certificates in by_recipient.values()
    )


def send_appeals_digest(services: Services, day: date) -> int:
    """Send each appeals officer one digest of the day's urgent cases (once per day); the
    number sent."""
    cases = services.read_models.view("appeals").due_within(day, DIGEST_HORIZON_DAYS)
    if not cases:
        return 0
    return sum(
        deliver_once(services, appeals_digest(day, officer, cases), "appeals_digest")
        for officer in services.read_models.view("staff").with_role("appeals_officer")
        if officer["email"]
    )


class SendNow:
    """A day's notices delivered in this process, counted. One that cannot be delivered (the
    mail server down) is logged and left unrecorded, so running the day again sends it; the
    changes already recorded stand."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.sent = 0
        self.failed = 0

    def _send(self, what: str, send: Callable[[], int]) -> None:
        try:
            self.sent += send()
        except Exception:  # a mail failure must not undo, or hide, the day's recorded changes
            self.failed += 1
            log.exception("could not send %s", what)

    def certificate_changed(self, number: str, version: int) -> None:
        """The notice of a certificate's change, at the version the run left."""
        self._send(
            f"the notice of {number} v{version}",
            lambda: notify_certificate_change(self.services, number, version),
        )

    def expiry_reminders(self, day: date) -> None:
        """The day's expiry reminders."""
        self._send(
            f"the expiry reminders of {day}", lambda: send_expiry_reminders(self.services, day)
        )

    def appeals_digest(self, day: date) -> None:
        """The day's appeals digest."""
        self._send(f"the appeals digest of {day}", lambda: send_appeals_digest(self.services, day))
