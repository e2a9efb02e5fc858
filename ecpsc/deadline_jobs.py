"""The deadline jobs as one process runs them: candidates from the read model, truth from events.

The API's `POST /sweeps`, `ecpsc sweep`, the dramatiq actors and the in-process daily run all
come through here, so every path sweeps the same way.
"""

from __future__ import annotations

from datetime import date

from domain.sweeps import DueChange
from ecpsc.services import Services


def sweep(services: Services, as_of: date) -> list[DueChange]:
    """Record every change the rules owe as of a day (5.3, 7.3.1, 8.1.2); idempotent."""
    services.settle()
    numbers = services.read_models.view("certificate_deadlines").due(as_of)
    changes = services.backoffice.sweep(as_of, numbers)
    services.settle()
    return changes


def catch_up(services: Services) -> dict[date, list[DueChange]]:
    """Sweep each day missed since the last sweep, oldest first, through today."""
    return {day: sweep(services, day) for day in services.backoffice.days_to_sweep()}
