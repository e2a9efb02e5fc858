"""What staff read is Chinese first: codes as labels, events told as sentences, times in China
time, one term per thing (审查 for an audit) — and the compliance officer's timeline links open,
retention rows show 处置 only when disposal is allowed, and the organization search finds
applicants not (yet) certified (issue 19 items 8 and 10)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.pages.support import ADMIN, sign_in, staff_member
from tests.pages.test_public_pages import visible_text

CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\.[A-Z][a-zA-Z]+\b")
"""An event's class name (Certificate.Withdrawn)."""
SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b(?!\.)")
"""A code as the records keep it (suspension_expired_unresolved, five_star); not a file's name
(application_form.pdf is what the organization uploaded)."""


def read_text(html: str) -> str:
    """What a person reads on a staff page: the visible text of <main>, without the raw records
    kept one click away in closed <details> blocks."""
    main = html.split('<main id="main"', 1)[-1]
    return visible_text(re.sub(r"<details[^>]*>.*?</details>", "", main, flags=re.S))


@pytest.fixture
def office(client: TestClient) -> LifecycleOffice:
    """Staff acting over the API to build the organization's records."""
    return LifecycleOffice(client, ADMIN)


@pytest.fixture
def withdrawn(office: LifecycleOffice) -> tuple[str, str]:
    """An organization certified 2025-06-10, surveilled 2026-05-10, suspended from 2026-07-02
    and withdrawn by the sweep when the suspension ran out unresolved: (uscc, number)."""
    code = uscc(611)
    number = office.certificate(code, "2025-06-10")
    office.surveil(number, "2026-05-10")
    body = {"reason": "licence_lapsed", "verified_on": "2026-07-01", "effective_on": "2026-07-02"}
    answer = office.post(f"/certificates/{number}/suspension", body, office.decider)
    assert answer.status_code == 200, answer.text
    office.sweep("2026-10-02")
    assert office.cert(number)["status"] == "withdrawn"
    return code, number


def compliance_officer(client: TestClient) -> None:
    """A compliance officer signed in to the pages."""
    staff_member(client, "合规专员小林", ["compliance_officer"], "xiaolin")
    sign_in(client, "xiaolin")


def test_the_timeline_tells_each_event_in_chinese_with_the_raw_record_one_click_away(
    client: TestClient, withdrawn: tuple[str, str]
) -> None:
    """Given an organization whose certificate was withdrawn when its suspension ran out,
    when a compliance officer reads its timeline,
    then the withdrawal reads 证书撤销 · 因暂停期满仍未整改 with its facts as a sentence, the
    suspension 证书暂停 · 因许可资质证明失效…, the audit 审查完成; no class name or snake_case
    code is in what they read; each event's stored fields are in a closed <details> block; and
    the recorded time is China time (UTC+8)."""
    code, _ = withdrawn
    compliance_officer(client)

    page = client.get(f"/organizations/{code}")

    assert page.status_code == 200
    text = read_text(page.text)
    assert "证书撤销 · 因暂停期满仍未整改" in text
    assert "自 2026-10-02 起撤销" in text
    assert "证书暂停 · 因许可资质证明失效且正在申请换证" in text
    assert "自 2026-07-02 起暂停 3 个月，至 2026-10-01" in text
    assert "审查完成 · 通过" in text and "颁发证书 · 五星级" in text
    assert "监督审查通过" in text
    assert not CLASS_NAME.search(text), CLASS_NAME.search(text)
    assert not SNAKE_CODE.search(text), SNAKE_CODE.search(text)
    raw = re.findall(r'<details class="raw-event">(.*?)</details>', page.text, re.S)
    assert any("Certificate.Withdrawn" in block and "suspension_expired_unresolved" in block
               for block in raw)  # fmt: skip
    stamps = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', page.text)
    assert stamps
    for stored, shown in stamps:
        china = datetime.fromisoformat(stored) + timedelta(hours=8)
        assert shown == china.strftime("%Y-%m-%d %H:%M:%S"), (stored, shown)
    options = re.search(r'<select id="timeline-type".*?</select>', page.text, re.S)
    assert options is not None and "证书撤销" in options.group(0)
    assert not CLASS_NAME.search(visible_text(options.group(0)))


