"""The certificate's calendar: surveillance and recertification (ZPIC-WF-20 5.2, 5.3, 6.1).

rules.md §6 and §7 in one place: when each surveillance falls due, which year has none, when
the recertification window opens and closes, and what a recertification continues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.rulebook.dates import deadline, period_last_day

FIRST_SURVEILLANCE_MONTHS = 12
"""5.2: the first surveillance is completed within 12 months of the (re)issue decision."""

NEXT_SURVEILLANCE_MONTHS = 15
"""5.2: after a surveillance on d, the next by d + 15 months or 31 December of year(d) + 1."""

RECERTIFICATION_WINDOW_MONTHS = 3
"""6.1: the recertification window opens 3 months before expiry and closes at expiry."""

CYCLE_MONTHS = 36
"""8.1.2, 6.3: each cycle is a period of 36 months."""


@dataclass(frozen=True)
class Window:
    """A closed range of days."""

    opens_on: date
    closes_on: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.opens_on <= day <= self.closes_on


def first_surveillance_due(issued_on: date) -> date:
    """Due by 12 months after the (re)issue decision (5.2; issued 2026-03-10 → 2027-03-10)."""
    return deadline(issued_on, FIRST_SURVEILLANCE_MONTHS)


def surveillance_due_after(completed_on: date, expires_on: date) -> date | None:
    """The next surveillance after one completed on d, or None in the recertification year.

    The earlier of d + 15 months and 31 December of year(d) + 1; that next year has no
    surveillance when it is the year of the expiry date (5.2).
    """
    next_year = completed_on.year + 1
    if next_year >= expires_on.year:
        return None
    return min(deadline(completed_on, NEXT_SURVEILLANCE_MONTHS), date(next_year, 12, 31))


def next_surveillance_due(
    issued_on: date, expires_on: date, last_surveillance_on: date | None
) -> date | None:
    """The surveillance due date of a cycle: the first, or the one after the last completed."""
    if last_surveillance_on is None:
        first = first_surveillance_due(issued_on)
        return first if first.year < expires_on.year else None
    return surveillance_due_after(last_surveillance_on, expires_on)


def recertification_window(expires_on: date) -> Window:
    """6.1: from the same day 3 months before expiry (or that month's last day) to expiry."""
    return Window(deadline(expires_on, -RECERTIFICATION_WINDOW_MONTHS), expires_on)


def renewed_cycle(expires_on: date) -> tuple[date, date]:
    """6.3: a recertification continues the certificate for a period of 36 months from the day
    after the old expiry; the first and last days of the new cycle."""
    starts_on = expires_on + timedelta(days=1)
    return starts_on, period_last_day(starts_on, CYCLE_MONTHS)


EXPIRY_REMINDER_DAYS = (90, 30, 7)
"""Reminders of expiry go to the organization's contact 90, 30 and 7 days before expires_on."""


def reminder_expiry_dates(day: date) -> list[date]:
    """The expiry dates that call for a reminder on a day."""
    return [day + timedelta(days=n) for n in EXPIRY_REMINDER_DAYS]


@dataclass(frozen=True)
class MissedSurveillance:
    """A surveillance due date that passed unmet (5.3): overdue from the day after it until the
    surveillance was done (`done_on`, None while it is not)."""

    due_on: date
    done_on: date | None

    @property
    def overdue_from(self) -> date:
        """The first day the certificate was overdue."""
        return self.due_on + timedelta(days=1)

    def overdue_on(self, day: date) -> bool:
        """Whether the surveillance was still not done on a day (rules.md §12: a surveillance
        counts from its completion date)."""
        return self.overdue_from <= day and (self.done_on is None or day < self.done_on)


def missed_surveillances(
    issued_on: date, expires_on: date, completed: list[date]
) -> list[MissedSurveillance]:
    """Every due date of a cycle that passed unmet, from the surveillances' completion dates
    alone, in whatever order they were entered (5.2, 5.3; rules.md §12)."""
    done = sorted(set(completed))
    missed: list[MissedSurveillance] = []
    last: date | None = None
    while True:
        due = next_surveillance_due(issued_on, expires_on, last)
        if due is None:
            return missed
        following = [d for d in done if last is None or d > last]
        next_done = following[0] if following else None
        if next_done is None or next_done > due:
            missed.append(MissedSurveillance(due, next_done))
        if next_done is None:
            return missed
        last = next_done
