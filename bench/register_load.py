"""Public register lookups and name searches over HTTP: max rate vs /healthz, latency at 70 %."""

from __future__ import annotations

import random
from collections.abc import Callable
from urllib.parse import quote

import psycopg

from bench.http_load import request_worker
from bench.report import Row
from bench.timing import closed_loop, open_loop

LOAD_FRACTION = 0.7
SUFFIX = "有限公司"


def samples(conninfo: str, count: int = 500, seed: int = 7) -> dict[str, list[str]]:
    """Certificate numbers, and 2- and 3–4-character substrings of real organization names."""
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            "SELECT number, organization_name FROM register_certificates ORDER BY number"
        ).fetchall()
    if not rows:
        raise RuntimeError("the register is empty")
    rng = random.Random(seed)
    chosen = [rows[rng.randrange(len(rows))] for _ in range(count)]
    numbers = [str(number) for number, _ in chosen]

    def pieces(length: Callable[[], int]) -> list[str]:
        found = []
        for _, name in chosen:
            stem = str(name).removesuffix(SUFFIX)
            size = min(length(), len(stem))
            start = rng.randrange(len(stem) - size + 1)
            found.append(stem[start : start + size])
        return found

    return {
        "numbers": numbers,
        "two": pieces(lambda: 2),
        "three_plus": pieces(lambda: rng.choice((3, 3, 4))),
    }


def _paths(data: dict[str, list[str]]) -> dict[str, Callable[[int], str]]:
    numbers, two, more = data["numbers"], data["two"], data["three_plus"]
    base = "/api/v1/register/certificates"
    return {
        "lookup by number": lambda i: f"{base}/{quote(numbers[i % len(numbers)])}",
        "search, 2-character name": lambda i: f"{base}?q={quote(two[i % len(two)])}",
        "search, 3+-character name": lambda i: f"{base}?q={quote(more[i % len(more)])}",
    }


HEALTHZ_GOAL = 0.8
"""GET /healthz against the bare FastAPI app (issue 23, goal 2)."""
LOOKUP_GOAL = 0.6
"""A register lookup against the bare FastAPI app (issue 23, goal 2)."""


def measure(
    base_url: str,
    conninfo: str,
    clients: int,
    seconds: float,
    warmup: float,
    bare_url: str | None = None,
    workers_url: str | None = None,
) -> list[Row]:
    """The bare app's and /healthz's max rates; max rates of lookups and searches with
    `clients` keep-alive threads, then p50/p99 paced at 70 % of each max; lookups again on
    `ecpsc serve --workers 2` (at `workers_url`)."""
    data = samples(conninfo)
    rows = []
    bare = None
    if bare_url is not None:
        bare = closed_loop(
            request_worker(bare_url, lambda _i: "/healthz"), clients, seconds, warmup
        )
        rows.append(
            Row(
                f"bare FastAPI app, own uvicorn process: max rate, {clients} clients",
                bare.rate,
                "req/s",
                note=f"baseline of the HTTP rows: a constant from an app without routes, "
                f"middleware or logs (client included); p50 {bare.median:.1f} ms",
                extra={"p50_ms": bare.median, "errors": bare.errors},
            )
        )
    health = closed_loop(request_worker(base_url, lambda _i: "/healthz"), clients, seconds, warmup)
    rows.append(
        Row(
            f"GET /healthz: max rate, {clients} clients",
            health.rate,
            "req/s",
            bare.rate if bare else None,
            "req/s",
            HEALTHZ_GOAL if bare else None,
            "ratio>=" if bare else "",
            note=f"baseline: the bare FastAPI app; p50 {health.median:.1f} ms (request ids, "
            "metrics and JSON access logs on)",
            extra={"p50_ms": health.median, "errors": health.errors},
        )
    )
    for label, path_for in _paths(data).items():
        peak = closed_loop(request_worker(base_url, path_for), clients, seconds, warmup)
        lookup = label == "lookup by number" and bare is not None
        baseline = bare.rate if lookup and bare is not None else health.rate
        rows.append(
            Row(
                f"register {label}: max rate",
                peak.rate,
                "req/s",
                baseline,
                "req/s",
                LOOKUP_GOAL if lookup else 0.4,
                "ratio>=",
                note=f"baseline: {'the bare FastAPI app' if lookup else '/healthz'}; "
                f"{peak.rate / health.rate if health.rate else 0:.2f} of /healthz; "
                f"p50 {peak.median:.1f} ms at max"
                + (f"; {peak.errors} errors: {peak.first_error}" if peak.errors else ""),
                extra={"p50_ms": peak.median, "p99_ms": peak.percentile(99), "errors": peak.errors,
                       "healthz_req_s": health.rate},
            )
        )
        if label == "lookup by number" and workers_url is not None:
            two = closed_loop(request_worker(workers_url, path_for), clients, seconds, warmup)
            rows.append(
                Row(
                    "register lookup by number, serve --workers 2: max rate",
                    two.rate,
                    "req/s",
                    peak.rate,
                    "req/s",
                    note=f"baseline: the same lookups on one process; p50 {two.median:.1f} ms"
                    + (f"; {two.errors} errors: {two.first_error}" if two.errors else ""),
                    extra={
                        "p50_ms": two.median, "p99_ms": two.percentile(99), "errors": two.errors
                    },
                )
            )
        rate = max(peak.rate * LOAD_FRACTION, 1.0)
        paced = open_loop(request_worker(base_url, path_for), clients, rate, seconds)
        common = {
            "rate_req_s": rate,
            "requests": paced.operations,
            "errors": paced.errors,
            "p50_ms": paced.median,
            "p99_ms": paced.percentile(99),
        }
        rows.append(
            Row(
                f"register {label}: p50 at 70 % of max",
                paced.median,
                "ms",
                note=f"open loop at {rate:,.0f} req/s, latency from each request's due time",
                extra=common,
            )
        )
        rows.append(
            Row(
                f"register {label}: p99 at 70 % of max",
                paced.percentile(99),
                "ms",
                goal=50.0,
                goal_kind="<=",
                note=f"{paced.operations} requests"
                + (f"; {paced.errors} errors: {paced.first_error}" if paced.errors else ""),
                extra=common,
            )
        )
    return rows
