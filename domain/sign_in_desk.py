"""The sign-in desk: passwords, sign-in with lockout, and web sessions of staff members."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.access_desk import AccessDesk
from domain.credentials import new_token, token_digest
from domain.errors import InvalidInput, RuleViolation
from domain.people import (
    LOCKOUT_PERIOD,
    SIGN_IN_FAILURE_WINDOW,
    SIGN_IN_FAILURES_BEFORE_LOCKOUT,
    AccountLocked,
    Actor,
    User,
)
from domain.sign_in_name import SignInName, normalized
from domain.staff_session import StaffSession

MIN_PASSWORD_LENGTH = 10
"""Shorter passwords are refused (422)."""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has")
"""Verified against when the name is unknown, so a wrong name costs as long as a wrong password."""


class SignInRefused(Exception):
    """Wrong name or password (which one is not told); the failure is recorded on the user."""


class SignInLocked(Exception):
    """The account is locked after repeated failures, until `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


BOOTSTRAP_ADMIN_USER_ID = uuid5(NAMESPACE_URL, "/users/bootstrap-admin")
"""The staff record that lets the bootstrap administrator sign in to the staff pages."""
UNKNOWN_NAMES_KEPT = 10_000
"""At most this many unknown names' failures are remembered (the oldest are forgotten)."""


def _now() -> datetime:
    return datetime.now(UTC)


class UnknownNameLockouts:
    """Failed sign-ins under names nobody has, counted as a user's are (same window, same
    lockout), so a locked name and an unknown one get the same answer. In memory only: there
    is no one to record them on."""

    def __init__(self) -> None:
        self._failures: dict[str, tuple[int, datetime, datetime | None]] = {}

    def locked_until(self, name: str, at: datetime) -> datetime | None:
        """When the name's lockout ends, if it is locked at that moment."""
        _, _, until = self._failures.get(name, (0, at, None))
        return until if until is not None and at < until else None

    def fail(self, name: str, at: datetime) -> datetime | None:
        """Count a failure; the end of the lockout when it is one too many."""
        failures, last, _ = self._failures.pop(name, (0, at, None))
        failures = failures + 1 if at - last <= SIGN_IN_FAILURE_WINDOW else 1
        until = at + LOCKOUT_PERIOD if failures >= SIGN_IN_FAILURES_BEFORE_LOCKOUT else None
        self._failures[name] = (0 if until else failures, at, until)
        while len(self._failures) > UNKNOWN_NAMES_KEPT:
            del self._failures[next(iter(self._failures))]
        return until


class SignInDesk(AccessDesk):
    """Commands of signing in to the staff web pages."""

    def set_password(self, user_id: UUID, sign_in_name: str, password: str, by: Actor) -> User:
        """Give a staff member a sign-in name and password (only its argon2 hash is kept)."""
        name = _checked(sign_in_name, password)
        user = self._get(User, user_id, "用户 / user")
        claim = self._find(SignInName, SignInName.create_id(name))
        if claim is not None and claim.user_id not in (None, str(user.id)):
            raise RuleViolation(
                f"登录名“{name}”已被他人使用 / the sign-in name {name!r} is taken",
                code="sign_in_name_taken",
                clause="ZPIC-WF-20 11",
            )
        changed = []
        if claim is None:
            changed.append(SignInName(name=name, user_id=str(user.id), by=by.id))
        elif claim.user_id is None:
            claim.reclaim(user_id=str(user.id), by=by.id)
            changed.append(claim)
        old = user.sign_in_name
        if old is not None and normalized(old) != normalized(name):
            previous = self._find(SignInName, SignInName.create_id(old))
            if previous is not None and previous.user_id == str(user.id):
                previous.release(by=by.id)
                changed.append(previous)
        user.set_password(sign_in_name=name, password_hash=_hasher.hash(password), by=by.id)
        self.save(user, *changed)
        return user

    def sign_in(
        self, sign_in_name: str, password: str, address: str, at: datetime | None = None
    ) -> tuple[str, Actor]:
        """Check a name and password; start a session and return its secret (for the cookie).

        A wrong password is recorded on the user and may lock the account (SignInLocked);
        an unknown name records nothing (there is no one to record it on)."""
        at = at or _now()
        claim = self._find(SignInName, SignInName.create_id(sign_in_name))
        user = self._find(User, UUID(claim.user_id)) if claim and claim.user_id else None
        if user is None or user.password_hash is None or not user.active:
            unknown = self._unknown_names()
            key = normalized(sign_in_name)
            until = unknown.locked_until(key, at)
            if until is not None:
                raise SignInLocked(until)
            _verify(_DUMMY_HASH, password)
            until = unknown.fail(key, at)
            if until is not None:
                raise SignInLocked(until)
            raise SignInRefused(sign_in_name)
        if user.is_locked(at):
            raise SignInLocked(user.locked_until)  # type: ignore[arg-type]
        if not _verify(user.password_hash, password):
            user.fail_sign_in(address=address, at=at)
            self.save(user)
            if user.is_locked(at):
                raise SignInLocked(user.locked_until)  # type: ignore[arg-type]
            raise SignInRefused(sign_in_name)
        secret = new_token()
        session = StaffSession(
            digest=token_digest(secret),
            user_id=str(user.id),
            address=address,
            started_at=at,
            by=str(user.id),
        )
        try:
            user.sign_in(session_id=str(session.id), address=address, at=at)
        except AccountLocked as locked:
            raise SignInLocked(locked.until) from None
        self.save(user, session)
        return secret, Actor(str(user.id), user.name, frozenset(user.roles))

    def _unknown_names(self) -> UnknownNameLockouts:
        lockouts: UnknownNameLockouts | None = self.__dict__.get("_unknown_name_lockouts")
        if lockouts is None:
            lockouts = self.__dict__["_unknown_name_lockouts"] = UnknownNameLockouts()
        return lockouts

    def set_bootstrap_admin_password(
        self, sign_in_name: str, password: str, by: Actor
    ) -> User:
        """Let the bootstrap administrator (ECPSC_ADMIN_TOKEN) sign in to the staff pages: a
        staff record of theirs, an admin, is registered at a fixed id the first time."""
        _checked(sign_in_name, password)
        if self._find(User, BOOTSTRAP_ADMIN_USER_ID) is None:
            user = User._create(
                User.Registered, id=BOOTSTRAP_ADMIN_USER_ID,
                name="系统管理员 / bootstrap administrator", roles=["admin"],
                ccaa_registration=None, by=by.id,
            )  # fmt: skip
            self.save(user)
        return self.set_password(BOOTSTRAP_ADMIN_USER_ID, sign_in_name, password, by=by)

    def session_actor(self, secret: str, at: datetime | None = None) -> Actor | None:
        """The staff member whose open session the secret names, or None."""
        session = self._find(StaffSession, StaffSession.create_id(token_digest(secret)))
        if session is None or not session.open_at(at or _now()):
            return None
        user = self._find(User, UUID(session.user_id))
        if user is None or not user.active:
            return None
        return Actor(str(user.id), user.name, frozenset(user.roles))

    def sign_out(self, secret: str, at: datetime | None = None) -> None:
        """End the session the secret names (nothing happens for an unknown or ended one)."""
        session = self._find(StaffSession, StaffSession.create_id(token_digest(secret)))
        if session is None or session.ended:
            return
        session.end(at=at or _now(), by=session.user_id)
        self.save(session)


def _checked(sign_in_name: str, password: str) -> str:
    """The sign-in name, trimmed, once it and the password are acceptable (else 422)."""
    name = sign_in_name.strip()
    if not normalized(name):
        raise InvalidInput("sign_in_name", "登录名不能为空 / the sign-in name is empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password",
            f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / "
            f"a password has at least {MIN_PASSWORD_LENGTH} characters",
        )
    return name


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
