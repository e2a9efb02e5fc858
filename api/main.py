"""The FastAPI application: built once per process, the back office opened in the lifespan."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api.deps import actor_of_token
from api.errors import install_error_handlers
from api.observability import install_observability
from api.openapi_contract import install_openapi_contract
from api.pages import page_routers, public_register, verify
from api.pages.handlers import install_page_handlers
from api.pages.templating import STATIC
from api.rate_limits import RateLimits, public_rate_limit
from api.reports.fonts import readiness as pdf_font_readiness
from api.request_limits import BodyLimits
from api.routes import (
    appeals,
    applications,
    audits,
    calendar,
    certificates,
    compliance,
    corrective_actions,
    decisions,
    documents,
    integrity,
    organizations,
    people,
    printed,
    register,
    regulator,
    reports,
    retention,
    rules,
    sweeps,
    watchlist,
)
from api.security_headers import SecurityHeaders, install_offline_docs
from ecpsc.services import Services
from ecpsc.settings import Settings
from workers.broker import make_broker
from workers.embedded import EmbeddedJobs
from workers.queue_depth import queue_depths

API_PREFIX = "/api/v1"

DESCRIPTION = (
    "商品售后服务评价认证（GB/T 27922-2011）认证机构后台，依据 ZPIC-WF-20。"
    " / Back office of a certification body for after-sales service certification under ZPIC-WF-20."
)


def create_app(settings: Settings | None = None, *, run_projections: bool | None = None) -> FastAPI:
    """Build the API; the services start when the app starts and stop when it stops."""
    settings = settings or Settings()
    run = settings.projections if run_projections is None else run_projections

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        services = Services(settings, run_projections=run)
        app.state.services = services
        jobs = EmbeddedJobs(services) if settings.daily_jobs else None
        app.state.jobs = jobs
        try:
            yield
        finally:
            if jobs is not None:
                jobs.close()
            if app.state.metrics_broker is not None:
                app.state.metrics_broker.close()
            services.close()

    app = FastAPI(
        title="ECPSC back office",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from a package's files, no CDN: install_offline_docs
        redoc_url=None,
    )
    app.state.jobs = None
    app.state.metrics_broker = None
    app.state.rate_limits = RateLimits(settings)
    public = [Depends(public_rate_limit)]

    def broker() -> Any:
        """The broker whose queues /metrics reports: the embedded jobs', else the workers'."""
        if app.state.jobs is not None:
            return app.state.jobs.broker
        if settings.broker_url and app.state.metrics_broker is None:
            app.state.metrics_broker = make_broker(settings)
        return app.state.metrics_broker

    # The health routes come first: FastAPI tries routes in order, and probes and load
    # balancers call them most (behind every router, /healthz cost ~0.3 ms of matching).
    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], response_model=None)
    def readyz(request: Request) -> JSONResponse:
        """Readiness: the event store and the workers' broker answer, and how far each read
        model lags behind the store (503 with Retry-After when either cannot be reached); and
        whether an installed font can print documents (status "degraded" when none can)."""
        services: Services = request.app.state.services
        try:
            last = services.backoffice.recorder.max_notification_id()
            lag = services.read_models.lag(last)
        except Exception as error:  # any failure to reach the store means not ready
            return JSONResponse(
                {"status": "unavailable", "store": str(error)[:200]},
                status_code=503,
                headers={"Retry-After": "5"},
            )
        queues = None
        jobs_broker = broker()
        if jobs_broker is not None:
            try:
                queues = queue_depths(jobs_broker)
            except Exception as error:  # the broker down: jobs would not run
                return JSONResponse(
                    {"status": "unavailable", "broker": str(error)[:200]},
                    status_code=503,
                    headers={"Retry-After": "5"},
                )
        fonts = pdf_font_readiness()
        return JSONResponse(
            {
                "status": "ready" if fonts["status"] == "ok" else "degraded",
                "events": last or 0,
                "projection_lag": lag,
                "queues": queues,
                "pdf_fonts": fonts,
            }
        )

    def authenticate(scope: Any, token: str) -> Any:
        """The actor of a bearer token, for the body limits' check before the body."""
        return actor_of_token(scope["app"].state.services, token)

    install_error_handlers(app)
    app.add_middleware(
        BodyLimits,
        authenticate=authenticate,
        command_bytes=settings.max_command_bytes,
        upload_bytes=settings.max_upload_bytes,
        form_upload_bytes=settings.max_form_upload_bytes,
    )
    app.add_middleware(SecurityHeaders)
    install_observability(app, broker)
    install_offline_docs(app, app.title)
    install_page_handlers(app)
    install_openapi_contract(app)
    api = APIRouter(prefix=API_PREFIX)
    # FastAPI tries the routes in order: the public register, the busiest, comes first (no
    # other module's paths overlap /register/...).
    for module in (
        register,
        people,
        documents,
        watchlist,
        applications,
        rules,
        audits,
        corrective_actions,
        decisions,
        certificates,
        regulator,
        reports,
        sweeps,
        compliance,
        appeals,
        organizations,
        printed,
        integrity,
        retention,
        calendar,
    ):
        api.include_router(module.router, dependencies=public if module is register else None)
    app.include_router(api)
    app.include_router(integrity.well_known)
    app.include_router(verify.router, dependencies=public)
    app.include_router(public_register.router, dependencies=public)
    for router in page_routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    return app
