"""Multi-site sampling (ZPIC-WF-20 4.2.2): how many service sites an audit visits, exactly."""

from __future__ import annotations

from fractions import Fraction
from math import isqrt

SAMPLE_COEFFICIENTS: dict[str, Fraction] = {
    "initial": Fraction(1),
    "surveillance": Fraction(3, 5),
    "recertification": Fraction(4, 5),
}
"""Sites sampled: initial ⌈√x⌉, surveillance ⌈0.6·√x⌉, recertification ⌈0.8·√x⌉."""


def ceil_times_sqrt(coefficient: Fraction, x: int) -> int:
    """⌈c·√x⌉ in integers: the least n ≥ 0 with (n·q)² ≥ p²·x, where c = p/q.

    Ruling (4.2.2): round up, computed exactly (no floating point near a whole number).
    """
    if x < 0 or coefficient < 0:
        raise ValueError("x and the coefficient must be non-negative")
    p, q = coefficient.numerator, coefficient.denominator
    target = p * p * x
    n = isqrt(target) // q
    while (n * q) ** 2 < target:
        n += 1
    return n


def sample_size(sites: int, audit_type: str) -> int | None:
    """Service sites to sample besides the central office (4.2.2); None: the planner chooses.

    Never more than there are sites; no sites, no sample.
    """
    if sites < 0:
        raise ValueError("the number of sites cannot be negative")
    if audit_type == "supplementary":
        return None
    return min(sites, ceil_times_sqrt(SAMPLE_COEFFICIENTS[audit_type], sites))


def offered_sample(
    site_names: list[str], size: int, visited: frozenset[str] = frozenset()
) -> list[str]:
    """The sample offered when the planner names none: unvisited sites first (5.4)."""
    unvisited = [s for s in site_names if s not in visited]
    seen = [s for s in site_names if s in visited]
    return (unvisited + seen)[:size]
