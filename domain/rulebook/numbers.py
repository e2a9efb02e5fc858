"""How exact values are shown (rules.md §3.3): two decimals, rounded half up."""

from __future__ import annotations

from fractions import Fraction


def two_decimals(value: Fraction) -> str:
    """A non-negative exact value with two decimals, rounded half up ("88.50", "1.20")."""
    if value < 0:
        raise ValueError("only non-negative values are shown this way")
    hundredths = int(value * 100 + Fraction(1, 2))  # int() floors a non-negative Fraction
    return f"{hundredths // 100}.{hundredths % 100:02d}"
