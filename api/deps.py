"""Typed dependencies: the process's services, the acting user, role checks, If-Match."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.request_limits import ACTOR_STATE
from domain.backoffice import BackOffice
from domain.people import Actor
from ecpsc.services import Services

_bearer = HTTPBearer(auto_error=False, description="Bearer token of a staff user")


async def get_services(request: Request) -> Services:
    """The services built by the lifespan handler (async: FastAPI would run a plain function
    in its thread pool, a hop costing more than the whole lookup of the attribute)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_backoffice(services: ServicesDep) -> BackOffice:
    """The back office application."""
    return services.backoffice


BackOfficeDep = Annotated[BackOffice, Depends(get_backoffice)]


def actor_of_token(services: Services, token: str) -> Actor | None:
    """The staff user a bearer token names: the bootstrap admin's or a user's live token."""
    admin_token = services.settings.admin_token
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return BackOffice.bootstrap_admin()
    return services.backoffice.authenticate(token)


def current_actor(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The staff user behind the bearer token (401 without a known one)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("需要登录令牌 / a bearer token is required")
    # A command's token was checked before its body was read (api.request_limits).
    checked: Actor | None = getattr(request.state, ACTOR_STATE, None)
    actor = checked or actor_of_token(services, credentials.credentials)
    if actor is None:
        raise _unauthorized("令牌无效 / unknown or revoked token")
    return actor


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=message,
        headers={"WWW-Authenticate": "Bearer"},
    )


ActorDep = Annotated[Actor, Depends(current_actor)]


def require(*roles: str) -> Callable[[Actor], Actor]:
    """A dependency admitting users with one of the roles (admin holds all), else 403."""

    def check(actor: ActorDep) -> Actor:
        if not actor.has_any(*roles):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"需要角色 {' / '.join(roles)} / this needs the role {' or '.join(roles)}",
            )
        return actor

    return check


Intake = Annotated[Actor, Depends(require("intake"))]
Admin = Annotated[Actor, Depends(require("admin"))]
Staff = ActorDep

_VERSION = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


def expected_version(
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> int | None:
    """The aggregate version the caller last saw, from If-Match (422 when unreadable)."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = _VERSION.match(if_match)
    if match is None:
        raise HTTPException(
            status_code=422,
            detail=[
                {
                    "loc": ["header", "If-Match"],
                    "msg": "If-Match must be a version number",
                    "type": "value_error",
                }
            ],
        )
    return int(match.group(1))


IfMatch = Annotated[int | None, Depends(expected_version)]
