"""Notices sent to certified organizations: what was told, to whom, when (ZPIC-WF-20 7, 8, 10).

Each notice has a key derived from what caused it (a certificate's version, or a day's expiry
reminders to one recipient), so a notice is recorded once however often its job runs.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

NOTICE_KINDS = ("certificate_change", "expiry_reminder", "appeals_digest")


class NoticeRecord(Aggregate):
    """The record that a notice went out."""

    class Sent(Aggregate.Created):
        """A notice was handed to the mail system."""

        key: str
        kind: str
        recipient: str
        subject: str
        certificate_numbers: list[str]
        sent_on: date
        by: str

    @staticmethod
    def create_id(key: str) -> UUID:
        """A notice's id, from its key."""
        return uuid5(NAMESPACE_URL, f"/notices/{key}")

    @event(Sent)
    def __init__(
        self,
        key: str,
        kind: str,
        recipient: str,
        subject: str,
        certificate_numbers: list[str],
        sent_on: date,
        by: str,
    ) -> None:
        self.key = key
        self.kind = kind
        self.recipient = recipient
        self.subject = subject
        self.certificate_numbers = certificate_numbers
        self.sent_on = sent_on
