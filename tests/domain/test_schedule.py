"""The certificate's calendar (rules.md §6, §7): surveillance due dates and the windows."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.certificate import expiry_for
from domain.rulebook.dates import deadline
from domain.rulebook.schedule import (
    first_surveillance_due,
    next_surveillance_due,
    recertification_window,
    renewed_cycle,
    surveillance_due_after,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_the_first_surveillance_is_due_12_months_after_issue() -> None:
    """Given a certificate issued 2026-03-10, then its first surveillance is due by 2027-03-10;
    issued on a leap day, by the last day of February (5.2, §0.1)."""
    assert first_surveillance_due(date(2026, 3, 10)) == date(2027, 3, 10)
    assert first_surveillance_due(date(2024, 2, 29)) == date(2025, 2, 28)


def test_the_next_surveillance_is_the_earlier_of_15_months_and_year_end() -> None:
    """Given a certificate valid through 2029-03-09, when a surveillance is completed on
    2027-03-01, then the next is due by 2028-06-01 (15 months, before 31 Dec 2028); when
    completed on 2026-12-20 of a longer cycle, then by 31 Dec 2027 (the year end comes first)."""
    assert surveillance_due_after(date(2027, 3, 1), date(2029, 3, 9)) == date(2028, 6, 1)
    assert surveillance_due_after(date(2026, 12, 20), date(2029, 3, 9)) == date(2027, 12, 31)


def test_the_recertification_year_has_no_surveillance() -> None:
    """Given a certificate valid through 2029-03-09, when a surveillance is completed in 2028,
    then none follows: 2029 is the recertification year (5.2)."""
    assert surveillance_due_after(date(2028, 5, 1), date(2029, 3, 9)) is None
    assert next_surveillance_due(date(2026, 3, 10), date(2029, 3, 9), date(2028, 1, 5)) is None


def test_the_window_opens_three_months_before_expiry() -> None:
    """Given validity through 2029-03-09, then the window is 2028-12-09 to 2029-03-09; through
    2029-05-31, it opens on 2029-02-28 (February has no 31st) (6.1)."""
    window = recertification_window(date(2029, 3, 9))
    assert (window.opens_on, window.closes_on) == (date(2028, 12, 9), date(2029, 3, 9))
    assert recertification_window(date(2029, 5, 31)).opens_on == date(2029, 2, 28)
    assert date(2028, 12, 8) not in window and date(2028, 12, 9) in window
    assert date(2029, 3, 10) not in window


def test_a_recertification_continues_from_the_day_after_expiry() -> None:
    """Given validity through 2029-03-09, then the new cycle runs 2029-03-10 through
    2032-03-09 (6.3)."""
    assert renewed_cycle(date(2029, 3, 9)) == (date(2029, 3, 10), date(2032, 3, 9))


@given(issued=days)
def test_every_cycle_has_its_first_surveillance_before_the_recertification_year(
    issued: date,
) -> None:
    """For any issue day, the first surveillance falls due, in a year before the expiry year,
    12 months on (never in the month before or after)."""
    expires = expiry_for(issued)
    due = next_surveillance_due(issued, expires, None)
    assert due is not None and due.year < expires.year
    assert due == deadline(issued, 12)
    assert (due.year - issued.year) * 12 + due.month - issued.month == 12


@given(issued=days, offset=st.integers(min_value=0, max_value=1094))
def test_a_surveillance_never_falls_due_in_the_recertification_year(
    issued: date, offset: int
) -> None:
    """For any surveillance day within the cycle, the next due date is never later than
    d + 15 months nor 31 December of the next year, and never in the expiry year."""
    expires = expiry_for(issued)
    completed = min(issued + timedelta(days=offset), expires)
    due = surveillance_due_after(completed, expires)
    if due is None:
        assert completed.year + 1 >= expires.year
    else:
        assert due <= deadline(completed, 15)
        assert due <= date(completed.year + 1, 12, 31)
        assert due.year == completed.year + 1 < expires.year


@given(expires=days)
def test_the_window_is_three_months_long_and_ends_on_expiry(expires: date) -> None:
    """For any expiry day, the window closes on it and opens in the month 3 months earlier, on
    the same day or that month's last day, so it spans 88 to 92 days."""
    window = recertification_window(expires)
    opens = window.opens_on
    assert window.closes_on == expires
    assert (expires.year - opens.year) * 12 + expires.month - opens.month == 3
    month_end = (opens.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert opens.day == min(expires.day, month_end.day)
    assert 88 <= (expires - opens).days <= 92
