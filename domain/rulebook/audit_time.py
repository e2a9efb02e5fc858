"""Audit time (ZPIC-WF-20 4.2.1): base person-days by effective headcount, exact arithmetic."""

from __future__ import annotations

from decimal import Decimal

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
MINIMUM_DAYS_ABOVE_TABLE = Decimal(6)
"""Ruling (4.2.1.1): above 10,700 the planner sets the time with a justification, never below 6."""


def base_days(effective_headcount: int) -> Decimal | None:
    """T0 for an initial audit (4.2.1.1), or None above the table, where the planner decides."""
    if effective_headcount < 1:
        raise ValueError("effective headcount must be a whole number of at least 1")
    for highest, days in BASE_DAYS_BANDS:
        if effective_headcount <= highest:
            return Decimal(days)
    return None
