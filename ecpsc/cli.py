"""The `ecpsc` command: serve the back office, or run its projector."""

from __future__ import annotations

import logging
import signal
import threading

import typer

from ecpsc.settings import Settings

cli = typer.Typer(
    help="ECPSC back office (ZPIC-WF-20) / 商品售后服务评价认证后台", no_args_is_help=True
)


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
) -> None:
    """Run the HTTP API with the projections in the same process (the embedded default)."""
    import uvicorn

    from api.main import create_app

    logging.basicConfig(level=logging.INFO)
    uvicorn.run(create_app(Settings()), host=host, port=port, log_level="info")


@cli.command()
def projector() -> None:
    """Run only the projections (beside API processes started with ECPSC_PROJECTIONS=off)."""
    from ecpsc.store import eventsourcing_env, open_backoffice
    from projections.runner import ReadModels

    logging.basicConfig(level=logging.INFO)
    settings = Settings()
    open_backoffice(settings).close()  # creates and protects the event table before following it
    read_models = ReadModels(eventsourcing_env(settings), postgres=settings.is_postgres)
    read_models.run()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    typer.echo("projector running; Ctrl-C to stop")
    stop.wait()
    read_models.close()


def main() -> None:
    """Entry point of the console script."""
    cli()
