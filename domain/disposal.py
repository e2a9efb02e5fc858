"""Disposal of records past retention (ZPIC-WF-20 10.2): the tombstone of what was disposed of.

Disposal is an explicit act of a compliance officer on a retention row that is eligible (past
its retain_until, no hold). The record of it names every event made unreadable, with the digest
of its content, and every document removed, so what existed can still be evidenced.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Disposal(Aggregate):
    """The disposal of one retention row's records."""

    class Recorded(Aggregate.Created):
        """The records of a retention row were disposed of."""

        row_key: str
        uscc: str
        reason: str
        records: list[dict[str, Any]]
        documents: list[str]
        certificate_numbers: list[str]
        application_ids: list[str]
        retain_until: date
        disposed_on: date
        by: str

    @staticmethod
    def create_id(row_key: str) -> UUID:
        """A row is disposed of once."""
        return uuid5(NAMESPACE_URL, f"/disposals/{row_key}")

    @event(Recorded)
    def __init__(
        self,
        row_key: str,
        uscc: str,
        reason: str,
        records: list[dict[str, Any]],
        documents: list[str],
        certificate_numbers: list[str],
        application_ids: list[str],
        retain_until: date,
        disposed_on: date,
        by: str,
    ) -> None:
        self.row_key = row_key
        self.uscc = uscc
        self.reason = reason
        self.records = records
        self.documents = documents
        self.certificate_numbers = certificate_numbers
        self.application_ids = application_ids
        self.retain_until = retain_until
        self.disposed_on = disposed_on
        self.disposed_by = by