def test_every_link_on_the_compliance_officer_s_timeline_opens_with_the_menu(
    client: TestClient, withdrawn: tuple[str, str]
) -> None:
    """Given the organization's timeline as a compliance officer reads it,
    when they follow each record's link (application, audits, certificate),
    then each page opens (200) and keeps the menu; none is 403."""
    code, _ = withdrawn
    compliance_officer(client)
    page = client.get(f"/organizations/{code}").text
    events = page.split('id="events"', 1)[1]
    links = sorted(set(re.findall(r'href="(/(?:applications|audits|certificates|appeals)/[^"#?]+)"',
                                  events)))  # fmt: skip
    assert any(link.startswith("/applications/") for link in links)
    assert any(link.startswith("/audits/") for link in links)
    assert any(link.startswith("/certificates/") for link in links)

    for link in links:
        opened = client.get(link)
        assert opened.status_code == 200, (link, opened.status_code)
        assert 'aria-label="主菜单"' in opened.text, link


def test_a_page_a_role_may_not_open_names_the_roles_in_chinese_and_keeps_the_menu(
    client: TestClient,
) -> None:
    """Given an appeals officer signed in, when they open the applications list (intake,
    planning and compliance only), then 403 with the roles named in Chinese and their menu."""
    staff_member(client, "申诉专员", ["appeals_officer"], "shensu")
    sign_in(client, "shensu")

    page = client.get("/applications")

    assert page.status_code == 403
    text = read_text(page.text)
    assert "受理人员" in text and "合规专员" in text
    assert not SNAKE_CODE.search(text) and "intake" not in text
    assert 'aria-label="主菜单"' in page.text and 'href="/appeals"' in page.text


def test_work_lists_and_the_menu_use_chinese_labels_and_one_term_for_an_audit(
    client: TestClient, office: LifecycleOffice
) -> None:
    """Given an application awaiting review and a completed initial audit awaiting a decision,
    when the intake clerk and the decision maker open their home pages,
    then statuses and audit types read in Chinese (待评审, 初次认证审查), the menu and lists
    call the audit 审查 (never 审核), and no snake_case code is shown."""
    assert office.application(uscc(621), "2026-11-20").status_code == 201
    app_id = office.contracted(office.application(uscc(622), "2026-11-20"), "2026-11-20")
    audit_id = office.plan({"application_id": app_id}, "initial", "2026-11-24").json()["id"]
    office.complete(audit_id, "2026-11-24")
    staff_member(client, "受理员小王", ["intake"], "xiaowang")
    staff_member(client, "决定人老张", ["decision_maker", "planner"], "laozhang")

    sign_in(client, "xiaowang")
    intake = client.get("/").text
    sign_in(client, "laozhang")
    decider = client.get("/").text

    assert "待评审" in read_text(intake)
    assert "初次认证审查" in read_text(decider)
    for html in (intake, decider):
        assert "审核" not in visible_text(html)
        assert not SNAKE_CODE.search(read_text(html)), SNAKE_CODE.search(read_text(html))
    assert ">审查<" in decider  # the menu


def test_a_retention_row_not_eligible_shows_no_dispose_button(
    client: TestClient, office: LifecycleOffice
) -> None:
    """Given a live certificate (its cycle not ended: not eligible for disposal),
    when the compliance officer reads the retention schedule,
    then its row offers no 处置 button, only why not."""
    code = uscc(631)
    office.certificate(code, "2026-01-10")
    compliance_officer(client)

    page = client.get("/retention", params={"uscc": code})

    assert page.status_code == 200
    rows = re.findall(r'<tr id="row-[^"]+" data-key="[^"]+" data-eligible="no">(.*?)</tr>',
                      page.text, re.S)  # fmt: skip
    assert rows
    for row in rows:
        assert 'class="button' not in row and ">处置<" not in row
        assert "查看原因" in row


