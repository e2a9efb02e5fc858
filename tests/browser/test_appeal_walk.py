"""One appeal from receipt to its resolution, in a real browser, each step by its own staff
member signed in through the sign-in form (issue 8, item 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.api.test_appeals_api import AppealsDesk
from tests.api.test_decisions_api import uscc
from tests.browser.staff_walk import ADMIN, Walk, give_password


def test_an_appeal_against_a_refusal_walks_to_its_resolution(
    browser: Any, server_url: str, artifacts: Path
) -> None:
    """Given a refusal decided on 2026-10-10 (through the API) and two appeals officers,
    when officer 甲 receives the applicant's appeal, acknowledges it and assigns officer 乙, and
    乙 finds it on their home page, records a note and resolves it with a notice that is then sent,
    then every page shows what was done, the case ends closed, the notice can be read, and a
    screenshot of each page is kept."""
    with httpx.Client(base_url=server_url, timeout=60) as api:
        desk = AppealsDesk(api, ADMIN)  # type: ignore[arg-type]
        decision_id, _ = desk.refused_decision(uscc(801))
    give_password(server_url, desk.officer_id, "jia")
    give_password(server_url, desk.handler_id, "yi")
    walk = Walk(browser, server_url, artifacts)

    # officer 甲 receives the appeal, acknowledges it and assigns 乙
    page = walk.as_user("jia")
    page.goto(f"{server_url}/appeals/new?decision_id={decision_id}")
    walk.shot(page, "appeal-new")
    page.fill("#appellant_name", "福州某电器有限公司")
    page.fill("#appellant_contact", "13900000000")
    page.fill("#received_on", "2026-11-20")
    page.fill("#text", "对不予认证决定有异议：维修记录已补充。")
    page.click("#receive-appeal")
    page.wait_for_url(f"{server_url}/appeals/*")
    appeal_id = page.url.rsplit("/", 1)[-1].split("#")[0]
    walk.shot(page, "appeal-received")
    assert "2027-01-19" in page.locator("#due").inner_text()  # 60 days after receipt
    page.fill("#acknowledged_on", "2026-11-21")
    walk.submit(page, "#acknowledge", "#acknowledged-on")
    walk.shot(page, "appeal-acknowledged")
    page.check(f"#handler-{desk.handler_id}")
    page.fill("#assigned_on", "2026-11-21")
    walk.submit(page, "#assign", "#handlers")
    assert "申诉专员乙" in page.locator("#handlers").inner_text()
    walk.shot(page, "appeal-assigned")
    walk.sign_out(page)

    # officer 乙 finds it at home, investigates and resolves it
    page = walk.as_user("yi")
    home_row = page.locator(f"#work-appeals a[href='/appeals/{appeal_id}']")
    assert home_row.count() == 1
    walk.shot(page, "home-appeals-officer")
    home_row.click()
    page.wait_for_url(f"{server_url}/appeals/{appeal_id}")
    assert page.locator("#then-and-now").is_visible()
    page.fill("#note-text", "复核维修记录：补充材料属实。")
    page.fill("#noted_on", "2026-11-25")
    walk.submit(page, "#record-note", "#notes-list")
    walk.shot(page, "appeal-note")
    page.check("#outcome-rejected")
    page.fill("#resolved_on", "2026-11-27")
    page.fill("#notice-text", "经复核，原决定依据充分，申诉不成立。")
    walk.submit(page, "#resolve", "#resolution-done")
    walk.shot(page, "appeal-resolved")
    page.click("#notice-link")
    page.wait_for_load_state()
    assert "申诉不成立" in page.content()
    page.screenshot(path=str(artifacts / "appeal-notice.png"), full_page=True)
    page.go_back()
    page.fill("#sent_on", "2026-11-28")
    walk.submit(page, "#send-notice", "#notice-sent-on")
    walk.shot(page, "appeal-closed")
    walk.sign_out(page)

    # the case is closed, as the API reads it
    case = httpx.get(f"{server_url}/api/v1/appeals/{appeal_id}",
                     headers={"Authorization": f"Bearer {desk.officer['Authorization'][7:]}"})
    assert case.status_code == 200, case.text
    assert case.json()["status"] == "closed"
    assert case.json()["resolution"]["outcome"] == "rejected"
    assert len(walk.shots) >= 9
