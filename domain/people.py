"""Staff users and their roles (rules.md §11)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

ROLES: tuple[str, ...] = (
    "admin",
    "intake",
    "planner",
    "auditor",
    "decision_maker",
    "appeals_officer",
    "compliance_officer",
)

BOOTSTRAP_ADMIN_ID = "bootstrap-admin"
"""The actor recorded for commands given with ECPSC_ADMIN_TOKEN (no user record behind it)."""

SIGN_IN_FAILURES_BEFORE_LOCKOUT = 5
"""Consecutive failed sign-ins (within SIGN_IN_FAILURE_WINDOW) that lock the account."""
SIGN_IN_FAILURE_WINDOW = timedelta(minutes=15)
"""A failure older than this no longer counts towards a lockout."""
LOCKOUT_PERIOD = timedelta(minutes=15)
"""How long a lockout lasts; it ends by itself (an admin need not act)."""

DEADLINE_JOBS_ID = "deadline-jobs"
"""The actor recorded for what the deadline jobs do by rule (5.3, 7.3.1, 8.1.2)."""


class User(Aggregate):
    """A member of the certification body's staff."""

    class Registered(Aggregate.Created):
        """A staff member was registered with roles (and a CCAA registration, if any)."""

        name: str
        roles: list[str]
        ccaa_registration: dict[str, Any] | None
        by: str

    @event(Registered)
    def __init__(
        self,
        name: str,
        roles: list[str],
        ccaa_registration: dict[str, Any] | None,
        by: str,
    ) -> None:
        self.name = name
        self.roles = list(roles)
        self.ccaa_registration = ccaa_registration
        self.registered_by = by
        self.active = True
        self.email: str | None = None
        self.sign_in_name: str | None = None
        self.password_hash: str | None = None
        self.failed_sign_ins = 0
        self.last_failed_at: datetime | None = None
        self.locked_until: datetime | None = None

    class EmailRecorded(Aggregate.Event):
        """The address the staff member's work notices (e.g. the appeals digest) go to."""

        email: str
        by: str

    @event(EmailRecorded)
    def record_email(self, email: str, by: str) -> None:
        """Record the staff member's e-mail address."""
        self.email = email

    class PasswordSet(Aggregate.Event):
        """The staff member can sign in to the web pages under a name with a password;
        only the password's argon2 hash is recorded."""

        sign_in_name: str
        password_hash: str
        by: str

    @event(PasswordSet)
    def set_password(self, sign_in_name: str, password_hash: str, by: str) -> None:
        """Record the sign-in name and the password's hash (a lockout ends with it)."""
        self.sign_in_name = sign_in_name
        self.password_hash = password_hash
        self.failed_sign_ins = 0
        self.locked_until = None

    class SignedIn(Aggregate.Event):
        """The staff member signed in to the web pages, starting a session."""

        session_id: str
        address: str
        at: datetime
        by: str

    def sign_in(self, session_id: str, address: str, at: datetime) -> None:
        """Record a successful sign-in; refused while the account is locked."""
        if self.is_locked(at):
            raise AccountLocked(self.locked_until)  # type: ignore[arg-type]
        self._signed_in(session_id=session_id, address=address, at=at, by=str(self.id))

    @event(SignedIn)
    def _signed_in(self, session_id: str, address: str, at: datetime, by: str) -> None:
        self.failed_sign_ins = 0
        self.last_failed_at = None

    class SignInFailed(Aggregate.Event):
        """Someone gave this staff member's sign-in name with a wrong password."""

        failures: int
        address: str
        at: datetime
        by: str

    class LockedOut(Aggregate.Event):
        """Too many failed sign-ins in a row: sign-in refused until `until`."""

        failures: int
        until: datetime
        at: datetime
        by: str

    def fail_sign_in(self, address: str, at: datetime) -> None:
        """Record a failed sign-in, and a lockout when it is one too many."""
        if self.is_locked(at):
            raise AccountLocked(self.locked_until)  # type: ignore[arg-type]
        recent = self.last_failed_at is not None and at - self.last_failed_at <= (
            SIGN_IN_FAILURE_WINDOW
        )
        failures = self.failed_sign_ins + 1 if recent else 1
        self._sign_in_failed(failures=failures, address=address, at=at, by=str(self.id))
        if failures >= SIGN_IN_FAILURES_BEFORE_LOCKOUT:
            self._locked_out(
                failures=failures, until=at + LOCKOUT_PERIOD, at=at, by=str(self.id)
            )

    @event(SignInFailed)
    def _sign_in_failed(self, failures: int, address: str, at: datetime, by: str) -> None:
        self.failed_sign_ins = failures
        self.last_failed_at = at

    @event(LockedOut)
    def _locked_out(self, failures: int, until: datetime, at: datetime, by: str) -> None:
        self.locked_until = until
        self.failed_sign_ins = 0
        self.last_failed_at = None

    def is_locked(self, at: datetime) -> bool:
        """Whether sign-in is refused at that moment."""
        return self.locked_until is not None and at < self.locked_until

    class Deactivated(Aggregate.Event):
        """The staff member left or lost access: every token and session of theirs is refused
        from `at` on, and they cannot sign in."""

        reason: str
        at: datetime
        by: str

    @event(Deactivated)
    def deactivate(self, reason: str, at: datetime, by: str) -> None:
        """Record the deactivation."""
        self.active = False
        self.deactivation = {"reason": reason, "at": at, "by": by}

    @property
    def user_id(self) -> UUID:
        """The user's id."""
        return self.id

    def registration_valid_on(self, day: date) -> bool:
        """Whether the CCAA service-certification registration is valid on that day (4.2.3)."""
        reg = self.ccaa_registration
        return bool(reg) and reg["valid_from"] <= day <= reg["valid_until"]  # type: ignore[index]


class AccountLocked(Exception):
    """Sign-in is refused until the lockout ends; nothing is recorded."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


class Actor:
    """Who gives a command: a user's id, name and roles, recorded on every event as `by`."""

    __slots__ = ("id", "name", "roles")

    def __init__(self, id: str, name: str, roles: frozenset[str]) -> None:
        self.id = id
        self.name = name
        self.roles = roles

    def has_any(self, *roles: str) -> bool:
        """Whether the actor holds one of the roles; admin holds them all."""
        return "admin" in self.roles or bool(self.roles.intersection(roles))

    def __repr__(self) -> str:
        return f"Actor({self.id!r}, {self.name!r})"
