"""The deadline jobs (ZPIC-WF-20 5.3, 7.3.1 item 7, 8.1.2): what falls due on a certificate.

One pure function says which rule-driven change a certificate owes as of a day, and on which
day it took effect by the rules, so a sweep run late after downtime still records the right
effective dates. The `SweepJournal` remembers the days swept, for the daily catch-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.certificate import DEFAULT_SUSPENSION_MONTHS, Certificate


@dataclass(frozen=True)
class DueChange:
    """A change the rules make on a day: suspend, withdraw or expire."""

    number: str
    change: str
    effective_on: date
    reason: str | None

    def as_record(self) -> dict[str, str | None]:
        """The change as JSON-ready data."""
        return {
            "number": self.number,
            "change": self.change,
            "effective_on": self.effective_on.isoformat(),
            "reason": self.reason,
        }


def due_change(certificate: Certificate, as_of: date) -> DueChange | None:
    """The earliest change the rules owe this certificate on or before as_of, if any.

    - 5.3: the day after a surveillance due date passes unmet, suspension (surveillance_overdue);
    - 7.3.1 item 7: the day after a suspension ends unresolved, withdrawal;
    - 8.1.2: the day after expires_on, expiry.
    Apply it and ask again: one change can make the next one due (suspension → withdrawal).
    """
    candidates: list[DueChange] = []
    number = certificate.number
    if certificate.status not in ("valid", "suspended"):
        return None
    expiry = certificate.expires_on + timedelta(days=1)
    candidates.append(DueChange(number, "expire", expiry, None))
    if certificate.status == "valid":
        due = certificate.next_surveillance_due
        if due is not None:
            candidates.append(
                DueChange(number, "suspend", due + timedelta(days=1), "surveillance_overdue")
            )
    else:
        assert certificate.suspended_until is not None
        candidates.append(
            DueChange(
                number,
                "withdraw",
                certificate.suspended_until + timedelta(days=1),
                "suspension_expired_unresolved",
            )
        )
    change = min(candidates, key=lambda c: (c.effective_on, c.change != "expire"))
    return change if change.effective_on <= as_of else None


def apply_change(certificate: Certificate, change: DueChange, by: str) -> None:
    """Record a due change on the certificate, effective on the day the rules say."""
    if change.change == "expire":
        certificate.expire(by=by)
    elif change.change == "suspend":
        assert change.reason is not None
        certificate.suspend(
            reason=change.reason,
            verified_on=change.effective_on,
            effective_on=change.effective_on,
            months=DEFAULT_SUSPENSION_MONTHS,
            by=by,
        )
    else:
        assert change.reason is not None
        certificate.withdraw(
            reason=change.reason,
            verified_on=change.effective_on,
            effective_on=change.effective_on,
            recovered=False,
            by=by,
        )


class SweepJournal(Aggregate):
    """The days the deadline jobs have run for, so a missed day is caught up."""

    class Started(Aggregate.Created):
        """The journal was started by the first sweep."""

    class DaySwept(Aggregate.Event):
        """The deadline jobs ran for a day; the changes they recorded."""

        as_of: date
        changes: list[dict[str, str | None]]
        by: str

    @staticmethod
    def create_id() -> UUID:
        """The one journal of the deadline jobs."""
        return uuid5(NAMESPACE_URL, "/sweeps/journal")

    @event(Started)
    def __init__(self) -> None:
        self.last_swept_on: date | None = None

    @event(DaySwept)
    def swept(self, as_of: date, changes: list[dict[str, str | None]], by: str) -> None:
        """Note a day's sweep."""
        if self.last_swept_on is None or as_of > self.last_swept_on:
            self.last_swept_on = as_of

    def days_to_catch_up(self, today: date) -> list[date]:
        """Every day after the last swept one through today; today alone on the first run."""
        if self.last_swept_on is None:
            return [today]
        days = (today - self.last_swept_on).days
        return [self.last_swept_on + timedelta(days=n) for n in range(1, days + 1)]
