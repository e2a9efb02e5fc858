"""The pages still work under their Content-Security-Policy, in a real browser, with no
violation reported (issue 20, item 7): the staff pages' behaviour and Swagger UI come from
static scripts of this origin."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.staff_walk import PASSWORD, new_staff


def _watch_violations(page: Any) -> list[str]:
    """The CSP violations the browser reports on the page, as they come."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text)
        if "Content Security Policy" in message.text or "unsafe-eval" in message.text
        else None,
    )
    return seen


def test_the_intake_form_adds_site_rows_under_the_policy(server_url: str, browser: Any) -> None:
    """Given an intake clerk signed in,
    when they press "add a site" twice on the new-application form,
    then two more numbered site rows appear, and the browser reports no CSP violation."""
    new_staff(server_url, "受理员", ["intake"], "clerk")
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(TIMEOUT_MS)
    violations = _watch_violations(page)
    page.goto(f"{server_url}/sign-in")
    page.fill("input[name=sign_in_name]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{server_url}/")
    page.goto(f"{server_url}/applications/new")
    rows = page.locator("#sites .site-row")
    before = rows.count()
    for added in (1, 2):
        page.click("#add-site")
        # no wait_for_function: the policy under test admits no eval
        expect(rows).to_have_count(before + added)
    names = [rows.nth(i).locator("input").first.get_attribute("id") for i in range(rows.count())]
    assert len(set(names)) == len(names), names  # each new row numbered after the others
    assert violations == []


def test_swagger_ui_renders_offline_under_the_policy(server_url: str, browser: Any) -> None:
    """Given the server (and no CDN),
    when /docs is opened,
    then Swagger UI lists the API's operations and the browser reports no CSP violation."""
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    violations = _watch_violations(page)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server_url)
            and not r.url.startswith(("data:", "blob:")) else None)  # fmt: skip
    page.goto(f"{server_url}/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 50
    assert violations == []
    assert outside == []
