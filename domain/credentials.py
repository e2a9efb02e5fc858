"""API tokens: stored only as their SHA-256 digest, keyed by it so a lookup needs no scan."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

TOKEN_LIFETIME = timedelta(days=365)
"""How long a token is accepted after it is issued, unless configured otherwise."""


def new_token() -> str:
    """A fresh bearer token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 digest under which a token is stored (a high-entropy token needs no salt)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(Aggregate):
    """A bearer token issued to a user; only its digest is ever recorded."""

    class Issued(Aggregate.Created):
        """A token was issued, accepted until `expires_at`; only its digest is recorded."""

        class_version = 2
        digest: str
        user_id: str
        expires_at: datetime
        by: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Tokens issued before expiries were recorded expire a year after issue."""
            state["expires_at"] = state["timestamp"] + TOKEN_LIFETIME

    class Revoked(Aggregate.Event):
        """The token was revoked: it is refused from `at` on."""

        class_version = 2
        reason: str
        at: datetime
        by: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Revocations recorded before reasons were asked for: none given, at the record's
            own time."""
            state["reason"] = ""
            state["at"] = state["timestamp"]

    @staticmethod
    def create_id(digest: str) -> UUID:
        """The token's id, derived from its digest."""
        return uuid5(NAMESPACE_URL, f"/api-tokens/{digest}")

    @event(Issued)
    def __init__(self, digest: str, user_id: str, expires_at: datetime, by: str) -> None:
        self.digest = digest
        self.user_id = user_id
        self.expires_at = expires_at
        self.issued_by = by
        self.revoked = False
        self.revocation: dict[str, Any] | None = None

    @event(Revoked)
    def revoke(self, reason: str, at: datetime, by: str) -> None:
        """Stop accepting this token."""
        self.revoked = True
        self.revocation = {"reason": reason, "at": at, "by": by}

    def accepted_at(self, at: datetime) -> bool:
        """Whether the token admits requests at that moment (not revoked, not expired)."""
        return not self.revoked and at < self.expires_at
