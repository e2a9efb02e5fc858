"""Monthly reports to the regulator (ZPIC-WF-20 4.6.4, 7.4, 8.1.3): one per month, recorded once.

Every certificate event queues a regulator notification (the `regulator_outbox` read model).
The month's notifications go to the regulator by the 10th of the next month; recording the
submission names the batch: which notifications it carried, when, and the regulator's reference.
"""

from __future__ import annotations

import re
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
"""A report month, YYYY-MM."""

REPORT_DUE_DAY = 10
"""The month's report reaches the regulator by the 10th of the next month."""

_MONTH = re.compile(MONTH_PATTERN)


def ensure_month(month: str) -> None:
    """Refuse anything but YYYY-MM with a month 01–12 (and a year the calendar can hold)."""
    if not _MONTH.match(month) or not 1 <= int(month[:4]) < 9999:
        raise InvalidInput("month", f"月份须为 YYYY-MM / month must be YYYY-MM, not {month!r}")


def month_of(day: date) -> str:
    """The report month a business date falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    """The first day of a report month."""
    ensure_month(month)
    return date(int(month[:4]), int(month[5:]), 1)


def next_month(month: str) -> str:
    """The month after a report month."""
    start = first_day(month)
    return month_of(date(start.year + start.month // 12, start.month % 12 + 1, 1))


def report_due_on(month: str) -> date:
    """The day the month's report is due at the regulator: the 10th of the next month."""
    return first_day(next_month(month)).replace(day=REPORT_DUE_DAY)


class RegulatorReport(Aggregate):
    """The record that a month's regulator notifications were reported, and in which batch."""

    class MonthReported(Aggregate.Created):
        """The month's pending notifications were reported to the regulator (7.4, 8.1.3)."""

        month: str
        notification_cursors: list[int]
        reported_on: date
        reference: str
        by: str

    @staticmethod
    def create_id(month: str) -> UUID:
        """The id of a month's report: one per month, so a second one clashes."""
        return uuid5(NAMESPACE_URL, f"/regulator-reports/{month}")

    @event(MonthReported)
    def __init__(
        self,
        month: str,
        notification_cursors: list[int],
        reported_on: date,
        reference: str,
        by: str,
    ) -> None:
        self.month = month
        self.notification_cursors = notification_cursors
        self.reported_on = reported_on
        self.reference = reference
        self.reported_by = by
