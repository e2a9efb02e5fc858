"""Server-rendered pages: the public verification page and the staff web pages.

Each staff page module has its own router; `PAGE_ROUTERS` lists them for the app factory."""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import home, sign_in

PAGE_ROUTERS: tuple[APIRouter, ...] = (sign_in.router, home.router)
