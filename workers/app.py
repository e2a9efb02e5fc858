"""The worker processes' entry point: `dramatiq workers.app` (the broker from ECPSC_BROKER_URL).

`ecpsc worker` runs the same actors and also keeps the daily schedule.
"""

from __future__ import annotations

from ecpsc.settings import Settings
from workers.broker import install_broker

broker = install_broker(Settings())
"""The dramatiq broker from the settings; set before the actors are imported."""

from workers import actors  # noqa: E402  (actors bind to the broker installed above)

__all__ = ["actors", "broker"]
