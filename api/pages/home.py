"""The home page: what needs the signed-in staff member today, by their roles."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.pages.rendering import render
from api.pages.session import Page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(page: Page) -> HTMLResponse:
    """Today's work of the signed-in staff member."""
    return render(page, "staff/home.html", sections=[])
