"""Domain errors: each refusal names its rule, its code and its ZPIC-WF-20 clause."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules or the record's state refuse; nothing is recorded."""

    code = "rule_violation"
    clause = "ZPIC-WF-20"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        clause: str | None = None,
        details: dict[str, object] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code is not None:
            self.code = code
        if clause is not None:
            self.clause = clause


class RuleViolation(DomainError):
    """The rules forbid the command (HTTP 409)."""


class VersionConflict(DomainError):
    """The caller's If-Match version is stale (HTTP 409)."""

    code = "version_conflict"
    clause = "ZPIC-WF-20 10.1"


class NotFound(DomainError):
    """The named record does not exist (HTTP 404)."""

    code = "not_found"


class InvalidInput(DomainError):
    """Malformed input the schema could not see, e.g. a business date after today (HTTP 422)."""

    code = "invalid_input"

    def __init__(self, field: str, message: str):
        super().__init__(message, code="invalid_input")
        self.field = field
