"""Users and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.schemas.common import Day, Strict, Text

Role = Literal[
    "admin",
    "intake",
    "planner",
    "auditor",
    "decision_maker",
    "appeals_officer",
    "compliance_officer",
]


class CcaaRegistration(Strict):
    """A CCAA service-certification auditor registration (4.2.3)."""

    number: Text = Field(description="CCAA 注册编号 / the registration's number (4.2.3)")
    valid_from: Day = Field(description="有效期起 / first day it is valid (4.2.3)")
    valid_until: Day = Field(
        description="有效期止 / last day it is valid; a leader's must cover every audit day (4.2.3)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from / 有效期止早于有效期起")
        return self


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]


class UserIn(Strict):
    """A new staff member."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "陈静",
                    "roles": ["auditor"],
                    "ccaa_registration": {
                        "number": "CCAA-2020-SC-0123",
                        "valid_from": "2020-01-01",
                        "valid_until": "2029-12-31",
                    },
                    "email": "chenjing@example.cn",
                }
            ]
        }
    )

    name: Text = Field(
        description="姓名，记录在其每一项操作上 / the name every command records (11)"
    )
    roles: list[Role] = Field(
        min_length=1, max_length=7, description="角色 / roles; admin holds them all (11)"
    )
    ccaa_registration: CcaaRegistration | None = Field(
        default=None,
        description="审查员的 CCAA 服务认证注册 / an auditor's CCAA service-certification "
        "registration (4.2.3)",
    )
    email: Email | None = Field(
        default=None, description="where work notices such as the appeals digest go"
    )


class UserOut(BaseModel):
    """A staff member."""

    id: str
    name: str
    roles: list[str]
    ccaa_registration: CcaaRegistration | None = None
    email: str | None = None
    sign_in_name: str | None = None
    active: bool = Field(default=True, description="false once deactivated: no token or "
                         "session of theirs is accepted")
    deactivated_at: datetime | None = None
    version: int


class PasswordIn(Strict):
    """A sign-in name and password for the staff web pages (only the hash is kept)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"sign_in_name": "chenjing", "password": "长城-Great-Wall-2026"}]
        }
    )

    sign_in_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                               pattern=r"^[^\s]+$")
    ] = Field(description="登录名 / the name to sign in with, no spaces (11)")  # fmt: skip
    password: Annotated[str, StringConstraints(min_length=10, max_length=1000)] = Field(
        description="密码，至少 10 个字符；只保存其散列 / at least 10 characters; only its hash is "
        "kept (11)"
    )


class UserCreated(UserOut):
    """A new staff member with their first token, shown once."""

    token: str
    token_id: str = Field(description="names the token for its revocation; not a secret")
    token_expires_at: datetime


class TokenOut(BaseModel):
    """A newly issued token, shown once."""

    user_id: str
    token: str
    token_id: str = Field(description="names the token for its revocation; not a secret")
    expires_at: datetime


class DeactivationIn(Strict):
    """Why a staff member's access ends."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "已离职 / left"}]})

    reason: Text = Field(description="停用理由 / why their access ends (11)")


class RevocationIn(Strict):
    """Why a token is revoked."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "令牌遗失 / the token was lost"}]}
    )

    reason: Text | None = Field(default=None, description="吊销理由 / why it is revoked (11)")


class TokenState(BaseModel):
    """A token as recorded (never the token itself)."""

    token_id: str
    user_id: str
    expires_at: datetime
    revoked: bool
    revoked_at: datetime | None = None
    reason: str | None = None
