"""Certificate and deadline dates (rules.md §0.1, §5, §6, §7, §8): examples and properties."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.certificate import VALIDITY_MONTHS, expiry_for
from domain.rulebook.dates import deadline, period_last_day

ONE_DAY = timedelta(days=1)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
month_counts = st.integers(min_value=-120, max_value=120)
positive_month_counts = st.integers(min_value=1, max_value=120)


def month_index(day: date) -> int:
    """Months since year 0, so that adding N months is adding N."""
    return day.year * 12 + day.month - 1


def same_day_months_later(day: date, months: int) -> date | None:
    """The same day of the month N months later, or None where that month has no such day."""
    index = month_index(day) + months
    year, month = divmod(index, 12)
    try:
        return date(year, month + 1, day.day)
    except ValueError:
        return None


def last_day_of_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


# -- examples of the rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "expires_on"),
    [
        (date(2026, 3, 10), date(2029, 3, 9)),  # §0.1, §5
        (date(2024, 2, 29), date(2027, 2, 28)),  # §0.1, §5: no 29 February in 2027
        (date(2026, 11, 28), date(2029, 11, 27)),  # the suite's today
        (date(2026, 1, 1), date(2028, 12, 31)),  # across a year end
        (date(2027, 3, 1), date(2030, 2, 28)),
        (date(2025, 3, 1), date(2028, 2, 29)),  # ends the day before 1 March of a leap year
    ],
)
def test_a_certificate_is_valid_a_period_of_36_months(issued_on: date, expires_on: date) -> None:
    """Given a certificate issued on a day,
    when its expiry is computed,
    then it is the last day of a period of 36 months from that day (8.1.2, §0.1)."""
    assert VALIDITY_MONTHS == 36
    assert expiry_for(issued_on) == expires_on


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # §0.1: February has no 30th
        (date(2026, 6, 2), 3, date(2026, 9, 1)),  # §8: suspension through 2026-09-01
        (date(2026, 3, 10), 36, date(2029, 3, 9)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 30), 1, date(2028, 2, 29)),  # leap February's last day
        (date(2028, 1, 29), 1, date(2028, 2, 28)),  # the day before 29 February
        (date(2026, 12, 1), 1, date(2026, 12, 31)),
        (date(2026, 11, 28), 6, date(2027, 5, 27)),  # the 6-month suspension ceiling
    ],
)
def test_the_last_day_of_a_period(start: date, months: int, last_day: date) -> None:
    """Given a period of N months from S,
    when its last day is computed,
    then it is the day before the same day N months later, or that month's last day (§0.1)."""
    assert period_last_day(start, months) == last_day


@pytest.mark.parametrize(
    ("after", "months", "due"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # §0.1
        (date(2027, 11, 30), 15, date(2029, 2, 28)),  # §0.1
        (date(2026, 3, 10), 12, date(2027, 3, 10)),  # §6: first surveillance due
        (date(2026, 11, 28), 12, date(2027, 11, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 1, 31), 13, date(2028, 2, 29)),
    ],
)
def test_a_deadline_n_months_after_a_day(after: date, months: int, due: date) -> None:
    """Given a day and N months,
    when the deadline "by N months after" is computed,
    then it is the same day N months later, or that month's last day (§0.1, 民法典 art. 201)."""
    assert deadline(after, months) == due


@pytest.mark.parametrize(
    ("expires_on", "opens_on"),
    [
        (date(2029, 3, 9), date(2028, 12, 9)),  # §7
        (date(2029, 11, 27), date(2029, 8, 27)),
        (date(2027, 5, 31), date(2027, 2, 28)),  # February has no 31st
        (date(2028, 5, 31), date(2028, 2, 29)),
        (date(2029, 2, 28), date(2028, 11, 28)),
    ],
)
def test_the_recertification_window_opens_three_months_before_expiry(
    expires_on: date, opens_on: date
) -> None:
    """Given a certificate valid through a day,
    when its recertification window is computed as deadline(expires_on, -3),
    then it opens on the same day 3 months before, or that month's last day (6.1, §7)."""
    assert deadline(expires_on, -3) == opens_on


# -- properties -------------------------------------------------------------------------------


@given(days, month_counts)
def test_a_deadline_is_in_the_month_n_months_later(after: date, months: int) -> None:
    """Given any day d and any N (negative too),
    when deadline(d, N) is computed,
    then it lies in the month N months from d's month."""
    assert month_index(deadline(after, months)) == month_index(after) + months


