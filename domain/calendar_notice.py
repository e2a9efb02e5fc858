"""The State Council's yearly holiday notice (放假安排), as loaded by a compliance officer.

The notice moves days off and make-up working days (调休) within a year; the statutory public
holidays stay off whatever it says (rules.md §12). Each load is an event with its source, so
every later working-day deadline uses it and the history shows which calendar a deadline used.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput
from domain.rulebook.working_days import YearNotice, notice_from_spans, statutory_holidays

EARLIEST_YEAR, LATEST_YEAR = 1950, 2098
"""The years a notice may be loaded for (the lunar tables cover them, rulebook.working_days)."""


def _check(year: int, source: str, holidays: list[dict[str, Any]], working: list[date]) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InvalidInput(
            "year", f"年份须在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间 / year out of range"
        )
    if not source.strip():
        raise InvalidInput(
            "source", "须写明通知出处（文号或网址）/ the notice's source is required"
        )
    off: set[date] = set()
    for n, span in enumerate(holidays):
        first, last, name = span["from"], span["to"], span["name"]
        if not str(name).strip():
            raise InvalidInput(f"holidays.{n}.name", "假期须有名称 / a holiday needs its name")
        if first > last:
            raise InvalidInput(f"holidays.{n}.to", "结束日早于开始日 / `to` is before `from`")
        if first.year != year or last.year not in (year, year + 1):
            raise InvalidInput(
                f"holidays.{n}.from", f"假期不在 {year} 年 / the span is not in {year}"
            )
        off.update(notice_from_spans(year, source, [(first, last, name)], []).days_off)
    statutory = statutory_holidays(year)
    for n, day in enumerate(working):
        if day.year != year:
            raise InvalidInput(f"working_days.{n}", f"调休日不在 {year} 年 / not in {year}")
        if day in off or day in statutory:
            raise InvalidInput(
                f"working_days.{n}",
                f"{day.isoformat()} 是假日，不能同时为调休上班日 / {day.isoformat()} is a day off",
            )


class CalendarNotice(Aggregate):
    """One year's notice; a corrected notice replaces it, the earlier one kept in the log."""

    class Loaded(Aggregate.Created):
        """A compliance officer loaded the year's notice."""

        year: int
        source: str
        holidays: list[dict[str, Any]]
        working_days: list[date]
        by: str

    class Replaced(Aggregate.Event):
        """A corrected or later notice for the year replaced the one loaded before."""

        source: str
        holidays: list[dict[str, Any]]
        working_days: list[date]
        by: str

    @staticmethod
    def create_id(year: int) -> UUID:
        """The notice of a year."""
        return uuid5(NAMESPACE_URL, f"/calendar/{year}")

    @classmethod
    def load(
        cls,
        year: int,
        source: str,
        holidays: list[dict[str, Any]],
        working_days: list[date],
        by: str,
    ) -> CalendarNotice:
        """A year's first notice, checked."""
        _check(year, source, holidays, working_days)
        return cls(year, source, holidays, sorted(set(working_days)), by)

    @event(Loaded)
    def __init__(
        self,
        year: int,
        source: str,
        holidays: list[dict[str, Any]],
        working_days: list[date],
        by: str,
    ) -> None:
        self.year = year
        self._set(source, holidays, working_days)

    def replace(
        self, source: str, holidays: list[dict[str, Any]], working_days: list[date], by: str
    ) -> None:
        """Load a new notice for the same year."""
        _check(self.year, source, holidays, working_days)
        self._replaced(
            source=source, holidays=holidays, working_days=sorted(set(working_days)), by=by
        )

    @event(Replaced)
    def _replaced(
        self, source: str, holidays: list[dict[str, Any]], working_days: list[date], by: str
    ) -> None:
        self._set(source, holidays, working_days)

    def _set(self, source: str, holidays: list[dict[str, Any]], working_days: list[date]) -> None:
        self.source = source
        self.holidays = holidays
        self.working_days = working_days

    def notice(self) -> YearNotice:
        """The notice as the rulebook reads it."""
        spans = [(h["from"], h["to"], h["name"]) for h in self.holidays]
        return notice_from_spans(self.year, self.source, spans, self.working_days)
