"""Scoring (rules.md §3.2, §3.3, ZPIC-WF-20 4.4.2.3, 4.4.3), exactly, in given/when/then form."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rulebook.numbers import two_decimals
from domain.rulebook.scoring import Check, Score, final_score, grade_for

POINTS: dict[str, int] = {
    "4.3.1.1": 4,
    "4.3.1.2": 6,
    "4.3.1.3": 6,
    "4.3.1.4": 6,
    "4.3.1.5": 7,
    "4.3.1.6": 5,
    "4.3.1.7": 6,
    "4.3.2.1": 6,
    "4.3.2.2": 6,
    "4.3.2.3": 4,
    "4.3.2.4": 10,
    "4.3.2.5": 7,
    "4.3.2.6": 2,
    "4.3.3.1": 15,
    "4.3.3.2": 10,
}
GOODS_SERVICE = tuple(i for i in POINTS if i.startswith("4.3.2."))
NONCONFORMITY = Check("nonconformity")

ORGANISATION, SUPERVISION, IMPROVEMENT = "4.3.1.1", "4.3.1.5", "4.3.1.6"
GOODS_INFO, TECH_SUPPORT, DELIVERY = "4.3.2.1", "4.3.2.2", "4.3.2.3"
REPAIR, TAKE_BACK = "4.3.2.4", "4.3.2.6"
CUSTOMER_RELATIONS, COMPLAINTS = "4.3.3.1", "4.3.3.2"


def sampled(nonconforming: int, of: int) -> Check:
    return Check("sampled", sampled=of, nonconforming=nonconforming)


def score(
    checks: dict[str, list[Check]] | None = None,
    excluded: tuple[str, ...] = (),
    deductions: int = 0,
    bonus: bool = False,
) -> Score:
    return final_score(POINTS, checks or {}, excluded, deductions, bonus)


def expected_grade(final: Fraction) -> str | None:
    """rules.md §3.3's bands, written out independently of the production table."""
    if final >= 95:
        return "five_star"
    if final >= 90:
        return "four_star"
    if final >= 80:
        return "three_star"
    if final >= 70:
        return "compliant"
    return None


def half_up_reference(value: Fraction) -> str:
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_catalogue_totals_100() -> None:
    """Given the 15 indicators' points, then they total 100 (40 + 35 + 25)."""
    assert sum(POINTS.values()) == 100
    assert sum(POINTS[i] for i in GOODS_SERVICE) == 35


# ---------------------------------------------------------------- examples of §3.3


def test_example_1_no_findings_is_100_five_star() -> None:
    """Given no findings and no exclusions,
    when the audit is scored,
    then the score is 100.00 and the grade five_star."""
    result = score()
    assert result.applicable == 100
    assert result.final == Fraction(100)
    assert two_decimals(result.final) == "100.00"
    assert result.passed is True
    assert result.grade == "five_star"


def test_example_2_repair_nonconformity_and_3_of_20_complaints() -> None:
    """Given a qualitative nonconformity on repair and 3 of 20 complaints nonconforming,
    when the audit is scored,
    then 100 − 10 − 1.5 = 88.50 exactly, three_star."""
    result = score({REPAIR: [NONCONFORMITY], COMPLAINTS: [sampled(3, 20)]})
    assert result.final == Fraction(177, 2)
    assert two_decimals(result.final) == "88.50"
    assert result.passed is True
    assert result.grade == "three_star"


def test_example_3_exclusions_and_supervision_nonconformity() -> None:
    """Given delivery and take-back excluded and a nonconformity on supervision,
    when the audit is scored,
    then applicable is 94 and 87/94 × 100 = 92.55, four_star."""
    result = score({SUPERVISION: [NONCONFORMITY]}, excluded=(DELIVERY, TAKE_BACK))
    assert result.applicable == 94
    assert result.earned == Fraction(87)
    assert result.final == Fraction(8700, 94)
    assert two_decimals(result.final) == "92.55"
    assert result.grade == "four_star"


