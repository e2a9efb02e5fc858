"""A stateful check of the audit (rules.md §2.3, §3; ZPIC-WF-20 4.2.3, 4.4): any sequence of
findings, approvals, exclusions, special deductions, bonuses and completions, given by any
member of the team or by an outsider, is accepted exactly when the rules allow it, a refusal
records nothing, replaying the stored events rebuilds the live audit, and the score is the one
a plain model of §3.2-§3.3 computes, always within [0, 100]."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.audit import Audit
from domain.backoffice import BackOffice
from domain.errors import DomainError
from domain.people import Actor
from domain.rulebook.catalogue import CLAUSES_BY_ID, INDICATORS, INDICATORS_BY_ID
from tests.domain.support import SCOPE, TODAY, complete_documents
from tests.factories import organization

REGISTRATION = {
    "number": "CCAA-SC-9",
    "valid_from": date(2025, 1, 1),
    "valid_until": date(2028, 12, 31),
}
INDICATOR_IDS = [i.id for i in INDICATORS]
CLAUSE_IDS = sorted(CLAUSES_BY_ID)
GOODS = [i.id for i in INDICATORS if i.excludable]
WHO = ["leader", "auditor", "trainee", "outsider"]
CATEGORIES = ["law", "company_rules", "industry", "system_operation"]


@dataclass
class Model:
    """What the audit should be, kept by hand from the accepted commands."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    exclusions: set[str] = field(default_factory=set)
    deductions: int = 0
    bonus: bool = False
    completed: bool = False
    version: int = 1

    def final(self) -> Fraction:
        """rules.md §3.2-§3.3, written out plainly: worst ratio, nonconformity loses all."""
        earned, applicable = Fraction(0), 0
        for indicator in INDICATORS:
            if indicator.id in self.exclusions:
                continue
            applicable += indicator.points
            counted = [
                f
                for f in self.findings
                if f["indicator"] == indicator.id and (not f["trainee"] or f["approved"])
            ]
            if any(f["kind"] == "nonconformity" for f in counted):
                share = Fraction(1)
            else:
                share = max(
                    (Fraction(f["nonconforming"], f["sampled"]) for f in counted),
                    default=Fraction(0),
                )
            earned += indicator.points * (1 - share)
        raw = 100 * earned / applicable - self.deductions + (1 if self.bonus else 0)
        return min(Fraction(100), max(Fraction(0), raw))

    def grade(self) -> str | None:
        """The grade the model's final score earns (None when it fails)."""
        final = self.final()
        if final < 70 or self.deductions >= 5:
            return None
        for threshold, grade in ((95, "five_star"), (90, "four_star"), (80, "three_star")):
            if final >= threshold:
                return grade
        return "compliant"


