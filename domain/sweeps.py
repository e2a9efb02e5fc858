"""The deadline jobs (ZPIC-WF-20 5.3, 7.3.1 item 7, 8.1.2): what falls due on a certificate.

One pure function says which rule-driven change a certificate owes as of a day, and on which
day it took effect by the rules, so a sweep run late after downtime still records the right
effective dates. Each change is decided from the facts whose business dates are on or before
its day, never from the order the facts were entered in (rules.md §12). The `SweepJournal`
remembers the days swept, for the daily catch-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.certificate import DEFAULT_SUSPENSION_MONTHS, Certificate
from domain.rulebook.working_days import PACKAGE_CALENDAR, OfficialCalendar


@dataclass(frozen=True)
class DueChange:
    """A change the rules make on a day: suspend, withdraw or expire; or a conflict the rules
    leave to a person, noted on the certificate."""

    number: str
    change: str
    effective_on: date
    reason: str | None
    missed_due_on: date | None = None

    def as_record(self) -> dict[str, str | None]:
        """The change as JSON-ready data."""
        return {
            "number": self.number,
            "change": self.change,
            "effective_on": self.effective_on.isoformat(),
            "reason": self.reason,
        }


def overdue_suspension(certificate: Certificate) -> DueChange | None:
    """5.3 with §12's one suspension at a time: the first day a missed surveillance finds the
    certificate valid (the day after the due date, or the day a suspension for another reason
    was lifted) while the surveillance is still not done, if any."""
    for missed in certificate.missed_surveillances():
        if certificate.handled(missed.due_on):
            continue
        lifted = sorted(
            s["reinstated_on"]
            for s in certificate.live_suspensions()
            if s.get("reinstated_on") is not None and s["reinstated_on"] > missed.overdue_from
        )
        days = [missed.overdue_from, *lifted]
        for day in days:
            if missed.overdue_on(day) and certificate.status_on(day) == "valid":
                change = "suspend" if certificate.can_suspend_from(day) else "conflict"
                return DueChange(
                    certificate.number, change, day, "surveillance_overdue", missed.due_on
                )
    return None


def due_change(certificate: Certificate, as_of: date) -> DueChange | None:
    """The earliest change the rules owe this certificate on or before as_of, if any.

    - 5.3: the day a missed surveillance finds the certificate valid, suspension
      (surveillance_overdue);
    - 7.3.1 item 7: the day after a suspension ran its whole period unresolved, withdrawal;
    - 8.1.2: the day after expires_on, expiry.
    Apply it and ask again: one change can make the next one due (suspension → withdrawal).
    """
    number = certificate.number
    candidates: list[DueChange] = []
    if certificate.expired_on is None:
        candidates.append(
            DueChange(number, "expire", certificate.expires_on + timedelta(days=1), None)
        )
    for suspension in certificate.live_suspensions():
        if suspension.get("reinstated_on") is None:
            ends = suspension["suspended_until"] + timedelta(days=1)
            candidates.append(DueChange(number, "withdraw", ends, "suspension_expired_unresolved"))
    overdue = overdue_suspension(certificate)
    if overdue is not None:
        candidates.append(overdue)
    limit = certificate.withdrawn_since
    due = [
        c
        for c in candidates
        if c.effective_on <= as_of
        and (limit is None or c.effective_on < limit)
        and (c.change == "expire" or c.effective_on <= certificate.expires_on)
    ]
    if not due:
        return None
    return min(due, key=lambda c: (c.effective_on, c.change != "expire"))


def apply_change(
    certificate: Certificate,
    change: DueChange,
    by: str,
    calendar: OfficialCalendar = PACKAGE_CALENDAR,
) -> None:
    """Record a due change on the certificate, effective on the day the rules say."""
    if change.change == "expire":
        certificate.expire(by=by)
    elif change.change == "conflict":
        # a suspension recorded to start within the overdue suspension's period: the rules
        # give no single answer (one suspension at a time), so a person decides (§12)
        assert change.missed_due_on is not None
        certificate.note_overdue_conflict(change.effective_on, change.missed_due_on, by=by)
    elif change.change == "suspend":
        assert change.reason is not None
        certificate.suspend(
            reason=change.reason,
            verified_on=change.effective_on,
            effective_on=change.effective_on,
            months=DEFAULT_SUSPENSION_MONTHS,
            by=by,
            missed_due_on=change.missed_due_on,
            calendar=calendar,
        )
    else:
        assert change.reason is not None
        certificate.withdraw(
            reason=change.reason,
            verified_on=change.effective_on,
            effective_on=change.effective_on,
            recovered=False,
            by=by,
            calendar=calendar,
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
