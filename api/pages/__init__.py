"""Server-rendered pages: the public verification page and the staff web pages.

Every module here that defines a `router` (except the public verification and register pages,
mounted on their own) is a staff page module; `page_routers()` finds them, so a new page needs
no registration."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

NOT_STAFF_PAGES = frozenset({"verify", "public_register"})


def page_routers() -> list[APIRouter]:
    """The routers of the staff page modules, the sign-in first."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in NOT_STAFF_PAGES)
    names.sort(key=lambda name: name != "sign_in")
    routers = []
    for name in names:
        router = getattr(importlib.import_module(f"{__name__}.{name}"), "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers
