"""A process's read models share the pages of the event log they read: the answers are the
store's own, whoever asks first and from wherever."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

import pytest
from eventsourcing.persistence import Notification
from hypothesis import given, settings
from hypothesis import strategies as st

from projections import notification_cache
from projections.notification_cache import NotificationCache


class FakeLog:
    """An event log with gaps in its ids (rolled back transactions), counting what it sends."""

    def __init__(self) -> None:
        self.notifications: list[Notification] = []
        self.sent = 0
        self._next_id = 1

    def append(self, count: int, gap: int) -> None:
        self._next_id += gap
        for _ in range(count):
            self.notifications.append(
                Notification(
                    id=self._next_id, originator_id=uuid4(), originator_version=1,
                    topic="t", state=b"{}",
                )
            )  # fmt: skip
            self._next_id += 1

    def select(self, start: int, limit: int) -> Sequence[Notification]:
        answer = [n for n in self.notifications if n.id > start][:limit]
        self.sent += len(answer)
        return answer


operations = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.integers(0, 40), st.integers(0, 3)),
        st.tuples(st.just("read"), st.integers(0, 1000), st.integers(1, 30)),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(operations, st.integers(1, 50))
def test_every_answer_is_what_the_store_answers(
    ops: list[tuple[str, int, int]], capacity: int
) -> None:
    # given a log that grows between reads, and a small cache in front of it
    log, cache = FakeLog(), NotificationCache(capacity=capacity)
    for op, a, b in ops:
        if op == "append":
            log.append(a, gap=b)
        else:
            # when a reader asks for what follows any position: a stored id, or just below one
            ids = [n.id for n in log.notifications] or [0]
            start = max(0, ids[a % len(ids)] - a % 2)
            answer = cache.after(start, b, log.select)
            # then it gets exactly what the store would answer now
            assert list(answer) == log.select(start, b)


def test_readers_following_the_head_share_one_read() -> None:
    # given a log of 1,200 notifications and three readers at its start
    log, cache = FakeLog(), NotificationCache()
    log.append(1200, gap=0)
    # when each reads it in pages of 500, one after another
    for _ in range(3):
        start, pages = 0, 0
        while page := cache.after(start, 500, log.select):
            start, pages = page[-1].id, pages + 1
        assert start == 1200
    # then the store sent each notification once, not three times
    assert log.sent == 1200


def test_pages_are_forgotten_after_a_while_and_on_disposal(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a cache that has read a page
    log, cache = FakeLog(), NotificationCache()
    log.append(10, gap=0)
    now = [1000.0]
    monkeypatch.setattr(notification_cache.time, "monotonic", lambda: now[0])
    cache.after(0, 500, log.select)
    cache.after(0, 500, log.select)
    assert log.sent == 10
    # when its page is older than the time pages are kept
    now[0] += notification_cache.SECONDS + 1
    cache.after(0, 500, log.select)
    # then the store sends it again
    assert log.sent == 20
    # and when the stored events are changed (disposal), every page is forgotten at once
    notification_cache.cache_of("a log").after(0, 500, log.select)
    notification_cache.forget_all()
    notification_cache.cache_of("a log").after(0, 500, log.select)
    assert log.sent == 40
