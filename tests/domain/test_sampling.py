"""Multi-site sampling (rules.md §2.2, ZPIC-WF-20 4.2.2), exactly, in given/when/then form."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.rulebook.sampling import SAMPLE_COEFFICIENTS, ceil_times_sqrt, sample_size

TYPES = ("initial", "surveillance", "recertification")


def decimal_reference(coefficient: Fraction, x: int) -> int:
    """⌈c·√x⌉ the slow way: Decimal square root at 50 significant digits, then ceiling.

    For x ≤ 10**12 a non-integral c·√x is at least ~1e-8 away from a whole number, far more
    than 50 digits can blur; an integral one (x a perfect square) comes out exact.
    """
    with localcontext() as ctx:
        ctx.prec = 50
        value = (
            Decimal(x).sqrt() * Decimal(coefficient.numerator) / Decimal(coefficient.denominator)
        )
        return int(value.to_integral_value(rounding=ROUND_CEILING))


# ---------------------------------------------------------------- examples of §2.2


@pytest.mark.parametrize(
    ("x", "initial", "surveillance", "recertification"),
    [(10, 4, 2, 3), (1, 1, 1, 1), (9, 3, 2, 3), (0, 0, 0, 0)],
)
def test_examples_of_the_rules(
    x: int, initial: int, surveillance: int, recertification: int
) -> None:
    """Given x service sites,
    when the sample is sized for each audit type,
    then it is rules.md's ⌈√x⌉ / ⌈0.6·√x⌉ / ⌈0.8·√x⌉ (x = 0 gives 0)."""
    assert sample_size(x, "initial") == initial
    assert sample_size(x, "surveillance") == surveillance
    assert sample_size(x, "recertification") == recertification


@pytest.mark.parametrize("x", [0, 1, 2, 3, 9, 10, 10**6])
def test_supplementary_is_the_planners_choice(x: int) -> None:
    """Given a supplementary audit,
    when the sample is sized,
    then there is no figure (None): the planner chooses."""
    assert sample_size(x, "supplementary") is None


def test_negative_sites_are_refused() -> None:
    """Given a negative number of sites,
    when the sample is sized,
    then a ValueError is raised."""
    with pytest.raises(ValueError):
        sample_size(-1, "initial")


# ---------------------------------------------------------------- exact at the boundary


@pytest.mark.parametrize(
    ("x", "audit_type", "expected"),
    [
        (10**12, "initial", 10**6),
        (10**12, "surveillance", 600_000),
        (10**12, "recertification", 800_000),
        (9 * 25 * 7**2, "surveillance", 63),  # 0.6 · √(9·25·49) = 0.6 · 105 = 63
        (25 * 39_999**2, "surveillance", 3 * 39_999),  # 0.6 · 5·39,999 exactly
        (10**12 + 1, "initial", 10**6 + 1),
        (10**12 - 1, "initial", 10**6),
    ],
)
def test_whole_products_are_not_pushed_over(x: int, audit_type: str, expected: int) -> None:
    """Given x where c·√x is a whole number, or √x lies a hair from one,
    when the sample is sized,
    then it is that whole number, or the next one up — never off by one."""
    assert ceil_times_sqrt(SAMPLE_COEFFICIENTS[audit_type], x) == expected


def test_regression_float_of_squared_coefficient_overshoots() -> None:
    """Given x = 225 and a recertification (0.8 · √225 = 12 exactly),
    when the sample is sized,
    then it is 12 — whereas the float form ⌈√(0.8² · x)⌉ gives 13, since 0.8*0.8 is
    0.6400000000000001 in binary floating point."""
    assert math.ceil(math.sqrt(0.8 * 0.8 * 225)) == 13  # the float trap this pins
    assert sample_size(225, "recertification") == 12
    assert sample_size(900, "recertification") == 24
    assert sample_size(1225, "recertification") == 28


@pytest.mark.parametrize(
    ("audit_type", "expected"),
    [("initial", 10**8 + 1), ("surveillance", 60_000_001), ("recertification", 80_000_001)],
)
def test_regression_float_loses_the_one_above_a_large_square(
    audit_type: str, expected: int
) -> None:
    """Given x = 10**16 + 1 (one more than a square, beyond float's 53-bit integers),
    when c·√x is rounded up,
    then the exact answer is one more than the float one (float(x) == 10**16)."""
    x = 10**16 + 1
    coefficient = SAMPLE_COEFFICIENTS[audit_type]
    assert math.ceil(float(coefficient) * math.sqrt(x)) == expected - 1  # the float trap
    assert ceil_times_sqrt(coefficient, x) == expected


# ---------------------------------------------------------------- properties


sites = st.integers(min_value=0, max_value=10**12)
types = st.sampled_from(TYPES)


@settings(max_examples=300, deadline=None)
@given(x=sites, audit_type=types)
@example(x=10**12, audit_type="initial")
@example(x=225, audit_type="recertification")
@example(x=9 * 10**10, audit_type="surveillance")
def test_ceil_times_sqrt_is_exactly_the_ceiling(x: int, audit_type: str) -> None:
    """Given any x up to 10**12 and a coefficient c = p/q,
    when n = ceil_times_sqrt(c, x),
    then (n·q)² ≥ p²·x and, for n > 0, ((n−1)·q)² < p²·x: n is the least such whole number."""
    coefficient = SAMPLE_COEFFICIENTS[audit_type]
    p, q = coefficient.numerator, coefficient.denominator
    n = ceil_times_sqrt(coefficient, x)
    assert n >= 0
    assert (n * q) ** 2 >= p * p * x
    if n > 0:
        assert ((n - 1) * q) ** 2 < p * p * x


@settings(max_examples=300, deadline=None)
@given(x=sites, audit_type=types)
@example(x=10**12, audit_type="recertification")
@example(x=25 * 39_999**2, audit_type="surveillance")
def test_ceil_times_sqrt_agrees_with_a_50_digit_decimal_reference(x: int, audit_type: str) -> None:
    """Given any x up to 10**12 and each coefficient,
    when the ceiling is computed in integers and, slowly, with 50-digit decimals,
    then both agree."""
    coefficient = SAMPLE_COEFFICIENTS[audit_type]
    assert ceil_times_sqrt(coefficient, x) == decimal_reference(coefficient, x)


@settings(max_examples=300, deadline=None)
@given(x=sites, audit_type=types)
def test_sample_never_exceeds_the_sites(x: int, audit_type: str) -> None:
    """Given x sites and an audit type,
    when the sample is sized,
    then it is never more than x, and at least 1 when there is a site."""
    size = sample_size(x, audit_type)
    assert size is not None
    assert 0 <= size <= x
    assert (size >= 1) == (x >= 1)
