"""A PostgreSQL server of one test's own (initdb in a temporary folder, a free loopback port),
which the test may stop and start again; it is never the machine's shared server."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
TIMEOUT_SECONDS = 60


def _bin(name: str) -> str:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install postgresql (server binaries)", pytrace=False)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivatePostgres:
    """One PostgreSQL cluster in a temporary folder, run as a non-root user."""

    def __init__(self, folder: Path, user: str | None) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self._user = user

    @property
    def url(self) -> str:
        """The URL of its `postgres` database as the superuser `postgres`."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self._user, "--"] if self._user else []
        subprocess.run([*prefix, *command], check=True, capture_output=True,
                       timeout=TIMEOUT_SECONDS)  # fmt: skip

    def init(self) -> None:
        """initdb: trust authentication on loopback, superuser `postgres`, few connections."""
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale", "C")  # fmt: skip

    def start(self) -> None:
        """pg_ctl start, waiting until it accepts connections."""
        options = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   f"-c unix_socket_directories={self.folder} -c max_connections=60")  # fmt: skip
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                  "-o", options, "-w", "-t", str(TIMEOUT_SECONDS), "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop (`fast` rolls back open transactions; `immediate` is a crash)."""
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                  "-t", str(TIMEOUT_SECONDS), "stop")  # fmt: skip

    def running(self) -> bool:
        """Whether its postmaster runs."""
        return (self.data / "postmaster.pid").exists()


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A started private PostgreSQL, stopped (immediately) and removed afterwards."""
    user = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        user = "postgres"
        try:
            pwd.getpwnam(user)
        except KeyError:
            pytest.fail("running as root needs a `postgres` user to run initdb", pytrace=False)
    folder = Path(tempfile.mkdtemp(prefix="ecpsc-pg-"))
    if user is not None:
        shutil.chown(folder, user=user)
    server = PrivatePostgres(folder, user)
    try:
        server.init()
        server.start()
        yield server
    finally:
        try:
            if server.running():
                server.stop("immediate")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
