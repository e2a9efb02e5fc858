"""The library's ProjectionRunner, applying the events already fetched in one transaction.

The runner calls `process_event` once per event, and each view write is its own transaction:
one commit (a disk sync on PostgreSQL) per event bounds catch-up to a few hundred events a
second. Here the events the subscription has already fetched (up to `MAX_EVENTS`, or
`MAX_SECONDS` of work) are applied inside one `view.batched()`: their rows and tracking records
commit together, so an event is still applied exactly once, and a crash rolls the whole batch
back to be applied again. When the store is idle a batch is one event, so read-your-writes
waits are as short as before.
"""

from __future__ import annotations

import time
import weakref
from threading import Event
from traceback import format_exc
from typing import Any
from warnings import warn

from eventsourcing.projection import ApplicationSubscription, Projection, ProjectionRunner

MAX_EVENTS = 500
"""At most this many events per transaction (the subscription fetches pages of 500)."""

MAX_SECONDS = 0.2
"""A batch closes after this long, so readers waiting on an early event are not held up."""


def _buffered(subscription: ApplicationSubscription[Any]) -> bool:
    """Whether the next event is already fetched, so taking it will not block.

    Reads the 9.5 ListenNotifySubscription's buffers; on anything else it answers False, and
    batches fall back to one event each.
    """
    inner = getattr(subscription, "subscription", None)
    try:
        current = inner._notifications_index < len(inner._notifications)  # type: ignore[union-attr]
        return bool(current or not inner._notifications_queue.empty())  # type: ignore[union-attr]
    except AttributeError:
        return False


class BatchingProjectionRunner(ProjectionRunner[Any, Any]):
    """A ProjectionRunner whose view commits the events at hand in one transaction."""

    @staticmethod
    def _process_events_loop(  # type: ignore[override]
        subscription: ApplicationSubscription[Any],
        projection: Projection[Any],
        is_stopping: Event,
        runner: weakref.ReferenceType[BatchingProjectionRunner],
    ) -> None:
        """Iterates over the subscription, applying each run of fetched events as one batch."""
        try:
            events = iter(subscription)
            view = projection.view
            for first in events:
                with view.batched():
                    projection.process_event(*first)
                    count, started = 1, time.monotonic()
                    while (
                        count < MAX_EVENTS
                        and time.monotonic() - started < MAX_SECONDS
                        and _buffered(subscription)
                    ):
                        following = next(events, None)
                        if following is None:
                            break
                        projection.process_event(*following)
                        count += 1
        except BaseException as e:
            _runner = runner()
            if _runner is not None:
                _runner._thread_error = e
            else:
                warn(
                    "ProjectionRunner was deleted before error could be assigned:\n"
                    + format_exc(),
                    RuntimeWarning,
                    stacklevel=2,
                )
        finally:
            is_stopping.set()
