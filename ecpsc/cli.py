"""The `ecpsc` command: serve the back office, or run its projector."""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path
from typing import Any

import typer

from ecpsc.heartbeat import MAX_AGE_SECONDS, age, keep_beating
from ecpsc.logs import configure_logging
from ecpsc.settings import Settings
from ecpsc.user_cli import user

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
    from ecpsc.signing import signing_key

    # generated on first start (embedded default), once, before any worker process starts
    signer = signing_key(settings)
    typer.echo(f"signing key {signer.key_id} from {signer.source}")
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


HEARTBEAT_HELP = "a file touched every 10 s while healthy, for `ecpsc health FILE`"


@cli.command()
def projector(
    only: str | None = typer.Option(
        None, help="comma-separated read models to run, e.g. register,retention (default: all)"
    ),
    heartbeat: Path | None = typer.Option(None, help=HEARTBEAT_HELP),
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
    keep_beating(heartbeat, read_models.running, stop)  # healthy: every runner going
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
    from workers.day_notices import SendNow

    services = Services(Settings(), run_projections=True)
    notices = SendNow(services)
    try:
        if catch_up:
            days = deadline_jobs.catch_up(services, notices)
        else:
            try:
                day = date.fromisoformat(as_of) if as_of else services.backoffice.today()
            except ValueError:
                raise typer.BadParameter("YYYY-MM-DD", param_hint="--as-of") from None
            days = {day: deadline_jobs.run_day(services, day, notices)}
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
    failed = f", {notices.failed} failed (logged; sweep the day again)" if notices.failed else ""
    typer.echo(f"{notices.sent} notice(s) sent{failed}")


@cli.command()
def worker(
    threads: int = typer.Option(4, help="worker threads"),
    schedule: bool = typer.Option(True, help="also enqueue the daily jobs (00:05 CST)"),
    heartbeat: Path | None = typer.Option(None, help=HEARTBEAT_HELP),
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
    from workers.queue_depth import queue_depths

    running = Worker(broker, worker_threads=threads)
    running.start()
    daily = DailySchedule(actors.daily_jobs.send) if schedule else None
    if daily is not None:
        daily.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    typer.echo(f"worker running on {broker.__class__.__name__}; Ctrl-C to stop")

    def healthy() -> bool:
        """Every consumer and worker thread alive, and the broker answers (raises if not)."""
        queue_depths(broker)
        return all(t.is_alive() for t in [*running.consumers.values(), *running.workers])

    keep_beating(heartbeat, healthy, stop)
    if daily is not None:
        daily.stop()
    running.stop()
    broker.close()


@cli.command()
def verify(
    record: bool = typer.Option(True, help="record the outcome in the store's integrity log"),
    checkpoint: list[str] = typer.Option(
        [],
        "--checkpoint",
        help="a signed checkpoint to prove the log still extends: a JSON file or URL (one "
        "checkpoint, a list, or a page of GET /integrity/checkpoints); repeatable",
    ),
    public_key: str | None = typer.Option(
        None,
        "--public-key",
        help="check signatures with these keys (a file or URL of /.well-known/ecpsc-signing-key, "
        "or a PEM file) instead of the configured ones",
    ),
) -> None:
    """Recompute the event log's hash chain; exit 1 naming the first broken link, or the first
    checkpoint the log no longer extends."""
    from domain.people import DEADLINE_JOBS_ID
    from ecpsc import integrity
    from ecpsc.signing import known_public_keys
    from ecpsc.store import open_backoffice
    from ecpsc.witness import public_keys_from, read_checkpoints

    settings = Settings()
    try:
        given = [c for source in checkpoint for c in read_checkpoints(source)]
        keys = public_keys_from(public_key) if public_key else known_public_keys(settings)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    backoffice = open_backoffice(settings)
    try:
        report = integrity.verify(
            backoffice, by=DEADLINE_JOBS_ID, record=record, checkpoints=given, keys=keys
        )
    finally:
        backoffice.close()
    if not report.intact:
        if report.broken_at is not None:
            typer.echo(f"BROKEN at notification {report.broken_at}: {report.problem}", err=True)
            typer.echo(f"{report.checked} event(s) verified before it", err=True)
        for finding in report.findings or (report.problem,):
            if report.broken_at is None or finding != report.problem:
                typer.echo(f"BROKEN: {finding}", err=True)
        raise typer.Exit(code=1)
    typer.echo(
        f"intact: {report.checked} event(s), head {report.head} "
        f"(notification {report.last_notification_id})"
    )
    for held in given:
        typer.echo(f"extends checkpoint {held['position']} ({held['signed_at']})")


@cli.command("verify-qr")
def verify_qr(
    payload: str = typer.Argument(..., help="the text of a certificate's QR code (or its URL)"),
    public_key: str | None = typer.Option(
        None, "--public-key", help="a file or URL of /.well-known/ecpsc-signing-key, or PEM"
    ),
) -> None:
    """Check the signed statement in a certificate's QR code; exit 1 when it is not genuine."""
    from ecpsc.qr_statement import check_payload
    from ecpsc.signing import known_public_keys
    from ecpsc.witness import public_keys_from

    try:
        keys = public_keys_from(public_key) if public_key else known_public_keys(Settings())
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    outcome = check_payload(payload, keys)
    for line in outcome.lines():
        typer.echo(line, err=not outcome.genuine)
    if not outcome.genuine:
        raise typer.Exit(code=1)


@cli.command("checkpoint")
def checkpoint_now() -> None:
    """Sign a checkpoint of the event log now and print it (JSON)."""
    import json

    from domain.errors import RuleViolation
    from domain.people import DEADLINE_JOBS_ID
    from ecpsc.checkpoints import sign_checkpoint
    from ecpsc.signing import signing_key
    from ecpsc.store import open_backoffice

    settings = Settings()
    backoffice = open_backoffice(settings)
    try:
        signed = sign_checkpoint(backoffice, signing_key(settings), by=DEADLINE_JOBS_ID)
    except RuleViolation as refused:
        typer.echo(refused.message, err=True)
        raise typer.Exit(code=1) from None
    finally:
        backoffice.close()
    typer.echo(json.dumps(signed, ensure_ascii=False))


key = typer.Typer(help="The certification body's signing key / 签名密钥", no_args_is_help=True)
cli.add_typer(key, name="key")


@key.command("show")
def key_show() -> None:
    """Print the signing key's id, its public key (base64 and PEM) and the earlier keys."""
    from ecpsc.signing import ALGORITHM, previous_keys, signing_key

    settings = Settings()
    current = signing_key(settings)
    typer.echo(f"key_id: {current.key_id}")
    typer.echo(f"algorithm: {ALGORITHM}")
    typer.echo(f"public_key: {current.public.public_key}")
    typer.echo(f"private key from: {current.source}")
    typer.echo(current.public.pem.rstrip())
    for old in previous_keys(settings):
        typer.echo(f"previous key_id: {old.key_id} public_key: {old.public_key}")


@key.command("generate")
def key_generate(
    path: Path = typer.Argument(..., help="the new key's file (must not exist)"),
) -> None:
    """Write a new signing key (mode 0600) for a rotation; print its id."""
    from ecpsc.signing import PublicKey, write_new_key

    if path.exists():
        raise typer.BadParameter(f"{path} exists; a key is never overwritten", param_hint="PATH")
    created = write_new_key(path)
    typer.echo(f"{path}: key_id {PublicKey.of(created.public_key()).key_id}")


@cli.command()
def health(
    heartbeat: Path = typer.Argument(..., help="the file given to projector/worker --heartbeat"),
    max_age: float = typer.Option(MAX_AGE_SECONDS, help="seconds a beat stays fresh"),
) -> None:
    """Exit 0 when a projector's or worker's heartbeat is fresh, 1 otherwise (health checks)."""
    seconds = age(heartbeat)
    if seconds is None or seconds > max_age:
        since = "never" if seconds is None else f"{seconds:.0f} s ago"
        typer.echo(f"unhealthy: last heartbeat {since} ({heartbeat})", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"healthy: last heartbeat {seconds:.0f} s ago")


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
    from api.reports.issuer import issuer

    target = output or Path(f"regulator-{month}.xlsx")
    services = Services(Settings(), run_projections=True)
    try:
        services.settle()  # the outbox has caught up with every event recorded so far
        view = services.read_models.view("regulator_outbox")
        last = services.backoffice.recorder.max_notification_id()
        if last is not None and not view.has_tracking_id(services.backoffice.name, last):
            typer.echo("the regulator outbox has not caught up; nothing written", err=True)
            raise typer.Exit(code=1)
        content = view.workbook(month, cb=issuer(services.settings))
        count = len(view.month_notifications(month))
    finally:
        services.close()
    target.write_bytes(content)
    typer.echo(
        f"{target}: {count} notification(s) of {month}; due at the regulator by "
        f"{report_due_on(month).isoformat()}"
    )


calendar_cli = typer.Typer(
    help="The official calendar's yearly notices (rules.md §12) / 节假日安排", no_args_is_help=True
)
cli.add_typer(calendar_cli, name="calendar")


@calendar_cli.command("load")
def calendar_load(
    year: int = typer.Argument(..., help="the notice's year"),
    file: Path = typer.Argument(..., help="JSON: {source, holidays: [{from, to, name}], "
                                "working_days: [YYYY-MM-DD]}", exists=True, dir_okay=False),
) -> None:
    """Load the State Council's holiday notice for a year, as the bootstrap administrator."""
    import json

    from pydantic import ValidationError

    from api.schemas.calendar import CalendarNoticeIn
    from domain.errors import InvalidInput
    from ecpsc.services import Services

    try:
        body = CalendarNoticeIn.model_validate(json.loads(file.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as error:
        raise typer.BadParameter(str(error), param_hint="FILE") from None
    services = Services(Settings(), run_projections=False)
    try:
        notice = services.backoffice.load_calendar(
            year,
            source=body.source,
            holidays=[{"from": h.from_, "to": h.to, "name": h.name} for h in body.holidays],
            working_days=list(body.working_days),
            by=services.backoffice.bootstrap_admin(),
        )
    except InvalidInput as error:
        raise typer.BadParameter(f"{error.field}: {error.message}", param_hint="FILE") from None
    finally:
        services.close()
    typer.echo(f"{year}: notice {notice.source!r} loaded ({len(notice.holidays)} holiday spans, "
               f"{len(notice.working_days)} make-up working days)")


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
    sign_in: bool = typer.Option(
        True,
        "--sign-in/--no-sign-in",
        help="also give each staff member a sign-in name and a new random password for the "
        "web pages, printed at the end with the API tokens",
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
            Settings(),
            certificates,
            seed,
            progress=typer.echo,
            read_models_followed=followed,
            sign_in=sign_in,
        )
    except StoreNotEmpty as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from None
    for line in summary(report):
        typer.echo(line)


cli.add_typer(user, name="user")  # ecpsc user revoke (ecpsc/user_cli.py)


def main() -> None:
    """Entry point of the console script."""
    cli()
