"""Working days on the Chinese official calendar (ZPIC-WF-20 7.2.1, 7.3.1; rules.md §8, §12).

Three layers decide whether a day is a working day, strongest first:

1. the State Council's notice for the year (放假安排: holiday spans and make-up working days),
   loaded by a compliance officer and recorded as an event (`notice`);
2. the `chinesecalendar` package, which carries those notices for the years it knows
   (`package`);
3. the statutory public holidays of 全国年节及纪念日放假办法 (2024 revision), computed from the
   solar and lunar calendars for any year, and weekends (`statutory`): the floor. A deadline
   counted on such a day is provisional, because the notice may still move days.

Public holidays are never working days whatever a notice says (rules.md §12).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from chinese_calendar import get_solar_terms
from lunardate import LunarDate

EFFECT_WORKING_DAYS = 5
"""Suspension and withdrawal take effect within 5 working days of verification (7.2.1, 7.3.1)."""

SOURCES = ("notice", "package", "statutory")
"""Where a day's standing comes from, strongest first (rules.md §12)."""

SOURCE_NAMES = {
    "notice": "国务院办公厅放假安排通知 / State Council notice",
    "package": "已发布的官方日历 / published official calendar",
    "statutory": "法定节假日与周末（通知未载入，暂定）/ statutory holidays and weekends "
    "(notice not loaded: provisional)",
    "weekdays": "周一至周五（旧规则，暂定）/ Monday to Friday (earlier rule: provisional)",
}


LUNAR_YEARS = (1901, 2098)
"""The years whose lunar holidays the tables cover (lunardate knows 1900–2099; 春节 of a year
needs the lunar new year of the next)."""


def _lunar(year: int, month: int, day: int) -> date:
    return LunarDate(year, month, day).to_solar_date()  # type: ignore[no-any-return]


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[date, str]:
    """The public holidays of 全国年节及纪念日放假办法 (2024 revision) that fall in a year.

    元旦 1 day; 春节 除夕 to 正月初三 (4 days); 清明 the Qingming solar term day; 劳动节 May 1–2;
    端午 5th of the 5th lunar month; 中秋 15th of the 8th lunar month; 国庆 October 1–3.
    """
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    days.update({date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"})
    days.update({date(year, 10, n): "国庆节" for n in (1, 2, 3)})
    if not LUNAR_YEARS[0] <= year <= LUNAR_YEARS[1]:
        return days  # beyond the lunar and solar-term tables: the fixed-date holidays only
    for lunar_year in (year - 1, year):  # 除夕 of one lunar year may fall in the next solar one
        new_year = _lunar(lunar_year + 1, 1, 1)
        for offset in range(-1, 3):
            day = new_year + timedelta(days=offset)
            if day.year == year:
                days[day] = "春节"
    qingming = [d for d, name in get_solar_terms(date(year, 4, 1), date(year, 4, 30))
                if name == "清明"]
    days.update({d: "清明节" for d in qingming})
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    return days


@dataclass(frozen=True)
class YearNotice:
    """The State Council's notice for one year: extra days off and make-up working days."""

    year: int
    source: str
    days_off: Mapping[date, str]
    working_days: frozenset[date]


@dataclass(frozen=True)
class DayStanding:
    """Whether a day is a working day, by which layer, and why."""

    working: bool
    source: str
    name: str | None = None


def _package_knows(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class OfficialCalendar:
    """The official calendar: loaded notices over the package over the statutory floor."""

    notices: Mapping[int, YearNotice] = field(default_factory=dict)

    def standing(self, day: date) -> DayStanding:
        """Whether a day is a working day, and on whose authority (rules.md §12)."""
        holiday = statutory_holidays(day.year).get(day)
        notice = self.notices.get(day.year)
        if notice is not None:
            if holiday is not None:
                return DayStanding(False, "notice", holiday)
            if day in notice.days_off:
                return DayStanding(False, "notice", notice.days_off[day])
            if day in notice.working_days:
                return DayStanding(True, "notice", "调休上班")
            return DayStanding(day.weekday() < 5, "notice")
        if _package_knows(day):
            # the package is the published calendar of its years, before and after the 2024
            # revision of the holiday rules alike
            working = bool(chinese_calendar.is_workday(day))
            _, name = chinese_calendar.get_holiday_detail(day)
            label = _holiday_name(name) if not working else None
            if working and day.weekday() >= 5:
                label = "调休上班"
            return DayStanding(working, "package", label)
        if holiday is not None:
            return DayStanding(False, "statutory", holiday)
        return DayStanding(day.weekday() < 5, "statutory")

    def days_of(self, year: int) -> list[tuple[date, DayStanding]]:
        """Every day of a year that differs from a plain Monday-to-Friday week, in order."""
        day, out = date(year, 1, 1), []
        while day.year == year:
            standing = self.standing(day)
            if standing.working != (day.weekday() < 5) or standing.name is not None:
                out.append((day, standing))
            day += timedelta(days=1)
        return out


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}


def _holiday_name(name: object) -> str | None:
    return None if name is None else _HOLIDAY_NAMES.get(str(name), str(name))


PACKAGE_CALENDAR = OfficialCalendar()
"""The calendar with no notice loaded: the package where it knows the year, else the floor."""


@dataclass(frozen=True)
class WorkingDayDeadline:
    """A deadline counted in working days, whether any day of it was provisional, and the
    weakest layer of the calendar that any counted day rested on."""

    due_on: date
    provisional: bool
    calendar: str = "package"


def is_working_day(day: date, calendar: OfficialCalendar = PACKAGE_CALENDAR) -> tuple[bool, bool]:
    """Whether a day is a working day, and whether that is provisional (no notice, no package)."""
    standing = calendar.standing(day)
    return standing.working, standing.source == "statutory"


def working_day_deadline(
    after: date,
    working_days: int = EFFECT_WORKING_DAYS,
    calendar: OfficialCalendar = PACKAGE_CALENDAR,
) -> WorkingDayDeadline:
    """The N-th working day after a day, that day itself not counted (rules.md §8)."""
    if working_days < 1:
        raise ValueError("count at least one working day")
    day, counted, weakest = after, 0, 0
    while counted < working_days:
        day += timedelta(days=1)
        standing = calendar.standing(day)
        weakest = max(weakest, SOURCES.index(standing.source))
        counted += standing.working
    source = SOURCES[weakest]
    return WorkingDayDeadline(due_on=day, provisional=source == "statutory", calendar=source)


def notice_from_spans(
    year: int, source: str, holidays: Iterable[tuple[date, date, str]], working_days: Iterable[date]
) -> YearNotice:
    """A year's notice from its holiday spans (first day, last day, name) and make-up days."""
    off: dict[date, str] = {}
    for first, last, name in holidays:
        day = first
        while day <= last:
            off[day] = name
            day += timedelta(days=1)
    return YearNotice(year, source, off, frozenset(working_days))
