"""Field types shared by the request schemas."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

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
BusinessDate = Annotated[date, Field(description="YYYY-MM-DD, not after today (UTC+8)")]


class Strict(BaseModel):
    """A request body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
