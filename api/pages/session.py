"""Who is signed in to the staff pages: the session cookie, CSRF tokens, role checks.

The session cookie holds a random secret; the store knows only its digest (`StaffSession`).
Every form carries a CSRF token derived from that secret (HMAC), so a page of another site
cannot post on the staff member's behalf; before sign-in, a double-submit cookie does the same.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import ServicesDep
from domain.people import Actor
from domain.staff_session import SESSION_LIFETIME

SESSION_COOKIE = "ecpsc_session"
PRE_SESSION_COOKIE = "ecpsc_csrf"
LANGUAGE_COOKIE = "ecpsc_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LANGUAGES = ("zh", "en")


class SignInRequired(Exception):
    """No open session: the page sends the browser to the sign-in form."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    """The signed-in staff member's roles do not allow the page or the action."""

    def __init__(self, roles: tuple[str, ...], page: StaffPage | None = None) -> None:
        super().__init__(", ".join(roles))
        self.roles = roles
        self.page = page
        """The signed-in page refused: its 403 keeps the staff member's menu."""


class CsrfRejected(Exception):
    """A form came without the token of the session it claims."""


def csrf_for(secret: str) -> str:
    """The CSRF token of a session (or of a pre-session cookie)."""
    return hmac.new(secret.encode(), b"ecpsc-csrf", hashlib.sha256).hexdigest()


def language(request: Request) -> str:
    """The reader's language: Chinese unless they switched to English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "zh")
    return chosen if chosen in LANGUAGES else "zh"


def is_secure(request: Request) -> bool:
    """Whether the browser reached us over TLS (Secure cookies then)."""
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    """Hand the browser its session secret (HttpOnly, SameSite=Strict, Secure behind TLS)."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=is_secure(request),
        path="/",
    )


def pre_session_secret(request: Request) -> tuple[str, bool]:
    """The double-submit secret of the sign-in form, and whether it is new."""
    current = request.cookies.get(PRE_SESSION_COOKIE)
    if current and len(current) >= 32:
        return current, False
    return secrets.token_urlsafe(32), True


@dataclass
class StaffPage:
    """A request of a signed-in staff member: who, their language, their CSRF token."""

    request: Request
    services: Any
    actor: Actor
    secret: str
    lang: str
    form: FormData | None = field(default=None)

    @property
    def csrf(self) -> str:
        """The token every form of this session carries."""
        return csrf_for(self.secret)

    def require(self, *roles: str) -> None:
        """Refuse (403 page) unless the staff member holds one of the roles (admin holds all)."""
        if not self.actor.has_any(*roles):
            raise PageForbidden(roles, self)

    def field(self, name: str, default: str = "") -> str:
        """A form field's value, trimmed ('' when absent)."""
        if self.form is None:
            return default
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        """Every value of a repeated form field, trimmed, empty ones dropped."""
        if self.form is None:
            return []
        return [v.strip() for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]


def _signed_in(request: Request, services: Any) -> tuple[Actor, str]:
    secret = request.cookies.get(SESSION_COOKIE)
    actor = services.backoffice.session_actor(secret) if secret else None
    if actor is None or secret is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return actor, secret


def staff_page(request: Request, services: ServicesDep) -> StaffPage:
    """The signed-in staff member of a page request (else: to the sign-in form)."""
    actor, secret = _signed_in(request, services)
    return StaffPage(request, services, actor, secret, language(request))


async def staff_form(request: Request, services: ServicesDep) -> StaffPage:
    """A form posted by a signed-in staff member, its CSRF token checked."""
    actor, secret = _signed_in(request, services)
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_for(secret)):
        raise CsrfRejected()
    return StaffPage(request, services, actor, secret, language(request), form)


Page = Annotated[StaffPage, Depends(staff_page)]
"""A page (GET) of a signed-in staff member."""
FormPost = Annotated[StaffPage, Depends(staff_form)]
"""A form (POST) of a signed-in staff member, CSRF-checked."""
