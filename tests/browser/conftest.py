"""A real server and Debian's chromium for the browser tests, and where their screenshots go.

A real server (uvicorn on a free 127.0.0.1 port, today pinned) runs on the store under test;
Debian's chromium, driven by the PyPI package `playwright` (no `playwright install`: the browser
is the system's), opens its pages. A missing chromium or playwright fails the test with a clear
message: it is never skipped. Screenshots are kept under `ECPSC_TEST_ARTIFACTS` (default
`test-artifacts/`), one folder per test, as the run's artefacts.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.main import create_app
from ecpsc.settings import Settings

ARTIFACTS = Path(os.environ.get("ECPSC_TEST_ARTIFACTS", "test-artifacts"))

CHROMIUM = os.environ.get("ECPSC_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 740}
STARTUP_SECONDS = 30
TIMEOUT_MS = 15_000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server_url(settings: Settings) -> Iterator[str]:
    """A real HTTP server on the test's store, today pinned to 2026-11-28, in a thread."""
    port = free_port()
    app = create_app(settings.model_copy(update={"public_url": f"http://127.0.0.1:{port}"}))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, f"the server did not start in {STARTUP_SECONDS}s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by playwright."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        pytest.fail(
            f"chromium is missing at {CHROMIUM} (which chromium: {found}); install it with "
            "`apt-get install -y chromium fonts-noto-cjk` (or set ECPSC_TEST_CHROMIUM)",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(
            f"the PyPI package playwright is missing ({error}); `pip install playwright` "
            "(never `playwright install`: the system's chromium is used)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()




@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """The folder this test's screenshots are kept in (emptied first)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::")[-1])
    store = os.environ.get("ECPSC_TEST_STORE", "sqlite")
    folder = ARTIFACTS / "screenshots" / store / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
