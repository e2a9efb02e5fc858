"""Every benchmark on PostgreSQL in one run: `python -m bench --certificates 100000`.

Creates a database (`ecpsc_bench_<pid>`, dropped afterwards unless --keep) and fills it with
`ecpsc demo-data`, or reuses one (`--database NAME --reuse`); then, side by side: append rates
against raw inserts, the command over HTTP against the direct call, register catch-up and
rebuild against a raw log read, /healthz and register lookups against a bare FastAPI app
(lookups also on `ecpsc serve --workers 2`), searches against /healthz, an organization's
1,000-event history, the daily sweep with ~1 % due, the peak memory of the API, projector and
worker processes and their peak PostgreSQL connections. Prints a table and keeps the run's JSON as
bench/results/<timestamp>-<commit>.json; `--compare A.json B.json` prints how two runs differ.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import (
    append,
    catch_up,
    compare,
    data,
    history,
    http_load,
    memory,
    register_load,
    report,
    sweep,
)
from bench.processes import Redis, System
from bench.report import Row
from bench.timing import Outcome
from ecpsc.settings import Settings
from ecpsc.store import eventsourcing_env, open_backoffice
from projections.registry import unknown_read_models
from projections.runner import ReadModels

DEFAULT_ADMIN_URL = os.environ.get(
    "ECPSC_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
RESULTS = Path(__file__).with_name("results")
# In the order they run; the peak memory rows always close the run.
MEASURES = ("catch-up", "append", "http", "register", "history", "sweep")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--certificates",
        type=int,
        default=100_000,
        help="certificates to generate (default 100,000)",
    )
    parser.add_argument("--database", help="database name (default ecpsc_bench_<pid>)")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database's demo data when it holds some"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_ADMIN_URL, help="a server URL to create databases from"
    )
    parser.add_argument("--today", default="2026-11-28", help="the demo data's today (ECPSC_TODAY)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per measure")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument(
        "--history-events",
        type=int,
        default=history.TARGET_EVENTS,
        help="events of the organization whose history is timed (default 1,000)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="the directory each run's JSON is kept in, as <timestamp>-<commit>.json "
        "(default bench/results, not committed)",
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("A.json", "B.json"),
        help="run nothing: print how every row of run B changed from run A",
    )
    parser.add_argument(
        "--only",
        type=_measures,
        default=MEASURES,
        help=f"comma-separated measures to run, of {','.join(MEASURES)} (default all)",
    )
    parser.add_argument(
        "--read-models",
        type=_names,
        default=None,
        help="comma-separated read models the projector runs (default all), for data whose "
        "other read models were not built (`ecpsc demo-data --read-models`)",
    )
    return parser.parse_args(argv)


def _names(text: str) -> tuple[str, ...]:
    """The read models named in `text`; an unknown name is an error."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = unknown_read_models(names) if names else "name at least one read model"
    if unknown:
        raise argparse.ArgumentTypeError(unknown)
    return names


def _measures(text: str) -> tuple[str, ...]:
    """The measures named in `text`, in the run's order; an unknown name is an error."""
    names = {n.strip() for n in text.split(",") if n.strip()}
    unknown = names - set(MEASURES)
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown measure {', '.join(sorted(unknown)) or '(none)'}: "
            f"choose from {','.join(MEASURES)}"
        )
    return tuple(m for m in MEASURES if m in names)


