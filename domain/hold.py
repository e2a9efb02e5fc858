"""Legal holds (ZPIC-WF-20 10): records of an organization kept beyond retention while held."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation
from domain.rulebook.dates import ensure_not_before


class LegalHold(Aggregate):
    """A hold on every record of one organization, until released."""

    class Placed(Aggregate.Created):
        """A compliance officer placed the hold (a dispute, an inquiry, a court order)."""

        uscc: str
        reason: str
        placed_on: date
        by: str

    class Released(Aggregate.Event):
        """The hold was released."""

        released_on: date
        by: str

    @event(Placed)
    def __init__(self, uscc: str, reason: str, placed_on: date, by: str) -> None:
        if not reason.strip():
            raise InvalidInput("reason", "须写明保全理由 / the reason is required")
        self.uscc = uscc
        self.reason = reason
        self.placed_on = placed_on
        self.placed_by = by
        self.released_on: date | None = None

    @property
    def active(self) -> bool:
        """Whether the hold still stands."""
        return self.released_on is None

    def release(self, released_on: date, by: str) -> None:
        """Release the hold."""
        if not self.active:
            raise RuleViolation(
                "该保全已解除 / the hold was already released",
                code="hold_released",
                clause="ZPIC-WF-20 10.2",
            )
        ensure_not_before("released_on", released_on, "placed_on", self.placed_on)
        self._released(released_on=released_on, by=by)

    @event(Released)
    def _released(self, released_on: date, by: str) -> None:
        self.released_on = released_on
