"""The public register's search page (8, 7.4): no token, phone first, over the register's read
model as `GET /api/v1/register/certificates` — by organization name, USCC, certificate number or
scope words, with status and grade in Chinese."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import ServicesDep
from api.labels import CERTIFICATE_STATUSES, GRADES
from api.pages.rendering import Paging
from api.pages.verify import public_page
from api.routes.register import register_entry

router = APIRouter(tags=["public register"])

PAGE_SIZE = 20
LONGEST_QUERY = 100
LAST_PAGE = 10_000
"""Pages further than this are not offered (a search narrows better than paging that far)."""


def _page_number(text: str | None) -> int:
    """The page asked for; anything malformed is the first (a page never answers 422)."""
    try:
        return min(max(1, int(text or 1)), LAST_PAGE)
    except ValueError:
        return 1


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, services: ServicesDep) -> HTMLResponse:
    """Search the register by name, USCC, certificate number or scope words; a page of results
    with each certificate's status and grade in Chinese, each linking to its verification
    page."""
    params = request.query_params
    q = "".join(c for c in params.get("q", "") if c.isprintable()).strip()[:LONGEST_QUERY]
    status = params.get("status", "")
    status = status if status in CERTIFICATE_STATUSES else ""
    grade = params.get("grade", "")
    grade = grade if grade in GRADES else ""
    today = services.backoffice.today()
    searched = bool(q or status or grade)
    entries: list[object] = []
    total = 0
    kept = tuple((k, v) for k, v in (("q", q), ("status", status), ("grade", grade)) if v)
    number = _page_number(params.get("page"))
    if searched:
        view = services.read_models.view("register")
        found = {"today": today, "q": q or None, "status": status or None, "grade": grade or None}
        rows, total = view.search(offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, **found)
        entries = [register_entry(services, row) for row in rows]
    paging = Paging(number, PAGE_SIZE, total, "/register", kept)
    return public_page(
        "register.html",
        q=q,
        status=status,
        grade=grade,
        statuses=CERTIFICATE_STATUSES,
        grades=GRADES,
        searched=searched,
        entries=entries,
        paging=paging,
        today=today,
    )
