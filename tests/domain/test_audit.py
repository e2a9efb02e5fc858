"""The audit through the in-memory back office (rules.md §2, §3; ZPIC-WF-20 4.2-4.5): every
refusal of a plan and of the records made on it, by its code, with nothing recorded; trainees'
findings; corrective actions; and the worked examples of rules.md §3.3 end to end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.audit import Audit, NotOnTeam
from domain.backoffice import BackOffice
from domain.errors import DomainError, InvalidInput, NotFound, RuleViolation
from domain.people import Actor
from domain.rulebook.catalogue import INDICATORS, INDICATORS_BY_ID
from domain.rulebook.version import RULEBOOK_VERSION
from tests.domain.support import SCOPE, TODAY, complete_documents, site_list
from tests.factories import organization

START_ON = date(2026, 11, 24)
END_ON = date(2026, 11, 25)
LAYERS = ["service_management", "service_execution", "customer_feedback"]


def registration(
    valid_from: date = date(2025, 1, 1), valid_until: date = date(2028, 12, 31)
) -> dict[str, Any]:
    """A CCAA service-certification registration."""
    return {"number": "CCAA-SC-0001", "valid_from": valid_from, "valid_until": valid_until}


class Desk:
    """The certification body in memory: staff, and contracted applications to audit."""

    def __init__(self) -> None:
        self.bo = BackOffice(today=lambda: TODAY)
        self.intake = self.user("受理员", ["intake"])
        self.planner = self.user("策划员", ["planner"])
        self.leader = self.user("组长张三", ["auditor"], registration())
        self.auditor = self.user("审查员李四", ["auditor"], registration())
        self.trainee = self.user("实习审查员王五", ["auditor"])
        self.outsider = self.user("组外审查员赵六", ["auditor"], registration())
        self.clerk = self.user("文员钱七", ["intake"], registration())

    def user(self, name: str, roles: list[str], ccaa: dict[str, Any] | None = None) -> Actor:
        """Register a staff member; the actor their token authenticates."""
        _, token = self.bo.register_user(name, roles, ccaa, self.bo.bootstrap_admin())
        actor = self.bo.authenticate(token)
        assert actor is not None
        return actor

    def application(self, headcount: int = 50, sites: int = 0, contracted: bool = True) -> UUID:
        """An accepted application (under contract unless told otherwise)."""
        app = self.bo.submit_application(
            organization=organization(),
            scope=SCOPE,
            effective_headcount=headcount,
            sites=site_list(sites),
            documents=complete_documents(self.bo, self.intake, sites),
            received_on=date(2026, 11, 20),
            by=self.intake,
        )
        self.bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), self.intake)
        if contracted:
            self.bo.sign_contract(app.id, "HT-2026-001", date(2026, 11, 22), self.intake)
        return app.id

    def team(self, leader: str = "1", auditor: str = "1", trainee: str = "1") -> list[dict]:
        """Leader and auditor (qualified) and a trainee, with their person-days."""
        return [
            {"user_id": self.leader.id, "role": "leader", "days": leader},
            {"user_id": self.auditor.id, "role": "auditor", "days": auditor},
            {"user_id": self.trainee.id, "role": "trainee", "days": trainee},
        ]

    def plan(self, application_id: UUID, **overrides: Any) -> Audit:
        """Plan the initial audit (headcount 50: 2.00 days required, 1.60 on site)."""
        args: dict[str, Any] = {
            "audit_type": "initial",
            "start_on": START_ON,
            "end_on": END_ON,
            "team": self.team(),
            "onsite_days": Decimal("1.60"),
            "sites": [],
            "layers": list(LAYERS),
            "justification": None,
            "by": self.planner,
            "application_id": application_id,
        }
        args.update(overrides)
        return self.bo.plan_audit(**args)

    def recorded(self) -> int:
        """How many events the store holds."""
        return int(self.bo.recorder.max_notification_id() or 0)

    def finding(
        self,
        audit_id: UUID,
        indicator: str,
        by: Actor | None = None,
        clause: str | None = None,
        sampled: int | None = None,
        nonconforming: int | None = None,
    ) -> int:
        """A nonconformity (or, given counts, a sampled check) against a clause."""
        kind = "nonconformity" if sampled is None else "sampled"
        _, number = self.bo.record_finding(
            audit_id,
            indicator,
            clause or INDICATORS_BY_ID[indicator].clauses[0].id,
            kind,
            sampled,
            nonconforming,
            "审查证据 / evidence",
            by or self.auditor,
        )
        return number

    def complete(self, audit_id: UUID, onsite: str = "1.60") -> dict[str, Any]:
        """The leader completes the audit; its recorded score."""
        audit = self.bo.complete_audit(audit_id, END_ON, Decimal(onsite), self.leader)
        assert audit.completion is not None
        return audit.completion["score"]  # type: ignore[no-any-return]


@pytest.fixture
def desk() -> Desk:
    """A fresh certification body in memory, today 2026-11-28."""
    return Desk()


@pytest.fixture
def planned(desk: Desk) -> Audit:
    """A planned initial audit of a single-site organization of 50 people."""
    return desk.plan(desk.application())


def refused_plan(desk: Desk, call: Callable[[], Any], application_id: UUID) -> str:
    """The code a plan is refused with; nothing is recorded and no audit exists."""
    before = desk.recorded()
    with pytest.raises(RuleViolation) as error:
        call()
    assert desk.recorded() == before
    with pytest.raises(NotFound):
        desk.bo.get_audit(Audit.id_for_application(application_id, "initial"))
    return error.value.code


def refused(desk: Desk, audit_id: UUID, call: Callable[[], Any], error: type = DomainError) -> str:
    """The code a command on an audit is refused with; the audit's version is unchanged and
    nothing at all is recorded."""
    version = desk.bo.get_audit(audit_id).version
    before = desk.recorded()
    with pytest.raises(error) as raised:
        call()
    assert desk.bo.get_audit(audit_id).version == version
    assert desk.recorded() == before
    return raised.value.code  # type: ignore[no-any-return]


# -- planning (4.2) -------------------------------------------------------------------------


def test_no_audit_before_the_contract(desk: Desk) -> None:
    """Given an accepted application without a contract, when the audit is planned,
    then it is refused no_contract (4.1.4)."""
    app_id = desk.application(contracted=False)
    assert refused_plan(desk, lambda: desk.plan(app_id), app_id) == "no_contract"


@pytest.mark.parametrize("audit_type", ["surveillance", "recertification", "supplementary"])
def test_an_application_without_a_certificate_gets_an_initial_audit(
    desk: Desk, audit_type: str
) -> None:
    """Given a first application under contract, when another type of audit is planned,
    then it is refused wrong_audit_type."""
    app_id = desk.application()
    code = refused_plan(desk, lambda: desk.plan(app_id, audit_type=audit_type), app_id)
    assert code == "wrong_audit_type"


def test_the_team_needs_exactly_one_leader(desk: Desk) -> None:
    """Given a team without a leader, or with two, then team_leader_required (4.2.3)."""
    app_id = desk.application()
    no_leader = [
        {"user_id": desk.leader.id, "role": "auditor", "days": "1"},
        {"user_id": desk.auditor.id, "role": "auditor", "days": "1"},
    ]
    two_leaders = [
        {"user_id": desk.leader.id, "role": "leader", "days": "1"},
        {"user_id": desk.auditor.id, "role": "leader", "days": "1"},
    ]
    for team in (no_leader, two_leaders):
        code = refused_plan(desk, lambda t=team: desk.plan(app_id, team=t), app_id)
        assert code == "team_leader_required"


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (date(2025, 1, 1), END_ON - timedelta(days=1)),  # ends before the last audit day
        (START_ON + timedelta(days=1), date(2028, 12, 31)),  # starts after the first one
    ],
)
@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_qualified_members_are_registered_on_every_audit_day(
    desk: Desk, valid_from: date, valid_until: date, role: str
) -> None:
    """Given a leader (or auditor) whose CCAA registration misses one audit day,
    then the plan is refused auditor_registration_invalid (4.2.3)."""
    app_id = desk.application()
    lapsed = desk.user("注册不全", ["auditor"], registration(valid_from, valid_until))
    team = desk.team()
    team[0 if role == "leader" else 1]["user_id"] = lapsed.id
    code = refused_plan(desk, lambda: desk.plan(app_id, team=team), app_id)
    assert code == "auditor_registration_invalid"


def test_a_registration_covering_exactly_the_audit_days_is_enough(desk: Desk) -> None:
    """Given a leader registered from the first to the last audit day, and an unregistered
    trainee, then the plan is accepted."""
    app_id = desk.application()
    exact = desk.user("刚好有效", ["auditor"], registration(START_ON, END_ON))
    team = desk.team()
    team[0]["user_id"] = exact.id
    audit = desk.plan(app_id, team=team)
    assert audit.team[0]["user_id"] == exact.id
    assert audit.team[2]["registration"] is None


def test_every_member_must_be_an_auditor(desk: Desk) -> None:
    """Given a member who holds no auditor role (even with a registration),
    then the plan is refused not_an_auditor (4.2.3)."""
    app_id = desk.application()
    for role in ("auditor", "trainee"):
        team = [*desk.team()[:2], {"user_id": desk.clerk.id, "role": role, "days": "0.5"}]
        code = refused_plan(
            desk, lambda t=team: desk.plan(app_id, team=t, justification="增派"), app_id
        )
        assert code == "not_an_auditor"


def test_trainee_days_do_not_count(desk: Desk) -> None:
    """Given 2.00 days required, when the leader has 1 day and the trainee 2,
    then the plan is refused insufficient_audit_time (4.2.1, 4.2.3)."""
    app_id = desk.application()
    team = [
        {"user_id": desk.leader.id, "role": "leader", "days": "1"},
        {"user_id": desk.trainee.id, "role": "trainee", "days": "2"},
    ]
    code = refused_plan(
        desk, lambda: desk.plan(app_id, team=team, onsite_days=Decimal("1")), app_id
    )
    assert code == "insufficient_audit_time"


def test_more_than_the_required_time_needs_a_justification(desk: Desk) -> None:
    """Given 2.00 days required, when 2.50 qualified days are planned without a justification,
    then justification_required; with one, the plan is accepted with 2.50 qualified days."""
    app_id = desk.application()
    team = desk.team(leader="1.5")
    code = refused_plan(desk, lambda: desk.plan(app_id, team=team), app_id)
    assert code == "justification_required"
    audit = desk.plan(app_id, team=team, justification="多场所需要更多时间 / more time")
    assert audit.qualified_days == Decimal("2.5")
    assert audit.required_days == Decimal("2")
    assert audit.justification == "多场所需要更多时间 / more time"


def test_on_site_time_is_80_percent_exactly(desk: Desk) -> None:
    """Given 2.00 days required, when 1.59 days are on site, then insufficient_onsite_time;
    exactly 1.60 is accepted (4.2.1.2)."""
    app_id = desk.application()
    code = refused_plan(desk, lambda: desk.plan(app_id, onsite_days=Decimal("1.59")), app_id)
    assert code == "insufficient_onsite_time"
    audit = desk.plan(app_id, onsite_days=Decimal("1.60"))
    assert (audit.required_days, audit.required_onsite_days, audit.onsite_days) == (
        Decimal("2"),
        Decimal("1.6"),
        Decimal("1.60"),
    )
    assert audit.qualified_days == Decimal("2")
    assert audit.plan_rulebook_version == RULEBOOK_VERSION


def test_on_site_time_cannot_exceed_the_qualified_days(desk: Desk) -> None:
    """Given 2.00 qualified days, when 2.01 days are on site, then onsite_exceeds_audit_time."""
    app_id = desk.application()
    code = refused_plan(desk, lambda: desk.plan(app_id, onsite_days=Decimal("2.01")), app_id)
    assert code == "onsite_exceeds_audit_time"


@pytest.mark.parametrize("missing", LAYERS)
def test_the_plan_covers_the_three_layers(desk: Desk, missing: str) -> None:
    """Given a plan without one of the three layers, then layers_missing (4.4.1.2)."""
    app_id = desk.application()
    layers = [layer for layer in LAYERS if layer != missing]
    assert refused_plan(desk, lambda: desk.plan(app_id, layers=layers), app_id) == (
        "layers_missing"
    )


def test_sampled_sites_are_sites_in_scope_and_enough_of_them(desk: Desk) -> None:
    """Given 10 service sites (4 to sample), when a site not in scope is named,
    then unknown_site; when 3 are named, insufficient_sample; 4 named are accepted (4.2.2)."""
    app_id = desk.application(sites=10)
    unknown = ["门店1", "门店2", "门店3", "外地门店"]
    assert refused_plan(desk, lambda: desk.plan(app_id, sites=unknown), app_id) == "unknown_site"
    three = ["门店1", "门店2", "门店3"]
    assert refused_plan(desk, lambda: desk.plan(app_id, sites=three), app_id) == (
        "insufficient_sample"
    )
    chosen = ["门店10", "门店7", "门店5", "门店2"]
    audit = desk.plan(app_id, sites=chosen)
    assert (audit.sites, audit.sample_offered, audit.sample_size) == (chosen, False, 4)


@pytest.mark.parametrize(("sites", "size"), [(10, 4), (9, 3), (1, 1), (0, 0)])
def test_a_sample_is_offered_when_no_site_is_named(desk: Desk, sites: int, size: int) -> None:
    """Given x service sites, when the plan names none, then the first ⌈√x⌉ sites in order
    are offered and recorded as offered (4.2.2)."""
    audit = desk.plan(desk.application(sites=sites))
    assert audit.sample_size == size
    assert audit.sites == [f"门店{i}" for i in range(1, size + 1)]
    assert audit.sample_offered is True
    assert audit.service_sites == [f"门店{i}" for i in range(1, sites + 1)]


def test_an_application_has_one_initial_audit(desk: Desk, planned: Audit) -> None:
    """Given a planned audit, when the same application's audit is planned again,
    then audit_already_planned and the first plan is untouched."""
    assert planned.application_id is not None
    app_id = UUID(planned.application_id)
    before = desk.recorded()
    with pytest.raises(RuleViolation) as error:
        desk.plan(app_id, justification="再来一次", team=desk.team(leader="2"))
    assert error.value.code == "audit_already_planned"
    assert desk.recorded() == before
    assert desk.bo.get_audit(planned.id).version == planned.version == 1


@pytest.mark.parametrize("who", ["leader", "auditor", "trainee"])
def test_a_member_books_at_most_the_audits_calendar_days(desk: Desk, who: str) -> None:
    """Given a two-day audit (11-24 to 11-25), when one member (a trainee too) is booked for
    2.50 days, then member_days_exceed_audit_days citing 4.2.1 and nothing is recorded; 2 days
    each, the audit's calendar days exactly, are accepted (rules.md §12 "Person-days")."""
    app_id = desk.application()
    over = desk.team(**{who: "2.5"})
    code = refused_plan(desk, lambda: desk.plan(app_id, team=over, justification="x"), app_id)
    assert code == "member_days_exceed_audit_days"
    with pytest.raises(RuleViolation) as error:
        desk.plan(app_id, team=over, justification="x")
    assert error.value.clause == "ZPIC-WF-20 4.2.1"
    exact = desk.team(leader="2", auditor="2", trainee="2")
    audit = desk.plan(app_id, team=exact, justification="全程两天 / both days")
    assert audit.qualified_days == Decimal("4")


def test_above_the_table_the_planner_sets_the_time_with_a_justification(desk: Desk) -> None:
    """Given 20,000 people (above the table), when 6 qualified days are planned without a
    justification, then justification_required; below 6 days, insufficient_audit_time even
    justified; 6 days justified are accepted (rules.md §2.1 ruling)."""
    app_id = desk.application(headcount=20_000)
    three_days = START_ON + timedelta(days=2)  # room for 3 days a member (rules.md §12)
    six = {
        "team": desk.team(leader="3", auditor="3"),
        "onsite_days": Decimal("4.8"),
        "end_on": three_days,
    }
    assert refused_plan(desk, lambda: desk.plan(app_id, **six), app_id) == (
        "justification_required"
    )
    short = {
        "team": desk.team(leader="3", auditor="2.5"),
        "onsite_days": Decimal("4.8"),
        "end_on": three_days,
    }
    code = refused_plan(desk, lambda: desk.plan(app_id, justification="规模", **short), app_id)
    assert code == "insufficient_audit_time"
    audit = desk.plan(app_id, justification="两万人，三地作业 / 20,000 people", **six)
    assert (audit.required_days, audit.qualified_days) == (Decimal("6"), Decimal("6"))


# -- findings, approvals, exclusions, adjustments (4.4.2) -----------------------------------