def test_example_3_with_three_special_deductions() -> None:
    """Given example 3 with three special deductions,
    when the audit is scored,
    then 92.55 − 3 = 89.55, three_star."""
    result = score({SUPERVISION: [NONCONFORMITY]}, excluded=(DELIVERY, TAKE_BACK), deductions=3)
    assert result.final == Fraction(8700, 94) - 3
    assert two_decimals(result.final) == "89.55"
    assert result.passed is True
    assert result.grade == "three_star"


def test_example_4_five_deductions_fail_whatever_the_score() -> None:
    """Given no findings but five special deductions,
    when the audit is scored,
    then the score is 95.00 yet it fails, with no grade."""
    result = score(deductions=5)
    assert result.final == Fraction(95)
    assert two_decimals(result.final) == "95.00"
    assert result.passed is False
    assert result.grade is None


# ---------------------------------------------------------------- rulings


def test_worst_sampled_ratio_counts_not_the_sum() -> None:
    """Given two sampled checks on complaint handling, 3 of 20 and 1 of 10,
    when the audit is scored,
    then complaint handling loses 10 × 3/20 = 1.5 (the worst), not 10 × (3/20 + 1/10) = 2.5."""
    result = score({COMPLAINTS: [sampled(3, 20), sampled(1, 10)]})
    line = next(line for line in result.breakdown if line.indicator == COMPLAINTS)
    assert line.earned == Fraction(17, 2)
    assert result.final == Fraction(197, 2)


def test_a_nonconformity_beats_any_sampled_ratio() -> None:
    """Given a sampled check 0 of 20 and a nonconformity on complaint handling,
    when the audit is scored,
    then complaint handling earns nothing."""
    result = score({COMPLAINTS: [sampled(0, 20), NONCONFORMITY]})
    line = next(line for line in result.breakdown if line.indicator == COMPLAINTS)
    assert line.earned == 0
    assert result.final == Fraction(90)


@pytest.mark.parametrize(
    ("lost", "final", "grade"),
    [
        ((IMPROVEMENT,), 95, "five_star"),
        ((REPAIR,), 90, "four_star"),
        ((REPAIR, COMPLAINTS), 80, "three_star"),
        ((REPAIR, CUSTOMER_RELATIONS, IMPROVEMENT), 70, "compliant"),
    ],
)
def test_a_final_exactly_on_a_threshold_earns_that_grade(
    lost: tuple[str, ...], final: int, grade: str
) -> None:
    """Given nonconformities costing exactly 5, 10, 20 or 30 points,
    when the audit is scored,
    then a final of exactly 95 / 90 / 80 / 70 earns five / four / three star / compliant."""
    result = score({i: [NONCONFORMITY] for i in lost})
    assert result.final == Fraction(final)
    assert result.passed is True
    assert result.grade == grade


@pytest.mark.parametrize(
    ("checks", "excluded", "deductions", "final", "grade"),
    [
        # 94 applicable; 75 base less 10×1/18; −4 → 29608/423 ≈ 69.9953
        (
            {CUSTOMER_RELATIONS: [NONCONFORMITY], REPAIR: [sampled(17, 18)]},
            (GOODS_INFO,),
            4,
            Fraction(29608, 423),
            None,
        ),
        # 88 applicable; customer relations 46 of 49; −4 → 43119/539 ≈ 79.9981
        (
            {CUSTOMER_RELATIONS: [sampled(46, 49)]},
            (GOODS_INFO, TECH_SUPPORT),
            4,
            Fraction(43119, 539),
            "compliant",
        ),
        # 94 applicable; repair 11 of 13; −1 → 54989/611 ≈ 89.9984
        ({REPAIR: [sampled(11, 13)]}, (GOODS_INFO,), 1, Fraction(54989, 611), "three_star"),
        # 94 applicable; organisation structure 4 of 17; −4 → 75904/799 ≈ 94.9987
        ({ORGANISATION: [sampled(4, 17)]}, (GOODS_INFO,), 4, Fraction(75904, 799), "four_star"),
    ],
)
def test_a_final_just_below_a_threshold_that_shows_as_it_gets_the_lower_grade(
    checks: dict[str, list[Check]],
    excluded: tuple[str, ...],
    deductions: int,
    final: Fraction,
    grade: str | None,
) -> None:
    """Given sampled ratios and exclusions making a final a hair below 70 / 80 / 90 / 95,
    when the audit is scored,
    then the report shows the threshold ("70.00" …) but the exact value decides: the lower
    grade, or a fail below 70."""
    result = score(checks, excluded, deductions)
    assert result.final == final
    threshold = {None: 70, "compliant": 80, "three_star": 90, "four_star": 95}[grade]
    assert threshold - Fraction(1, 200) < result.final < threshold
    assert two_decimals(result.final) == f"{threshold}.00"
    assert result.grade == grade
    assert result.passed is (grade is not None)


