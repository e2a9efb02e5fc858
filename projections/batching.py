"""The library's ProjectionRunner, applying the events already fetched in one transaction.

The runner calls `process_event` once per event, and each view write is its own transaction:
one commit (a disk sync on PostgreSQL) per event bounds catch-up to a few hundred events a
second. Here the events the subscription has already fetched (up to `MAX_EVENTS`, or
`MAX_SECONDS` of work) are applied inside one `view.batched()`: their rows and tracking records
commit together, so an event is still applied exactly once, and a crash rolls the whole batch
back to be applied again. When the store is idle a batch is one event, so read-your-writes
waits are as short as before.

Most events concern few read models (the register reads about one event in seven). An event
whose type the projection has no handler for is not decoded: only its position is kept, and
the batch records the tracking of the last such event once, before it commits. A projection
whose catch-all handler does real work says so with `every_event = True`.
"""

from __future__ import annotations

import inspect
import time
import weakref
from collections.abc import Callable, Iterator
from threading import Event
from traceback import format_exc
from typing import Any
from warnings import warn

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.projection import ApplicationSubscription, Projection, ProjectionRunner
from eventsourcing.utils import resolve_topic

MAX_EVENTS = 2_000
"""At most this many events per transaction (the subscription fetches pages of 500, up to ten
ahead). A catch-up commits once per MAX_EVENTS: 2,000 rebuilt the register about a fifth faster
than 500 (one page); `MAX_SECONDS` still bounds how long a batch holds its first event back."""

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


def nudge(runner: ProjectionRunner[Any, Any]) -> None:
    """Have the runner's subscription look for new events now, as if notified.

    A notification can be missed: 9.5's PostgreSQL subscription pulls once and LISTENs on
    another thread, so events committed between the two would wait for the next write (and an
    idle store may have none). The supervisor nudges every runner each second, so no event
    waits longer than that. Reads 9.5's internals; on anything else it does nothing.
    """
    inner = getattr(getattr(runner, "_subscription", None), "subscription", None)
    notified = getattr(inner, "_has_been_notified", None)
    if isinstance(notified, Event):
        notified.set()


def topic_filter(projection: Projection[Any]) -> Callable[[str], bool]:
    """Whether the projection has a handler of its own for events of a topic (cached)."""
    if getattr(projection, "every_event", False):
        return lambda topic: True
    generic = inspect.getattr_static(type(projection), "process_event")
    generic.__get__(projection, type(projection))  # applies registrations deferred to first use
    catch_all = generic.dispatcher.registry[object]
    known: dict[str, bool] = {}

    def handles(topic: str) -> bool:
        if topic not in known:
            try:
                cls = resolve_topic(topic)
            except Exception:  # a topic no longer importable: let the mapper say why
                known[topic] = True
            else:
                known[topic] = generic.dispatcher.dispatch(cls) is not catch_all
        return known[topic]

    return handles


Step = tuple[DomainEventProtocol[Any] | None, Tracking]
"""An event to apply, or None with the position of an event the projection ignores."""


def _steps(
    subscription: ApplicationSubscription[Any], handles: Callable[[str], bool]
) -> Iterator[Step]:
    """The subscription's events, decoded only where the projection handles them."""
    notifications: Iterator[Notification] = subscription.subscription
    for notification in notifications:
        tracking = Tracking(subscription.name, notification.id)
        if handles(notification.topic):
            yield subscription.mapper.to_domain_event(notification), tracking
        else:
            yield None, tracking


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
            steps = _steps(subscription, topic_filter(projection))
            view = projection.view
            for first in steps:
                with view.batched():
                    _apply_batch(first, steps, subscription, projection)
        except BaseException as e:
            _runner = runner()
            if _runner is not None:
                _runner._thread_error = e
            else:
                warn(
                    "ProjectionRunner was deleted before error could be assigned:\n" + format_exc(),
                    RuntimeWarning,
                    stacklevel=2,
                )
        finally:
            is_stopping.set()


def _apply_batch(
    first: Step,
    steps: Iterator[Step],
    subscription: ApplicationSubscription[Any],
    projection: Projection[Any],
) -> None:
    """Apply `first` and the events already fetched after it; track the last ignored one."""
    skipped: Tracking | None = None
    step: Step | None = first
    count, started = 0, time.monotonic()
    while step is not None:
        event, tracking = step
        if event is None:
            skipped = tracking
        else:
            projection.process_event(event, tracking)
            skipped = None
        count += 1
        if not (
            count < MAX_EVENTS
            and time.monotonic() - started < MAX_SECONDS
            and _buffered(subscription)
        ):
            break
        step = next(steps, None)
    if skipped is not None:
        projection.view.insert_tracking(skipped)
