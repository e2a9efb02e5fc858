"""Scoring properties over random findings (rules.md §3.2–§3.3), exact to the clause."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rulebook.catalogue import INDICATORS
from domain.rulebook.numbers import two_decimals
from domain.rulebook.scoring import Check, final_score, grade_for

POINTS = {i.id: i.points for i in INDICATORS}
GOODS = [i.id for i in INDICATORS if i.excludable]

checks_strategy = st.one_of(
    st.just(Check("nonconformity")),
    st.integers(1, 50).flatmap(lambda n: st.integers(0, n).map(lambda k: Check("sampled", n, k))),
)
findings_strategy = st.dictionaries(
    st.sampled_from(list(POINTS)), st.lists(checks_strategy, max_size=3), max_size=15
)


@settings(max_examples=300, deadline=None)
@given(
    findings=findings_strategy,
    excluded=st.sets(st.sampled_from(GOODS)),
    deductions=st.integers(0, 10),
    bonus=st.booleans(),
)
def test_the_score_stays_in_range_and_passing_follows_the_rule(
    findings: dict[str, list[Check]], excluded: set[str], deductions: int, bonus: bool
) -> None:
    """Given any findings, exclusions, deductions and bonus, when scored,
    then the final score is within [0, 100], passed ⇔ final ≥ 70 and deductions < 5,
    and the grade is the one its exact value earns."""
    score = final_score(POINTS, findings, excluded, deductions, bonus)
    assert 0 <= score.final <= 100
    assert score.passed == (score.final >= 70 and deductions < 5)
    assert score.grade == (grade_for(score.final) if score.passed else None)
    assert score.applicable == 100 - sum(POINTS[i] for i in excluded)


@settings(max_examples=300, deadline=None)
@given(
    findings=findings_strategy,
    excluded=st.sets(st.sampled_from(GOODS)),
    indicator=st.sampled_from(list(POINTS)),
    extra=checks_strategy,
)
def test_a_further_finding_never_raises_the_score(
    findings: dict[str, list[Check]], excluded: set[str], indicator: str, extra: Check
) -> None:
    """Given a scored audit, when one more finding is recorded on any indicator,
    then the final score does not go up."""
    before = final_score(POINTS, findings, excluded, 0, False).final
    more = {**findings, indicator: [*findings.get(indicator, []), extra]}
    assert final_score(POINTS, more, excluded, 0, False).final <= before


@settings(max_examples=300, deadline=None)
@given(
    findings=findings_strategy,
    excluded=st.sets(st.sampled_from(GOODS)),
    newly=st.sampled_from(GOODS),
)
def test_excluding_an_indicator_never_changes_another_ones_earned_points(
    findings: dict[str, list[Check]], excluded: set[str], newly: str
) -> None:
    """Given a scored audit, when one more goods-service indicator is excluded,
    then every other indicator earns exactly what it earned before."""
    before = {
        line.indicator: line.earned
        for line in final_score(POINTS, findings, excluded, 0, False).breakdown
    }
    after = final_score(POINTS, findings, excluded | {newly}, 0, False)
    for line in after.breakdown:
        if line.indicator != newly:
            assert line.earned == before[line.indicator]


@settings(max_examples=300, deadline=None)
@given(st.fractions(min_value=0, max_value=100))
def test_grades_and_shown_values_are_decided_on_the_exact_value(value: Fraction) -> None:
    """Given any exact score, then the grade follows the thresholds on the exact value,
    and the shown value is that value rounded half up to two decimals."""
    expected = (
        "five_star"
        if value >= 95
        else "four_star"
        if value >= 90
        else "three_star"
        if value >= 80
        else "compliant"
        if value >= 70
        else None
    )
    assert grade_for(value) == expected
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        assert two_decimals(value) == str(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_a_score_a_hair_below_a_threshold_gets_the_lower_grade() -> None:
    """Given 1 nonconforming in 7 sampled on customer relations (15 points), when scored,
    then 100 − 15/7 = 97.857… is five_star; and an exact 89.999… stays four_star's miss."""
    score = final_score(POINTS, {"4.3.3.1": [Check("sampled", 7, 1)]}, (), 0, False)
    assert score.final == 100 - Fraction(15, 7)
    assert score.grade == "five_star"
    assert grade_for(Fraction(90) - Fraction(1, 10**12)) == "three_star"
    assert grade_for(Fraction(90)) == "four_star"
