"""Security headers on every answer, and the API docs served from a package (issue 20).

Every answer says `nosniff`, a Referrer-Policy and that no other site may frame it; an HTML
page also carries a Content-Security-Policy that admits scripts from this origin only (no
inline script, no eval); an answer over TLS (the scheme, or X-Forwarded-Proto from the proxy in
front) carries HSTS. `/docs` and `/redoc` load Swagger UI and ReDoc from the `fastapi-offline`
package's files, not from a CDN, and start them from a static script.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""Inline styles stay allowed (htmx's indicator, Swagger UI's React); inline script does not."""
HSTS = b"max-age=31536000; includeSubDomains"

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)
_HTML = ((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),)
_NOT_HTML = ((b"content-security-policy", b"frame-ancestors 'none'"),)


def _over_tls(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    for name, value in scope["headers"]:
        if name == b"x-forwarded-proto":
            return value.split(b",")[0].strip().lower() == b"https"
    return False


class SecurityHeaders:
    """ASGI middleware: adds the headers an answer does not set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; add the headers to the answer's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = _over_tls(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                kind = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                extra = [*_ALWAYS, *(_HTML if kind.startswith(b"text/html") else _NOT_HTML)]
                if tls:
                    extra.append((b"strict-transport-security", HSTS))
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


DOCS_ASSETS = "/docs-assets"
_DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="{assets}/favicon.png">{head}</head>
<body>{body}</body></html>"""


def install_offline_docs(app: FastAPI, title: str) -> None:
    """Serve /docs (Swagger UI) and /redoc (ReDoc) from the package's files, no inline script.
    The app must be built with docs_url=None and redoc_url=None."""
    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        """Swagger UI over /openapi.json."""
        return HTMLResponse(_DOCS_PAGE.format(
            title=f"{title} - Swagger UI", assets=DOCS_ASSETS,
            head=f'<link rel="stylesheet" href="{DOCS_ASSETS}/swagger-ui.css">',
            body=f'<div id="swagger-ui"></div><script src="{DOCS_ASSETS}/swagger-ui-bundle.js">'
            '</script><script src="/static/docs.js"></script>',
        ))  # fmt: skip

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        """ReDoc over /openapi.json."""
        return HTMLResponse(_DOCS_PAGE.format(
            title=f"{title} - ReDoc", assets=DOCS_ASSETS, head="",
            body=f'<redoc spec-url="/openapi.json"></redoc>'
            f'<script src="{DOCS_ASSETS}/redoc.standalone.js"></script>',
        ))  # fmt: skip
