"""The records a staff page's address names, loaded: None when the id is malformed or unknown,
so the page answers 404 rather than 500."""

from __future__ import annotations

from uuid import UUID

from api.pages.session import StaffPage
from domain.audit import Audit
from domain.errors import NotFound


def uuid_or_none(raw: str | None) -> UUID | None:
    """A UUID from a path, query or form value, or None when it is not one."""
    try:
        return UUID(raw or "")
    except ValueError:
        return None


def audit_or_none(page: StaffPage, raw: str | None) -> Audit | None:
    """The audit an id names, or None when the id is malformed or no audit has it."""
    uid = uuid_or_none(raw)
    if uid is None:
        return None
    try:
        audit: Audit = page.services.backoffice.get_audit(uid)
    except NotFound:
        return None
    return audit
