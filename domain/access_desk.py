"""The access desk: how long tokens live, revoking one token, deactivating a staff member
(rules.md §11; issue 20, item 8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.credentials import TOKEN_LIFETIME, ApiToken
from domain.desk import Desk
from domain.errors import NotFound, RuleViolation
from domain.people import Actor, User

ACCESS_CLAUSE = "ZPIC-WF-20 11"


def _now() -> datetime:
    return datetime.now(UTC)


class AccessDesk(Desk):
    """Commands that end access: a token's revocation, a staff member's deactivation."""

    token_lifetime: timedelta = TOKEN_LIFETIME
    """How long a new token is accepted (ECPSC_TOKEN_LIFETIME_DAYS sets it per process)."""

    def token_expiry(self, at: datetime | None = None) -> datetime:
        """When a token issued now (or at `at`) stops being accepted."""
        return (at or _now()) + self.token_lifetime

    @staticmethod
    def token_accepted(token: ApiToken, at: datetime | None = None) -> bool:
        """Whether a token admits requests now (or at `at`): not revoked, not expired."""
        return token.accepted_at(at or _now())

    def get_token(self, user_id: UUID, token_id: UUID) -> ApiToken:
        """One of a staff member's tokens, by its id (404 when it is not theirs)."""
        token = self._find(ApiToken, token_id)
        if token is None or token.user_id != str(user_id):
            raise NotFound("未找到该用户的令牌 / no such token of this user")
        return token

    def revoke_token(
        self, user_id: UUID, token_id: UUID, reason: str, by: Actor, at: datetime | None = None
    ) -> ApiToken:
        """End one token: every later use of it is refused (401)."""
        token = self.get_token(user_id, token_id)
        if token.revoked:
            raise RuleViolation(
                "该令牌已被撤销 / the token is already revoked",
                code="token_already_revoked",
                clause=ACCESS_CLAUSE,
            )
        token.revoke(reason=reason, at=at or _now(), by=by.id)
        self.save(token)
        return token

    def deactivate_user(
        self, user_id: UUID, reason: str, by: Actor, at: datetime | None = None
    ) -> User:
        """Deactivate a staff member: all their tokens and web sessions stop working at once,
        and they cannot sign in."""
        user = self._get(User, user_id, "用户 / user")
        if not user.active:
            raise RuleViolation(
                "该用户已停用 / the user is already deactivated",
                code="user_already_deactivated",
                clause=ACCESS_CLAUSE,
            )
        if str(user.id) == by.id:
            raise RuleViolation(
                "不能停用自己 / an admin cannot deactivate themselves",
                code="cannot_deactivate_self",
                clause=ACCESS_CLAUSE,
            )
        user.deactivate(reason=reason, at=at or _now(), by=by.id)
        self.save(user)
        return user