def test_only_the_team_records_findings(desk: Desk, planned: Audit) -> None:
    """Given an auditor not on the team, when they record a finding, then NotOnTeam
    (not_on_team, 4.2.3) and nothing is recorded."""
    code = refused(
        desk, planned.id, lambda: desk.finding(planned.id, "4.3.2.4", by=desk.outsider), NotOnTeam
    )
    assert code == "not_on_team"


@pytest.mark.parametrize(
    ("indicator", "clause"),
    [
        ("4.3.2.4", "4.3.2.5.1"),  # a clause of another indicator
        ("4.3.2.4", "4.3.2.4.9"),  # no such clause
        ("4.3.2.4", "4.3.2.41.1"),  # a prefix that is not the indicator's
        ("4.3.9.9", "4.3.9.9.1"),  # no such indicator
        ("4.3.2.4", "4.3.2.4"),  # an indicator with numbered items is cited by an item
        ("4.3.1.2", "4.3.1.2.1"),  # a number the standard does not have (made up before)
        ("4.3.1.3", "4.3.1.2"),  # a paragraph-only indicator's number, for another one
    ],
)
def test_a_finding_names_a_clause_of_its_indicator(
    desk: Desk, planned: Audit, indicator: str, clause: str
) -> None:
    """Given a clause that is not one of the indicator's, then InvalidInput (§3.2)."""
    code = refused(
        desk,
        planned.id,
        lambda: desk.finding(planned.id, indicator, clause=clause),
        InvalidInput,
    )
    assert code == "invalid_input"


