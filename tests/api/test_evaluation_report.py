"""The evaluation report over HTTP (rules.md §3.4; ZPIC-WF-20 4.5): JSON, HTML and PDF.

The PDF's text is read back with poppler's `pdftotext` (Debian poppler-utils), which
`make test` installs.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.routes.reports import negotiate
from domain.rulebook.catalogue import CLAUSES_BY_ID, INDICATORS
from domain.rulebook.version import RULEBOOK_VERSION
from tests.api.conftest import API
from tests.api.test_decisions_api import (
    COMPLETED_ON,
    CONTACT,
    END_ON,
    SCOPE,
    START_ON,
    CertificationOffice,
    uscc,
)
from tests.conftest import TODAY

ORG_NAME = "福州报告测试电器有限公司"
REPAIR_EVIDENCE = "维修记录缺失：2026年10月的上门维修单未归档"
COMPLAINT_EVIDENCE = "抽查投诉档案20份，3份未记录处理结果"
DEDUCTION_EVIDENCE = "三包凭证未载明维修期限，违反《部分商品修理更换退货责任规定》"
BONUS_EVIDENCE = "延保期限高于国家三包规定，处于行业领先"


class ReportOffice(CertificationOffice):
    """The certification body's staff, with a trainee on the team, building audits to report."""

    def __init__(self, client: TestClient, admin_headers: dict[str, str]) -> None:
        super().__init__(client, admin_headers)
        self.trainee_id, self.trainee = self.user("实习审查员孙八", "auditor")
        response = self.client.post(
            f"{API}/documents",
            files={"file": ("sites.pdf", b"%PDF-1.4 multi_site_list", "application/pdf")},
            headers=self.intake,
        )
        assert response.status_code == 201, response.text
        sites = {"kind": "multi_site_list", "filename": "sites.pdf"}
        self.documents = [*self.documents, {**sites, "sha256": response.json()["sha256"]}]

    def audit_with_trainee(self, n: int, name: str) -> str:
        """An initial audit of an organization with 10 service sites (4 sampled), a trainee
        on the team."""
        app_id = self.contracted_application(uscc(n), name, sites=10)
        body = {
            "application_id": app_id,
            "type": "initial",
            "start_on": START_ON,
            "end_on": END_ON,
            "team": [
                {"user_id": self.leader_id, "role": "leader", "days": "1.5"},
                {"user_id": self.auditor_id, "role": "auditor", "days": "1.5"},
                {"user_id": self.trainee_id, "role": "trainee", "days": "2"},
            ],
            "onsite_days": "2.4",
        }
        response = self.client.post(f"{API}/audits", json=body, headers=self.planner)
        assert response.status_code == 201, response.text
        return response.json()["id"]  # type: ignore[no-any-return]

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        response = self.client.post(f"{API}{path}", json=body, headers=headers or self.auditor)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def example_2_audit(self) -> tuple[str, str]:
        """rules.md §3.3 example 2 (88.50, three_star), with one special deduction and the
        bonus (−1 + 1), and a trainee's finding not yet approved (not counted). Completed.
        Returns the audit id and the deduction's corrective action id."""
        audit_id = self.audit_with_trainee(1, ORG_NAME)
        self.post(
            f"/audits/{audit_id}/findings",
            {
                "indicator": "4.3.2.4",
                "clause": "4.3.2.4.3",
                "kind": "nonconformity",
                "evidence": REPAIR_EVIDENCE,
            },
        )
        self.post(
            f"/audits/{audit_id}/findings",
            {
                "indicator": "4.3.3.2",
                "clause": "4.3.3.2.1",
                "kind": "sampled",
                "sampled": 20,
                "nonconforming": 3,
                "evidence": COMPLAINT_EVIDENCE,
            },
        )
        self.post(
            f"/audits/{audit_id}/findings",
            {
                "indicator": "4.3.1.5",
                "clause": "4.3.1.5.1",
                "kind": "nonconformity",
                "evidence": "实习审查员记录：监督记录不全",
            },
            headers=self.trainee,
        )
        action = self.post(
            f"/audits/{audit_id}/special-deductions",
            {"category": "law", "evidence": DEDUCTION_EVIDENCE},
        )["corrective_action_id"]
        self.post(f"/audits/{audit_id}/special-bonus", {"evidence": BONUS_EVIDENCE})
        score = self.complete(audit_id)
        assert (score["score"], score["grade"]) == ("88.50", "three_star")
        return audit_id, action

    def example_3_audit_open(self) -> str:
        """rules.md §3.3 example 3 with three special deductions (89.55), not completed."""
        audit_id = self.audit_with_trainee(2, "福州报告测试软件有限公司")
        for indicator, reason in (
            ("4.3.2.3", "无形产品，不涉及配送 / intangible product: no delivery"),
            ("4.3.2.6", "软件服务，无废弃商品 / software service: nothing to take back"),
        ):
            self.post(f"/audits/{audit_id}/exclusions", {"indicator": indicator, "reason": reason})
        self.post(
            f"/audits/{audit_id}/findings",
            {
                "indicator": "4.3.1.5",
                "clause": "4.3.1.5.2",
                "kind": "nonconformity",
                "evidence": "未开展服务监督检查",
            },
        )
        for category in ("law", "industry", "system_operation"):
            self.post(
                f"/audits/{audit_id}/special-deductions",
                {"category": category, "evidence": f"证据 {category}"},
            )
        return audit_id


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> ReportOffice:
    """The certification body's staff on a fresh server."""
    return ReportOffice(client, admin_headers)


