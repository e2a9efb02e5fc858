"""The `ecpsc` command: serve the back office, or run its projector."""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path
from typing import Any

import typer

from ecpsc.logs import configure_logging
from ecpsc.settings import Settings

cli = typer.Typer(
    help="ECPSC back office (ZPIC-WF-20) / 商品售后服务评价认证后台", no_args_is_help=True
)


def several_workers_problem(settings: Settings) -> str | None:
    """Why `ecpsc serve --workers N` (N > 1) cannot run with these settings, or None.

    Each worker process runs the whole app; the read models and the daily jobs must run once,
    not once a worker (two runners of one read model fight over its tracking record), so they
    run beside the workers: `ecpsc projector`, and `ecpsc worker` or `ecpsc sweep`.
    """
    on = [
        name
        for name, running in (
            ("ECPSC_PROJECTIONS", settings.projections),
            ("ECPSC_DAILY_JOBS", settings.daily_jobs),
        )
        if running
    ]
    if not on:
        return None
    return (
        f"多个工作进程各自运行整个应用：请设置 {'、'.join(f'{n}=off' for n in on)}，"
        "并另行运行 `ecpsc projector`（读模型）和 `ecpsc worker` 或 `ecpsc sweep`（每日任务）"
        f" / several workers each run the whole app: set {' and '.join(f'{n}=off' for n in on)}"
        " and run `ecpsc projector` (the read models) and `ecpsc worker` or `ecpsc sweep`"
        " (the daily jobs) beside them"
    )


def served_app() -> Any:
    """The app of one `ecpsc serve --workers N` process (uvicorn imports this factory in each
    worker it starts, so each configures its own logging)."""
    from api.main import create_app

    settings = Settings()
    configure_logging(fmt=settings.log_format)
    return create_app(settings)


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    workers: int = typer.Option(
        1,
        min=1,
        help="uvicorn worker processes sharing the port; more than one needs "
        "ECPSC_PROJECTIONS=off and ECPSC_DAILY_JOBS=off (`ecpsc projector` runs beside them)",
    ),
) -> None:
    """Run the HTTP API with the projections in the same process (the embedded default), or in
    `--workers N` processes beside a projector."""
    import uvicorn

    settings = Settings()
    configure_logging(fmt=settings.log_format)
    if workers > 1:
        problem = several_workers_problem(settings)
        if problem is not None:
            raise typer.BadParameter(problem, param_hint="--workers")
        # uvicorn's own supervisor: it starts the workers, restarts one that dies, and stops
        # them all on SIGTERM or Ctrl-C.
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.run(
                "ecpsc.cli:served_app", factory=True, workers=workers, host=host, port=port,
                log_level="info", log_config=None,
            )  # fmt: skip
        return
    from api.main import create_app

    # uvicorn re-raises Ctrl-C after shutting the app down cleanly; no traceback is needed.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="info", log_config=None
        )


@cli.command()
def projector(
    only: str | None = typer.Option(
        None, help="comma-separated read models to run, e.g. register,retention (default: all)"
    ),
) -> None:
    """Run only the projections (beside API processes started with ECPSC_PROJECTIONS=off)."""
    from ecpsc.store import eventsourcing_env, open_backoffice
    from projections.runner import ReadModels

    configure_logging(fmt=Settings().log_format)
    settings = Settings()
    open_backoffice(settings).close()  # creates and protects the event table before following it
    names = None if only is None else [n.strip() for n in only.split(",") if n.strip()]
    try:
        read_models = ReadModels(
            eventsourcing_env(settings), postgres=settings.is_postgres, only=names
        )
    except KeyError as error:
        typer.echo(str(error.args[0]), err=True)
        raise typer.Exit(code=2) from None
    read_models.run()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    typer.echo("projector running; Ctrl-C to stop")
    stop.wait()
    read_models.close()


@cli.command()
def sweep(
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD; default today (CST)"),
    catch_up: bool = typer.Option(
        False, "--catch-up", help="sweep every day missed since the last sweep, through today"
    ),
) -> None:
    """Run the deadline jobs (overdue surveillance, ended suspensions, expiry) now."""
    from datetime import date

    from domain.errors import InvalidInput
    from ecpsc import deadline_jobs
    from ecpsc.services import Services

    services = Services(Settings(), run_projections=True)
    try:
        if catch_up:
            days = deadline_jobs.catch_up(services)
        else:
            try:
                day = date.fromisoformat(as_of) if as_of else services.backoffice.today()
            except ValueError:
                raise typer.BadParameter("YYYY-MM-DD", param_hint="--as-of") from None
            days = {day: deadline_jobs.sweep(services, day)}
    except InvalidInput as error:
        raise typer.BadParameter(error.message, param_hint="--as-of") from None
    finally:
        services.close()
    for day, changes in days.items():
        typer.echo(f"{day.isoformat()}: {len(changes)} change(s)")
        for change in changes:
            typer.echo(
                f"  {change.number} {change.change} effective {change.effective_on.isoformat()}"
                + (f" ({change.reason})" if change.reason else "")
            )