@pytest.mark.parametrize(
    ("threshold", "grade", "below"),
    [
        (70, "compliant", None),
        (80, "three_star", "compliant"),
        (90, "four_star", "three_star"),
        (95, "five_star", "four_star"),
    ],
)
def test_grade_for_compares_the_exact_value(threshold: int, grade: str, below: str | None) -> None:
    """Given a value exactly on a threshold and one a billionth below,
    when grade_for is asked,
    then the first earns the grade and the second the one below (None under 70)."""
    assert grade_for(Fraction(threshold)) == grade
    assert grade_for(Fraction(threshold) - Fraction(1, 10**9)) == below


def test_bonus_adds_one() -> None:
    """Given a score of 88.50 and the special bonus,
    when the audit is scored,
    then the final is 89.50."""
    result = score({REPAIR: [NONCONFORMITY], COMPLAINTS: [sampled(3, 20)]}, bonus=True)
    assert result.final == Fraction(179, 2)
    assert result.bonus == 1


def test_bonus_on_a_perfect_score_stays_100() -> None:
    """Given no findings and the special bonus,
    when the audit is scored,
    then the final is clamped to 100, not 101."""
    result = score(bonus=True)
    assert result.base == Fraction(100)
    assert result.final == Fraction(100)
    assert result.grade == "five_star"


def test_final_is_clamped_at_zero() -> None:
    """Given a nonconformity on every indicator and three special deductions,
    when the audit is scored,
    then the final is 0, not −3, and fails."""
    result = score({i: [NONCONFORMITY] for i in POINTS}, deductions=3)
    assert result.base == 0
    assert result.final == 0
    assert result.passed is False
    assert result.grade is None


def test_bonus_on_a_zero_base_is_one() -> None:
    """Given a nonconformity on every indicator and the special bonus,
    when the audit is scored,
    then the final is 1."""
    assert score({i: [NONCONFORMITY] for i in POINTS}, bonus=True).final == 1


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(0), "0.00"),
        (Fraction(1, 200), "0.01"),
        (Fraction(1, 8), "0.13"),  # half up, not half to even
        (Fraction(3, 8), "0.38"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(177, 2), "88.50"),
        (Fraction(100), "100.00"),
        (Fraction(1999, 200), "10.00"),  # 9.995 carries
    ],
)
def test_two_decimals_rounds_half_up(value: Fraction, shown: str) -> None:
    """Given an exact value, when shown, then it has two decimals rounded half up."""
    assert two_decimals(value) == shown


def test_two_decimals_refuses_negative() -> None:
    """Given a negative value, when shown, then a ValueError is raised."""
    with pytest.raises(ValueError):
        two_decimals(Fraction(-1, 100))


# ---------------------------------------------------------------- properties


@st.composite
def sampled_check(draw: st.DrawFn) -> Check:
    of = draw(st.integers(min_value=1, max_value=50))
    return sampled(draw(st.integers(min_value=0, max_value=of)), of)


check_strategy = st.one_of(st.just(NONCONFORMITY), sampled_check())


@st.composite
def findings(draw: st.DrawFn) -> dict[str, list[Check]]:
    result: dict[str, list[Check]] = {}
    for indicator in POINTS:
        checks = draw(st.lists(check_strategy, max_size=3))
        if checks:
            result[indicator] = checks
    return result