def test_a_paragraph_only_indicator_is_cited_by_its_own_number(
    desk: Desk, planned: Audit
) -> None:
    """Given staffing 4.3.1.2, stated by GB/T 27922 as one paragraph with no numbered item,
    when a finding cites clause 4.3.1.2, then it is recorded under that citation (api.md
    Additions) and staffing loses its 6 points; 4.3.1.2.1 is refused, naming 4.3.1.2."""
    number = desk.finding(planned.id, "4.3.1.2", clause="4.3.1.2")
    audit = desk.bo.get_audit(planned.id)
    assert audit.findings[number - 1]["clause"] == "4.3.1.2"
    assert audit.current_score().final == 94
    with pytest.raises(InvalidInput) as error:
        desk.finding(planned.id, "4.3.1.2", clause="4.3.1.2.1")
    assert error.value.field == "clause" and "4.3.1.2" in error.value.message


def test_an_old_finding_under_a_made_up_number_reads_as_the_standards(
    desk: Desk, planned: Audit
) -> None:
    """Given a finding stored, as earlier catalogues allowed, under 4.3.1.2.1, when the audit
    is read back from its events, then the event is unchanged and the finding shows 4.3.1.2."""
    audit = desk.bo.get_audit(planned.id)
    audit._finding_recorded(
        number=1,
        indicator="4.3.1.2",
        clause="4.3.1.2.1",
        kind="nonconformity",
        sampled=None,
        nonconforming=None,
        evidence="人员资质缺失",
        needs_approval=False,
        by=desk.auditor.id,
    )
    desk.bo.save(audit)
    stored = list(desk.bo.repository.event_store.get(planned.id))[-1]
    assert isinstance(stored, Audit.FindingRecorded) and stored.clause == "4.3.1.2.1"
    again = desk.bo.get_audit(planned.id)
    assert again.findings[0]["clause"] == "4.3.1.2"
    assert again.current_score().final == 94


