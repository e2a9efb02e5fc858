"""The home page: what needs the signed-in staff member today, by their roles; each list's
whole, paged, at `/work/{key}`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.pages.rendering import not_found, paging, render
from api.pages.session import Page, StaffPage

router = APIRouter(include_in_schema=False)

HOME_ROWS = 10
"""Rows each list shows on the home page; the rest are a click away, paged."""
SURVEILLANCE_HORIZON = timedelta(days=90)
SUSPENSION_HORIZON = timedelta(days=30)
URGENT_DAYS = 7

Rows = tuple[list[dict[str, Any]], int]


@dataclass(frozen=True)
class Section:
    """One list of work: who sees it, where its rows come from, how a row is shown."""

    key: str
    zh: str
    en: str
    roles: tuple[str, ...]
    fetch: Callable[[StaffPage, int, int], Rows]
    columns: str
    """Which row template (`staff/_work_<columns>.html`) shows the rows."""


def _view(page: StaffPage, name: str) -> Any:
    return page.services.read_models.view(name)


def _today(page: StaffPage) -> date:
    return page.services.backoffice.today()  # type: ignore[no-any-return]


def _applications(status: str) -> Callable[[StaffPage, int, int], Rows]:
    def fetch(page: StaffPage, offset: int, limit: int) -> Rows:
        return _view(page, "applications").page(status, None, offset, limit)  # type: ignore[no-any-return]

    return fetch


def _with_names(page: StaffPage, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their certificate's organization name and USCC, from one register query."""
    entries = _view(page, "register").certificates([row["number"] for row in rows])
    named = []
    for row in rows:
        entry = entries.get(row["number"], {})
        named.append({**row, "organization_name": entry.get("organization_name", ""),
                      "uscc": entry.get("uscc", "")})  # fmt: skip
    return named


def _surveillance_due(page: StaffPage, offset: int, limit: int) -> Rows:
    rows, total = _view(page, "certificate_deadlines").surveillance_due_by(
        _today(page) + SURVEILLANCE_HORIZON, offset, limit
    )
    return _marked(page, _with_names(page, rows), "surveillance_due"), total


def _suspensions_ending(page: StaffPage, offset: int, limit: int) -> Rows:
    rows, total = _view(page, "certificate_deadlines").suspensions_ending_by(
        _today(page) + SUSPENSION_HORIZON, offset, limit
    )
    return _marked(page, _with_names(page, rows), "suspended_until"), total


def _marked(page: StaffPage, rows: list[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    today = _today(page)
    for row in rows:
        days = (date.fromisoformat(row[column]) - today).days
        row["days_left"] = days
        row["overdue"] = days < 0
        row["urgent"] = 0 <= days <= URGENT_DAYS
    return rows


def _appeals(page: StaffPage, offset: int, limit: int) -> Rows:
    rows, total = _view(page, "appeals").queue_page(_today(page), "open", offset, limit)
    for row in rows:
        row["urgent"] = not row["overdue"] and row["days_left"] <= URGENT_DAYS
    return rows, total


def _exceptions(page: StaffPage, offset: int, limit: int) -> Rows:
    return _view(page, "compliance").exceptions(None, offset, limit)  # type: ignore[no-any-return]


def _to_plan(page: StaffPage, offset: int, limit: int) -> Rows:
    return _view(page, "audit_worklist").to_plan(offset, limit)  # type: ignore[no-any-return]


def _to_complete(page: StaffPage, offset: int, limit: int) -> Rows:
    return _view(page, "audit_worklist").to_complete(page.actor.id, offset, limit)  # type: ignore[no-any-return]


def _awaiting_decision(page: StaffPage, offset: int, limit: int) -> Rows:
    return _view(page, "audit_worklist").awaiting_decision(offset, limit)  # type: ignore[no-any-return]


SECTIONS: tuple[Section, ...] = (
    Section("to-review", "待评审的申请", "Applications awaiting review", ("intake",),
            _applications("submitted"), "applications"),
    Section("awaiting-supplement", "待补充材料的申请", "Applications awaiting supplements",
            ("intake",), _applications("supplement_requested"), "applications"),
    Section("to-plan", "待策划的审查", "Audits to plan", ("planner",), _to_plan, "to_plan"),
    Section("surveillance-due", "90 天内到期的监督审查", "Surveillance due within 90 days",
            ("planner",), _surveillance_due, "surveillance"),
    Section("to-complete", "待完成的审查", "Audits to complete", ("auditor",), _to_complete,
            "audits"),
    Section("awaiting-decision", "待作出认证决定", "Completed audits awaiting a decision",
            ("decision_maker",), _awaiting_decision, "audits"),
    Section("suspensions-ending", "30 天内结束的暂停", "Suspensions ending within 30 days",
            ("decision_maker",), _suspensions_ending, "suspensions"),
    Section("appeals", "申诉与投诉（按紧急程度）", "Appeals and complaints by urgency",
            ("appeals_officer",), _appeals, "appeals"),
    Section("exceptions", "合规例外（逾期办理）", "Compliance exceptions (late actions)",
            ("compliance_officer",), _exceptions, "exceptions"),
)  # fmt: skip
BY_KEY = {section.key: section for section in SECTIONS}


@router.get("/", response_class=HTMLResponse)
def home(page: Page) -> HTMLResponse:
    """Today's work of the signed-in staff member: the first rows of each of their lists."""
    shown = []
    for section in SECTIONS:
        if page.actor.has_any(*section.roles):
            rows, total = section.fetch(page, 0, HOME_ROWS)
            shown.append({"section": section, "rows": rows, "total": total})
    return render(page, "staff/home.html", sections=shown)


@router.get("/work/{key}", response_class=HTMLResponse)
def work_list(key: str, page: Page) -> HTMLResponse:
    """One list of the home page, whole and paged."""
    section = BY_KEY.get(key)
    if section is None:
        return not_found(page)
    page.require(*section.roles)
    _, total = section.fetch(page, 0, 1)
    pages = paging(page.request, total)
    rows, total = section.fetch(page, pages.offset, pages.size)
    return render(page, "staff/work_list.html", section=section, rows=rows, paging=pages)
