"""A staff member's access, as a staff page for admins: their roles and state, and the buttons
that end access — deactivate the member, or revoke one token (issue 20, item 8).

Each form calls what `POST /api/v1/users/{id}/deactivation` and
`POST /api/v1/users/{id}/tokens/{token_id}/revocation` call (the same schemas and commands).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.pages.rendering import form_action, not_found, rejected, render
from api.pages.session import FormPost, Page, StaffPage
from api.schemas.people import DeactivationIn, RevocationIn
from domain.errors import NotFound
from domain.people import User

router = APIRouter(include_in_schema=False)

ADMIN = "admin"


def _member(page: StaffPage, user_id: str) -> User | None:
    try:
        return page.services.backoffice.get_user(UUID(user_id))  # type: ignore[no-any-return]
    except (ValueError, NotFound):
        return None


def _context(member: User, **values: Any) -> dict[str, Any]:
    return {"member": member, "deactivation": getattr(member, "deactivation", None), **values}


@router.get("/users/{user_id}", response_class=HTMLResponse)
def staff_member(user_id: str, page: Page) -> HTMLResponse:
    """A staff member: name, roles, whether active; deactivate them or revoke a token."""
    page.require(ADMIN)
    member = _member(page, user_id)
    if member is None:
        return not_found(page)
    return render(page, "staff/user.html", **_context(member, values={}))


@router.post("/users/{user_id}/deactivation", response_class=HTMLResponse)
def deactivate(user_id: str, page: FormPost) -> Response:
    """Deactivate the member: every token and web session of theirs stops working at once."""
    page.require(ADMIN)
    member = _member(page, user_id)
    if member is None:
        return not_found(page)
    values = {"reason": page.field("reason")}

    def command() -> User:
        body = DeactivationIn.model_validate(values)
        return page.services.backoffice.deactivate_user(  # type: ignore[no-any-return]
            member.id, body.reason, by=page.actor
        )

    return form_action(
        page, command,
        lambda problem: rejected(page, problem, "staff/user.html",
                                 **_context(member, values=values, failed="deactivation")),
        lambda _: f"/users/{member.id}",
    )  # fmt: skip


@router.post("/users/{user_id}/tokens/revocation", response_class=HTMLResponse)
def revoke(user_id: str, page: FormPost) -> Response:
    """Revoke one of the member's tokens, named by its id."""
    page.require(ADMIN)
    member = _member(page, user_id)
    if member is None:
        return not_found(page)
    values = {"token_id": page.field("token_id"), "reason": page.field("token_reason")}

    def command() -> Any:
        try:
            token_id = UUID(values["token_id"])
        except ValueError:
            raise NotFound("未找到该用户的令牌 / no such token of this user") from None
        body = RevocationIn.model_validate({"reason": values["reason"] or None})
        return page.services.backoffice.revoke_token(
            member.id, token_id, body.reason or "", by=page.actor
        )

    return form_action(
        page, command,
        lambda problem: rejected(page, problem, "staff/user.html",
                                 **_context(member, values=values, failed="revocation")),
        lambda _: f"/users/{member.id}?revoked={values['token_id']}",
    )  # fmt: skip