@pytest.mark.parametrize(("sampled", "nonconforming"), [(0, 0), (5, 6), (5, -1)])
def test_a_sampled_check_needs_sensible_counts(
    desk: Desk, planned: Audit, sampled: int, nonconforming: int
) -> None:
    """Given counts with no sample or more nonconforming than sampled, then InvalidInput."""
    code = refused(
        desk,
        planned.id,
        lambda: desk.finding(planned.id, "4.3.2.4", sampled=sampled, nonconforming=nonconforming),
        InvalidInput,
    )
    assert code == "invalid_input"


def test_a_trainees_finding_counts_once_a_qualified_member_approves_it(
    desk: Desk, planned: Audit
) -> None:
    """Given a trainee's repair nonconformity, then the score stays 100 until it is approved;
    the trainee cannot approve it (trainee_not_allowed) nor can an outsider (not_on_team);
    once the leader approves it the score is 90 and it cannot be approved again (4.2.3)."""
    number = desk.finding(planned.id, "4.3.2.4", by=desk.trainee)
    audit = desk.bo.get_audit(planned.id)
    assert audit.findings[0]["needs_approval"] is True
    assert audit.findings[0]["approved_by"] is None
    assert audit.current_score().final == 100

    code = refused(
        desk, planned.id, lambda: desk.bo.approve_finding(planned.id, number, desk.trainee)
    )
    assert code == "trainee_not_allowed"
    code = refused(
        desk, planned.id, lambda: desk.bo.approve_finding(planned.id, number, desk.outsider)
    )
    assert code == "not_on_team"
    code = refused(desk, planned.id, lambda: desk.bo.approve_finding(planned.id, 9, desk.leader))
    assert code == "unknown_finding"

    approved = desk.bo.approve_finding(planned.id, number, desk.leader)
    assert approved.findings[0]["approved_by"] == desk.leader.id
    assert approved.current_score().final == 90
    code = refused(
        desk, planned.id, lambda: desk.bo.approve_finding(planned.id, number, desk.auditor)
    )
    assert code == "finding_needs_no_approval"


