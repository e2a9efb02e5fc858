"""One application from intake to a certificate on the public verification page, in a real
browser, each step by its own staff member signed in through the sign-in form (issue 8, item 9).

Today is pinned to 2026-11-28. Every page the walk visits is screenshotted (test-artifacts/) and
checked to fit a 375 px wide phone screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.api.test_decisions_api import uscc
from tests.browser.staff_walk import ADMIN, Walk, new_staff

CCAA = {"valid_from": "2020-01-01", "valid_until": "2030-12-31"}
USCC = uscc(901)
NAME = "福州走查家电服务有限公司"


def pdf(name: str) -> dict[str, Any]:
    """A small PDF file as the browser uploads it."""
    return {"name": name, "mimeType": "application/pdf",
            "buffer": f"%PDF-1.4 {name} %%EOF".encode()}  # fmt: skip


def test_an_application_walks_from_intake_to_the_public_register(
    browser: Any, server_url: str, artifacts: Path
) -> None:
    """Given five staff members, each with a password,
    when intake receives an application with its documents, reviews and contracts it; the
    planner plans the initial audit from home; the team leader records a repair nonconformity
    with the indicator and clause pickers (the breakdown updating in place) and completes the
    audit; and the decision maker grants from home,
    then the certificate is valid on the public verification page, and each page's screenshot
    is kept."""
    base = server_url
    new_staff(base, "王敏", ["intake"], "wangmin")
    new_staff(base, "李强", ["planner"], "liqiang")
    leader = new_staff(base, "赵组长", ["auditor"], "zhaozuzhang",
                       ccaa_registration={**CCAA, "number": "CCAA-WALK-1"})  # fmt: skip
    auditor = new_staff(base, "钱审查", ["auditor"], "qianshencha",
                        ccaa_registration={**CCAA, "number": "CCAA-WALK-2"})  # fmt: skip
    new_staff(base, "张伟", ["decision_maker"], "zhangwei")
    walk = Walk(browser, base, artifacts)

    # intake: the application with its documents, the review, the contract
    page = walk.as_user("wangmin")
    page.goto(f"{base}/applications/new")
    page.fill("#name", NAME)
    page.fill("#uscc", USCC)
    page.fill("#address", "福州市鼓楼区走查路 1 号")
    page.fill("#contact_name", "陈联系")
    page.fill("#contact_phone", "13900000001")
    page.fill("#contact_email", "service@walk.example.cn")
    page.fill("#scope", "家用电器的销售及售后服务")
    page.fill("#effective_headcount", "300")
    page.set_input_files("#document_application_form", pdf("申请书.pdf"))
    page.set_input_files("#document_legal_status", pdf("营业执照.pdf"))
    page.fill("#received_on", "2026-11-20")
    walk.shot(page, "application-new")
    page.click("#submit-application")
    page.wait_for_url(f"{base}/applications/*")
    application_id = page.url.rsplit("/", 1)[-1]
    walk.shot(page, "application-received")
    page.check("#outcome-accepted")
    page.fill("#reviewed_on", "2026-11-21")
    walk.submit(page, "#submit-review", "#contract-form")
    page.fill("#number", "HT-2026-0901")
    page.fill("#signed_on", "2026-11-22")
    walk.submit(page, "#submit-contract", "#contract-number")
    walk.shot(page, "application-contracted")
    walk.sign_out(page)

    # planner: from home to the plan
    page = walk.as_user("liqiang")
    walk.shot(page, "home-planner")
    page.click(f"#work-to-plan a[href='/audits/new?application_id={application_id}']")
    page.wait_for_selector("#plan-form")
    assert page.locator("#required-days").inner_text().strip()
    page.select_option("#type", "initial")
    page.fill("#start_on", "2026-11-22")  # three days: 3 days a member fit (rules.md §12)
    page.fill("#end_on", "2026-11-24")
    page.select_option("#team_user_id-0", leader)
    page.select_option("#team_role-0", "leader")
    page.fill("#team_days-0", "3")
    page.select_option("#team_user_id-1", auditor)
    page.select_option("#team_role-1", "auditor")
    page.fill("#team_days-1", "3")
    page.fill("#onsite_days", "6")
    for layer in ("service_management", "service_execution", "customer_feedback"):
        page.check(f"#layers input[value={layer}]")
    page.fill("#justification", "按组织规模安排")
    walk.shot(page, "audit-plan")
    walk.submit(page, "#plan-submit", "#audit-status")
    audit_id = page.url.rsplit("/", 1)[-1]
    walk.sign_out(page)

    # team leader: a finding picked from the catalogue, the breakdown updating, completion
    page = walk.as_user("zhaozuzhang")
    page.click(f"#work-to-complete a[href='/audits/{audit_id}']")
    page.wait_for_selector("#finding-form")
    assert page.locator("#total-score").inner_text().strip() == "100.00"
    page.select_option("#indicator", "4.3.2.4")
    page.wait_for_selector("#clause option[value='4.3.2.4.3']", state="attached")
    assert page.locator("#clause-texts").is_visible()  # the clause texts, Chinese and English
    page.select_option("#clause", "4.3.2.4.3")
    page.select_option("#kind", "nonconformity")
    page.fill("#evidence", "维修记录缺失")
    url_before = page.url
    page.click("#finding-submit")
    # the pages' CSP admits no eval, so no wait_for_function: wait on the element's text
    expect(page.locator("#total-score")).to_have_text("90.00")
    assert page.url == url_before  # swapped in place by htmx, no reload
    assert "维修记录缺失" in page.locator("#findings-table").inner_text()
    walk.shot(page, "audit-finding")
    page.fill("#completed_on", "2026-11-24")
    walk.submit(page, "#completion-submit", "#result-score")
    assert page.locator("#result-score").inner_text().strip() == "90.00"
    walk.shot(page, "audit-completed")
    page.click("#report-link")
    page.wait_for_load_state()
    assert NAME in page.content()
    page.screenshot(path=str(artifacts / "audit-report.png"), full_page=True)
    page.go_back()
    walk.sign_out(page)

    # decision maker: from home to the grant, then the certificate
    page = walk.as_user("zhangwei")
    walk.shot(page, "home-decision-maker")
    page.click(f"#work-awaiting-decision a[href='/decisions/new?audit_id={audit_id}']")
    page.wait_for_selector("#decision-form")
    walk.shot(page, "decision-form")
    page.check("#outcome-grant")
    page.fill("#reasons", "审查通过，予以认证")
    page.fill("#decided_on", "2026-11-26")
    walk.submit(page, "#decide-button", "#certificate-link")
    number = page.locator("#certificate-link").inner_text().strip()
    walk.shot(page, "decision-granted")
    page.click("#certificate-link")
    page.wait_for_selector("#certificate-status")
    walk.shot(page, "certificate")
    walk.sign_out(page)

    # the public: the verification page the certificate's QR code opens
    page = walk.as_user(None)
    response = page.goto(f"{base}/verify/{number}")
    assert response is not None and response.status == 200
    assert page.locator("#status").get_attribute("data-status") == "valid"
    assert page.locator("#status").inner_text().splitlines()[0].strip() == "有效"
    assert NAME in page.content()
    walk.shot(page, "verify")

    # and the API agrees: a four-star certificate issued on the decision day
    record = httpx.get(f"{base}/api/v1/certificates/{number}", headers=ADMIN, timeout=30).json()
    assert (record["status"], record["grade"], record["issued_on"]) == (
        "valid", "four_star", "2026-11-26")  # fmt: skip
    assert len(walk.shots) >= 16
