"""Working days on the Chinese official calendar (ZPIC-WF-20 7.2.1, 7.3.1; rules.md §8).

Public holidays are off and make-up working days (调休) are on, as the State Council publishes
them; the `chinesecalendar` package carries that data. For a year it does not know yet, the
count falls back to Monday–Friday and the deadline is marked provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

EFFECT_WORKING_DAYS = 5
"""Suspension and withdrawal take effect within 5 working days of verification (7.2.1, 7.3.1)."""


@dataclass(frozen=True)
class WorkingDayDeadline:
    """A deadline counted in working days, and whether any day of it was guessed."""

    due_on: date
    provisional: bool


def is_working_day(day: date) -> tuple[bool, bool]:
    """Whether a day is a working day, and whether that is a guess (calendar not published)."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def working_day_deadline(
    after: date, working_days: int = EFFECT_WORKING_DAYS
) -> WorkingDayDeadline:
    """The N-th working day after a day, that day itself not counted (rules.md §8)."""
    if working_days < 1:
        raise ValueError("count at least one working day")
    day, counted, provisional = after, 0, False
    while counted < working_days:
        day += timedelta(days=1)
        working, guessed = is_working_day(day)
        provisional = provisional or guessed
        counted += working
    return WorkingDayDeadline(due_on=day, provisional=provisional)
