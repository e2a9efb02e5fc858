"""Each role's home, the timeline and the public pages read in Chinese in a real browser (issue
19): labels, never a class name (Certificate.Withdrawn) or a code as the records keep it
(five_star), on a phone-sized screen; the raw event is one click away for compliance.

The records are built through the HTTP API of a running server (tests/browser/scenario.py);
Debian's chromium, driven by playwright, signs each staff member in through the form.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.browser.scenario import SIGN_IN_NAMES, Scenario, build_scenario
from tests.browser.staff_walk import Walk

CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\.[A-Z][a-zA-Z]+\b")
SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b(?!\.)")
"""A code as the records keep it; not a file's name (application_form.pdf)."""

HOMES = {
    "intake": ["待评审的申请", "待评审"],
    "planner": ["待策划的审查", "90 天内到期的监督审查"],
    "auditor": ["待完成的审查"],
    "decision_maker": ["待作出认证决定", "初次认证审查", "30 天内结束的暂停"],
    "appeals_officer": ["申诉与投诉", "投诉", "已收到", "提出人"],
    "compliance_officer": ["合规例外"],
}
"""What each role's home must say (its lists, and labels of the rows on them)."""


@pytest.fixture
def scenario(server_url: str) -> Scenario:
    """The records and staff of the walk, on the running server."""
    return build_scenario(server_url)


def assert_reads_in_chinese(text: str, where: str) -> None:
    """No class name and no snake_case code in what a person reads."""
    found = CLASS_NAME.search(text) or SNAKE_CODE.search(text)
    assert found is None, f"{where}: {found.group(0)!r} in {text[:2000]}"


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_s_home_reads_in_chinese(
    browser: Any, server_url: str, scenario: Scenario, artifacts: Path, role: str
) -> None:
    """Given the walk's records and a staff member of the role,
    when they sign in on a phone-sized browser,
    then their home lists read in Chinese (the lists' titles and the rows' labels), with no
    class name or raw code, and the page fits the screen."""
    walk = Walk(browser, server_url, artifacts)
    page = walk.as_user(SIGN_IN_NAMES[role])

    text = page.locator("main").inner_text()

    for words in HOMES[role]:
        assert words in text, (role, words, text)
    assert_reads_in_chinese(text, f"home of {role}")
    assert_reads_in_chinese(page.locator("header").inner_text(), f"menu of {role}")
    walk.shot(page, f"home-{role}")


def test_the_timeline_reads_in_chinese_and_keeps_the_raw_event_one_click_away(
    browser: Any, server_url: str, scenario: Scenario, artifacts: Path
) -> None:
    """Given an organization whose certificate was withdrawn when its suspension ran out,
    when the compliance officer opens its timeline in the browser,
    then the withdrawal reads 证书撤销 · 因暂停期满仍未整改 with its facts as a sentence, no class
    name or raw code is on the screen; opening the event's 原始记录 shows Certificate.Withdrawn;
    and the links to the audit and the application open with the menu."""
    walk = Walk(browser, server_url, artifacts)
    page = walk.as_user(SIGN_IN_NAMES["compliance_officer"])
    page.goto(f"{server_url}/organizations/{scenario.withdrawn_uscc}")

    events = page.locator("#events")
    text = events.inner_text()
    assert "证书撤销 · 因暂停期满仍未整改" in text
    assert "自 2026-10-02 起撤销" in text
    assert_reads_in_chinese(page.locator("main").inner_text(), "timeline")
    walk.shot(page, "timeline")

    withdrawal = page.locator('li.event[data-type="Certificate.Withdrawn"]')
    assert "Certificate.Withdrawn" not in withdrawal.inner_text()
    withdrawal.locator("summary").click()
    assert "Certificate.Withdrawn" in withdrawal.inner_text()
    assert "suspension_expired_unresolved" in withdrawal.inner_text()
    walk.shot(page, "timeline-raw-event")

    for kind in ("audit", "application"):
        link = page.locator(f'li.event[data-kind="{kind}"] a').first
        with page.expect_navigation():
            link.click()
        assert page.locator("nav[aria-label='主菜单']").is_visible(), page.url
        assert "无权办理" not in page.locator("main").inner_text()
        assert_reads_in_chinese(page.locator("main").inner_text(), page.url)
        walk.shot(page, f"timeline-{kind}")
        page.go_back()


def test_the_public_pages_read_on_a_phone(
    browser: Any, server_url: str, scenario: Scenario, artifacts: Path
) -> None:
    """Given a suspended certificate with two shops and a valid one with three,
    when the public opens the verification page (typed in lower case with a full-width dash)
    and searches the register on a phone,
    then the verification page explains the suspension and from when, lists the sites and the
    certification body, keeps the number on one line; the register lists both with their
    status and grade in Chinese; no raw code anywhere; both pages fit the screen."""
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.set_default_timeout(TIMEOUT_MS)
    typed = scenario.suspended.lower().replace("-", "－", 1)

    response = page.goto(f"{server_url}/verify/{typed}")

    assert response is not None and response.status == 200
    assert page.locator("#status").get_attribute("data-status") == "suspended"
    explanation = page.locator("#explanation").inner_text()
    assert "自 2026-11-20 起暂停" in explanation and "不得使用本证书" in explanation
    sites = page.locator("#sites").inner_text()
    assert "门店1" in sites and "门店2" in sites and "中心办公室" in sites
    number = page.locator("#number")
    assert number.inner_text() == scenario.suspended
    box = number.bounding_box()
    assert box is not None and box["height"] < 30, "the number broke over lines"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    text = page.locator("main").inner_text()
    assert_reads_in_chinese(text.replace("Checked on", ""), "verify")
    page.screenshot(path=str(artifacts / "verify-suspended.png"), full_page=True)

    page.goto(f"{server_url}/register?q=某电器")
    results = page.locator("#results").inner_text()
    assert scenario.suspended in results and scenario.valid in results
    assert "暂停" in results and "有效" in results and "五星级" in results
    assert_reads_in_chinese(results, "register")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "register.png"), full_page=True)
