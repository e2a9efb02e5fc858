"""The one-event command through HTTP (a real `ecpsc serve`) against the direct call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx

from bench.append import UsccSource
from bench.report import Row
from bench.timing import Outcome, Worker, closed_loop


def client(base_url: str, token: str | None = None) -> httpx.Client:
    """A keep-alive client of the server under test."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=60)


def request_worker(
    base_url: str, path_for: Callable[[int], str], token: str | None = None
) -> Callable[[int], Worker]:
    """One keep-alive client per thread, GETting `path_for(serial)`; non-200 raises."""

    def make(_: int) -> Worker:
        http = client(base_url, token)

        def run(serial: int) -> None:
            answer = http.get(path_for(serial))
            if answer.status_code != 200:
                raise RuntimeError(f"GET {answer.url.path}: {answer.status_code}")

        return run

    return make


def watchlist_poster(
    base_url: str, token: str, usccs: UsccSource, today: date
) -> Callable[[int], Worker]:
    """One keep-alive client per thread, POSTing a watchlist listing of a fresh organization."""

    def make(_: int) -> Worker:
        http = client(base_url, token)

        def run(_: int) -> None:
            answer = http.post(
                "/api/v1/watchlist",
                json={
                    "uscc": usccs(),
                    "list": "business_suspension_order",
                    "source": "基准测试 / benchmark",
                    "listed_on": today.isoformat(),
                },
            )
            if answer.status_code != 201:
                raise RuntimeError(f"POST /watchlist: {answer.status_code} {answer.text[:200]}")

        return run

    return make


def measure(
    base_url: str,
    token: str,
    today: date,
    direct: dict[int, Outcome],
    seconds: float,
    warmup: float,
) -> list[Row]:
    """The command through HTTP with 1 and 8 keep-alive clients, beside the direct call."""
    rows = []
    usccs = UsccSource()
    for clients in (1, 8):
        outcome = closed_loop(
            watchlist_poster(base_url, token, usccs, today), clients, seconds, warmup
        )
        rows.append(
            Row(
                f"command over HTTP: POST /watchlist, {clients} client(s)",
                outcome.rate,
                "req/s",
                direct[clients].rate,
                "ev/s",
                0.5,
                "ratio>=",
                note=f"baseline: the same BackOffice call in process, {clients} thread(s); "
                f"p50 {outcome.median:.1f} ms, p99 {outcome.percentile(99):.1f} ms"
                + (f"; {outcome.errors} errors: {outcome.first_error}" if outcome.errors else ""),
                extra={
                    "p50_ms": outcome.median,
                    "p99_ms": outcome.percentile(99),
                    "errors": outcome.errors,
                },
            )
        )
    return rows
