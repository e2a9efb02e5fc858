"""The verification page a certificate's QR code opens, in a real headless browser on a phone-
sized screen (api.md Public register: GET /verify/{number}; ZPIC-WF-20 8.1.1, 7.4).

A real server (uvicorn on a free 127.0.0.1 port, today pinned) runs on the store under test;
the certificate is made through its HTTP API; Debian's chromium, driven by the PyPI package
`playwright` (no `playwright install`: the browser is the system's), opens the page. A missing
chromium or playwright fails the test with a clear message: it is never skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.test_decisions_api import CertificationOffice, uscc
from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.conftest import ADMIN_TOKEN


@pytest.fixture
def certificate_number(server_url: str) -> str:
    """A certificate granted on 2026-11-28 through the server's HTTP API."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=server_url, timeout=30) as client:
        office = CertificationOffice(client, headers)
        return office.certificate(uscc(1), "福州甲家电商贸有限公司")


def test_the_verification_page_shows_a_valid_certificate_on_a_phone(
    browser: Any, server_url: str, certificate_number: str, tmp_path: Path
) -> None:
    """Given a certificate granted on 2026-11-28 through the HTTP API of a running server,
    when its verification page is opened in a headless browser on a 375×740 phone screen,
    then 200, the status reads 有效 (valid), the validity runs 2026-11-28 to 2029-11-27, the
    page fits the screen's width, and a screenshot of it is taken."""
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.set_default_timeout(TIMEOUT_MS)

    response = page.goto(f"{server_url}/verify/{certificate_number}")

    assert response is not None and response.status == 200
    status = page.locator("#status")
    assert status.get_attribute("data-status") == "valid"
    assert status.inner_text().splitlines()[0].strip() == "有效"
    assert page.locator("#number").inner_text().strip() == certificate_number
    assert page.locator("#issued_on").inner_text().strip() == "2026-11-28"
    assert page.locator("#expires_on").inner_text().strip() == "2029-11-27"
    assert "福州甲家电商贸有限公司" in page.content()
    assert page.title().startswith(f"证书 {certificate_number}")
    assert status.is_visible()
    box = status.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], "the page scrolls sideways on a phone"

    screenshot = tmp_path / "verify-valid.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.is_file()
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000


def test_an_unknown_number_shows_the_not_found_page(
    browser: Any, server_url: str, tmp_path: Path
) -> None:
    """Given no certificate numbered ECPSC-SC-2026-99999,
    when its verification page is opened in the browser,
    then 404 and the page says there is no such certificate (无此证书), naming the number."""
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.set_default_timeout(TIMEOUT_MS)

    response = page.goto(f"{server_url}/verify/ECPSC-SC-2026-99999")

    assert response is not None and response.status == 404
    status = page.locator("#status")
    assert status.get_attribute("data-status") == "unknown"
    assert status.inner_text().splitlines()[0].strip() == "无此证书"
    assert "ECPSC-SC-2026-99999" in page.locator("main").inner_text()
    assert page.title().startswith("未找到证书")
    page.screenshot(path=str(tmp_path / "verify-unknown.png"))
    assert (tmp_path / "verify-unknown.png").stat().st_size > 0
