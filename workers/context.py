"""The services the actors of this process use: the server's own, or opened on first need."""

from __future__ import annotations

import threading

from ecpsc.services import Services
from ecpsc.settings import Settings

_lock = threading.Lock()
_services: Services | None = None


def use_services(services: Services | None) -> None:
    """Make the actors of this process use these services (the server's, or None to forget)."""
    global _services
    with _lock:
        _services = services


def current_services() -> Services:
    """The services of this process, opened from the settings the first time a worker needs
    them (a worker process reads models kept by the projector, unless ECPSC_PROJECTIONS=on)."""
    global _services
    with _lock:
        if _services is None:
            settings = Settings()
            _services = Services(settings, run_projections=settings.projections)
        return _services