@given(days, month_counts)
def test_a_deadline_is_the_same_day_or_that_months_last_day(after: date, months: int) -> None:
    """Given any day d and any N,
    when deadline(d, N) is computed,
    then it is the same day of the month where that day exists, else the month's last day,
    and so never after the same day N months later."""
    due = deadline(after, months)
    same = same_day_months_later(after, months)
    if same is not None:
        assert due == same
    else:
        assert due.day == last_day_of_month(due)
        assert due.day < after.day
    assert due.day <= after.day


@given(days, positive_month_counts)
def test_a_deadline_is_after_the_day_it_counts_from(after: date, months: int) -> None:
    """Given any day d and N ≥ 1,
    when deadline(d, N) is computed,
    then it is later than d, and no more than 31·N days later."""
    due = deadline(after, months)
    assert after < due <= after + timedelta(days=31 * months)


@given(days, days, month_counts)
def test_deadlines_keep_the_order_of_their_days(a: date, b: date, months: int) -> None:
    """Given two days a ≤ b and any N,
    when their deadlines N months later are computed,
    then they keep that order (a later day never gets an earlier deadline)."""
    first, second = sorted((a, b))
    assert deadline(first, months) <= deadline(second, months)


@given(days, positive_month_counts)
def test_a_period_ends_the_day_before_the_same_day_n_months_later(start: date, months: int) -> None:
    """Given any start S and N ≥ 1,
    when the last day of the period of N months from S is computed,
    then it is the day before the same day N months later where that day exists
    (= deadline(S, N) − 1 day), and that month's last day (= deadline(S, N)) where it does not."""
    last = period_last_day(start, months)
    same = same_day_months_later(start, months)
    if same is not None:
        assert last == same - ONE_DAY
        assert last == deadline(start, months) - ONE_DAY
    else:
        assert last == deadline(start, months)
        assert month_index(last) == month_index(start) + months
        assert last.day == last_day_of_month(last)


@given(days, positive_month_counts)
def test_a_period_is_never_empty_and_ends_within_a_day_of_the_deadline(
    start: date, months: int
) -> None:
    """Given any start S and N ≥ 1,
    when the last day of the period is computed,
    then S ≤ last day, and deadline(S, N) − 1 day ≤ last day ≤ deadline(S, N)."""
    last = period_last_day(start, months)
    due = deadline(start, months)
    assert start <= last
    assert due - ONE_DAY <= last <= due


@given(days, days, positive_month_counts)
def test_periods_keep_the_order_of_their_starts(a: date, b: date, months: int) -> None:
    """Given two starts a ≤ b and N ≥ 1,
    when the periods' last days are computed,
    then a later start never ends earlier."""
    first, second = sorted((a, b))
    assert period_last_day(first, months) <= period_last_day(second, months)


@given(days)
def test_a_certificate_is_valid_three_years_less_a_day(issued_on: date) -> None:
    """Given any issue date,
    when its expiry is computed,
    then the validity ends the day before the same day three years later (so before it, and
    no earlier than a day before it); issued on 29 February, which has no same day three years
    later (year + 3 is never a leap year), it ends on 28 February, the day before 1 March.
    It covers 1095 or 1096 days counting both ends: never more than three years."""
    expires_on = expiry_for(issued_on)
    try:
        three_years_later = issued_on.replace(year=issued_on.year + 3)
    except ValueError:  # 29 February
        three_years_later = date(issued_on.year + 3, 3, 1)
    assert expires_on < three_years_later
    assert expires_on >= three_years_later - ONE_DAY
    assert (expires_on - issued_on).days + 1 in (1095, 1096)
    assert month_index(expires_on) - month_index(issued_on) in (35, 36)


@given(days)
def test_a_recertified_cycle_continues_the_day_after_the_old_expiry(issued_on: date) -> None:
    """Given a certificate issued on any day,
    when the next cycle runs a period of 36 months from the day after its expiry (§7),
    then the two cycles leave no gap and do not overlap, and the new cycle ends 36 months of
    validity later, again on the last day of a period."""
    expires_on = expiry_for(issued_on)
    next_start = expires_on + ONE_DAY
    next_expiry = period_last_day(next_start, VALIDITY_MONTHS)
    assert next_start > expires_on
    assert next_expiry == expiry_for(next_start)
    assert (next_expiry - next_start).days + 1 in (1095, 1096)


@given(days)
def test_the_window_opens_three_months_before_and_closes_on_expiry(issued_on: date) -> None:
    """Given any certificate,
    when its recertification window is computed,
    then it opens between 89 and 92 days before expiry, in the month three months earlier,
    never before the certificate was issued."""
    expires_on = expiry_for(issued_on)
    opens_on = deadline(expires_on, -3)
    assert month_index(opens_on) == month_index(expires_on) - 3
    assert timedelta(days=89) <= expires_on - opens_on <= timedelta(days=92)
    assert issued_on < opens_on < expires_on
