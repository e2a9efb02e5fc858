"""Audit time (ZPIC-WF-20 4.2.1): person-days by effective headcount and audit type, exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import ceil

AUDIT_TYPES = ("initial", "surveillance", "recertification", "supplementary")

# (highest headcount of the band, base person-days T0). 4.2.1.1, table of rules.md §2.1.
# Ruling (4.2.1.1): the original's bands "1-65" and "65-275" overlap; 65 belongs to the first.
BASE_DAYS_BANDS: tuple[tuple[int, int], ...] = (
    (65, 2),
    (275, 2),
    (625, 3),
    (1500, 4),
    (3450, 5),
    (10700, 6),
)

LARGEST_TABULATED_HEADCOUNT = BASE_DAYS_BANDS[-1][0]

MINIMUM_BASE_DAYS_ABOVE_TABLE = 6
"""Ruling (4.2.1.1): above 10,700 the planner sets T0 with a written justification, at least 6."""

TYPE_FACTORS: dict[str, Fraction] = {
    "initial": Fraction(1),
    "surveillance": Fraction(1, 3),
    "recertification": Fraction(2, 3),
}
"""4.2.1.2: surveillance takes 1/3 and recertification 2/3 of the initial time."""

MINIMUM_SUPPLEMENTARY_DAYS = Fraction(1, 2)
"""A supplementary audit's time is the planner's, at least half a person-day."""

ONSITE_SHARE = Fraction(4, 5)
"""4.2.1.2: on-site time at least 80 % of the required time, not rounded."""


def base_days(effective_headcount: int) -> int | None:
    """T0 for an initial audit (4.2.1.1), or None above the table, where the planner decides."""
    if effective_headcount < 1:
        raise ValueError("effective headcount must be a whole number of at least 1")
    for highest, days in BASE_DAYS_BANDS:
        if effective_headcount <= highest:
            return days
    return None


def round_up_to_half_day(days: Fraction) -> Fraction:
    """Ruling (4.2.1.2): required times are rounded up to the next half person-day."""
    return Fraction(ceil(days * 2), 2)


def required_days(effective_headcount: int, audit_type: str) -> Fraction:
    """The least audit time of a plan, in person-days (4.2.1).

    Above the table the figure is the floor the planner's justified time may not go below.
    """
    t0 = base_days(effective_headcount)  # refuses a headcount below 1, whatever the type
    if audit_type == "supplementary":
        return MINIMUM_SUPPLEMENTARY_DAYS
    factor = TYPE_FACTORS[audit_type]
    base = MINIMUM_BASE_DAYS_ABOVE_TABLE if t0 is None else t0
    return round_up_to_half_day(base * factor)


def planner_sets_time(effective_headcount: int, audit_type: str) -> bool:
    """Whether the planner must set the time with a written justification (above the table)."""
    return base_days(effective_headcount) is None or audit_type == "supplementary"


def required_onsite_days(required: Fraction) -> Fraction:
    """The least on-site time for a required time (4.2.1.2): 80 %, exactly."""
    return required * ONSITE_SHARE


def most_days_of_a_member(start_on: date, end_on: date) -> int:
    """Ruling (4.2.1; rules.md §12 "Person-days"): a team member's days on an audit are at most
    the audit's calendar days, start to end inclusive (trainees too: one person, one day a day)."""
    return (end_on - start_on).days + 1


def as_fraction(value: Decimal | str | int) -> Fraction:
    """An exact Fraction of a decimal input (never through float)."""
    return Fraction(Decimal(value))