def get_report(office: ReportOffice, audit_id: str, accept: str | None = None) -> Any:
    headers = {**office.decision_maker}
    if accept is not None:
        headers["Accept"] = accept
    response = office.client.get(f"{API}/audits/{audit_id}/report", headers=headers)
    assert response.status_code == 200, response.text
    assert "Accept" in response.headers["vary"]
    return response


def pdf_text(content: bytes, tmp_path: Any) -> str:
    """The text of a PDF, as poppler's pdftotext reads it (Debian poppler-utils)."""
    assert shutil.which("pdftotext"), "pdftotext is needed: install Debian poppler-utils"
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


# -- JSON -------------------------------------------------------------------------------------


def test_the_json_report_of_a_completed_audit_has_every_item_of_4_5(
    office: ReportOffice,
) -> None:
    # given a completed audit scored 88.50 (example 2, with a deduction and the bonus)
    audit_id, action_id = office.example_2_audit()

    # when any staff user asks for its report without an Accept header
    response = get_report(office, audit_id)

    # then it is JSON with every item of rules.md §3.4
    assert response.headers["content-type"].startswith("application/json")
    r = response.json()
    assert r["audit_id"] == audit_id
    assert r["completed"] is True and r["status"] == "completed"
    assert r["status_name"] == {"zh": "审查已完成", "en": "completed"}
    assert r["generated_on"] == TODAY.isoformat()
    # organization name, address and contact
    assert r["organization"]["name"] == ORG_NAME
    assert r["organization"]["address"] == "福建省福州市鼓楼区五四路1号"
    assert r["organization"]["contact"] == CONTACT
    # certification mode, evaluation methods and layers
    mode = r["certification_mode"]
    assert mode["zh"] == "商品售后服务评价认证"
    assert mode["standard"]["code"] == "GB/T 27922-2011"
    assert mode["rules"]["code"] == "ZPIC-WF-20"
    assert [m["code"] for m in r["methods"]] == [
        "document_review",
        "staff_interviews",
        "site_observation",
        "customer_visits",
    ]
    assert r["methods"][0]["zh"] == "查阅文件和记录"
    assert [layer["zh"] for layer in r["layers"]] == ["服务管理", "服务执行", "顾客反馈"]
    # purpose, basis, scope
    assert r["audit_type"]["code"] == "initial" and r["audit_type"]["zh"] == "初次认证"
    assert "GB/T 27922-2011" in r["purpose"]["zh"] and r["purpose"]["en"]
    assert any("GB/T 27922-2011" in b["zh"] for b in r["basis"])
    assert any("ZPIC-WF-20" in b["zh"] for b in r["basis"])
    assert r["scope"] == SCOPE
    # the team, trainees marked, and nobody accompanying (none recorded → 无)
    team = {m["name"]: m for m in r["team"]}
    assert team["组长张三"]["role"] == "leader" and team["组长张三"]["days"] == "1.50"
    assert team["组长张三"]["role_name"]["zh"] == "审查组长"
    assert team["组长张三"]["registration_number"].startswith("CCAA-SC-")
    assert team["审查员李四"]["trainee"] is False
    assert team["实习审查员孙八"]["trainee"] is True and team["实习审查员孙八"]["days"] == "2.00"
    assert r["accompanying"] == [] and r["accompanying_text"] == {"zh": "无", "en": "none"}
    # dates and places: the central office and the 4 sampled sites of 10
    assert r["dates"]["start_on"] == START_ON and r["dates"]["end_on"] == END_ON
    assert r["dates"]["completed_on"] == COMPLETED_ON
    assert r["dates"]["actual_onsite_days"] == "2.40"
    assert r["places"][0]["name"] == "中心办公室"
    assert r["places"][0]["address"] == "福建省福州市鼓楼区五四路1号"
    assert [p["kind"] for p in r["places"][1:]] == ["service_site"] * 4
    # the score, its breakdown and arithmetic
    score = r["score"]
    assert score["provisional"] is False and score["final"] == "88.50"
    lines = score["breakdown"]
    assert len(lines) == 15
    assert [line["indicator"] for line in lines] == [i.id for i in INDICATORS]
    assert [line["name_zh"] for line in lines] == [i.name_zh for i in INDICATORS]
    by_id = {line["indicator"]: line for line in lines}
    assert by_id["4.3.2.4"] | {"basis": None, "group_name": None} == {
        "indicator": "4.3.2.4",
        "name_zh": "维修",
        "name_en": "repair",
        "group": "4.3.2",
        "group_name": None,
        "points": 10,
        "earned": "0.00",
        "excluded": False,
        "basis": None,
    }
    assert by_id["4.3.3.2"]["earned"] == "8.50"
    assert "3/20" in by_id["4.3.3.2"]["basis"]["zh"]
    assert by_id["4.3.1.5"]["earned"] == "7.00"  # the trainee's finding does not count
    assert by_id["4.3.1.1"]["earned"] == "4.00"
    assert not any(line["excluded"] for line in lines)
    arithmetic = score["arithmetic"]
    assert {
        k: arithmetic[k]
        for k in (
            "total_points",
            "excluded_points",
            "applicable_points",
            "earned",
            "base",
            "special_deductions",
            "deduction_points",
            "bonus",
            "bonus_points",
            "final",
            "clamped",
        )
    } == {
        "total_points": 100,
        "excluded_points": 0,
        "applicable_points": 100,
        "earned": "88.50",
        "base": "88.50",
        "special_deductions": 1,
        "deduction_points": 1,
        "bonus": 1,
        "bonus_points": 1,
        "final": "88.50",
        "clamped": False,
    }
    steps = [step["zh"] for step in arithmetic["steps"]]
    assert "涉及项分值 = 100 − 0（删减指标分值）= 100" in steps
    assert any("100 × 88.50 ÷ 100 = 88.50" in step for step in steps)
    assert any("88.50 − 1 + 1 = 88.50" in step for step in steps)
    assert score["rule"]["pass_mark"] == 70 and score["rule"]["failing_deductions"] == 5
    assert [(b["min"], b["grade"]) for b in score["rule"]["bands"]] == [
        (95, "five_star"),
        (90, "four_star"),
        (80, "three_star"),
        (70, "compliant"),
    ]
    assert score["result"]["passed"] is True and score["result"]["grade"] == "three_star"
    assert "88.50 ≥ 80 → 三星级" in score["result"]["explanation"]["zh"]
    # the findings with their clauses' text; the trainee's marked as not counted
    findings = r["findings"]
    assert [f["clause"] for f in findings] == ["4.3.2.4.3", "4.3.3.2.1", "4.3.1.5.1"]
    assert findings[0]["clause_zh"] == CLAUSES_BY_ID["4.3.2.4.3"].zh
    assert findings[0]["kind"] == "nonconformity" and findings[0]["evidence"] == REPAIR_EVIDENCE
    assert findings[1]["ratio"] == "3/20" and findings[1]["evidence"] == COMPLAINT_EVIDENCE
    assert [f["counts"] for f in findings] == [True, True, False]
    assert findings[2]["recorded_by"] == "实习审查员孙八"
    # exclusions (none), the special deduction with its corrective action, the bonus
    assert r["exclusions"] == []
    assert r["special_deductions"] == [
        {
            "number": 1,
            "category": "law",
            "category_name": {"zh": "违反法律法规", "en": "breaks laws or regulations"},
            "points": -1,
            "evidence": DEDUCTION_EVIDENCE,
            "corrective_action_id": action_id,
        }
    ]
    assert r["bonus"] == {"points": 1, "evidence": BONUS_EVIDENCE}
    # the conclusion and the team's recommendation; the rulebook version
    assert r["conclusion"]["code"] == "passed"
    assert r["conclusion"]["zh"] == "通过，三星级售后服务"
    assert r["conclusion"]["grade_name"] == {"zh": "三星级", "en": "three star"}
    assert r["recommendation"] == {
        "code": "recommend",
        "zh": "推荐认证",
        "en": "recommended for certification",
    }
    assert r["rulebook_version"] == RULEBOOK_VERSION


