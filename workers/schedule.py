"""The daily schedule in China Standard Time: the deadline jobs shortly after midnight."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from domain.rulebook.dates import CHINA_STANDARD_TIME

log = logging.getLogger(__name__)

DAILY_AT = time(0, 5)
"""When the day's jobs run, China Standard Time: just after the day begins there."""


def next_run(now: datetime, at: time = DAILY_AT) -> datetime:
    """The first daily run strictly after now (an aware datetime), in China Standard Time."""
    local = now.astimezone(CHINA_STANDARD_TIME)
    candidate = datetime.combine(local.date(), at, tzinfo=CHINA_STANDARD_TIME)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate


class DailySchedule(threading.Thread):
    """Calls `enqueue` once at start (catch-up) and then every day at DAILY_AT, CST."""

    def __init__(
        self, enqueue: Callable[[], object], clock: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(name="ecpsc-daily-schedule", daemon=True)
        self.enqueue = enqueue
        self.clock = clock or (lambda: datetime.now(UTC))
        self.stopped = threading.Event()

    def run(self) -> None:
        """Enqueue now, then at each daily time until stopped."""
        while not self.stopped.is_set():
            try:
                self.enqueue()
            except Exception:  # a broker hiccup must not end the schedule
                log.exception("could not enqueue the daily jobs")
            wait = (next_run(self.clock()) - self.clock()).total_seconds()
            self.stopped.wait(max(wait, 1.0))

    def stop(self) -> None:
        """Stop after the current wait."""
        self.stopped.set()
