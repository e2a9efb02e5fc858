"""Signing in and out of the staff pages, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import ServicesDep
from api.pages.rendering import render_public, see_other
from api.pages.session import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    LANGUAGES,
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    FormPost,
    csrf_for,
    is_secure,
    language,
    pre_session_secret,
    set_session_cookie,
)
from domain.rulebook.dates import CHINA_STANDARD_TIME
from domain.sign_in_desk import SignInLocked, SignInRefused

router = APIRouter(include_in_schema=False)

CHINA_OFFSET_HOURS = 8


def safe_next(url: str | None) -> str:
    """Where to go after signing in: a path of this site only."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


def _form(request: Request, status_code: int = 200, **values: str) -> HTMLResponse:
    secret, new = pre_session_secret(request)
    response = render_public(
        request,
        "staff/sign_in.html",
        status_code=status_code,
        form_token=csrf_for(secret),
        next_url=safe_next(values.pop("next_url", None) or request.query_params.get("next")),
        sign_in_name=values.pop("sign_in_name", ""),
        message=values.pop("message", ""),
    )
    if new:
        response.set_cookie(
            PRE_SESSION_COOKIE, secret, httponly=True, samesite="strict",
            secure=is_secure(request), path="/",
        )  # fmt: skip
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return _form(request)


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    services: ServicesDep,
    sign_in_name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the name and password; open a session (a cookie) or say why not."""
    zh = language(request) == "zh"
    secret = request.cookies.get(PRE_SESSION_COOKIE)
    if not secret or csrf_token != csrf_for(secret):
        return _form(
            request, 403, next_url=next, sign_in_name=sign_in_name,
            message="表单已过期，请重试" if zh else "The form expired; please try again",
        )  # fmt: skip
    address = request.client.host if request.client else "unknown"
    try:
        session, _ = services.backoffice.sign_in(sign_in_name, password, address)
    except SignInLocked as locked:
        until = locked.until.astimezone(CHINA_STANDARD_TIME).strftime("%H:%M")
        return _form(
            request, 429, next_url=next, sign_in_name=sign_in_name,
            message=f"账户已锁定至 {until}（连续输错密码）" if zh
            else f"The account is locked until {until} (repeated wrong passwords)",
        )  # fmt: skip
    except SignInRefused:
        return _form(
            request, 401, next_url=next, sign_in_name=sign_in_name,
            message="登录名或密码不正确" if zh else "Wrong sign-in name or password",
        )  # fmt: skip
    response = see_other(safe_next(next))
    set_session_cookie(response, request, session)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/sign-out")
def sign_out(page: FormPost) -> RedirectResponse:
    """End the session and forget its cookie."""
    page.services.backoffice.sign_out(page.secret)
    response = see_other("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language")
def switch_language(to: str = "zh", next: str = "/") -> RedirectResponse:
    """Show the pages in Chinese or in English from now on."""
    response = see_other(safe_next(next))
    if to in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, to, max_age=365 * 24 * 3600, samesite="lax", path="/"
        )
    return response