def test_an_open_audit_reports_not_completed_with_its_provisional_score(
    office: ReportOffice,
) -> None:
    # given an audit not completed: two goods-service indicators excluded, a supervision
    # nonconformity and three special deductions (rules.md §3.3 example 3)
    audit_id = office.example_3_audit_open()

    # when its report is asked for
    r = get_report(office, audit_id, "application/json").json()

    # then it says not completed, shows the provisional score, and recommends nothing yet
    assert r["completed"] is False and r["status_name"]["zh"] == "审查未完成"
    assert r["conclusion"]["code"] == "not_completed" and "审查未完成" in r["conclusion"]["zh"]
    assert r["recommendation"]["code"] == "none"
    assert r["dates"]["completed_on"] is None
    score = r["score"]
    assert score["provisional"] is True and score["final"] == "89.55"
    arithmetic = score["arithmetic"]
    assert (arithmetic["excluded_points"], arithmetic["applicable_points"]) == (6, 94)
    assert (arithmetic["earned"], arithmetic["base"]) == ("87.00", "92.55")
    assert arithmetic["special_deductions"] == 3
    assert any("100 × 87.00 ÷ 94 = 92.55" in s["zh"] for s in arithmetic["steps"])
    assert any("92.55 − 3 + 0 = 89.55" in s["zh"] for s in arithmetic["steps"])
    assert score["result"]["grade"] == "three_star"
    excluded = {line["indicator"] for line in score["breakdown"] if line["excluded"]}
    assert excluded == {"4.3.2.3", "4.3.2.6"}
    assert [(e["indicator"], e["name_zh"], e["points"]) for e in r["exclusions"]] == [
        ("4.3.2.3", "配送", 4),
        ("4.3.2.6", "废弃商品回收", 2),
    ]
    assert r["exclusions"][0]["reason"].startswith("无形产品")
    assert [d["category"] for d in r["special_deductions"]] == [
        "law",
        "industry",
        "system_operation",
    ]
    assert r["bonus"] is None

    # and the HTML says so too
    html = get_report(office, audit_id, "text/html").text
    assert "审查未完成" in html and "89.55" in html and "无形产品" in html


