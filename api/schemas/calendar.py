"""The State Council's yearly holiday notice, as loaded and as the calendar reads (rules.md §12)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Day, Strict, Text


class HolidaySpan(Strict):
    """Days off in a row, as the notice lists them (e.g. 春节 2027-02-05 to 2027-02-11)."""

    from_: Day = Field(alias="from", description="first day off")
    to: Day = Field(description="last day off")
    name: Text = Field(description="假期名称，如 春节 / the holiday's name (§12)")

    model_config = ConfigDict(populate_by_name=True)


class CalendarNoticeIn(Strict):
    """A year's notice (国务院办公厅关于…部分节假日安排的通知): spans off, make-up working days."""

    source: Text = Field(description="the notice's number or address, e.g. 国办发明电〔2026〕…")
    holidays: Annotated[list[HolidaySpan], Field(max_length=40)] = Field(
        description="放假的连续日期 / the spans of days off the notice sets (7.2.1, §12)"
    )
    working_days: Annotated[list[Day], Field(max_length=40)] = Field(
        default_factory=list, description="make-up working days (调休上班), weekends that work"
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "国办发明电〔2026〕7号",
                    "holidays": [
                        {"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"},
                        {"from": "2027-02-05", "to": "2027-02-12", "name": "春节"},
                    ],
                    "working_days": ["2027-02-14", "2027-02-20"],
                }
            ]
        }
    )


class CalendarDay(BaseModel):
    """A day that is not a plain Monday-to-Friday day, and on whose authority."""

    day: date
    working: bool
    name: str | None
    source: Literal["notice", "package", "statutory"]


class CalendarOut(BaseModel):
    """A year's calendar in force: the notice loaded (if any) and every day off or moved."""

    year: int
    notice_source: str | None
    provisional: bool = Field(
        description="no notice loaded and the package does not know the year: statutory floor"
    )
    days: list[CalendarDay]
    version: int | None
