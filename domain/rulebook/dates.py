"""Calendar rules (rules.md §0.1): China Standard Time days and business-date checks."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, timezone

from domain.errors import InvalidInput

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
"""China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact."""


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in China Standard Time (rules.md §0.1)."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(CHINA_STANDARD_TIME).date()


def ensure_not_after_today(field: str, day: date, today: date) -> None:
    """Refuse a business date after today: records are entered after the fact, never before."""
    if day > today:
        raise InvalidInput(
            field,
            f"业务日期不得晚于今天（{today.isoformat()}）/ "
            f"a business date may not be after today ({today.isoformat()})",
        )


def ensure_not_before(field: str, day: date, earlier_field: str, earlier: date) -> None:
    """Refuse a business date earlier than the step it follows."""
    if day < earlier:
        raise InvalidInput(
            field,
            f"{field}（{day.isoformat()}）不得早于 {earlier_field}（{earlier.isoformat()}）/ "
            f"{field} ({day.isoformat()}) may not be before {earlier_field} "
            f"({earlier.isoformat()})",
        )


def _last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def deadline(after: date, months: int) -> date:
    """By N months after d (rules.md §0.1, 民法典 art. 201): the same day N months later,
    or that month's last day where it has no such day."""
    year, month = _shift_months(after, months)
    return date(year, month, min(after.day, _last_day_of_month(year, month)))


def period_last_day(start: date, months: int) -> date:
    """The last day of a period of N months from S (rules.md §0.1): the day before the same
    day N months later, or that month's last day where it has no such day."""
    year, month = _shift_months(start, months)
    if start.day > _last_day_of_month(year, month):
        return date(year, month, _last_day_of_month(year, month))
    return date(year, month, start.day) - timedelta(days=1)


def days_after(day: date, days: int) -> date:
    """N days after d: d + N calendar days (rules.md §0.1)."""
    return day + timedelta(days=days)
