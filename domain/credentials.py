"""API tokens: stored only as their SHA-256 digest, keyed by it so a lookup needs no scan."""

from __future__ import annotations

import hashlib
import secrets
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


def new_token() -> str:
    """A fresh bearer token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 digest under which a token is stored (a high-entropy token needs no salt)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(Aggregate):
    """A bearer token issued to a user; only its digest is ever recorded."""

    class Issued(Aggregate.Created):
        """A token was issued; only its digest is recorded."""

        digest: str
        user_id: str
        by: str

    class Revoked(Aggregate.Event):
        """The token was revoked."""

        by: str

    @staticmethod
    def create_id(digest: str) -> UUID:
        """The token's id, derived from its digest."""
        return uuid5(NAMESPACE_URL, f"/api-tokens/{digest}")

    @event(Issued)
    def __init__(self, digest: str, user_id: str, by: str) -> None:
        self.digest = digest
        self.user_id = user_id
        self.issued_by = by
        self.revoked = False

    @event(Revoked)
    def revoke(self, by: str) -> None:
        """Stop accepting this token."""
        self.revoked = True
