"""`ecpsc serve --workers N`: N uvicorn processes on one port, beside a separate projector."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from ecpsc.cli import cli

ECPSC = str(Path(sys.executable).with_name("ecpsc"))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workers_of(pid: int) -> list[int]:
    """The processes uvicorn started for its workers (children running multiprocessing's
    spawn entry point), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def test_several_workers_are_refused_while_projections_or_daily_jobs_run_in_process(
    database_url: str,
) -> None:
    """Given the defaults (projections and daily jobs in process), when `ecpsc serve --workers
    2` is asked for, then it exits 2 naming both settings to turn off and what runs instead."""
    result = CliRunner().invoke(
        cli, ["serve", "--workers", "2"], env={"ECPSC_DATABASE_URL": database_url}
    )
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    for expected in ("ECPSC_PROJECTIONS=off", "ECPSC_DAILY_JOBS=off", "ecpsc projector"):
        assert expected in text, result.output


def test_two_workers_serve_the_api_on_one_port(database_url: str, tmp_path: Path) -> None:
    """Given projections and daily jobs off, when `ecpsc serve --workers 2` starts, then two
    worker processes run under it and the API answers, the register included (each worker
    opened the store in its lifespan); SIGTERM stops them all."""
    port = _free_port()
    env = {
        **os.environ,
        "ECPSC_DATABASE_URL": database_url,
        "ECPSC_PROJECTIONS": "off",
        "ECPSC_DAILY_JOBS": "off",
        "ECPSC_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "ECPSC_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ECPSC_LOG_FORMAT": "text",
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [ECPSC, "serve", "--workers", "2", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        answered = False
        while time.monotonic() < deadline and not answered:
            assert server.poll() is None, log_path.read_text(errors="replace")
            try:
                answered = httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        assert answered, log_path.read_text(errors="replace")
        # Both workers finish their lifespan; each request may reach either.
        for _ in range(20):
            page = httpx.get(f"{base}/api/v1/register/certificates", timeout=10)
            assert page.status_code == 200, page.text
            assert page.json()["total"] == 0
        assert len(_workers_of(server.pid)) == 2, log_path.read_text(errors="replace")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    assert server.returncode is not None