exclusions = st.lists(st.sampled_from(GOODS_SERVICE), unique=True).map(tuple)
deduction_counts = st.integers(min_value=0, max_value=10)
audits = st.tuples(findings(), exclusions, deduction_counts, st.booleans())


@settings(max_examples=300, deadline=None)
@given(audit=audits)
def test_score_is_within_0_and_100_and_the_verdict_follows_the_rules(
    audit: tuple[dict[str, list[Check]], tuple[str, ...], int, bool],
) -> None:
    """Given any findings, goods-service exclusions, deductions and bonus,
    when the audit is scored,
    then 0 ≤ final ≤ 100; passed ⇔ final ≥ 70 and deductions < 5; a pass's grade is the
    band of the exact final; the shown score is the half-up rounding of the exact one."""
    checks, excluded, deductions, bonus = audit
    result = score(checks, excluded, deductions, bonus)
    assert 0 <= result.final <= 100
    assert result.applicable == 100 - sum(POINTS[i] for i in excluded)
    assert result.passed is (result.final >= 70 and deductions < 5)
    assert result.grade == (expected_grade(result.final) if result.passed else None)
    assert grade_for(result.final) == expected_grade(result.final)
    assert two_decimals(result.final) == half_up_reference(result.final)
    assert two_decimals(result.base) == half_up_reference(result.base)


@settings(max_examples=300, deadline=None)
@given(audit=audits, indicator=st.sampled_from(tuple(POINTS)), extra=check_strategy)
def test_a_further_finding_never_raises_the_score(
    audit: tuple[dict[str, list[Check]], tuple[str, ...], int, bool],
    indicator: str,
    extra: Check,
) -> None:
    """Given any audit and one further nonconformity or sampled check on any indicator,
    when both are scored,
    then the one with the further finding never scores higher."""
    checks, excluded, deductions, bonus = audit
    before = score(checks, excluded, deductions, bonus)
    more = {**checks, indicator: [*checks.get(indicator, []), extra]}
    after = score(more, excluded, deductions, bonus)
    assert after.final <= before.final
    assert after.earned <= before.earned


@settings(max_examples=300, deadline=None)
@given(audit=audits, extra_exclusion=st.sampled_from(GOODS_SERVICE))
def test_excluding_an_indicator_leaves_the_others_earned_points(
    audit: tuple[dict[str, list[Check]], tuple[str, ...], int, bool],
    extra_exclusion: str,
) -> None:
    """Given any audit and one more goods-service indicator excluded,
    when both are scored,
    then every other indicator earns the same points; the excluded one counts in neither
    earned nor applicable points."""
    checks, excluded, deductions, bonus = audit
    before = score(checks, excluded, deductions, bonus)
    after = score(checks, (*excluded, extra_exclusion), deductions, bonus)
    earned_before = {line.indicator: line.earned for line in before.breakdown}
    for line in after.breakdown:
        if line.indicator != extra_exclusion:
            assert line.earned == earned_before[line.indicator]
    if extra_exclusion not in excluded:
        assert after.applicable == before.applicable - POINTS[extra_exclusion]
        assert after.earned == before.earned - earned_before[extra_exclusion]


@settings(max_examples=300, deadline=None)
@given(
    value=st.fractions(min_value=0, max_value=200, max_denominator=10**6)
    | st.builds(lambda n: Fraction(2 * n + 1, 200), st.integers(min_value=0, max_value=40_000))
)
def test_two_decimals_matches_decimal_half_up(value: Fraction) -> None:
    """Given any non-negative exact value, including exact half-hundredths,
    when shown with two decimals,
    then it equals Decimal's ROUND_HALF_UP quantization of the value at high precision."""
    assert two_decimals(value) == half_up_reference(value)


@settings(max_examples=300, deadline=None)
@given(value=st.fractions(min_value=0, max_value=100, max_denominator=10**6))
def test_grade_for_agrees_with_the_thresholds(value: Fraction) -> None:
    """Given any exact value in [0, 100],
    when grade_for is asked,
    then it gives the band of rules.md §3.3 on the exact value (None below 70)."""
    assert grade_for(value) == expected_grade(value)
