"""Sign-in names: each names one staff member, keyed by the name so a lookup needs no scan."""

from __future__ import annotations

import unicodedata
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


def normalized(name: str) -> str:
    """The form under which a sign-in name is compared (NFKC, trimmed, case-folded)."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


class SignInName(Aggregate):
    """A sign-in name taken by a staff member; a second claim on it fails on save."""

    class Claimed(Aggregate.Created):
        """The name was given to a staff member."""

        name: str
        user_id: str
        by: str

    class Released(Aggregate.Event):
        """The staff member now signs in under another name."""

        by: str

    class Reclaimed(Aggregate.Event):
        """A released name was given to a staff member again."""

        user_id: str
        by: str

    @staticmethod
    def create_id(name: str) -> UUID:
        """The name's id, derived from its normalized form."""
        return uuid5(NAMESPACE_URL, f"/sign-in-names/{normalized(name)}")

    @event(Claimed)
    def __init__(self, name: str, user_id: str, by: str) -> None:
        self.name = name
        self.user_id: str | None = user_id

    @event(Released)
    def release(self, by: str) -> None:
        """Free the name."""
        self.user_id = None

    @event(Reclaimed)
    def reclaim(self, user_id: str, by: str) -> None:
        """Give a released name to a staff member."""
        self.user_id = user_id
