"""Pages of the event log read once per process for all the read models following it.

Each read model's runner has its own subscription, and each subscription would read every
notification of the log from PostgreSQL for itself: ten runners in a projector process read
the log ten times. Runners following the head ask for the same pages within moments of one
another, so the process keeps the last pages it read and answers from them.

The pages are exact: what PostgreSQL answers for "after n" never changes once read, because
the library writes events under an exclusive lock on their table, so transactions commit in
notification order and no notification appears below one already seen (the subscriptions
themselves rely on the same). A runner far behind the others (a rebuild) reads for itself.

One thing does change a stored event: disposal (ZPIC-WF-20 10.2) replaces its content by a
tombstone. A page is therefore kept only for `SECONDS`, long enough for the runners following
the head to share it, and a disposal in this process forgets every page at once.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Hashable, Sequence

from eventsourcing.persistence import Notification

CAPACITY = 5_000
"""Notifications a process keeps (ten of the subscriptions' pages)."""
SECONDS = 5.0
"""How long a page read from the store is answered from memory."""

Select = Callable[[int, int], Sequence[Notification]]
"""Reads up to `limit` notifications after a position from the store."""


class NotificationCache:
    """The notifications in (low, high], all of them, in order."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._low = self._high = -1
        self._ids: list[int] = []
        self._notifications: list[Notification] = []
        self._read_at: list[float] = []

    def after(self, start: int, limit: int, select: Select) -> Sequence[Notification]:
        """Up to `limit` notifications after `start`, as `select(start, limit)` would answer."""
        with self._lock:
            stale = self._read_at and self._read_at[0] < time.monotonic() - SECONDS
            if stale:
                self._drop_stale()
            if not self._low <= start <= self._high:
                found = list(select(start, limit))
                if start > self._high:  # the log moved on: keep what was read from here
                    self._keep(start, found)
                return found
            index = bisect_right(self._ids, start)
            found = self._notifications[index : index + limit]
            if len(found) < limit:
                more = select(self._high, limit - len(found))
                self._extend(more)
                found += more
            return found

    def forget(self) -> None:
        """Drop every page."""
        with self._lock:
            self._keep(-1, [])

    def _keep(self, start: int, found: list[Notification]) -> None:
        self._low = self._high = start
        self._ids, self._notifications, self._read_at = [], [], []
        self._extend(found)

    def _extend(self, more: Sequence[Notification]) -> None:
        if not more:
            return
        self._ids += [n.id for n in more]
        self._notifications += more
        self._read_at += [time.monotonic()] * len(more)
        self._high = more[-1].id
        self._drop(len(self._ids) - self._capacity)

    def _drop_stale(self) -> None:
        self._drop(bisect_right(self._read_at, time.monotonic() - SECONDS))

    def _drop(self, count: int) -> None:
        """Forget the oldest `count` notifications."""
        if count > 0:
            self._low = self._ids[count - 1]
            del self._ids[:count], self._notifications[:count], self._read_at[:count]


_caches: dict[Hashable, NotificationCache] = {}
_caches_lock = threading.Lock()


def forget_all() -> None:
    """Drop every page of every log this process keeps (stored events were changed)."""
    with _caches_lock:
        caches = list(_caches.values())
    for cache in caches:
        cache.forget()


def cache_of(log: Hashable) -> NotificationCache:
    """This process's cache of one event log (by database and table)."""
    with _caches_lock:
        if log not in _caches:
            _caches[log] = NotificationCache()
        return _caches[log]
