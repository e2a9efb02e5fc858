"""The one place where refusals become HTTP answers (409 {code, message, clause}, 404, 422),
and a store that cannot be reached becomes 503 with Retry-After."""

from __future__ import annotations

import logging

from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from api.pages.rendering import render_public
from api.reports.fonts import FontUnavailable
from domain.errors import DomainError, InvalidInput, NotFound
from ecpsc.documents import DocumentCorrupted, DocumentMissing
from ecpsc.outage import STORE_UNAVAILABLE

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def _conflict(
    code: str, message: str, clause: str, details: dict[str, object] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=409,
        content={**(details or {}), "code": code, "message": message, "clause": clause},
    )


def _wants_a_page(request: Request) -> bool:
    """A browser asking for a page (not the JSON API, not an htmx fragment)."""
    return (
        not request.url.path.startswith("/api/")
        and "text/html" in request.headers.get("accept", "")
        and "hx-request" not in request.headers
    )


def _safe_text(value: object) -> str:
    """Text that can be written as UTF-8 JSON (a lone surrogate becomes '?')."""
    return str(value).encode("utf-8", "replace").decode("utf-8")


def _safe_loc(part: object) -> str | int:
    return part if isinstance(part, int) else _safe_text(part)


def validation_problems(errors: object) -> list[dict[str, object]]:
    """Pydantic's errors as the 422 lists them: where, what and why, never the input itself
    (it may be a password, a NaN or a lone surrogate that JSON cannot carry)."""
    problems: list[dict[str, object]] = []
    for error in errors if isinstance(errors, list) else []:
        problem: dict[str, object] = {
            "loc": [_safe_loc(part) for part in error.get("loc", ())],
            "msg": _safe_text(error.get("msg", "")),
            "type": _safe_text(error.get("type", "value_error")),
        }
        ctx = error.get("ctx")
        if isinstance(ctx, dict):
            problem["ctx"] = {
                _safe_text(key): value
                if isinstance(value, int | bool) and not isinstance(value, float)
                else _safe_text(value)
                for key, value in ctx.items()
            }
        problems.append(problem)
    return problems


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain error to the contract's answer."""

    @app.exception_handler(RequestValidationError)
    def _malformed(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": validation_problems(exc.errors())})

    @app.exception_handler(InvalidInput)
    def _invalid(_: Request, exc: InvalidInput) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content={
                "detail": [
                    {
                        "loc": ["body", _safe_text(exc.field)],
                        "msg": _safe_text(exc.message),
                        "type": "value_error",
                    }
                ]
            },
        )

    @app.exception_handler(NotFound)
    def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(
            status_code=404,
            content={"code": exc.code, "message": exc.message, "clause": exc.clause},
        )

    @app.exception_handler(DomainError)
    def _refused(_: Request, exc: DomainError) -> JSONResponse:
        return _conflict(exc.code, exc.message, exc.clause, exc.details)

    @app.exception_handler(IntegrityError)
    def _concurrent(_: Request, exc: IntegrityError) -> JSONResponse:
        return _conflict(
            "version_conflict",
            "记录已被同时修改，请刷新后重试 / "
            "the record was changed concurrently; reload and retry",
            "ZPIC-WF-20 10.1",
        )

    @app.exception_handler(FontUnavailable)
    def _no_font(_: Request, exc: FontUnavailable) -> JSONResponse:
        return JSONResponse(
            status_code=503,
            content={"code": exc.code, "message": exc.message, "clause": "ZPIC-WF-20 8.1.1"},
        )

    @app.exception_handler(DocumentMissing)
    def _missing(_: Request, exc: DocumentMissing) -> JSONResponse:
        return JSONResponse(
            status_code=404,
            content={
                "code": "document_content_missing",
                "message": "文件内容不在文件库中 / the document's content is not in the store",
                "clause": "ZPIC-WF-20 10.3",
            },
        )

    @app.exception_handler(DocumentCorrupted)
    def _corrupted(_: Request, exc: DocumentCorrupted) -> JSONResponse:
        return _conflict(
            "document_integrity_failed",
            "文件内容与其 SHA-256 不符，已拒绝提供 / the stored content no longer matches its "
            "SHA-256 and is not served",
            "ZPIC-WF-20 10.3",
        )

    def _unavailable(request: Request, exc: Exception) -> Response:
        log.warning("event store unavailable: %s", str(exc).splitlines()[0] if str(exc) else exc)
        if _wants_a_page(request):
            page = render_public(request, "staff/unavailable.html", status_code=503)
            page.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return page
        return JSONResponse(
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            content={
                "code": "store_unavailable",
                "message": "事件存储暂时无法访问，请稍后重试 / "
                "the event store cannot be reached for now; retry later",
                "clause": None,
            },
        )

    for error in STORE_UNAVAILABLE:
        app.add_exception_handler(error, _unavailable)