def test_a_qualified_members_finding_needs_no_approval(desk: Desk, planned: Audit) -> None:
    """Given an auditor's nonconformity, then it counts at once and approving it is refused."""
    number = desk.finding(planned.id, "4.3.3.1")
    assert desk.bo.get_audit(planned.id).current_score().final == 85
    code = refused(
        desk, planned.id, lambda: desk.bo.approve_finding(planned.id, number, desk.leader)
    )
    assert code == "finding_needs_no_approval"


def test_no_finding_on_an_excluded_indicator(desk: Desk, planned: Audit) -> None:
    """Given delivery excluded, when a finding names it, then indicator_excluded (4.4.2.2)."""
    desk.bo.exclude_indicator(planned.id, "4.3.2.3", "无实物配送 / no delivery", desk.auditor)
    code = refused(desk, planned.id, lambda: desk.finding(planned.id, "4.3.2.3"))
    assert code == "indicator_excluded"
    code = refused(
        desk,
        planned.id,
        lambda: desk.bo.exclude_indicator(planned.id, "4.3.2.3", "again", desk.leader),
    )
    assert code == "already_excluded"


@pytest.mark.parametrize("indicator", [i.id for i in INDICATORS if not i.excludable])
def test_only_goods_service_indicators_can_be_excluded(
    desk: Desk, planned: Audit, indicator: str
) -> None:
    """Given an indicator outside 4.3.2, when it is excluded, then not_excludable (4.4.2.2)."""
    code = refused(
        desk,
        planned.id,
        lambda: desk.bo.exclude_indicator(planned.id, indicator, "不适用", desk.auditor),
    )
    assert code == "not_excludable"


def test_an_indicator_with_findings_cannot_be_excluded(desk: Desk, planned: Audit) -> None:
    """Given a repair finding (even a trainee's, unapproved), when repair is excluded,
    then indicator_has_findings; a trainee cannot exclude at all."""
    desk.finding(planned.id, "4.3.2.4", sampled=20, nonconforming=0)
    code = refused(
        desk,
        planned.id,
        lambda: desk.bo.exclude_indicator(planned.id, "4.3.2.4", "不适用", desk.leader),
    )
    assert code == "indicator_has_findings"
    desk.finding(planned.id, "4.3.2.5", by=desk.trainee)
    code = refused(
        desk,
        planned.id,
        lambda: desk.bo.exclude_indicator(planned.id, "4.3.2.5", "不适用", desk.leader),
    )
    assert code == "indicator_has_findings"
    code = refused(
        desk,
        planned.id,
        lambda: desk.bo.exclude_indicator(planned.id, "4.3.2.6", "不适用", desk.trainee),
    )
    assert code == "trainee_not_allowed"


def test_one_special_bonus_per_audit(desk: Desk, planned: Audit) -> None:
    """Given a recorded bonus, when a second is recorded, then bonus_already_recorded."""
    audit = desk.bo.record_special_bonus(planned.id, "行业领先 / leads", desk.auditor)
    assert audit.bonus == {"evidence": "行业领先 / leads", "by": desk.auditor.id}
    code = refused(
        desk, planned.id, lambda: desk.bo.record_special_bonus(planned.id, "再加", desk.leader)
    )
    assert code == "bonus_already_recorded"


