"""Staff users and their roles (rules.md §11)."""

from __future__ import annotations

from datetime import date
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

    class EmailRecorded(Aggregate.Event):
        """The address the staff member's work notices (e.g. the appeals digest) go to."""

        email: str
        by: str

    @event(EmailRecorded)
    def record_email(self, email: str, by: str) -> None:
        """Record the staff member's e-mail address."""
        self.email = email

    @property
    def user_id(self) -> UUID:
        """The user's id."""
        return self.id

    def registration_valid_on(self, day: date) -> bool:
        """Whether the CCAA service-certification registration is valid on that day (4.2.3)."""
        reg = self.ccaa_registration
        return bool(reg) and reg["valid_from"] <= day <= reg["valid_until"]  # type: ignore[index]


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
