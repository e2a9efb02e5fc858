"""Rendering staff pages: the template context every page shares, refusals shown beside forms,
the run of a form from its command to its redirect, and pagination."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.pages.session import StaffPage, language
from api.pages.templating import templates
from domain.errors import DomainError, InvalidInput, NotFound

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25

T = TypeVar("T")

NAVIGATION: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("/", "首页", "Home", ()),
    ("/applications", "申请", "Applications", ("intake", "planner")),
    ("/audits", "审查", "Audits", ("planner", "auditor", "decision_maker")),
    ("/certificates", "证书", "Certificates", ()),
    ("/organizations", "组织", "Organizations", ()),
    ("/appeals", "申诉与投诉", "Appeals", ("appeals_officer",)),
    ("/retention", "记录保存", "Retention", ("compliance_officer",)),
)
"""The menu: path, Chinese, English, roles that see it (none: everyone)."""


def translator(lang: str) -> Any:
    """`t(zh, en)` for templates: the reader's language."""

    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    return t


def local(message: str, lang: str) -> str:
    """The reader's half of a bilingual message written "中文 / English"."""
    zh, sep, en = message.partition(" / ")
    if not sep:
        return message
    return zh if lang == "zh" else en


def context(request: Request, lang: str, page: StaffPage | None, **values: Any) -> dict[str, Any]:
    """What every staff template sees."""
    actor = page.actor if page else None
    menu = [
        (path, zh if lang == "zh" else en)
        for path, zh, en, roles in NAVIGATION
        if actor is not None and (not roles or actor.has_any(*roles))
    ]
    return {
        "request": request,
        "lang": lang,
        "t": translator(lang),
        "local": lambda message: local(message, lang),
        "actor": actor,
        "csrf": page.csrf if page else "",
        "menu": menu,
        "path": request.url.path,
        "today": page.services.backoffice.today() if page else None,
        **values,
    }


def render(page: StaffPage, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A staff page from its template."""
    html = templates.get_template(template).render(
        context(page.request, page.lang, page, **values)
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def not_found(page: StaffPage) -> HTMLResponse:
    """The 404 page: the address names no record the staff member may see."""
    return render(page, "staff/not_found.html", status_code=404)


def render_public(
    request: Request, template: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    """A page shown before sign-in (the sign-in form, its refusals)."""
    html = templates.get_template(template).render(
        context(request, language(request), None, **values)
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


@dataclass(frozen=True)
class Refusal:
    """A refused command as a form shows it: the rule's message and clause."""

    code: str
    message: str
    clause: str
    field: str | None = None


def refusal_of(error: DomainError) -> tuple[Refusal, int]:
    """A domain error as a form shows it, and the status the page answers with."""
    if isinstance(error, InvalidInput):
        return Refusal(error.code, error.message, "", error.field), 422
    status = 404 if isinstance(error, NotFound) else 409
    return Refusal(error.code, error.message, error.clause), status


def refused(page: StaffPage, error: DomainError, template: str, **values: Any) -> HTMLResponse:
    """The form again, with the rule that refused it beside it; nothing was recorded."""
    refusal, status = refusal_of(error)
    return render(page, template, status_code=status, error=refusal, **values)


def invalid(page: StaffPage, error: ValidationError, template: str, **values: Any) -> HTMLResponse:
    """The form again, naming each malformed field (422)."""
    problems = [
        Refusal(
            "invalid_input",
            f"{'.'.join(str(p) for p in e['loc']) or '表单 / form'}: {e['msg']}",
            "",
            str(e["loc"][0]) if e["loc"] else None,
        )
        for e in error.errors()
    ]
    first = problems[0] if problems else Refusal("invalid_input", "表单有误 / invalid form", "")
    return render(page, template, status_code=422, error=first, problems=problems, **values)


def see_other(url: str) -> RedirectResponse:
    """After a form that worked: to the page that shows its result (post/redirect/get)."""
    return RedirectResponse(url, status_code=303)


FormProblem = DomainError | ValidationError
"""Why a form was not recorded: a malformed field (its schema) or a rule that refused it."""


def rejected(page: StaffPage, problem: FormProblem, template: str, **values: Any) -> HTMLResponse:
    """The form again: its malformed fields (422), or the rule that refused it."""
    if isinstance(problem, ValidationError):
        return invalid(page, problem, template, **values)
    return refused(page, problem, template, **values)


def form_action(
    page: StaffPage,
    command: Callable[[], T],
    again: Callable[[FormProblem], Response],
    then: Callable[[T], str | Response],
) -> Response:
    """Run a form's `command` (its schema's validation, then the BackOffice method): on a
    malformed field or a refusal, `again` shows the page with it; else the read models settle
    and `then(result)` says where to go (a URL, 303) or answers itself (an htmx fragment)."""
    try:
        result = command()
    except (ValidationError, DomainError) as problem:
        return again(problem)
    page.services.settle()
    after = then(result)
    return see_other(after) if isinstance(after, str) else after


@dataclass(frozen=True)
class Paging:
    """One page of a list: which page, how many rows, and how to link the others."""

    number: int
    size: int
    total: int
    base: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.size))

    def url(self, number: int) -> str:
        """The address of another page of the same list."""
        query = [*self.params, ("page", str(number)), ("page_size", str(self.size))]
        return f"{self.base}?{urlencode(query)}"


def paging(request: Request, total: int, **params: str | None) -> Paging:
    """The page the request asks for (`page`, `page_size`), clamped to the list."""
    try:
        size = int(request.query_params.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    try:
        number = max(1, int(request.query_params.get("page", 1)))
    except ValueError:
        number = 1
    kept = tuple((k, v) for k, v in params.items() if v)
    first = Paging(1, size, total, request.url.path, kept)
    return Paging(min(number, first.pages), size, total, request.url.path, kept)
