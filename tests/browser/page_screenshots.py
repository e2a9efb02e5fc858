"""`make screenshots-pages`: the public verification and register pages at phone size, as PNGs
for README (docs/screenshots/), taken by Debian's chromium from a real server on a throwaway
embedded store filled through the API (tests/browser/scenario.py), today pinned to 2026-11-28.

    python -m tests.browser.page_screenshots [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from api.main import create_app
from ecpsc.settings import Settings
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, STARTUP_SECONDS, free_port
from tests.browser.scenario import build_scenario
from tests.conftest import ADMIN_TOKEN, TODAY

OUT = Path("docs/screenshots")


@contextmanager
def running_server(folder: Path) -> Iterator[str]:
    """A server on a fresh embedded store in `folder`, in a thread; its base URL."""
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{folder / 'ecpsc.sqlite'}",
        documents_dir=folder / "documents",
        outbox_dir=folder / "outbox",
        today=TODAY,
        admin_token=ADMIN_TOKEN,
        daily_jobs=False,
        public_url=f"http://127.0.0.1:{port}",
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)


def take(out: Path) -> list[Path]:
    """The screenshots, written into `out`; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as base:
        scenario = build_scenario(base)
        pages = {
            "verify-valid.png": f"/verify/{scenario.valid}",
            "verify-suspended.png": f"/verify/{scenario.suspended}",
            "verify-withdrawn.png": f"/verify/{scenario.withdrawn}",
            "register-search.png": "/register?q=某电器",
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport=PHONE, locale="zh-CN", device_scale_factor=2)
                for name, path in pages.items():
                    response = page.goto(base + path)
                    assert response is not None and response.status == 200, path
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
                    page.screenshot(path=str(out / name), full_page=True)
                    written.append(out / name)
            finally:
                browser.close()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
