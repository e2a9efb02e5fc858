"""The Audit aggregate in memory: plan rules of 4.2, the worked examples of rules.md §3.3, and a
stateful check that replaying an audit's events rebuilds the same audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain.audit import Audit
from domain.backoffice import BackOffice
from domain.errors import DomainError, RuleViolation
from domain.people import Actor
from domain.rulebook.catalogue import INDICATORS, INDICATORS_BY_ID
from tests.domain.support import TODAY, stored_count, submit

REGISTRATION = {
    "number": "CCAA-1",
    "valid_from": date(2025, 1, 1),
    "valid_until": date(2028, 12, 31),
}


class Office:
    """Staff and a contracted application (headcount 300: 3.00 days required, 2.40 on site)."""

    def __init__(self, bo: BackOffice, sites: int = 0) -> None:
        self.bo = bo
        admin = bo.bootstrap_admin()
        self.intake = Actor("intake-1", "受理员", frozenset({"intake"}))
        self.planner = Actor("planner-1", "策划员", frozenset({"planner"}))
        self.leader = self._user("组长", REGISTRATION, admin)
        self.auditor = self._user("审查员", REGISTRATION, admin)
        self.trainee = self._user("实习审查员", None, admin)
        self.outsider = self._user("组外审查员", REGISTRATION, admin)
        app = submit(bo, self.intake, sites=sites)
        bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), self.intake)
        bo.sign_contract(app.id, "HT-1", date(2026, 11, 22), self.intake)
        self.application_id = app.id

    def _user(self, name: str, registration: dict[str, Any] | None, admin: Actor) -> Actor:
        user, _ = self.bo.register_user(name, ["auditor"], registration, admin)
        return Actor(str(user.id), name, frozenset({"auditor"}))

    def plan(self, **overrides: Any) -> Audit:
        """Plan the initial audit: leader 1.5 + auditor 1.5 days, trainee 1 day, 2.4 on site."""
        team = [
            {"user_id": self.leader.id, "role": "leader", "days": "1.5"},
            {"user_id": self.auditor.id, "role": "auditor", "days": "1.5"},
            {"user_id": self.trainee.id, "role": "trainee", "days": "1"},
        ]
        args: dict[str, Any] = {
            "audit_type": "initial",
            "start_on": date(2026, 11, 24),
            "end_on": date(2026, 11, 25),
            "team": team,
            "onsite_days": Decimal("2.4"),
            "sites": [],
            "layers": ["service_management", "service_execution", "customer_feedback"],
            "justification": None,
            "by": self.planner,
            "application_id": self.application_id,
        }
        args.update(overrides)
        return self.bo.plan_audit(**args)


@pytest.fixture
def office() -> Office:
    """A contracted application and its audit team, in memory."""
    return Office(BackOffice(today=lambda: TODAY))


def refused(call: Any) -> str:
    """The code of the rule a call breaks."""
    with pytest.raises(RuleViolation) as error:
        call()
    return error.value.code


def test_trainee_days_do_not_count_towards_the_required_time(office: Office) -> None:
    """Given 3.00 person-days required, when the plan has 1.5 qualified and 2 trainee days,
    then it is refused as too short (4.2.1, 4.2.3) and nothing is recorded."""
    team = [
        {"user_id": office.leader.id, "role": "leader", "days": "1.5"},
        {"user_id": office.trainee.id, "role": "trainee", "days": "2"},
    ]
    assert refused(lambda: office.plan(team=team, onsite_days=Decimal("1.5"))) == (
        "insufficient_audit_time"
    )
    assert (
        office.bo._find(Audit, Audit.id_for_application(office.application_id, "initial")) is None
    )


def test_on_site_time_is_checked_exactly_at_80_percent(office: Office) -> None:
    """Given 3.00 days required, when 2.39 days are on site, then refused; 2.40 is accepted."""
    assert refused(lambda: office.plan(onsite_days=Decimal("2.39"))) == "insufficient_onsite_time"
    assert office.plan(onsite_days=Decimal("2.40")).required_onsite_days == Decimal("2.4")


def test_the_leader_must_be_registered_on_every_audit_day(office: Office) -> None:
    """Given a leader registered until 2028-12-31, when the audit runs into 2029,
    then the plan is refused (4.2.3)."""
    code = refused(lambda: office.plan(start_on=date(2028, 12, 30), end_on=date(2029, 1, 2)))
    assert code == "auditor_registration_invalid"


def test_a_sample_is_offered_when_the_planner_names_none() -> None:
    """Given 10 service sites, when the plan names none, then ⌈√10⌉ = 4 are offered (4.2.2);
    naming 3 is too few."""
    office = Office(BackOffice(today=lambda: TODAY), sites=10)
    assert refused(lambda: office.plan(sites=["门店1", "门店2", "门店3"])) == "insufficient_sample"
    audit = office.plan()
    assert (audit.sample_size, audit.sites, audit.sample_offered) == (
        4,
        ["门店1", "门店2", "门店3", "门店4"],
        True,
    )


def nonconformity(office: Office, audit: Audit, indicator: str, by: Actor | None = None) -> None:
    """A qualitative nonconformity against the first clause of an indicator."""
    office.bo.record_finding(
        audit.id,
        indicator,
        INDICATORS_BY_ID[indicator].clauses[0].id,
        "nonconformity",
        None,
        None,
        "记录缺失",
        by or office.auditor,
    )


def complete(office: Office, audit: Audit) -> dict[str, Any]:
    """The leader completes the audit; its recorded score."""
    done = office.bo.complete_audit(audit.id, date(2026, 11, 25), Decimal("2.4"), office.leader)
    assert done.completion is not None
    return done.completion["score"]  # type: ignore[no-any-return]


def test_worked_example_2_repair_and_complaints(office: Office) -> None:
    """Given a repair nonconformity and complaint handling 3 of 20 sampled nonconforming,
    when completed, then 100 − 10 − 1.5 = 88.50, three_star (rules.md §3.3 example 2)."""
    audit = office.plan()
    nonconformity(office, audit, "4.3.2.4")
    office.bo.record_finding(
        audit.id, "4.3.3.2", "4.3.3.2.1", "sampled", 20, 3, "3/20", office.auditor
    )
    score = complete(office, audit)
    assert (score["score"], score["grade"], score["final_exact"]) == (
        "88.50",
        "three_star",
        "177/2",
    )


def test_worked_example_3_exclusions_and_deductions(office: Office) -> None:
    """Given delivery and take-back excluded and a supervision nonconformity, then 87/94 = 92.55
    four_star; with three special deductions 89.55 three_star (rules.md §3.3 example 3)."""
    audit = office.plan()
    for indicator in ("4.3.2.3", "4.3.2.6"):
        office.bo.exclude_indicator(audit.id, indicator, "无形产品 / intangible", office.auditor)
    nonconformity(office, audit, "4.3.1.5")
    assert office.bo.get_audit(audit.id).current_score().applicable == 94
    for _ in range(3):
        office.bo.record_special_deduction(audit.id, "law", "违法", office.auditor)
    score = complete(office, audit)
    assert (score["base"], score["score"], score["grade"]) == ("92.55", "89.55", "three_star")


def test_worked_example_4_five_deductions_fail_whatever_the_score(office: Office) -> None:
    """Given no findings but five special deductions, then 95.00 yet failed, no grade."""
    audit = office.plan()
    for _ in range(5):
        office.bo.record_special_deduction(audit.id, "industry", "违规", office.auditor)
    score = complete(office, audit)
    assert (score["score"], score["passed"], score["grade"]) == ("95.00", False, None)


def test_a_trainees_finding_counts_only_once_approved(office: Office) -> None:
    """Given a trainee's repair nonconformity, then the score ignores it until a qualified
    member approves it; the trainee cannot approve it; outsiders cannot record at all."""
    audit = office.plan()
    nonconformity(office, audit, "4.3.2.4", by=office.trainee)
    assert office.bo.get_audit(audit.id).current_score().final == 100
    assert refused(lambda: office.bo.approve_finding(audit.id, 1, office.trainee)) == (
        "trainee_not_allowed"
    )
    assert refused(lambda: nonconformity(office, audit, "4.3.2.4", by=office.outsider)) == (
        "not_on_team"
    )
    office.bo.approve_finding(audit.id, 1, office.auditor)
    assert office.bo.get_audit(audit.id).current_score().final == 90


def test_nothing_is_recorded_after_completion(office: Office) -> None:
    """Given a completed audit, when anyone records on it, then audit_completed, nothing stored."""
    audit = office.plan()
    complete(office, audit)
    count = stored_count(office.bo, audit.id)
    assert refused(lambda: nonconformity(office, audit, "4.3.2.4")) == "audit_completed"
    assert refused(lambda: office.bo.record_special_bonus(audit.id, "领先", office.auditor)) == (
        "audit_completed"
    )
    assert stored_count(office.bo, audit.id) == count


INDICATOR_IDS = [i.id for i in INDICATORS]
GOODS = [i.id for i in INDICATORS if i.excludable]


class AuditReplay(RuleBasedStateMachine):
    """Any sequence of audit commands, accepted or refused, replays to the same audit."""

    def __init__(self) -> None:
        super().__init__()
        self.office = Office(BackOffice(today=lambda: TODAY))
        self.audit_id: UUID = self.office.plan().id

    def _try(self, call: Any) -> None:
        before = self.office.bo.get_audit(self.audit_id).version
        try:
            call()
        except DomainError:
            assert self.office.bo.get_audit(self.audit_id).version == before

    @rule(indicator=st.sampled_from(INDICATOR_IDS), trainee=st.booleans())
    def nonconformity(self, indicator: str, trainee: bool) -> None:
        by = self.office.trainee if trainee else self.office.auditor
        self._try(
            lambda: nonconformity(
                self.office, self.office.bo.get_audit(self.audit_id), indicator, by
            )
        )

    @rule(indicator=st.sampled_from(INDICATOR_IDS), sampled=st.integers(1, 30), data=st.data())
    def sampled(self, indicator: str, sampled: int, data: st.DataObject) -> None:
        bad = data.draw(st.integers(0, sampled))
        self._try(
            lambda: self.office.bo.record_finding(
                self.audit_id,
                indicator,
                f"{indicator}.1",
                "sampled",
                sampled,
                bad,
                "抽样",
                self.office.auditor,
            )
        )

    @rule(number=st.integers(1, 10))
    def approve(self, number: int) -> None:
        self._try(lambda: self.office.bo.approve_finding(self.audit_id, number, self.office.leader))

    @rule(indicator=st.sampled_from(INDICATOR_IDS))
    def exclude(self, indicator: str) -> None:
        self._try(
            lambda: self.office.bo.exclude_indicator(
                self.audit_id, indicator, "不适用", self.office.auditor
            )
        )

    @rule()
    def deduction(self) -> None:
        self._try(
            lambda: self.office.bo.record_special_deduction(
                self.audit_id, "law", "违法", self.office.auditor
            )
        )

    @rule()
    def bonus(self) -> None:
        self._try(
            lambda: self.office.bo.record_special_bonus(self.audit_id, "领先", self.office.auditor)
        )

    @rule()
    def complete(self) -> None:
        self._try(
            lambda: self.office.bo.complete_audit(
                self.audit_id, date(2026, 11, 25), Decimal("2.4"), self.office.leader
            )
        )

    @invariant()
    def replaying_the_events_rebuilds_the_same_audit(self) -> None:
        live = self.office.bo.get_audit(self.audit_id)
        rebuilt: Any = None
        for stored in self.office.bo.events.get(self.audit_id):
            rebuilt = stored.mutate(rebuilt)
        assert isinstance(rebuilt, Audit)
        for attribute in (
            "findings",
            "exclusions",
            "special_deductions",
            "bonus",
            "completion",
            "status",
            "version",
        ):
            assert getattr(rebuilt, attribute) == getattr(live, attribute), attribute
        assert rebuilt.current_score() == live.current_score()
        assert 0 <= live.current_score().final <= 100


AuditReplay.TestCase.settings = settings(max_examples=40, stateful_step_count=15, deadline=None)
test_replaying_an_audits_events_rebuilds_it = AuditReplay.TestCase