def test_a_special_deduction_opens_a_corrective_action_closed_once(
    desk: Desk, planned: Audit
) -> None:
    """Given a special deduction recorded after the audit's last day, then a corrective action
    opens on that last day, its id on the audit; it closes once, and a second close is
    corrective_action_closed (4.4.2.3)."""
    audit, action = desk.bo.record_special_deduction(
        planned.id, "law", "无证经营 / unlicensed", desk.auditor
    )
    assert audit.special_deductions == [
        {
            "category": "law",
            "evidence": "无证经营 / unlicensed",
            "corrective_action_id": str(action.id),
            "by": desk.auditor.id,
        }
    ]
    stored = desk.bo.get_corrective_action(action.id)
    assert planned.end_on < TODAY
    assert (stored.audit_id, stored.category, stored.opened_on, stored.is_closed) == (
        str(planned.id),
        "law",
        planned.end_on,
        False,
    )
    assert desk.bo.get_audit(planned.id).current_score().final == 99

    closed = desk.bo.close_corrective_action(action.id, TODAY, "已取得许可", desk.leader)
    assert closed.is_closed and closed.closure is not None
    assert closed.closure["verified_on"] == TODAY
    version, before = closed.version, desk.recorded()
    with pytest.raises(RuleViolation) as error:
        desk.bo.close_corrective_action(action.id, TODAY, "again", desk.leader)
    assert error.value.code == "corrective_action_closed"
    assert desk.bo.get_corrective_action(action.id).version == version
    assert desk.recorded() == before


def test_a_trainee_cannot_record_adjustments(desk: Desk, planned: Audit) -> None:
    """Given a trainee on the team, then their special deduction or bonus is trainee_not_allowed,
    and no corrective action is opened."""
    code = refused(
        desk,
        planned.id,
        lambda: desk.bo.record_special_deduction(planned.id, "law", "x", desk.trainee),
    )
    assert code == "trainee_not_allowed"
    code = refused(
        desk, planned.id, lambda: desk.bo.record_special_bonus(planned.id, "x", desk.trainee)
    )
    assert code == "trainee_not_allowed"


# -- completion (4.2.1.2, 4.4.3) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("auditor", "not_team_leader"),
        ("trainee", "trainee_not_allowed"),
        ("outsider", "not_on_team"),
    ],
)
def test_only_the_leader_completes(desk: Desk, planned: Audit, who: str, code: str) -> None:
    """Given a planned audit, when anyone but the leader completes it, then NotOnTeam, a rule
    refusal (RuleViolation, 409 in the API) citing 4.2.3, of a code naming the standing."""
    actor = getattr(desk, who)
    with pytest.raises(RuleViolation) as error:
        desk.bo.complete_audit(planned.id, END_ON, Decimal("1.6"), actor)
    assert (error.value.code, error.value.clause) == (code, "ZPIC-WF-20 4.2.3")
    got = refused(
        desk,
        planned.id,
        lambda: desk.bo.complete_audit(planned.id, END_ON, Decimal("1.6"), actor),
        NotOnTeam,
    )
    assert got == code


def test_completion_checks_the_actual_on_site_time(desk: Desk, planned: Audit) -> None:
    """Given 2.00 days required, when completed with 1.59 days on site, then
    insufficient_onsite_time; 1.60 completes (4.2.1.2)."""
    code = refused(desk, planned.id, lambda: desk.complete(planned.id, onsite="1.59"))
    assert code == "insufficient_onsite_time"
    desk.complete(planned.id, onsite="1.60")
    audit = desk.bo.get_audit(planned.id)
    assert audit.status == "completed"
    assert audit.completion is not None
    assert audit.completion["onsite_days"] == Decimal("1.60")
    assert audit.completion["completed_on"] == END_ON


def test_nothing_is_recorded_after_completion(desk: Desk, planned: Audit) -> None:
    """Given a completed audit with a trainee's pending finding, when anything is recorded,
    then audit_completed, the version is unchanged and no corrective action opens."""
    number = desk.finding(planned.id, "4.3.1.2", by=desk.trainee)
    desk.complete(planned.id)
    commands: list[Callable[[], Any]] = [
        lambda: desk.finding(planned.id, "4.3.2.4"),
        lambda: desk.bo.approve_finding(planned.id, number, desk.leader),
        lambda: desk.bo.exclude_indicator(planned.id, "4.3.2.6", "不适用", desk.leader),
        lambda: desk.bo.record_special_deduction(planned.id, "law", "x", desk.leader),
        lambda: desk.bo.record_special_bonus(planned.id, "x", desk.leader),
        lambda: desk.complete(planned.id),
    ]
    for command in commands:
        assert refused(desk, planned.id, command) == "audit_completed"