@cli.command()
def worker(
    threads: int = typer.Option(4, help="worker threads"),
    schedule: bool = typer.Option(True, help="also enqueue the daily jobs (00:05 CST)"),
) -> None:
    """Run the dramatiq actors (deadline jobs, notices) from ECPSC_BROKER_URL's queues."""
    from dramatiq import Worker
    from dramatiq.brokers.stub import StubBroker

    from workers.broker import install_broker
    from workers.schedule import DailySchedule

    configure_logging(fmt=Settings().log_format)
    settings = Settings()
    broker = install_broker(settings)
    if isinstance(broker, StubBroker):
        raise typer.BadParameter(
            "a separate worker needs ECPSC_BROKER_URL (redis://… or amqp://…); without one, "
            "`ecpsc serve` runs the jobs in process",
            param_hint="ECPSC_BROKER_URL",
        )
    from workers import actors

    running = Worker(broker, worker_threads=threads)
    running.start()
    daily = DailySchedule(actors.daily_jobs.send) if schedule else None
    if daily is not None:
        daily.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    typer.echo(f"worker running on {broker.__class__.__name__}; Ctrl-C to stop")
    stop.wait()
    if daily is not None:
        daily.stop()
    running.stop()
    broker.close()


@cli.command()
def verify(
    record: bool = typer.Option(True, help="record the outcome in the store's integrity log"),
) -> None:
    """Recompute the event log's hash chain; exit 1 naming the first broken link."""
    from domain.people import DEADLINE_JOBS_ID
    from ecpsc import integrity
    from ecpsc.store import open_backoffice

    backoffice = open_backoffice(Settings())
    try:
        report = integrity.verify(backoffice, by=DEADLINE_JOBS_ID, record=record)
    finally:
        backoffice.close()
    if not report.intact:
        typer.echo(f"BROKEN at notification {report.broken_at}: {report.problem}", err=True)
        typer.echo(f"{report.checked} event(s) verified before it", err=True)
        raise typer.Exit(code=1)
    typer.echo(
        f"intact: {report.checked} event(s), head {report.head} "
        f"(notification {report.last_notification_id})"
    )


regulator = typer.Typer(
    help="Regulator reporting (4.6.4, 7.4, 8.1.3) / 监管报送", no_args_is_help=True
)
cli.add_typer(regulator, name="regulator")


@regulator.command("export")
def regulator_export(
    month: str = typer.Option(..., help="report month, YYYY-MM"),
    output: Path | None = typer.Option(None, help="file to write (default regulator-MONTH.xlsx)"),
) -> None:
    """Write the month's report to the regulator (.xlsx), due by the 10th of the next month."""
    from domain.errors import InvalidInput
    from domain.regulator_report import ensure_month, report_due_on
    from ecpsc.services import Services

    try:
        ensure_month(month)
    except InvalidInput as error:
        raise typer.BadParameter(error.message, param_hint="--month") from None
    target = output or Path(f"regulator-{month}.xlsx")
    services = Services(Settings(), run_projections=True)
    try:
        services.settle()  # the outbox has caught up with every event recorded so far
        view = services.read_models.view("regulator_outbox")
        last = services.backoffice.recorder.max_notification_id()
        if last is not None and not view.has_tracking_id(services.backoffice.name, last):
            typer.echo("the regulator outbox has not caught up; nothing written", err=True)
            raise typer.Exit(code=1)
        content = view.workbook(month)
        count = len(view.month_notifications(month))
    finally:
        services.close()
    target.write_bytes(content)
    typer.echo(
        f"{target}: {count} notification(s) of {month}; due at the regulator by "
        f"{report_due_on(month).isoformat()}"
    )


@cli.command("demo-data")
def demo_data(
    certificates: int = typer.Option(
        1000, "--certificates", min=1, help="certified organizations to write"
    ),
    seed: int = typer.Option(1, help="the same seed writes the same data"),
    read_models: str = typer.Option(
        "",
        "--read-models",
        help="comma-separated read models to build while writing (default all); the others "
        "catch up from the log when `ecpsc projector` or `ecpsc serve` next runs",
    ),
) -> None:
    """Fill an empty store with demonstration data through the back office's commands."""
    from ecpsc.demo_data import StoreNotEmpty, fill, summary
    from projections.registry import unknown_read_models

    followed = [name.strip() for name in read_models.split(",") if name.strip()] or None
    unknown = unknown_read_models(followed or ())
    if unknown:
        raise typer.BadParameter(unknown, param_hint="--read-models")
    try:
        report = fill(
            Settings(), certificates, seed, progress=typer.echo, read_models_followed=followed
        )
    except StoreNotEmpty as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from None
    for line in summary(report):
        typer.echo(line)


def main() -> None:
    """Entry point of the console script."""
    cli()
