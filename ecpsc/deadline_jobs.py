"""The deadline jobs as one process runs them: candidates from the read model, truth from events.

The API's `POST /sweeps`, `ecpsc sweep`, the dramatiq actors and the in-process daily run all
come through `run_day`, so every path sweeps the same way and sends the same notices, once.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain.sweeps import DueChange
from ecpsc.services import Services
from workers.day_notices import SendNow


def sweep(services: Services, as_of: date) -> list[DueChange]:
    """Record every change the rules owe as of a day (5.3, 7.3.1, 8.1.2); idempotent."""
    services.settle()
    numbers = services.read_models.view("certificate_deadlines").due(as_of)
    changes = services.backoffice.sweep(as_of, numbers)
    services.settle()
    return changes


class DayNotices(Protocol):
    """Where a day's run hands the notices it owes: sent at once, or queued for the workers."""

    def certificate_changed(self, number: str, version: int) -> None:
        """A certificate the run changed, at the version it left."""

    def expiry_reminders(self, day: date) -> None:
        """The day's expiry reminders (90, 30 and 7 days before expiry)."""

    def appeals_digest(self, day: date) -> None:
        """Today's appeals digest."""


def run_day(services: Services, as_of: date, notices: DayNotices | None = None) -> list[DueChange]:
    """The daily run for a day, however it is triggered: record the changes the rules owe,
    then the notices the day owes, each once (sent here unless `notices` queues them).

    A day already swept records nothing new, and its notices already recorded are not sent
    again; so the run the daily schedule owes after an on-demand sweep of the day is a no-op.
    """
    changes = sweep(services, as_of)
    sender: DayNotices = notices if notices is not None else SendNow(services)
    # a conflict noted for a person changes no status: nothing to tell the organization
    changed = (c.number for c in changes if c.change != "conflict")
    for number in dict.fromkeys(changed):
        sender.certificate_changed(number, services.backoffice.get_certificate(number).version)
    sender.expiry_reminders(as_of)
    if as_of == services.backoffice.today():
        sender.appeals_digest(as_of)
    return changes


def catch_up(
    services: Services, notices: DayNotices | None = None
) -> dict[date, list[DueChange]]:
    """Run each day missed since the last sweep, oldest first, through today."""
    return {day: run_day(services, day, notices) for day in services.backoffice.days_to_sweep()}
