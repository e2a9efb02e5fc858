"""The system under test as separate processes: API, projector, worker, and a private Redis."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

ECPSC = str(Path(sys.executable).with_name("ecpsc"))
ROOT = Path(__file__).resolve().parents[1]
APP_NAMES = {
    "api": "ecpsc-api",
    "projector": "ecpsc-projector",
    "worker": "ecpsc-worker",
    "api-2-workers": "ecpsc-api-2-workers",
}
"""Each process's PostgreSQL application_name (PGAPPNAME): the connection watch counts by it."""


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A child process with its log file, stopped by its own pid only."""

    def __init__(self, name: str, command: Sequence[str], env: dict[str, str], logs: Path):
        self.name = name
        self.log_path = logs / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            list(command), env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.popen.pid

    def alive(self) -> bool:
        """Whether it still runs."""
        return self.popen.poll() is None

    def tail(self, lines: int = 20) -> str:
        """The end of its log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, then SIGKILL if it outlives the timeout."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        self._log.close()


def wait_until(predicate: object, what: str, process: Process, timeout: float = 120.0) -> None:
    """Poll `predicate()` until true; fail naming the process (and its log) otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        try:
            if predicate():  # type: ignore[operator]
                return
        except Exception:  # not answering yet
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready after {timeout:.0f}s:\n{process.tail()}")


class System:
    """`ecpsc serve` (projections and daily jobs off), `ecpsc projector` and `ecpsc worker`;
    beside them `ecpsc serve --workers 2` and the bare FastAPI app of the HTTP baseline."""

    def __init__(self, env: dict[str, str], logs: Path, redis_url: str | None) -> None:
        self.env = env
        self.logs = logs
        self.redis_url = redis_url
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers_url = f"http://127.0.0.1:{free_port()}"
        self.bare_url = f"http://127.0.0.1:{free_port()}"
        self.processes: dict[str, Process] = {}

    def _env(self, name: str = "", **extra: str) -> dict[str, str]:
        env = {**os.environ, **self.env, "ECPSC_PROJECTIONS": "off", "ECPSC_DAILY_JOBS": "off"}
        if name:
            env["PGAPPNAME"] = APP_NAMES[name]
        if name.startswith("api"):
            env["ECPSC_LOG_FORMAT"] = "json"  # as served by default: JSON access lines
        env.pop("ECPSC_BROKER_URL", None)
        if self.redis_url:
            env["ECPSC_BROKER_URL"] = self.redis_url
        env.update(extra)
        return env

    def start(
        self, worker_today: str | None = None, read_models: Sequence[str] | None = None
    ) -> None:
        """Start the projector (of `read_models`, default all) and API (and the worker when a
        broker is at hand); wait for them."""
        self.logs.mkdir(parents=True, exist_ok=True)
        only = ["--only", ",".join(read_models)] if read_models else []
        projector = Process(
            "projector", [ECPSC, "projector", *only], self._env("projector"), self.logs
        )
        self.processes["projector"] = projector
        wait_until(
            lambda: "projector running" in projector.log_path.read_text(errors="replace"),
            "the projector",
            projector,
        )
        api = Process(
            "api",
            [ECPSC, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            self._env("api"),
            self.logs,
        )
        self.processes["api"] = api
        wait_until(
            lambda: httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200,
            "the API",
            api,
        )
        if self.redis_url:
            extra = {"ECPSC_TODAY": worker_today} if worker_today else {}
            worker = Process(
                "worker",
                [ECPSC, "worker", "--no-schedule", "--threads", "2"],
                self._env("worker", **extra),
                self.logs,
            )
            self.processes["worker"] = worker
            wait_until(
                lambda: "worker running" in worker.log_path.read_text(errors="replace"),
                "the worker",
                worker,
            )

    def start_http_references(self) -> None:
        """Start `ecpsc serve --workers 2` and the bare FastAPI app; wait for both."""
        port = self.workers_url.rsplit(":", 1)[1]
        workers = Process(
            "api-2-workers",
            [ECPSC, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", port],
            self._env("api-2-workers"),
            self.logs,
        )
        self.processes["api-2-workers"] = workers
        bare_port = self.bare_url.rsplit(":", 1)[1]
        bare = Process(
            "bare-fastapi",
            [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--app-dir", str(ROOT),
             "--host", "127.0.0.1", "--port", bare_port, "--log-level", "warning"],
            {**os.environ},
            self.logs,
        )  # fmt: skip
        self.processes["bare-fastapi"] = bare
        for process, url in ((workers, self.workers_url), (bare, self.bare_url)):
            wait_until(
                lambda url=url: httpx.get(f"{url}/healthz", timeout=2).status_code == 200,
                process.name,
                process,
            )

    def stop(self) -> None:
        """Stop every process this object started, newest first."""
        for process in reversed(list(self.processes.values())):
            process.stop()


class Redis:
    """A private redis-server on a free loopback port, without persistence."""

    def __init__(self, logs: Path) -> None:
        self.process: Process | None = None
        self.url: str | None = None
        binary = shutil.which("redis-server")
        if binary is None:
            return
        port = free_port()
        logs.mkdir(parents=True, exist_ok=True)
        self.process = Process(
            "redis",
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            dict(os.environ),
            logs,
        )

        def answers() -> bool:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True

        wait_until(answers, "redis-server", self.process, timeout=30)
        self.url = f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        """Stop it."""
        if self.process is not None:
            self.process.stop()
