"""Heartbeats of the processes without an HTTP port (issue 21, docker-compose health checks):
`ecpsc projector --heartbeat FILE` and `ecpsc worker --heartbeat FILE` touch FILE while healthy,
and `ecpsc health FILE` exits 0 only while it is fresh."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from ecpsc import heartbeat
from ecpsc.cli import cli

START_SECONDS = 60
REDIS_URL = "redis://127.0.0.1:6379/12"


def ecpsc(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """An `ecpsc` subcommand as its own process (its own session, to be killed whole)."""
    command = [str(Path(sys.executable).with_name("ecpsc")), *args]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL of the whole group if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(15)


def wait_for_beat(path: Path, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the process has written its first beat (or fail with its log)."""
    deadline = time.monotonic() + START_SECONDS
    while heartbeat.age(path) is None:
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)


def health(path: Path, *options: str) -> int:
    """`ecpsc health FILE …`'s exit code."""
    return CliRunner().invoke(cli, ["health", str(path), *options]).exit_code


def env_of(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a child on a fresh embedded store."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ECPSC_")}
    return env | {
        "ECPSC_DATABASE_URL": f"sqlite:///{tmp_path / 'ecpsc.sqlite'}",
        "ECPSC_LOG_FORMAT": "text",
        **extra,
    }


def test_health_is_fresh_beats_only(tmp_path: Path) -> None:
    """Given no file, a fresh beat and a stale one, when `ecpsc health` reads each, then only
    the fresh one is healthy."""
    path = tmp_path / "beat"
    assert health(path) == 1
    heartbeat.beat(path)
    assert health(path) == 0
    path.write_text(f"{time.time() - 100}\n")
    assert health(path) == 1
    assert health(path, "--max-age", "200") == 0
    path.write_text("garbage")
    assert health(path) == 1


def test_a_running_projector_beats_and_a_stopped_one_goes_stale(tmp_path: Path) -> None:
    """Given `ecpsc projector --heartbeat FILE` on a store, when its read models run, then FILE
    is fresh; when it is stopped, the last beat ages past --max-age and health says 1."""
    path, log = tmp_path / "projector.beat", tmp_path / "projector.log"
    process = ecpsc("projector", "--heartbeat", str(path), env=env_of(tmp_path), log=log)
    try:
        wait_for_beat(path, process, log)
        assert health(path) == 0
    finally:
        stop(process)
    time.sleep(1.1)
    assert health(path, "--max-age", "1") == 1


def test_a_worker_beats_while_its_broker_answers(tmp_path: Path) -> None:
    """Given `ecpsc worker --heartbeat FILE` on Redis, when it has started, then FILE is fresh."""
    path, log = tmp_path / "worker.beat", tmp_path / "worker.log"
    env = env_of(tmp_path, ECPSC_BROKER_URL=REDIS_URL)
    process = ecpsc(
        "worker", "--threads", "1", "--no-schedule", "--heartbeat", str(path), env=env, log=log
    )
    try:
        wait_for_beat(path, process, log)
        assert health(path) == 0
    finally:
        stop(process)
