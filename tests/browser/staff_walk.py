"""Walking the staff pages in a real browser: each staff member signs in in their own browser
context, every page visited is screenshotted and checked to fit a 375 px wide screen."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.conftest import ADMIN_TOKEN

PASSWORD = "a long walk password"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def give_password(base: str, user_id: str, sign_in_name: str) -> None:
    """Give a staff member a sign-in name and the walk's password, through the API."""
    answer = httpx.post(f"{base}/api/v1/users/{user_id}/password", headers=ADMIN, timeout=30,
                        json={"sign_in_name": sign_in_name, "password": PASSWORD})  # fmt: skip
    assert answer.status_code == 200, answer.text


def new_staff(base: str, name: str, roles: list[str], sign_in_name: str, **extra: Any) -> str:
    """Register a staff member with a password through the API; their id."""
    answer = httpx.post(f"{base}/api/v1/users", headers=ADMIN, timeout=30,
                        json={"name": name, "roles": roles, **extra})  # fmt: skip
    assert answer.status_code == 201, answer.text
    user_id = str(answer.json()["id"])
    give_password(base, user_id, sign_in_name)
    return user_id


@dataclass
class Walk:
    """The browser, the server and the folder of screenshots of one walk."""

    browser: Any
    base: str
    artifacts: Path
    shots: list[Path] = field(default_factory=list)
    _n: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def as_user(self, sign_in_name: str | None) -> Any:
        """A page of a fresh browser (phone-sized, Chinese), signed in as the staff member
        through the sign-in form (None: nobody signed in, as the public)."""
        context = self.browser.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        if sign_in_name is None:
            return page
        page.goto(f"{self.base}/sign-in")
        self.shot(page, f"sign-in-{sign_in_name}")
        page.fill("input[name=sign_in_name]", sign_in_name)
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")  # the keyboard signs in, too
        page.wait_for_url(f"{self.base}/")
        assert page.locator("h1").inner_text().startswith("今日待办")
        return page

    def shot(self, page: Any, name: str) -> Path:
        """Keep a screenshot of the page, after checking it fits the phone's width."""
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: the page scrolls sideways ({width}px)"
        path = self.artifacts / f"{next(self._n):02d}-{re.sub(r'[^a-z0-9-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        self.shots.append(path)
        return path

    def submit(self, page: Any, button: str, expect: str) -> None:
        """Press a form's button and wait for what its result shows; when it does not come,
        keep a screenshot and fail with the refusal the page shows, if any."""
        page.click(button)
        try:
            page.wait_for_selector(expect)
        except Exception:
            page.screenshot(path=str(self.artifacts / "FAILED.png"), full_page=True)
            refusal = page.locator(".refusal")
            shown = refusal.first.inner_text() if refusal.count() else page.content()[:3000]
            raise AssertionError(f"after {button}, {expect} did not appear: {shown}") from None

    @staticmethod
    def sign_out(page: Any) -> None:
        """Sign out with the header's button and close the browser context."""
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(re.compile(r".*/sign-in$"))
        page.context.close()
