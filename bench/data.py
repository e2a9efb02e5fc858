"""The benchmark database: created and dropped per run, or reused; filled by ecpsc demo-data."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import psycopg

from bench.processes import APP_NAMES, ECPSC
from bench.report import Row

GOAL_CERTIFICATES_PER_SECOND = 100_000 / 600
"""100,000 certificates in under 10 minutes."""
CONNECTION_BUDGET = 50
"""API + projector + worker hold fewer PostgreSQL connections than this at their peak."""


def with_database(url: str, dbname: str) -> str:
    """The same server URL naming another database."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{dbname}"


def exists(admin_url: str, dbname: str) -> bool:
    """Whether the database exists."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
            is not None
        )


def create(admin_url: str, dbname: str) -> None:
    """A new empty database."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')


def drop(admin_url: str, dbname: str) -> None:
    """Drop the database, closing whatever still holds it."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def size(url: str) -> tuple[int, int]:
    """Certificates on the register and events in the store (0, 0 when empty)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        certificates = events = 0
        if "register_certificates" in tables:
            row = conn.execute("SELECT COUNT(*) FROM register_certificates").fetchone()
            certificates = int(row[0]) if row else 0
        if "backoffice_events" in tables:
            row = conn.execute("SELECT MAX(notification_id) FROM backoffice_events").fetchone()
            events = int(row[0] or 0) if row else 0
    return certificates, events


def generate(url: str, certificates: int, today: str, logs: Path) -> Row:
    """Fill the empty database with `ecpsc demo-data`; the generation row."""
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ECPSC_DATABASE_URL": url,
        "ECPSC_TODAY": today,
        "ECPSC_LOG_FORMAT": "text",
    }
    started = time.perf_counter()
    with (logs / "demo-data.log").open("wb") as log:
        done = subprocess.run(
            [ECPSC, "demo-data", "--certificates", str(certificates), "--seed", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = (logs / "demo-data.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"ecpsc demo-data failed ({done.returncode}):\n{tail}")
    _, events = size(url)
    return Row(
        f"demo data generation, {certificates:,} certificates",
        certificates / seconds,
        "cert/s",
        goal=GOAL_CERTIFICATES_PER_SECOND,
        goal_kind=">=",
        note=f"ecpsc demo-data: {seconds:,.1f} s for {events:,} events, read models caught up "
        f"(goal: 100,000 in < 10 min = {GOAL_CERTIFICATES_PER_SECOND:.0f} cert/s)",
        extra={"seconds": seconds, "events": events, "certificates": certificates},
    )


class ConnectionWatch:
    """Samples how many server connections the run's databases hold, keeping the peak: of all
    of them, and of the API, projector and worker together (by application_name)."""

    def __init__(self, admin_url: str, prefix: str) -> None:
        self.peak = 0
        self.peak_system = 0
        """API + projector + worker at one moment (the budget of issue 23: under 50)."""
        self.peaks: dict[str, int] = {}
        """Each process's own peak, by application_name."""
        self._stop = threading.Event()
        self._admin_url = admin_url
        self._prefix = prefix
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        system = {APP_NAMES[name] for name in ("api", "projector", "worker")}
        try:
            with psycopg.connect(self._admin_url, autocommit=True) as conn:
                while not self._stop.wait(0.25):
                    rows = conn.execute(
                        "SELECT application_name, COUNT(*) FROM pg_stat_activity"
                        " WHERE datname LIKE %s GROUP BY application_name",
                        [self._prefix + "%"],
                    ).fetchall()
                    counts = {str(name): int(count) for name, count in rows}
                    self.peak = max(self.peak, sum(counts.values()))
                    self.peak_system = max(
                        self.peak_system, sum(n for a, n in counts.items() if a in system)
                    )
                    for name, count in counts.items():
                        self.peaks[name] = max(self.peaks.get(name, 0), count)
        except psycopg.Error:
            return

    def stop(self) -> int:
        """Stop sampling; the peak seen."""
        self._stop.set()
        self._thread.join(5)
        return self.peak

    def row(self) -> Row:
        """The peak of API + projector + worker beside the budget (after `stop`)."""
        by_process = ", ".join(
            f"{name.removeprefix('ecpsc-')} {count}"
            for name, count in sorted(self.peaks.items())
            if name.startswith("ecpsc-")
        )
        return Row(
            "peak PostgreSQL connections: API + projector + worker",
            float(self.peak_system),
            "conn",
            goal=float(CONNECTION_BUDGET),
            goal_kind="<",
            note=f"sampled every 0.25 s; each process's own peak: {by_process or 'none seen'}; "
            f"the whole run, the bench's own and the 2-worker API included: {self.peak}",
            extra={"whole_run": self.peak, "by_application_name": self.peaks},
        )


def settle(url: str, read_models: Sequence[str] | None = None, timeout: float = 900.0) -> float:
    """Wait until every read model's tracking (or that of `read_models`) reaches the last event
    (the projector idle again before a measure); the seconds waited."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename LIKE '%\\_tracking'"
            ).fetchall()
            if read_models is None or str(r[0]).removesuffix("_tracking") in read_models
        ]
        while time.perf_counter() - started < timeout:
            last_row = conn.execute("SELECT MAX(notification_id) FROM backoffice_events").fetchone()
            last = int(last_row[0] or 0) if last_row else 0
            behind = False
            for table in tables:
                row = conn.execute(f'SELECT MAX(notification_id) FROM "{table}"').fetchone()
                if row is None or int(row[0] or 0) < last:
                    behind = True
                    break
            if not behind:
                break
            time.sleep(0.1)
    return time.perf_counter() - started
