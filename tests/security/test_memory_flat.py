"""Memory stays flat under large bodies: a real server (uvicorn, in a subprocess) is sent
96 MiB bodies and its peak resident memory is read from /proc (issue 20, item 5)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN

MIB = 1024 * 1024
BODY_MIB = 96


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set size (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """A server process on the embedded store: (pid, port)."""
    port = _free_port()
    env = {
        **os.environ,
        "ECPSC_DATABASE_URL": f"sqlite:///{tmp_path / 'ecpsc.sqlite'}",
        "ECPSC_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "ECPSC_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ECPSC_ADMIN_TOKEN": ADMIN_TOKEN,
        "ECPSC_DAILY_JOBS": "off",
        "ECPSC_LOG_FORMAT": "text",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the server did not start"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        yield process.pid, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def send_large(port: int, path: str, headers: dict[str, str], chunked: bool) -> int | None:
    """Send BODY_MIB MiB of JSON (chunked, or with its Content-Length); the status answered,
    or None when the server closed before an answer could be read."""
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {BODY_MIB * MIB}")
    chunk = b"x" * MIB
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        try:
            conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
            for _ in range(BODY_MIB):
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if chunked:
                conn.sendall(b"0\r\n\r\n")
        except OSError:  # the server answered and closed: the rest was not wanted
            pass
        try:
            status_line = conn.recv(64).split(b"\r\n", 1)[0]
        except OSError:
            return None
    parts = status_line.split()
    return int(parts[1]) if len(parts) > 1 else None


def test_large_bodies_leave_the_servers_memory_flat(server: tuple[int, int]) -> None:
    """Given a running server,
    when it is sent 96 MiB of JSON without a token, then 96 MiB chunked with the admin's
    token, then 96 MiB declared by Content-Length with the admin's token,
    then it answers 401, 413 and 413, and its peak memory grows by less than 32 MiB
    (it used to read each body whole: hundreds of MiB)."""
    pid, port = server
    before = peak_rss_mib(pid)
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    statuses = [
        send_large(port, "/api/v1/users", {}, chunked=True),
        send_large(port, "/api/v1/users", admin, chunked=True),
        send_large(port, "/api/v1/users", admin, chunked=False),
    ]
    growth = peak_rss_mib(pid) - before
    assert growth < 32, f"peak RSS grew by {growth:.0f} MiB"
    assert statuses == [401, 413, 413], statuses
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
