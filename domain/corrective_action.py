"""Corrective actions (整改) opened by special deductions (ZPIC-WF-20 4.4.2.3) until verified."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from domain.errors import RuleViolation
from domain.rulebook.dates import ensure_not_before


class CorrectiveAction(Aggregate):
    """A correction the organization owes, verified and closed by an auditor."""

    class Opened(Aggregate.Created):
        """A special deduction opened a corrective action."""

        audit_id: str
        category: str
        evidence: str
        opened_on: date
        by: str

    class Closed(Aggregate.Event):
        """The correction was verified and the action closed."""

        verified_on: date
        evidence: str
        by: str

    @event(Opened)
    def __init__(self, audit_id: str, category: str, evidence: str, opened_on: date, by: str):
        self.audit_id = audit_id
        self.category = category
        self.evidence = evidence
        self.opened_on = opened_on
        self.opened_by = by
        self.closure: dict[str, object] | None = None

    @property
    def is_closed(self) -> bool:
        """Whether the correction has been verified."""
        return self.closure is not None

    def closed_by(self, day: date) -> bool:
        """Whether the correction had been verified on or before a day."""
        return self.closure is not None and self.closure["verified_on"] <= day  # type: ignore[operator]

    def close(self, verified_on: date, evidence: str, by: str) -> None:
        """Record the verification of the correction."""
        if self.is_closed:
            raise RuleViolation(
                "该整改已验证关闭 / the corrective action is already closed",
                code="corrective_action_closed",
                clause="ZPIC-WF-20 4.4.2.3",
            )
        ensure_not_before("verified_on", verified_on, "opened_on", self.opened_on)
        self._closed(verified_on=verified_on, evidence=evidence, by=by)

    @event(Closed)
    def _closed(self, verified_on: date, evidence: str, by: str) -> None:
        self.closure = {"verified_on": verified_on, "evidence": evidence, "by": by}
