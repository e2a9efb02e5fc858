"""The calendar desk: the State Council's yearly notices, and the official calendar the
working-day deadlines of suspensions, reinstatements and withdrawals are counted on (§12)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.calendar_notice import CalendarNotice
from domain.desk import Desk
from domain.people import Actor
from domain.rulebook.working_days import OfficialCalendar


class CalendarDesk(Desk):
    """Loads notices and builds the official calendar around a day."""

    def load_calendar(
        self,
        year: int,
        source: str,
        holidays: list[dict[str, Any]],
        working_days: list[date],
        by: Actor,
    ) -> CalendarNotice:
        """Record a year's notice (a first load, or a replacement of the one in force)."""
        notice = self.calendar_notice(year)
        if notice is None:
            notice = CalendarNotice.load(year, source, holidays, working_days, by=by.id)
        else:
            notice.replace(source, holidays, working_days, by=by.id)
        self.save(notice)
        return notice

    def calendar_notice(self, year: int) -> CalendarNotice | None:
        """The notice loaded for a year, if any."""
        return self._find(CalendarNotice, CalendarNotice.create_id(year))

    def official_calendar(self, *years: int) -> OfficialCalendar:
        """The official calendar with the notices loaded for these years."""
        notices = {}
        for year in sorted(set(years)):
            notice = self.calendar_notice(year)
            if notice is not None:
                notices[year] = notice.notice()
        return OfficialCalendar(notices)

    def calendar_around(self, day: date) -> OfficialCalendar:
        """The calendar a 5-working-day deadline from a day can run over (that year and the
        next: 5 working days never span more)."""
        return self.official_calendar(day.year, day.year + 1)
