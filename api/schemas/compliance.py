"""Compliance exceptions (7.2.1, 7.3.1)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class ComplianceException(BaseModel):
    """An action that took effect after its 5-working-day deadline, recorded as it happened
    (`late_action`), or a deadline job's action a late entry contradicts (`contradiction`:
    `reason` names what contradicts it, `verified_on` that fact's date, `due_on` the missed
    surveillance due date, `effective_on` the action's; rescind it with
    `POST /certificates/{number}/rescission`)."""

    cursor: int
    kind: Literal["late_action", "contradiction"]
    number: str
    action: Literal["suspension", "reinstatement", "withdrawal"]
    reason: str | None
    verified_on: date
    due_on: date
    due_on_provisional: bool = Field(
        description="the official calendar of that year was not published; Monday–Friday counted"
    )
    effective_on: date
    days_late: int
    recorded_at: str
    recorded_by: str


class ComplianceExceptions(BaseModel):
    """A page of exceptions, newest first."""

    items: list[ComplianceException]
    total: int