def test_the_organization_search_finds_applicants_not_yet_certified(
    client: TestClient, office: LifecycleOffice
) -> None:
    """Given an organization that has only applied (福州某电器有限公司, no certificate),
    when a staff member searches organizations by part of its name,
    then it is listed as an applicant not (yet) certified, linking to its page."""
    code = uscc(641)
    assert office.application(code, "2026-11-20").status_code == 201
    staff_member(client, "受理员小王", ["intake"], "xiaowang")
    sign_in(client, "xiaowang")

    page = client.get("/organizations", params={"q": "某电器"})

    assert page.status_code == 200
    applicants = re.search(r'<table id="applicants">(.*?)</table>', page.text, re.S)
    assert applicants is not None
    assert f'href="/organizations/{code}"' in applicants.group(1)
    assert "福州某电器有限公司" in applicants.group(1) and "待评审" in applicants.group(1)


def test_any_staff_member_reads_the_application_and_audit_other_pages_link_to(
    client: TestClient, office: LifecycleOffice
) -> None:
    """Given a certificate, and an intake clerk and an appeals officer signed in,
    when each follows the organization page's link to the application and the certificate
    page's links to the audit and its evaluation report,
    then each opens (200, as the API lets any staff member read them) without the forms that
    belong to other roles."""
    code = uscc(651)
    number = office.certificate(code, "2026-11-20")
    audit_id = office.cert(number)["audit_id"]
    staff_member(client, "受理员小王", ["intake"], "xiaowang")
    staff_member(client, "申诉专员", ["appeals_officer"], "shensu")

    for who in ("xiaowang", "shensu"):
        sign_in(client, who)
        organization = client.get(f"/organizations/{code}").text
        application = re.search(r'href="(/applications/[0-9a-f-]{36})"', organization)
        assert application is not None
        for link in (application.group(1), f"/audits/{audit_id}", f"/audits/{audit_id}/report"):
            opened = client.get(link)
            assert opened.status_code == 200, (who, link, opened.status_code)
        audit = client.get(f"/audits/{audit_id}").text
        assert 'id="finding-form"' not in audit and "/complete" not in audit


def test_the_certificate_page_gives_recorded_times_in_china_time(
    client: TestClient, office: LifecycleOffice
) -> None:
    """Given a certificate issued and then suspended,
    when a staff member reads its page,
    then each change's recorded time is the stored UTC moment shown in China time (UTC+8)."""
    code = uscc(661)
    number = office.certificate(code, "2026-11-20")
    body = {"reason": "licence_lapsed", "verified_on": "2026-11-25", "effective_on": "2026-11-25"}
    suspended = office.post(f"/certificates/{number}/suspension", body, office.decider)
    assert suspended.status_code == 200, suspended.text
    history = office.get(f"/organizations/{code}/history", office.compliance)
    stored = [e["recorded_at"] for e in history if e["type"].startswith("Certificate.")]
    compliance_officer(client)

    page = client.get(f"/certificates/{number}").text

    shown = set(re.findall(r'<td class="muted">(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)</td>', page))
    expected = {
        (datetime.fromisoformat(at) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
        for at in stored
    }
    assert shown and shown == expected


def test_a_complaint_calls_its_author_the_complainant(
    client: TestClient, office: LifecycleOffice
) -> None:
    """Given a complaint about a certificate (not an appeal),
    when the appeals officer opens it,
    then its author is 投诉人 (the complainant) and the notice goes 给投诉人, never 申诉人."""
    number = office.certificate(uscc(671), "2026-11-20")
    officer_id, officer = office.user("申诉专员赵丽", "appeals_officer")
    complaint = {"kind": "complaint", "subject": {"certificate_number": number},
                 "appellant": {"name": "消费者孙女士", "contact": "13900000002"},
                 "received_on": "2026-11-26", "text": "门店维修超期未处理。"}  # fmt: skip
    received = office.post("/appeals", complaint, officer)
    assert received.status_code == 201, received.text
    client.post(f"/api/v1/users/{officer_id}/password", headers=ADMIN,
                json={"sign_in_name": "zhaoli", "password": "a long test password"})  # fmt: skip
    sign_in(client, "zhaoli")

    page = client.get(f"/appeals/{received.json()['id']}")

    assert page.status_code == 200
    text = read_text(page.text)
    assert "投诉人" in text and "申诉人" not in text