def shown(value: Fraction) -> str:
    """Two decimals, rounded half up, computed independently of the rulebook's helper."""
    with localcontext() as ctx:
        ctx.prec = 50
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class AuditMachine(RuleBasedStateMachine):
    """Commands on one planned audit (headcount 50: 2.00 days, 1.60 on site)."""

    def __init__(self) -> None:
        super().__init__()
        bo = BackOffice(today=lambda: TODAY)
        self.bo = bo
        admin = bo.bootstrap_admin()
        self.actors: dict[str, Actor] = {}
        for who, reg in (
            ("leader", REGISTRATION),
            ("auditor", REGISTRATION),
            ("trainee", None),
            ("outsider", REGISTRATION),
        ):
            _, token = bo.register_user(who, ["auditor"], reg, admin)
            actor = bo.authenticate(token)
            assert actor is not None
            self.actors[who] = actor
        intake = Actor("intake-1", "受理员", frozenset({"intake"}))
        app = bo.submit_application(
            organization=organization(),
            scope=SCOPE,
            effective_headcount=50,
            sites=[],
            documents=complete_documents(bo, intake),
            received_on=date(2026, 11, 20),
            by=intake,
        )
        bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), intake)
        bo.sign_contract(app.id, "HT-1", date(2026, 11, 22), intake)
        self.live: Audit = bo.plan_audit(
            audit_type="initial",
            start_on=date(2026, 11, 24),
            end_on=date(2026, 11, 25),
            team=[
                {"user_id": self.actors["leader"].id, "role": "leader", "days": "1"},
                {"user_id": self.actors["auditor"].id, "role": "auditor", "days": "1"},
                {"user_id": self.actors["trainee"].id, "role": "trainee", "days": "2"},
            ],
            onsite_days=Decimal("1.6"),
            sites=[],
            layers=["service_management", "service_execution", "customer_feedback"],
            justification=None,
            by=Actor("planner-1", "策划员", frozenset({"planner"})),
            application_id=app.id,
        )
        self.model = Model()
        self.closed_actions: set[str] = set()

    # -- running a command -------------------------------------------------------------------

    def _common(self, who: str, qualified: bool) -> set[str]:
        reasons = set()
        if self.model.completed:
            reasons.add("audit_completed")
        if who == "outsider":
            reasons.add("not_on_team")
        elif qualified and who == "trainee":
            reasons.add("trainee_not_allowed")
        return reasons

    def _run(self, call: Callable[[], Any], reasons: set[str]) -> Any:
        """Run a command: refused with one of the reasons (nothing recorded), or accepted."""
        before = self.bo.get_audit(self.live.id).version
        recorded = self.bo.recorder.max_notification_id()
        try:
            result = call()
        except DomainError as error:
            assert reasons, f"refused {error.code} though the rules allow it"
            assert error.code in reasons, (error.code, reasons)
            assert self.bo.get_audit(self.live.id).version == before
            assert self.bo.recorder.max_notification_id() == recorded
            return None
        assert not reasons, f"accepted though the rules refuse it: {reasons}"
        self.model.version += 1
        return result

    # -- rules -------------------------------------------------------------------------------

    @rule(
        # two indicators drawn often, so that several checks meet on one indicator
        indicator=st.sampled_from(["4.3.2.4", "4.3.3.2"]) | st.sampled_from(INDICATOR_IDS),
        data=st.data(),
        who=st.sampled_from(WHO),
        sampled=st.integers(1, 40) | st.integers(1, 40) | st.none(),
    )
    def finding(self, indicator: str, data: st.DataObject, who: str, sampled: int | None) -> None:
        own = [c.id for c in INDICATORS_BY_ID[indicator].clauses]
        clause = data.draw(st.sampled_from(own) | st.sampled_from(CLAUSE_IDS), label="clause")
        nonconforming = None if sampled is None else data.draw(st.integers(0, sampled))
        kind = "nonconformity" if sampled is None else "sampled"
        reasons = self._common(who, qualified=False)
        if clause not in own:
            reasons.add("invalid_input")
        if indicator in self.model.exclusions:
            reasons.add("indicator_excluded")
        result = self._run(
            lambda: self.bo.record_finding(
                self.live.id,
                indicator,
                clause,
                kind,
                sampled,
                nonconforming,
                "证据",
                self.actors[who],
            ),
            reasons,
        )
        if result is not None:
            self.live, number = result
            assert number == len(self.model.findings) + 1
            self.model.findings.append(
                {
                    "indicator": indicator,
                    "kind": kind,
                    "sampled": sampled,
                    "nonconforming": nonconforming,
                    "trainee": who == "trainee",
                    "approved": False,
                }
            )

    @rule(number=st.integers(1, 12), who=st.sampled_from(WHO))
    def approve(self, number: int, who: str) -> None:
        reasons = self._common(who, qualified=True)
        if number > len(self.model.findings):
            reasons.add("unknown_finding")
        else:
            found = self.model.findings[number - 1]
            if not found["trainee"] or found["approved"]:
                reasons.add("finding_needs_no_approval")
        result = self._run(
            lambda: self.bo.approve_finding(self.live.id, number, self.actors[who]), reasons
        )
        if result is not None:
            self.live = result
            self.model.findings[number - 1]["approved"] = True

    @rule(
        indicator=st.sampled_from(GOODS) | st.sampled_from(INDICATOR_IDS), who=st.sampled_from(WHO)
    )
    def exclude(self, indicator: str, who: str) -> None:
        reasons = self._common(who, qualified=True)
        if indicator not in GOODS:
            reasons.add("not_excludable")
        if indicator in self.model.exclusions:
            reasons.add("already_excluded")
        if any(f["indicator"] == indicator for f in self.model.findings):
            reasons.add("indicator_has_findings")
        result = self._run(
            lambda: self.bo.exclude_indicator(
                self.live.id, indicator, "无形产品 / intangible", self.actors[who]
            ),
            reasons,
        )
        if result is not None:
            self.live = result
            self.model.exclusions.add(indicator)

    @rule(category=st.sampled_from(CATEGORIES), who=st.sampled_from(WHO))
    def deduction(self, category: str, who: str) -> None:
        reasons = self._common(who, qualified=True)
        result = self._run(
            lambda: self.bo.record_special_deduction(
                self.live.id, category, "违规", self.actors[who]
            ),
            reasons,
        )
        if result is not None:
            self.live, action = result
            assert self.live.special_deductions[-1]["corrective_action_id"] == str(action.id)
            assert self.bo.get_corrective_action(action.id).audit_id == str(self.live.id)
            self.model.deductions += 1

    @rule(who=st.sampled_from(WHO))
    def bonus(self, who: str) -> None:
        reasons = self._common(who, qualified=True)
        if self.model.bonus:
            reasons.add("bonus_already_recorded")
        result = self._run(
            lambda: self.bo.record_special_bonus(self.live.id, "领先", self.actors[who]), reasons
        )
        if result is not None:
            self.live = result
            self.model.bonus = True

    @precondition(lambda self: self.model.version > 3)
    @rule(who=st.sampled_from(WHO), onsite=st.sampled_from(["1.59", "1.6", "2"]))
    def complete(self, who: str, onsite: str) -> None:
        reasons = self._common(who, qualified=True)
        if who == "auditor":
            reasons.add("not_team_leader")
        if Decimal(onsite) < Decimal("1.6"):
            reasons.add("insufficient_onsite_time")
        result = self._run(
            lambda: self.bo.complete_audit(
                self.live.id, date(2026, 11, 25), Decimal(onsite), self.actors[who]
            ),
            reasons,
        )
        if result is not None:
            self.live = result
            self.model.completed = True

    @rule()
    def close_a_corrective_action(self) -> None:
        """Closing a corrective action changes the action, never the audit."""
        open_ids = [
            d["corrective_action_id"]
            for d in self.live.special_deductions
            if d["corrective_action_id"] not in self.closed_actions
        ]
        if not open_ids:
            return
        self.bo.close_corrective_action(UUID(open_ids[0]), TODAY, "已整改", self.actors["auditor"])
        self.closed_actions.add(open_ids[0])

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def replay_rebuilds_the_live_audit(self) -> None:
        rebuilt: Any = None
        for stored in self.bo.events.get(self.live.id):
            rebuilt = stored.mutate(rebuilt)
        assert isinstance(rebuilt, Audit)
        loaded = self.bo.repository.get(self.live.id)
        for other in (rebuilt, loaded):
            for attribute in (
                "findings",
                "exclusions",
                "special_deductions",
                "bonus",
                "status",
                "completion",
                "version",
            ):
                assert getattr(other, attribute) == getattr(self.live, attribute), attribute
            assert other.current_score() == self.live.current_score()

    @invariant()
    def the_live_audit_is_the_model(self) -> None:
        live = self.live
        assert live.version == self.model.version
        assert len(live.findings) == len(self.model.findings)
        assert set(live.exclusions) == self.model.exclusions
        assert len(live.special_deductions) == self.model.deductions
        assert (live.bonus is not None) == self.model.bonus
        assert live.status == ("completed" if self.model.completed else "planned")
        for got, expected in zip(live.findings, self.model.findings, strict=True):
            assert got["indicator"] == expected["indicator"]
            assert got["needs_approval"] is expected["trainee"]
            assert (got["approved_by"] is not None) is expected["approved"]

    @invariant()
    def the_score_is_the_models_and_within_bounds(self) -> None:
        score = self.live.current_score()
        assert 0 <= score.final <= 100
        assert score.final == self.model.final()
        assert score.grade == self.model.grade()
        assert score.passed is (self.model.grade() is not None)
        if self.live.completion is not None:
            recorded = self.live.completion["score"]
            assert recorded["score"] == shown(self.model.final())
            assert recorded["grade"] == self.model.grade()


AuditMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_audit_commands_replay_and_score_as_the_rules_say = AuditMachine.TestCase
