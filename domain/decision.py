"""Certification decisions (ZPIC-WF-20 4.6): grant or refuse, by someone not on the audit team."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Decision(Aggregate):
    """The decision on one completed audit; never edited (a new decision follows an appeal)."""

    class Made(Aggregate.Created):
        """The decision was made: outcome, reasons, date and who decided (4.6)."""

        audit_id: str
        application_id: str | None
        outcome: str
        reasons: list[str]
        decided_on: date
        certificate_number: str | None
        grade: str | None
        rulebook_version: str
        by: str

    @staticmethod
    def create_id(audit_id: str, sequence: int = 1) -> UUID:
        """The id of an audit's n-th decision (one, unless an upheld appeal calls for another)."""
        return uuid5(NAMESPACE_URL, f"/audits/{audit_id}/decisions/{sequence}")

    @classmethod
    def numbered(cls, decision_id: UUID, **fields: Any) -> Decision:
        """A decision under the id of its place among the audit's decisions."""
        return cls._create(cls.Made, id=decision_id, **fields)

    @event(Made)
    def __init__(
        self,
        audit_id: str,
        application_id: str | None,
        outcome: str,
        reasons: list[str],
        decided_on: date,
        certificate_number: str | None,
        grade: str | None,
        rulebook_version: str,
        by: str,
    ) -> None:
        self.audit_id = audit_id
        self.application_id = application_id
        self.outcome = outcome
        self.reasons = reasons
        self.decided_on = decided_on
        self.certificate_number = certificate_number
        self.grade = grade
        self.rulebook_version = rulebook_version
        self.decided_by = by
        self.reopened: dict[str, object] | None = None

    class Reopened(Aggregate.Event):
        """An upheld appeal set this decision aside; a new decision follows on the same audit
        (ZPIC-WF-20 9.2). The decision itself stays as it was made."""

        appeal_id: str
        reopened_on: date
        by: str

    @event(Reopened)
    def reopen(self, appeal_id: str, reopened_on: date, by: str) -> None:
        """Set the decision aside after an upheld appeal."""
        self.reopened = {"appeal_id": appeal_id, "reopened_on": reopened_on, "by": by}
