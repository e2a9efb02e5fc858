"""How the staff pages answer when no one is signed in, a role is missing or a form is forged."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.rendering import render, render_public
from api.pages.session import CsrfRejected, PageForbidden, SignInRequired


def install_page_handlers(app: FastAPI) -> None:
    """Register the staff pages' answers to missing sessions, roles and CSRF tokens."""

    @app.exception_handler(SignInRequired)
    def _sign_in(request: Request, exc: SignInRequired) -> Response:
        target = f"/sign-in?next={quote(exc.next_url, safe='/')}"
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(PageForbidden)
    def _forbidden(request: Request, exc: PageForbidden) -> HTMLResponse:
        if exc.page is not None:  # signed in: the page keeps their menu
            return render(exc.page, "staff/forbidden.html", status_code=403, roles=exc.roles)
        return render_public(request, "staff/forbidden.html", status_code=403, roles=exc.roles)

    @app.exception_handler(CsrfRejected)
    def _forged(request: Request, _: CsrfRejected) -> HTMLResponse:
        return render_public(request, "staff/forbidden.html", status_code=403, forged=True)
