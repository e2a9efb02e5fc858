"""Bounds on request bodies, and the bearer token checked before a body is read (issue 20).

A body larger than its limit is refused with 413: at once when its Content-Length says so,
else as soon as the bytes read pass the limit (a chunked body too), so no request can make the
server hold or spool more than the limit. A command to the JSON API without a known bearer
token is answered 401 before a byte of its body is read; the actor found is kept in the
request's state, so the route's own check does not look the token up again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.people import Actor

MIB = 1024 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
ACTOR_STATE = "actor"
"""Where the middleware leaves the authenticated actor in the request's state."""

Authenticator = Callable[[Scope, str], Actor | None]
"""The actor a bearer token names in the app the scope belongs to (None: unknown)."""


class BodyTooLarge(Exception):
    """The body read so far passed the request's limit."""


def _mib(size: int) -> str:
    return f"{size / MIB:g} MiB"


def _answer(status: int, detail: str, extra: list[tuple[bytes, bytes]]) -> list[Message]:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    return [
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body},
    ]


def too_large(limit: int) -> list[Message]:
    """The 413 answer (the connection is closed: the rest of the body is never read)."""
    return _answer(
        413,
        f"请求体超过 {_mib(limit)} / the request body is larger than {_mib(limit)}",
        [(b"connection", b"close")],
    )


def unauthorized(detail: str) -> list[Message]:
    """The 401 answer, as the route's own token check gives it (the body is never read)."""
    return _answer(401, detail, [(b"www-authenticate", b"Bearer"), (b"connection", b"close")])


class BodyLimits:
    """ASGI middleware: size limits by kind of body, and authentication before any body."""

    def __init__(
        self,
        app: ASGIApp,
        authenticate: Authenticator,
        command_bytes: int,
        upload_bytes: int,
        form_upload_bytes: int,
    ) -> None:
        self.app = app
        self.authenticate = authenticate
        self.command_bytes = command_bytes
        self.upload_bytes = upload_bytes
        self.form_upload_bytes = form_upload_bytes

    def limit(self, scope: Scope, headers: dict[bytes, bytes]) -> int:
        """JSON and plain forms: a command's limit; a multipart upload: a document's (to the
        API) or several documents' (a staff page's form)."""
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
            api = scope["path"].startswith(API_PREFIX)
            return self.upload_bytes if api else self.form_upload_bytes
        return self.command_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what is too large or anonymous before reading; count what is read."""
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        limit = self.limit(scope, headers)
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _send_all(send, too_large(limit))
            return
        if scope["path"].startswith(API_PREFIX) and not await self._authenticated(
            scope, headers
        ):
            await _send_all(send, unauthorized(self._why(headers)))
            return
        await self._bounded(scope, receive, send, limit)

    @staticmethod
    def _token(headers: dict[bytes, bytes]) -> str | None:
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def _why(self, headers: dict[bytes, bytes]) -> str:
        if self._token(headers) is None:
            return "需要登录令牌 / a bearer token is required"
        return "令牌无效 / unknown or revoked token"

    async def _authenticated(self, scope: Scope, headers: dict[bytes, bytes]) -> bool:
        token = self._token(headers)
        if token is None:
            return False
        try:
            actor = await run_in_threadpool(self.authenticate, scope, token)
        except Exception:  # the store unreachable: the route's own check answers (503)
            return True
        if actor is None:
            return False
        scope.setdefault("state", {})[ACTOR_STATE] = actor
        return True

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Serve the request, counting its body; past the limit, the answer is 413."""
        read = 0
        tripped = False
        started = False

        async def counting_receive() -> Message:
            nonlocal read, tripped
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    tripped = True
                    raise BodyTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if tripped:  # whatever the app made of the broken body, the answer is 413
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):  # the app may also have caught it
            await self.app(scope, counting_receive, guarded_send)
        if tripped and not started:
            await _send_all(send, too_large(limit))


async def _send_all(send: Send, messages: list[Message]) -> None:
    for message in messages:
        await send(message)
