"""Field types shared by the request schemas."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic import Strict as StrictType

from domain.uscc import uscc_problem

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def reject_unprintable(value: str) -> str:
    """Refuse control characters and unpaired surrogates (they cannot be stored as text)."""
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed / 不允许控制字符")
    return value


def printable(value: str) -> str:
    """The text without control characters or unpaired surrogates (for names we do not refuse)."""
    return _CONTROL.sub("", value).strip()


def _uscc(value: str) -> str:
    problem = uscc_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _sha256(value: str) -> str:
    return value.lower()


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(reject_unprintable),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20000),
    AfterValidator(reject_unprintable),
]
Uscc = Annotated[
    str,
    Field(
        description="统一社会信用代码 (GB 32100-2015), 18 characters with check digit",
        examples=["91350100M000100Y43"],
    ),
    AfterValidator(_uscc),
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$"), AfterValidator(_sha256)]
EARLIEST_DAY = date(1949, 10, 1)
"""No record of this body can be dated before the People's Republic was founded."""
LATEST_DAY = date(2099, 12, 31)
"""Beyond any certificate, registration or retention period this back office deals in."""
_WRITTEN_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def written_day(value: object) -> object:
    """Only a `YYYY-MM-DD` string (or a date) is a day: not a number of seconds, not a time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _WRITTEN_DAY.match(value.strip()):
        return value.strip()
    raise ValueError("须为 YYYY-MM-DD 格式的日期 / a date written YYYY-MM-DD")


def plausible_day(value: date) -> date:
    """Refuse days before 1949-10-01 or after 2099-12-31: a typing slip, not a record."""
    if value < EARLIEST_DAY:
        raise ValueError(
            f"日期不得早于 {EARLIEST_DAY} / a date before {EARLIEST_DAY} is not plausible"
        )
    if value > LATEST_DAY:
        raise ValueError(f"日期不得晚于 {LATEST_DAY} / a date after {LATEST_DAY} is not plausible")
    return value


Day = Annotated[
    date,
    BeforeValidator(written_day),
    AfterValidator(plausible_day),
    Field(description=f"YYYY-MM-DD, from {EARLIEST_DAY} to {LATEST_DAY}"),
]
BusinessDate = Annotated[
    date,
    BeforeValidator(written_day),
    AfterValidator(plausible_day),
    Field(description="YYYY-MM-DD, not after today (UTC+8)"),
]
Count = Annotated[int, StrictType()]
"""A whole number written as a JSON number: not "300", not true, not 300.0."""


class Strict(BaseModel):
    """A request body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
