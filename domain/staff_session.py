"""A staff member's signed-in session of the web pages; the cookie holds its secret, the store
only the secret's digest (as with API tokens)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

SESSION_LIFETIME = timedelta(hours=12)
"""A session ends by itself this long after sign-in: a working day, never overnight."""


class StaffSession(Aggregate):
    """Started at sign-in, ended at sign-out (or by its lifetime)."""

    class Started(Aggregate.Created):
        """A staff member signed in; the session's secret is known only by its digest."""

        digest: str
        user_id: str
        address: str
        started_at: datetime
        by: str

    class Ended(Aggregate.Event):
        """The staff member signed out."""

        at: datetime
        by: str

    @staticmethod
    def create_id(digest: str) -> UUID:
        """The session's id, derived from its secret's digest."""
        return uuid5(NAMESPACE_URL, f"/staff-sessions/{digest}")

    @event(Started)
    def __init__(self, digest: str, user_id: str, address: str, started_at: datetime, by: str):
        self.user_id = user_id
        self.started_at = started_at
        self.ended = False

    @event(Ended)
    def end(self, at: datetime, by: str) -> None:
        """Sign out."""
        self.ended = True

    def open_at(self, at: datetime) -> bool:
        """Whether the session admits requests at that moment."""
        return not self.ended and self.started_at <= at < self.started_at + SESSION_LIFETIME
