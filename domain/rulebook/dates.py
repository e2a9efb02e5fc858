"""Calendar rules (rules.md §0.1): China Standard Time days and business-date checks."""

from __future__ import annotations

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
