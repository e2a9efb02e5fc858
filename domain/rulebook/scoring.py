"""Scoring (ZPIC-WF-20 4.4.2.3, 4.4.3): indicator scores, the final score and the grade, exactly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

PASS_MARK = Fraction(70)
"""4.4.3.2: 70 points or more is the minimum."""

FAILING_DEDUCTIONS = 5
"""4.4.3.2: five or more special deductions fail the evaluation whatever the score."""

GRADE_THRESHOLDS: tuple[tuple[Fraction, str], ...] = (
    (Fraction(95), "five_star"),
    (Fraction(90), "four_star"),
    # Ruling (4.4.3.3): the original names the >= 80 band 五星级 too, contradicting its >= 95
    # band; GB/T 27922's 三星级 applies.
    (Fraction(80), "three_star"),
    (Fraction(70), "compliant"),
)

GRADE_NAMES: dict[str, str] = {
    "five_star": "五星级 / five star",
    "four_star": "四星级 / four star",
    "three_star": "三星级 / three star",
    "compliant": "达标级 / compliant",
}

SPECIAL_DEDUCTION_POINTS = Fraction(1)
SPECIAL_BONUS_POINTS = Fraction(1)
"""4.4.2.3: each special deduction −1, the one special bonus +1, outside the indicator scores."""

DEDUCTION_CATEGORIES: dict[str, str] = {
    "law": "违反法律法规 / breaks laws or regulations",
    "company_rules": "违反企业自身服务规定 / breaks the organization's own service rules",
    "industry": "违反行业特殊要求 / breaks industry-specific requirements",
    "system_operation": "影响服务体系运行 / impairs the running of the service system",
}


@dataclass(frozen=True)
class Check:
    """A counted finding: a qualitative nonconformity, or a sampled check (n of m)."""

    kind: str  # "nonconformity" | "sampled"
    sampled: int = 0
    nonconforming: int = 0


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's line of the breakdown."""

    indicator: str
    points: int
    earned: Fraction
    excluded: bool


@dataclass(frozen=True)
class Score:
    """The evaluation's result (4.4.2.3, 4.4.3)."""

    breakdown: tuple[IndicatorScore, ...]
    applicable: int
    earned: Fraction
    base: Fraction
    special_deductions: int
    bonus: int
    final: Fraction
    passed: bool
    grade: str | None


def deduction_ratio(checks: Iterable[Check]) -> Fraction:
    """The share of an indicator's points lost (4.4.2.3).

    A qualitative nonconformity loses all of them. Otherwise the worst sampled ratio counts.
    Ruling (4.4.2.3): several sampled checks on one indicator deduct by the worst ratio, not
    their sum.
    """
    worst = Fraction(0)
    for check in checks:
        if check.kind == "nonconformity":
            return Fraction(1)
        if check.sampled > 0:
            worst = max(worst, Fraction(check.nonconforming, check.sampled))
    return worst


def indicator_earned(points: int, checks: Iterable[Check]) -> Fraction:
    """Points earned on one indicator: points × (1 − d)."""
    return points * (1 - deduction_ratio(checks))


def grade_for(final: Fraction) -> str | None:
    """The grade a passing score earns (4.4.3.3), decided on the exact value."""
    for threshold, grade in GRADE_THRESHOLDS:
        if final >= threshold:
            return grade
    return None


def final_score(
    points: Mapping[str, int],
    checks: Mapping[str, Iterable[Check]],
    excluded: Iterable[str],
    special_deductions: int,
    bonus: bool,
) -> Score:
    """The whole score from the catalogue's points, the counted checks and the adjustments.

    Excluded indicators count in neither earned nor applicable points (4.4.2.2).
    Ruling (4.4.3): the final score is clamped to [0, 100].
    """
    excluded_set = set(excluded)
    lines = tuple(
        IndicatorScore(
            indicator=indicator,
            points=pts,
            earned=Fraction(0)
            if indicator in excluded_set
            else indicator_earned(pts, checks.get(indicator, ())),
            excluded=indicator in excluded_set,
        )
        for indicator, pts in points.items()
    )
    applicable = sum(line.points for line in lines if not line.excluded)
    earned = sum((line.earned for line in lines if not line.excluded), Fraction(0))
    if applicable <= 0:
        raise ValueError("no applicable indicator is left to score")
    base = 100 * earned / applicable
    bonus_points = SPECIAL_BONUS_POINTS if bonus else Fraction(0)
    final = min(
        Fraction(100),
        max(Fraction(0), base - special_deductions * SPECIAL_DEDUCTION_POINTS + bonus_points),
    )
    passed = final >= PASS_MARK and special_deductions < FAILING_DEDUCTIONS
    return Score(
        breakdown=lines,
        applicable=applicable,
        earned=earned,
        base=base,
        special_deductions=special_deductions,
        bonus=int(bonus),
        final=final,
        passed=passed,
        grade=grade_for(final) if passed else None,
    )
