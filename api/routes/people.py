"""Staff users and their tokens (rules §11)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path, status

from api.deps import Admin, BackOfficeDep, Staff
from api.schemas.people import (
    DeactivationIn,
    PasswordIn,
    RevocationIn,
    TokenOut,
    TokenState,
    UserCreated,
    UserIn,
    UserOut,
)
from domain.credentials import ApiToken, token_digest
from domain.errors import InvalidInput
from domain.people import BOOTSTRAP_ADMIN_ID, User

router = APIRouter(prefix="/users", tags=["people"])


def user_out(user: User) -> UserOut:
    """A user as the API shows it."""
    return UserOut(
        id=str(user.id),
        name=user.name,
        roles=user.roles,
        ccaa_registration=user.ccaa_registration,  # type: ignore[arg-type]
        email=user.email,
        sign_in_name=user.sign_in_name,
        active=user.active,
        deactivated_at=(getattr(user, "deactivation", None) or {}).get("at"),
        version=user.version,
    )


def token_state(token: ApiToken) -> TokenState:
    """A token's record as the API shows it."""
    revocation = token.revocation or {}
    return TokenState(
        token_id=str(token.id),
        user_id=token.user_id,
        expires_at=token.expires_at,
        revoked=token.revoked,
        revoked_at=revocation.get("at"),
        reason=revocation.get("reason") or None,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserCreated)
def register_user(body: UserIn, backoffice: BackOfficeDep, actor: Admin) -> UserCreated:
    """Register a staff member; the answer holds their token, shown only this once."""
    user, token = backoffice.register_user(
        name=body.name,
        roles=list(body.roles),
        ccaa_registration=body.ccaa_registration.model_dump() if body.ccaa_registration else None,
        by=actor,
        email=body.email,
    )
    credential = backoffice.get_token(user.id, ApiToken.create_id(token_digest(token)))
    return UserCreated(
        **user_out(user).model_dump(),
        token=token,
        token_id=str(credential.id),
        token_expires_at=credential.expires_at,
    )


@router.get("/me", response_model=UserOut)
def who_am_i(backoffice: BackOfficeDep, actor: Staff) -> UserOut:
    """The user behind the token."""
    if actor.id == backoffice.bootstrap_admin().id:
        return UserOut(id=actor.id, name=actor.name, roles=sorted(actor.roles), version=0)
    return user_out(backoffice.get_user(UUID(actor.id)))


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: UUID, backoffice: BackOfficeDep, actor: Admin) -> UserOut:
    """A staff member."""
    return user_out(backoffice.get_user(user_id))


@router.post("/{user_id}/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenOut)
def issue_token(user_id: UUID, backoffice: BackOfficeDep, actor: Admin) -> TokenOut:
    """Issue another token to a staff member, shown only this once."""
    token = backoffice.issue_token(user_id, by=actor)
    credential = backoffice.get_token(user_id, ApiToken.create_id(token_digest(token)))
    return TokenOut(
        user_id=str(user_id), token=token, token_id=str(credential.id),
        expires_at=credential.expires_at,
    )  # fmt: skip


@router.post("/{user_id}/tokens/{token_id}/revocation", response_model=TokenState)
def revoke_token(
    user_id: UUID,
    token_id: UUID,
    backoffice: BackOfficeDep,
    actor: Admin,
    body: Annotated[RevocationIn, Body()] = RevocationIn(),
) -> TokenState:
    """Revoke one of a staff member's tokens: every later use of it is answered 401."""
    reason = body.reason or ""
    return token_state(backoffice.revoke_token(user_id, token_id, reason, by=actor))


@router.post("/{user_id}/deactivation", response_model=UserOut)
def deactivate_user(
    user_id: UUID, body: DeactivationIn, backoffice: BackOfficeDep, actor: Admin
) -> UserOut:
    """Deactivate a staff member: every token and web session of theirs stops working at
    once (401), and they cannot sign in."""
    return user_out(backoffice.deactivate_user(user_id, body.reason, by=actor))


@router.post("/{user_id}/password", response_model=UserOut)
def set_password(
    user_id: Annotated[str, Path(description=f"a user's id, or {BOOTSTRAP_ADMIN_ID}")],
    body: PasswordIn,
    backoffice: BackOfficeDep,
    actor: Admin,
) -> UserOut:
    """Give a staff member a sign-in name and password for the web pages; `bootstrap-admin`
    gives one to the bootstrap administrator (ECPSC_ADMIN_TOKEN)."""
    if user_id == BOOTSTRAP_ADMIN_ID:
        user = backoffice.set_bootstrap_admin_password(body.sign_in_name, body.password, actor)
        return user_out(user)
    try:
        uid = UUID(user_id)
    except ValueError:
        raise InvalidInput("user_id", "须为用户编号 / not a user's id") from None
    return user_out(backoffice.set_password(uid, body.sign_in_name, body.password, by=actor))