# -- HTML -------------------------------------------------------------------------------------


def test_a_browser_gets_the_printable_html_report(office: ReportOffice) -> None:
    # given a completed audit scored 88.50
    audit_id, _ = office.example_2_audit()

    # when a browser asks for the report
    response = get_report(
        office,
        audit_id,
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )

    # then it is the HTML report, Chinese first, with the breakdown and the findings
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert ORG_NAME in html and "三星级" in html and "88.50" in html
    assert "推荐认证" in html and "中心办公室" in html and RULEBOOK_VERSION in html
    for indicator in INDICATORS:
        assert indicator.name_zh in html, indicator.id
    assert CLAUSES_BY_ID["4.3.2.4.3"].zh in html
    assert "100 × 88.50 ÷ 100 = 88.50" in html


def test_the_html_report_escapes_what_was_recorded(office: ReportOffice) -> None:
    # given an audit whose finding's evidence contains markup
    audit_id = office.audit_with_trainee(3, "福州转义测试有限公司")
    office.post(
        f"/audits/{audit_id}/findings",
        {
            "indicator": "4.3.2.4",
            "clause": "4.3.2.4.1",
            "kind": "nonconformity",
            "evidence": "<script>alert(1)</script> & 记录",
        },
    )

    # when the HTML report is rendered
    html = get_report(office, audit_id, "text/html").text

    # then the evidence is shown as text, never as markup
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 记录" in html


