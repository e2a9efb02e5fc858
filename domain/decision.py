"""Certification decisions (ZPIC-WF-20 4.6): grant or refuse, by someone not on the audit team."""

from __future__ import annotations

from datetime import date
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