def test_the_completed_event_records_the_score_and_the_rulebook(desk: Desk, planned: Audit) -> None:
    """Given a completed audit, then its last stored event is Completed, with the leader,
    the score as completed and the rulebook version that computed it (rules.md preamble)."""
    score = desk.complete(planned.id)
    events = list(desk.bo.events.get(planned.id))
    assert isinstance(events[0], Audit.Planned)
    assert events[0].rulebook_version == RULEBOOK_VERSION
    completed = events[-1]
    assert isinstance(completed, Audit.Completed)
    assert completed.rulebook_version == RULEBOOK_VERSION
    assert completed.by == desk.leader.id
    assert completed.score == score
    assert completed.onsite_days == Decimal("1.60")


# -- rules.md §3.3 worked examples through the audit ----------------------------------------


def test_example_1_no_findings_is_100_five_star(desk: Desk, planned: Audit) -> None:
    """Given no findings and no exclusions, then 100.00, five_star, passed."""
    score = desk.complete(planned.id)
    assert (score["score"], score["grade"], score["passed"]) == ("100.00", "five_star", True)
    assert score["applicable"] == 100
    assert len(score["breakdown"]) == 15
    assert all(line["earned"] == f"{line['points']}.00" for line in score["breakdown"])


def test_example_2_repair_and_complaints_is_88_50_three_star(desk: Desk, planned: Audit) -> None:
    """Given a repair nonconformity and complaint handling 3 of 20 sampled nonconforming
    (and a milder 1 of 20 check beside it), then 100 − 10 − 1.5 = 88.50, three_star."""
    desk.finding(planned.id, "4.3.2.4", clause="4.3.2.4.3")
    desk.finding(planned.id, "4.3.3.2", clause="4.3.3.2.1", sampled=20, nonconforming=3)
    desk.finding(planned.id, "4.3.3.2", clause="4.3.3.2.2", sampled=20, nonconforming=1)
    score = desk.complete(planned.id)
    assert (score["score"], score["grade"], score["passed"]) == ("88.50", "three_star", True)
    lines = {line["indicator"]: line for line in score["breakdown"]}
    assert lines["4.3.2.4"]["earned"] == "0.00"
    assert lines["4.3.3.2"]["earned"] == "8.50"


def test_example_3_exclusions_and_supervision(desk: Desk) -> None:
    """Given delivery and take-back excluded and a supervision nonconformity, then 87/94 →
    92.55, four_star; on a second audit with three special deductions, 89.55, three_star."""
    scores = []
    for deductions in (0, 3):
        app_id = desk.application()
        audit = desk.plan(app_id)
        for indicator in ("4.3.2.3", "4.3.2.6"):
            desk.bo.exclude_indicator(audit.id, indicator, "无形产品 / intangible", desk.auditor)
        desk.finding(audit.id, "4.3.1.5", clause="4.3.1.5.2")
        for _ in range(deductions):
            desk.bo.record_special_deduction(audit.id, "company_rules", "违规", desk.auditor)
        scores.append(desk.complete(audit.id))
    first, second = scores
    assert (first["score"], first["grade"], first["applicable"]) == ("92.55", "four_star", 94)
    assert (second["base"], second["score"], second["grade"]) == (
        "92.55",
        "89.55",
        "three_star",
    )
    assert second["special_deductions"] == 3 and second["passed"] is True
    excluded = {line["indicator"] for line in first["breakdown"] if line["excluded"]}
    assert excluded == {"4.3.2.3", "4.3.2.6"}


def test_example_4_five_deductions_fail(desk: Desk, planned: Audit) -> None:
    """Given no findings but five special deductions, then 95.00, not passed, no grade;
    five corrective actions are open."""
    actions = [
        desk.bo.record_special_deduction(planned.id, category, "违规", desk.auditor)[1]
        for category in ("law", "company_rules", "industry", "system_operation", "law")
    ]
    score = desk.complete(planned.id)
    assert (score["score"], score["passed"], score["grade"]) == ("95.00", False, None)
    assert score["special_deductions"] == 5
    assert len({a.id for a in actions}) == 5
    assert not any(desk.bo.get_corrective_action(a.id).is_closed for a in actions)