class Run:
    """One benchmark run: its database, processes and rows."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.dbname = args.database or f"ecpsc_bench_{os.getpid()}"
        self.admin_url = args.postgres_url
        self.url = data.with_database(self.admin_url, self.dbname)
        self.today = date.fromisoformat(args.today)
        self.token = secrets.token_urlsafe(16)
        self.work = Path(tempfile.mkdtemp(prefix="ecpsc-bench-"))
        self.rows: list[Row] = []
        self.created = False
        self.source = "reused"
        self.warmup = min(1.0, args.seconds / 5)

    def settings(self, **extra: Any) -> Settings:
        """The run's settings (the API's, the bench's own back office)."""
        return Settings(
            database_url=self.url,
            today=self.today,
            admin_token=self.token,
            daily_jobs=False,
            projections=False,
            outbox_dir=self.work / "outbox",
            **extra,
        )

    def env(self) -> dict[str, str]:
        """The environment of the ecpsc processes."""
        return {
            "ECPSC_DATABASE_URL": self.url,
            "ECPSC_TODAY": self.today.isoformat(),
            "ECPSC_ADMIN_TOKEN": self.token,
            "ECPSC_OUTBOX_DIR": str(self.work / "outbox"),
            "ECPSC_LOG_FORMAT": "text",
        }

    def prepare(self) -> None:
        """Create or reuse the database; generate the data when it is empty."""
        args = self.args
        if data.exists(self.admin_url, self.dbname):
            certificates, _ = data.size(self.url)
            if certificates and not args.reuse:
                raise SystemExit(f"{self.dbname} holds data: pass --reuse to use it")
        else:
            data.create(self.admin_url, self.dbname)
            self.created = True
        certificates, _ = data.size(self.url)
        if not certificates:
            self.source = "generated by ecpsc demo-data in this run"
            print(f"generating {args.certificates:,} certificates into {self.dbname} …", flush=True)
            self.rows.append(
                data.generate(self.url, args.certificates, args.today, self.work / "logs")
            )

    def step(self, title: str) -> None:
        """Say what runs now."""
        print(f"[{datetime.now().strftime('%H:%M:%S')}] {title}", flush=True)

    def wait_for_projector(self) -> None:
        """Let the projector apply what the last measure wrote before the next one starts."""
        waited = data.settle(self.url, self.args.read_models)
        if waited > 1:
            self.step(f"waited {waited:.1f} s for the projector to catch up")

    def measure(self) -> dict[str, Any]:
        """Every benchmark in turn; the run's description."""
        args = self.args
        certificates, events = data.size(self.url)
        described: dict[str, Any] = {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["python -m bench", *sys.argv[1:]]),
            "machine": report.machine(),
            "software": report.software(),
            "postgres": report.postgres(self.url),
            "database": self.dbname,
            "data": {"certificates": certificates, "events": events, "source": self.source},
            "seconds_per_measure": args.seconds,
            "clients": args.clients,
            "measures": list(args.only),
            "read_models": list(args.read_models or []) or "all",
        }
        settings = self.settings()
        env = eventsourcing_env(settings)
        backoffice = open_backoffice(settings)
        redis = Redis(self.work / "logs")
        system = System(self.env(), self.work / "logs", redis.url)
        watch = data.ConnectionWatch(self.admin_url, self.dbname)
        only = args.only
        try:
            if "catch-up" in only:
                self.step("register catch-up and rebuild")
                self.rows += catch_up.measure(backoffice, env, self.admin_url, f"{self.dbname}_reg")
            day, due = self.today, 0
            if "sweep" in only:
                read_models = ReadModels(env, postgres=True)
                try:
                    last_swept, _ = sweep.journal(backoffice)
                    day, due = sweep.pick_day(
                        read_models, max(self.today, last_swept or self.today), certificates
                    )
                finally:
                    read_models.close()
            self.step("starting the API, projector and worker")
            system.start(worker_today=day.isoformat(), read_models=args.read_models)
            direct: dict[int, Outcome] = {}
            if "append" in only or "http" in only:
                self.step("append rates")
                rows, direct = append.measure(
                    backoffice, self.url, self.today, args.seconds, self.warmup
                )
                self.rows += rows if "append" in only else []
                self.wait_for_projector()
            if "http" in only:
                self.step("the command over HTTP")
                self.rows += http_load.measure(
                    system.base_url, self.token, self.today, direct, args.seconds, self.warmup
                )
                self.wait_for_projector()
            if "register" in only:
                self.step("register lookups and searches")
                system.start_http_references()
                self.rows += register_load.measure(
                    system.base_url, self.url, args.clients, args.seconds, self.warmup,
                    bare_url=system.bare_url, workers_url=system.workers_url,
                )  # fmt: skip
            if "history" in only:
                self.step("an organization's history")
                self.rows += history.measure(
                    backoffice,
                    self.url,
                    system.base_url,
                    self.token,
                    self.today,
                    args.seconds,
                    args.history_events,
                )
                self.wait_for_projector()
            if "sweep" in only:
                self.step(f"the daily sweep as of {day.isoformat()}")
                self.rows += sweep.measure(backoffice, day, due, certificates, redis.url, settings)
            self.rows += memory.rows(system)
        finally:
            system.stop()
            redis.stop()
            backoffice.close()
            described["peak_connections"] = watch.stop()
            described["peak_system_connections"] = watch.peak_system
            described["logs"] = str(self.work / "logs")
        self.rows.append(watch.row())
        return described

    def finish(self) -> None:
        """Drop the database this run created, unless kept."""
        if self.created and not self.args.keep:
            data.drop(self.admin_url, self.dbname)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark, print the table, write the JSON; 0 when every row has a figure."""
    args = _arguments(argv)
    if args.compare:
        return compare.main(*args.compare)
    run = Run(args)
    started = time.perf_counter()
    try:
        run.prepare()
        described = run.measure()
    finally:
        run.finish()
    described["seconds"] = round(time.perf_counter() - started, 1)
    print()
    for line in [*report.header(described), "", *report.table(run.rows)]:
        print(line)
    path = report.write_json(described, run.rows, args.results)
    met = [r.met for r in run.rows if r.met is not None]
    print(
        f"\n{sum(met)} of {len(met)} goals met · peak {described['peak_connections']} "
        f"PostgreSQL connections ({described['peak_system_connections']} of API, projector and "
        f"worker) · {described['seconds']} s · {path}"
    )
    return 0 if all(not math.isnan(r.figure) for r in run.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