# -- PDF --------------------------------------------------------------------------------------


def test_the_pdf_report_carries_the_score_in_chinese(office: ReportOffice, tmp_path: Any) -> None:
    # given a completed audit scored 88.50
    audit_id, _ = office.example_2_audit()

    # when a PDF is asked for
    response = get_report(office, audit_id, "application/pdf")

    # then it is a PDF whose text holds the organization, the score and the conclusion
    assert response.headers["content-type"] == "application/pdf"
    assert "inline" in response.headers["content-disposition"]
    content = response.content
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "88.50" in text
    assert ORG_NAME in text and "三星级" in text and "推荐认证" in text
    # and its font is embedded (a TrueType subset), never left to the viewer
    assert b"/FontFile2" in content and b"STSong" not in content


# -- access and negotiation -------------------------------------------------------------------


def test_the_report_needs_a_staff_token_and_a_known_audit(
    office: ReportOffice, client: TestClient
) -> None:
    # given a planned audit
    audit_id = office.audit_with_trainee(4, "福州权限测试有限公司")

    # when it is asked for without a token, or for an unknown audit
    anonymous = client.get(f"{API}/audits/{audit_id}/report")
    unknown = client.get(
        f"{API}/audits/00000000-0000-4000-8000-000000000000/report",
        headers=office.decision_maker,
    )

    # then 401 and 404
    assert anonymous.status_code == 401
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        ("text/html", "text/html"),
        ("text/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/pdf", "application/pdf"),
        ("application/*", "application/json"),
        ("application/pdf;q=0.5, text/html;q=0.4", "application/pdf"),
        ("application/json;q=0.1, application/pdf", "application/pdf"),
        ("image/png", "application/json"),
        ("text/html;q=nonsense", "application/json"),
        ("*/*;q=0.1, application/json;q=0", "text/html"),
    ],
)
def test_the_accept_header_chooses_the_format(accept: str | None, chosen: str) -> None:
    # given an Accept header / when negotiated / then the preferred offered type
    assert negotiate(accept) == chosen


# -- report number, date and signatures (4.5) -------------------------------------------------


def test_the_report_has_a_number_a_date_and_signature_lines_for_the_team(
    office: ReportOffice, tmp_path: Any
) -> None:
    """Given an audit completed on 2026-11-11 by leader 组长张三, auditor 审查员李四 and a
    trainee, when its report is asked for as JSON and PDF,
    then it carries a report number (PJBG, the date, the audit), is dated 2026-11-11, and ends
    with signature lines for the leader first, then each member; the pages say "第 1 页 共"."""
    audit_id, _ = office.example_2_audit()

    report = get_report(office, audit_id).json()
    text = pdf_text(get_report(office, audit_id, "application/pdf").content, tmp_path)
    html = get_report(office, audit_id, "text/html").text

    number = f"PJBG-20261111-{audit_id[:8].upper()}"
    assert (report["report_number"], report["report_date"]) == (number, COMPLETED_ON)
    assert [(m["name"], m["role"]) for m in report["signatures"]] == [
        ("组长张三", "leader"),
        ("审查员李四", "auditor"),
        ("实习审查员孙八", "trainee"),
    ]
    for shown in (text, html):
        assert number in shown and "十二、审查组签字" in shown
        assert shown.index("十二、审查组签字") < shown.rindex("组长张三")
        assert "签字" in shown and "实习审查员孙八" in shown
    assert "第 1 页 共" in text


def test_an_unfinished_audits_report_is_an_undated_draft(office: ReportOffice) -> None:
    """Given an audit not yet completed, when its report is asked for, then it has a number
    (from its start date) but no date, and says it is a draft."""
    audit_id = office.example_3_audit_open()

    report = get_report(office, audit_id).json()
    html = get_report(office, audit_id, "text/html").text

    assert report["report_number"] == f"PJBG-20261110-{audit_id[:8].upper()}"
    assert report["report_date"] is None
    assert "草稿（审查未完成）" in html
