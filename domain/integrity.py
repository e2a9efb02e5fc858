"""The record of tamper-evidence checks over the event log (ZPIC-WF-20 10)."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class IntegrityLog(Aggregate):
    """Every verification of the hash chain, with the head it saw."""

    class Started(Aggregate.Created):
        """The log was started by the first verification."""

    class Verified(Aggregate.Event):
        """The chain was recomputed from the stored events."""

        checked: int
        last_notification_id: int | None
        head: str
        intact: bool
        broken_at: int | None
        problem: str | None
        by: str

    @staticmethod
    def create_id() -> UUID:
        """The one integrity log."""
        return uuid5(NAMESPACE_URL, "/integrity/log")

    @event(Started)
    def __init__(self) -> None:
        self.last: dict[str, object] | None = None
        self.last_intact: dict[str, object] | None = None

    @event(Verified)
    def verified(
        self,
        checked: int,
        last_notification_id: int | None,
        head: str,
        intact: bool,
        broken_at: int | None,
        problem: str | None,
        by: str,
    ) -> None:
        """Note a verification."""
        record: dict[str, object] = {
            "checked": checked,
            "last_notification_id": last_notification_id,
            "head": head,
            "intact": intact,
            "broken_at": broken_at,
            "problem": problem,
            "by": by,
        }
        self.last = record
        if intact:
            self.last_intact = record
