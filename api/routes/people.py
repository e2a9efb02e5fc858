"""Staff users and their tokens (rules §11)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from api.deps import Admin, BackOfficeDep, Staff
from api.schemas.people import PasswordIn, TokenOut, UserCreated, UserIn, UserOut
from domain.people import User

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
        version=user.version,
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
    return UserCreated(**user_out(user).model_dump(), token=token)


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
    return TokenOut(user_id=str(user_id), token=backoffice.issue_token(user_id, by=actor))


@router.post("/{user_id}/password", response_model=UserOut)
def set_password(
    user_id: UUID, body: PasswordIn, backoffice: BackOfficeDep, actor: Admin
) -> UserOut:
    """Give a staff member a sign-in name and password for the web pages."""
    return user_out(
        backoffice.set_password(user_id, body.sign_in_name, body.password, by=actor)
    )
