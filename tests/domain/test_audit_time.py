"""Audit time (rules.md §2.1, ZPIC-WF-20 4.2.1), exactly, in given/when/then form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import ceil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rulebook.audit_time import (
    base_days,
    most_days_of_a_member,
    planner_sets_time,
    required_days,
    required_onsite_days,
)
from domain.rulebook.numbers import two_decimals

TABULATED_TYPES = ("initial", "surveillance", "recertification")
FACTORS = {
    "initial": Fraction(1),
    "surveillance": Fraction(1, 3),
    "recertification": Fraction(2, 3),
}


def t0_of(n: int) -> int:
    """The table of rules.md §2.1, written out independently of the production bands."""
    if n <= 65:
        return 2
    if n <= 275:
        return 2
    if n <= 625:
        return 3
    if n <= 1500:
        return 4
    if n <= 3450:
        return 5
    return 6


# ---------------------------------------------------------------- worked examples of §2.1


def test_example_50_initial_is_two_days_and_onsite_at_least_1_6() -> None:
    """Given N = 50 and an initial audit,
    when the required and on-site times are computed,
    then the required time is 2 days and the on-site minimum is exactly 1.6 ("1.60")."""
    required = required_days(50, "initial")
    onsite = required_onsite_days(required)
    assert required == Fraction(2)
    assert onsite == Fraction(8, 5)
    assert two_decimals(onsite) == "1.60"


def test_example_300_surveillance_is_one_day() -> None:
    """Given N = 300 (T0 = 3) and a surveillance audit,
    when the required time is computed,
    then it is 3 × 1/3 = 1.0 exactly."""
    assert required_days(300, "surveillance") == Fraction(1)


def test_example_1000_recertification_rounds_2_67_up_to_3() -> None:
    """Given N = 1000 (T0 = 4) and a recertification,
    when the required time is computed,
    then 4 × 2/3 = 2.67 is rounded up to the next half day, 3.0."""
    assert required_days(1000, "recertification") == Fraction(3)


def test_example_2000_surveillance_rounds_1_67_up_to_2() -> None:
    """Given N = 2000 (T0 = 5) and a surveillance audit,
    when the required time is computed,
    then 5 × 1/3 = 1.67 is rounded up to 2.0."""
    assert required_days(2000, "surveillance") == Fraction(2)


# ---------------------------------------------------------------- every band edge


EDGE_EXPECTATIONS = [
    # N, T0, initial, surveillance, recertification
    (1, 2, Fraction(2), Fraction(1), Fraction(3, 2)),
    (65, 2, Fraction(2), Fraction(1), Fraction(3, 2)),
    (66, 2, Fraction(2), Fraction(1), Fraction(3, 2)),
    (275, 2, Fraction(2), Fraction(1), Fraction(3, 2)),
    (276, 3, Fraction(3), Fraction(1), Fraction(2)),
    (625, 3, Fraction(3), Fraction(1), Fraction(2)),
    (626, 4, Fraction(4), Fraction(3, 2), Fraction(3)),
    (1500, 4, Fraction(4), Fraction(3, 2), Fraction(3)),
    (1501, 5, Fraction(5), Fraction(2), Fraction(7, 2)),
    (3450, 5, Fraction(5), Fraction(2), Fraction(7, 2)),
    (3451, 6, Fraction(6), Fraction(2), Fraction(4)),
    (10700, 6, Fraction(6), Fraction(2), Fraction(4)),
]


@pytest.mark.parametrize(
    ("n", "t0", "initial", "surveillance", "recertification"), EDGE_EXPECTATIONS
)
def test_band_edges_for_each_type(
    n: int, t0: int, initial: Fraction, surveillance: Fraction, recertification: Fraction
) -> None:
    """Given a headcount on the edge of a band of the table,
    when the base time and each type's required time are computed,
    then they are the table's T0 and T0 × factor rounded up to a half day, and the table
    decides (the planner does not set the time)."""
    assert base_days(n) == t0
    assert required_days(n, "initial") == initial
    assert required_days(n, "surveillance") == surveillance
    assert required_days(n, "recertification") == recertification
    for audit_type in TABULATED_TYPES:
        assert planner_sets_time(n, audit_type) is False


# ---------------------------------------------------------------- above the table, supplementary


@pytest.mark.parametrize(
    ("audit_type", "floor"),
    [("initial", Fraction(6)), ("surveillance", Fraction(2)), ("recertification", Fraction(4))],
)
@pytest.mark.parametrize("n", [10701, 50_000, 10**9])
def test_above_the_table_the_planner_sets_the_time_with_a_floor(
    n: int, audit_type: str, floor: Fraction
) -> None:
    """Given a headcount above 10,700,
    when the time is planned,
    then the planner must set it (T0 None) and the floor is T0 = 6 × factor: 6 / 2 / 4."""
    assert base_days(n) is None
    assert planner_sets_time(n, audit_type) is True
    assert required_days(n, audit_type) == floor


@pytest.mark.parametrize("n", [1, 300, 10700, 10701])
def test_supplementary_is_the_planners_with_at_least_half_a_day(n: int) -> None:
    """Given a supplementary audit of any headcount,
    when the time is planned,
    then the planner sets it and the minimum is exactly 0.5 (on-site 0.4)."""
    assert planner_sets_time(n, "supplementary") is True
    assert required_days(n, "supplementary") == Fraction(1, 2)
    assert two_decimals(required_onsite_days(required_days(n, "supplementary"))) == "0.40"


@pytest.mark.parametrize("n", [0, -1, -10701])
@pytest.mark.parametrize("audit_type", TABULATED_TYPES)
def test_headcount_below_one_is_refused(n: int, audit_type: str) -> None:
    """Given an effective headcount of 0 or less,
    when a tabulated type's time is computed or the planner question is asked,
    then a ValueError is raised (N must be a whole number ≥ 1)."""
    with pytest.raises(ValueError):
        base_days(n)
    with pytest.raises(ValueError):
        required_days(n, audit_type)
    with pytest.raises(ValueError):
        planner_sets_time(n, audit_type)


@pytest.mark.parametrize("n", [0, -1])
def test_headcount_below_one_is_refused_for_supplementary_too(n: int) -> None:
    """Given an effective headcount of 0 or less and a supplementary audit,
    when the required time is computed,
    then a ValueError is raised as for every other type (rules.md §2.1: N ≥ 1)."""
    with pytest.raises(ValueError):
        required_days(n, "supplementary")


# ---------------------------------------------------------------- on-site share


def test_onsite_of_one_and_a_half_is_exactly_1_20() -> None:
    """Given a required time of 1.5 days,
    when the on-site minimum is computed,
    then it is exactly 6/5, shown "1.20" (80 %, not rounded up to a half day)."""
    onsite = required_onsite_days(Fraction(3, 2))
    assert onsite == Fraction(6, 5)
    assert two_decimals(onsite) == "1.20"


# ---------------------------------------------------------------- properties

headcounts = st.integers(min_value=1, max_value=10700)
tabulated_types = st.sampled_from(TABULATED_TYPES)


@settings(max_examples=300, deadline=None)
@given(n=headcounts, audit_type=tabulated_types)
def test_required_is_the_least_half_day_multiple_at_or_above_t0_times_factor(
    n: int, audit_type: str
) -> None:
    """Given any tabulated headcount and type,
    when the required time is computed,
    then it is a multiple of 1/2, at least T0 × factor and less than T0 × factor + 1/2."""
    exact = t0_of(n) * FACTORS[audit_type]
    required = required_days(n, audit_type)
    assert (required * 2).denominator == 1
    assert exact <= required < exact + Fraction(1, 2)
    assert required == Fraction(ceil(exact * 2), 2)


@settings(max_examples=300, deadline=None)
@given(a=headcounts, b=headcounts, audit_type=tabulated_types)
def test_required_is_monotone_in_headcount(a: int, b: int, audit_type: str) -> None:
    """Given two headcounts N1 ≤ N2 and a type,
    when their required times are computed,
    then the larger organization never needs less time."""
    low, high = sorted((a, b))
    assert required_days(low, audit_type) <= required_days(high, audit_type)


@settings(max_examples=300, deadline=None)
@given(n=headcounts, audit_type=tabulated_types)
def test_onsite_minimum_shows_exactly_at_two_decimals(n: int, audit_type: str) -> None:
    """Given any required time (a half-day multiple),
    when its 80 % on-site minimum is shown,
    then the text has exactly two decimals and is the exact value, nothing rounded away."""
    onsite = required_onsite_days(required_days(n, audit_type))
    shown = two_decimals(onsite)
    whole, _, decimals = shown.partition(".")
    assert whole.isdigit() and len(decimals) == 2 and decimals.isdigit()
    assert Fraction(Decimal(shown)) == onsite


def test_a_members_days_are_at_most_the_audits_calendar_days() -> None:
    """Given audits of one day, two days and across a month's end, when the most days of one
    member are asked, then they are the calendar days start to end inclusive (rules.md §12)."""
    assert most_days_of_a_member(date(2026, 11, 24), date(2026, 11, 24)) == 1
    assert most_days_of_a_member(date(2026, 11, 24), date(2026, 11, 25)) == 2
    assert most_days_of_a_member(date(2026, 11, 30), date(2026, 12, 2)) == 3
