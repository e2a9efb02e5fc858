"""Rate limits per client address (issue 20, items 10 and 11), with the `limits` library.

Sign-in attempts and the public endpoints (register search, /verify) each have a limit per
address, kept in the process's memory (a moving window). Past it the answer is 429 with
Retry-After. The limits are settings (`"30/minute"`, `"off"`); loopback addresses are exempt by
default, so local checks and benchmarks are not throttled (behind a local reverse proxy uvicorn
takes the client's address from X-Forwarded-For).
"""

from __future__ import annotations

import math
import time

from fastapi import HTTPException, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from ecpsc.settings import Settings


class AddressLimit:
    """One limit, counted per client address."""

    def __init__(self, spec: str, exempt: frozenset[str]) -> None:
        off = spec.strip().lower() in {"", "off", "0"}
        self.item: RateLimitItem | None = None if off else parse(spec)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.exempt = exempt

    def retry_after(self, address: str) -> int | None:
        """Count a request from the address: None when it may go on, else the seconds to wait."""
        if self.item is None or address in self.exempt:
            return None
        if self.limiter.hit(self.item, address):
            return None
        stats = self.limiter.get_window_stats(self.item, address)
        return max(1, math.ceil(stats.reset_time - time.time()))


class RateLimits:
    """The process's limits, built from the settings."""

    def __init__(self, settings: Settings) -> None:
        exempt = frozenset(a.strip() for a in settings.rate_limit_exempt.split(",") if a.strip())
        self.sign_in = AddressLimit(settings.sign_in_rate_limit, exempt)
        self.public = AddressLimit(settings.public_rate_limit, exempt)


def client_address(request: Request) -> str:
    """The client's address as the server sees it."""
    return request.client.host if request.client else "unknown"


def public_rate_limit(request: Request) -> None:
    """A dependency of the public endpoints: 429 with Retry-After past the address's limit."""
    limits: RateLimits = request.app.state.rate_limits
    wait = limits.public.retry_after(client_address(request))
    if wait is not None:
        raise HTTPException(
            status_code=429,
            detail=f"请求过于频繁，请 {wait} 秒后再试 / too many requests; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
