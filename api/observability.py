"""Request ids, access logs and Prometheus metrics of the HTTP server.

Every request gets an id (the caller's `X-Request-ID` when it is sane, else a new one), echoed in
the answer and carried by every log line written while serving it. `/metrics` shows request
latency by route, commands by route and outcome, and, read at scrape time, each read model's lag
behind the store, the events recorded and the workers' queue depths.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecpsc.logs import request_id

log = logging.getLogger("ecpsc.access")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode()
_REQUEST_ID_OUT = REQUEST_ID_HEADER.encode()
_ids = random.Random()
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    """The server's own metrics, in a registry of its own (one per app)."""

    def __init__(self) -> None:
        # The labelled children by label values: the client's `labels()` validates, locks and
        # builds its key on every call (~1 µs a request), while a route's children never change.
        self._latency_children: dict[tuple[str, str, int], Any] = {}
        self._command_children: dict[tuple[str, str], Any] = {}
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "ecpsc_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.commands = Counter(
            "ecpsc_commands_total",
            "Commands (POST/PUT/PATCH/DELETE) by route template and outcome",
            ["route", "outcome"],
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request: its latency, and its outcome when it is a command."""
        key = (method, route, status)
        latency = self._latency_children.get(key)
        if latency is None:
            latency = self._latency_children[key] = self.latency.labels(method, route, str(status))
        latency.observe(seconds)
        if method in COMMAND_METHODS:
            outcome = (route, _outcome(status))
            command = self._command_children.get(outcome)
            if command is None:
                command = self._command_children[outcome] = self.commands.labels(*outcome)
            command.inc()


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it is sane, else a new random one (128 bits, hex)."""
    for name, value in scope["headers"]:
        if name == _REQUEST_ID_NAME:
            given = value.decode("latin-1")
            if _SANE_ID.match(given):
                return given
            break
    # Not uuid4(): it reads the OS's random source on each call (~2.5 µs); an id only needs
    # to be unique, and the process's generator is seeded from that source.
    return f"{_ids.getrandbits(128):032x}"


def _outcome(status: int) -> str:
    if status < 400:
        return "accepted"
    if status in (409, 422):
        return "refused"
    if status >= 500:
        return "failed"
    return "rejected"


def _route_template(scope: Scope) -> str:
    """The path with its parameters named (`/api/v1/users/{user_id}`): few label values."""
    path: str = scope["path"]
    if path.startswith("/static/"):
        return "/static"
    if scope.get("endpoint") is None:
        return "unmatched"
    for name, value in (scope.get("path_params") or {}).items():
        text = str(value)
        if text:
            path = path.replace(f"/{text}", f"/{{{name}}}", 1)
    return path


class RequestObserver:
    """ASGI middleware: the request id, one access log line and the metrics of each request."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside its id, then record how it went."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), (_REQUEST_ID_OUT, rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            method = scope["method"]
            self.metrics.observe(method, route, status, elapsed)
            if log.isEnabledFor(logging.INFO):
                # log.info() without its search of the stack for the caller's line: the access
                # line names no source line, and the search was a third of its cost.
                path = scope["path"]
                log.handle(log.makeRecord(
                    log.name, logging.INFO, __file__, 0, "%s %s %s", (method, path, status), None,
                    extra={"method": method, "path": path, "route": route, "status": status,
                           "duration_ms": round(elapsed * 1000, 2)},
                ))  # fmt: skip
            request_id.reset(token)


class StoreCollector(Collector):
    """Read at scrape time: events recorded, each read model's lag, the queues' depths."""

    def __init__(self, app: FastAPI, broker: Callable[[], Any]) -> None:
        self.app = app
        self.broker = broker

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The gauges, as they stand now (none while the store is unreachable)."""
        services = getattr(self.app.state, "services", None)
        if services is None:
            return
        try:
            last = services.backoffice.recorder.max_notification_id() or 0
            lag = services.read_models.lag(last)
        except Exception:  # an unreachable store shows as missing gauges, /readyz says why
            return
        events = GaugeMetricFamily("ecpsc_events_recorded", "Events in the store (last id)")
        events.add_metric([], float(last))
        yield events
        lags = GaugeMetricFamily(
            "ecpsc_projection_lag_events",
            "Events a read model has not applied yet",
            labels=["view"],
        )
        for view, behind in sorted(lag.items()):
            lags.add_metric([view], float(behind))
        yield lags
        broker = self.broker()
        if broker is None:
            return
        from workers.queue_depth import queue_depths

        try:
            depths = queue_depths(broker)
        except Exception:  # an unreachable broker shows as missing gauges
            return
        queues = GaugeMetricFamily(
            "ecpsc_queue_depth_messages", "Messages waiting or in flight", labels=["queue"]
        )
        for queue, depth in sorted(depths.items()):
            queues.add_metric([queue], float(depth))
        yield queues


def install_observability(app: FastAPI, broker: Callable[[], Any]) -> None:
    """Add the request-id middleware and the `/metrics` route to the app."""
    metrics = HttpMetrics()
    metrics.registry.register(StoreCollector(app, broker))
    app.add_middleware(RequestObserver, metrics=metrics)

    @app.get("/metrics", tags=["health"], include_in_schema=True, response_class=Response)
    def prometheus_metrics(request: Request) -> Response:
        """Prometheus metrics: request latency, commands, projection lag, queue depth."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
