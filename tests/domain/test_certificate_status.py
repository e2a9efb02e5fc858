"""The certificate's status rules in memory (rules.md §8): periods, the ceiling, lateness."""

from __future__ import annotations

from datetime import date

import pytest

from domain.certificate import Certificate
from domain.errors import InvalidInput, RuleViolation


def certificate(issued_on: date = date(2026, 3, 10)) -> Certificate:
    """A certificate issued on a day."""
    return Certificate(
        number="ECPSC-SC-2026-00001",
        organization={"name": "某公司", "uscc": "91350100M000100Y43", "address": "福州"},
        scope="零售",
        sites=[],
        grade="five_star",
        issued_on=issued_on,
        expires_on=date(2029, 3, 9),
        audit_id="a",
        decision_id="d",
        application_id=None,
        basis="GB/T 27922-2011",
        by="u",
    )


def test_a_suspension_effective_on_the_fifth_working_day_is_on_time() -> None:
    """Given facts verified on Monday 2026-06-01, when the suspension takes effect on Monday
    2026-06-08 (the fifth working day after), then it is on time; its period of 3 months from
    2026-06-02 style dates runs to the day before the same day 3 months later."""
    cert = certificate()
    cert.suspend("requested_by_organization", date(2026, 6, 1), date(2026, 6, 8), 3, by="u")
    event = cert.collect_events()[-1]
    assert isinstance(event, Certificate.Suspended)
    assert (event.due_on, event.late, event.due_on_provisional) == (date(2026, 6, 8), False, False)
    assert event.suspended_until == date(2026, 9, 7)


def test_a_late_suspension_is_recorded_truthfully_and_flagged() -> None:
    """Given facts verified on 2026-06-01, when the suspension takes effect on 2026-06-09,
    then it is recorded as it happened, marked late, never refused or back-dated."""
    cert = certificate()
    cert.suspend("other", date(2026, 6, 1), date(2026, 6, 9), 3, by="u")
    event = cert.collect_events()[-1]
    assert isinstance(event, Certificate.Suspended)
    assert (event.effective_on, event.late) == (date(2026, 6, 9), True)


def test_the_national_day_holidays_do_not_count_as_working_days() -> None:
    """Given facts verified on 2026-09-29, when the 5 working days are counted over the
    National Day holidays, then the deadline falls after them (2026-10-12)."""
    cert = certificate()
    cert.withdraw("other", date(2026, 9, 29), date(2026, 10, 12), recovered=True, by="u")
    event = cert.collect_events()[-1]
    assert isinstance(event, Certificate.Withdrawn)
    assert (event.due_on, event.late) == (date(2026, 10, 12), False)


def test_a_deadline_in_an_unpublished_year_is_provisional() -> None:
    """Given facts verified at the end of 2026, when the deadline runs into 2027 (whose
    official calendar the package does not know), then it is counted on the statutory floor
    (元旦 2027-01-01 off, weekends off) and marked provisional, naming that layer."""
    cert = certificate()
    cert.suspend("other", date(2026, 12, 28), date(2026, 12, 28), 3, by="u")
    event = cert.collect_events()[-1]
    assert isinstance(event, Certificate.Suspended)
    assert (event.due_on, event.due_on_provisional) == (date(2027, 1, 5), True)
    assert event.due_on_calendar == "statutory"


def test_extensions_count_from_the_first_day_and_stop_at_six_months() -> None:
    """Given a suspension of 3 months from 2026-11-30 (through 2027-02-28),
    when it is extended by 2 and then by 1 month, then it runs through 2027-05-29;
    a further month is refused (7.2.2)."""
    cert = certificate()
    cert.suspend("other", date(2026, 11, 30), date(2026, 11, 30), 3, by="u")
    assert cert.suspended_until == date(2027, 2, 28)
    cert.extend_suspension(2, by="u")
    cert.extend_suspension(1, by="u")
    assert cert.suspended_until == date(2027, 5, 29)
    with pytest.raises(RuleViolation) as refused:
        cert.extend_suspension(1, by="u")
    assert refused.value.code == "suspension_too_long"


def test_reinstatement_after_the_suspension_ended_is_refused() -> None:
    """Given a suspension through 2026-09-07, when reinstatement would take effect on
    2026-09-08, then it is refused: the suspension ended unresolved (7.3.1 item 7)."""
    cert = certificate()
    cert.suspend("other", date(2026, 6, 8), date(2026, 6, 8), 3, by="u")
    with pytest.raises(RuleViolation) as refused:
        cert.reinstate(date(2026, 9, 8), date(2026, 9, 8), by="u")
    assert refused.value.code == "suspension_ended"
    cert.reinstate(date(2026, 9, 7), date(2026, 9, 7), by="u")
    assert cert.status == "valid"


def test_effect_before_verification_is_malformed() -> None:
    """Given a valid certificate, when a suspension takes effect before its facts were
    verified, then it is malformed input naming effective_on."""
    cert = certificate()
    with pytest.raises(InvalidInput) as refused:
        cert.suspend("other", date(2026, 6, 8), date(2026, 6, 7), 3, by="u")
    assert refused.value.field == "effective_on"
