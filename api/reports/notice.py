"""The written notice of a refused certification (ZPIC-WF-20 4.6.3–4.6.4), Chinese first.

`build_notice` gives the notice's data (JSON-ready); `render_notice_pdf` prints it as a letter
(`api.reports.letter`), the layout of the other notices to applicants and appellants.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.reports.evaluation import AUDIT_TYPES, bilingual
from api.reports.issuer import closing_lines, issuer
from api.reports.letter import Letter, render_letter_pdf
from domain.appeal import ANSWER_DAYS, ESCALATION_BODIES
from domain.audit import Audit
from domain.decision import Decision
from domain.errors import RuleViolation
from domain.rulebook.numbers import two_decimals
from domain.rulebook.scoring import FAILING_DEDUCTIONS, GRADE_NAMES, PASS_MARK

Text = dict[str, str]

TITLE: Text = {"zh": "不予认证决定通知书", "en": "Notice of refusal of certification"}

DECISION: Text = {
    "zh": "经对审查档案复核并综合评价结果，本机构决定：不予认证，不授予认证证书"
    "（ZPIC-WF-20 4.6.3、4.6.4）。不予认证的理由如下。",
    "en": "Having reviewed the audit records and the evaluation result, the CB has decided to "
    "refuse certification: no certificate is granted (ZPIC-WF-20 4.6.3, 4.6.4). The reasons "
    "follow.",
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (None if value is None else str(value))


def appeal_part() -> dict[str, Any]:
    """The applicant's right to appeal and how it is answered (ZPIC-WF-20 9)."""
    bodies = [bilingual(text) for text in ESCALATION_BODIES.values()]
    return {
        "clause": "ZPIC-WF-20 9",
        "answer_days": ANSWER_DAYS,
        "zh": "如对本认证决定有异议，可自收到本通知之日起按本机构的申诉处理程序向本机构提出申诉"
        "（ZPIC-WF-20 9.1）。本机构指派未参与本项目审查和认证决定的人员处理，并在收到申诉之日起 "
        f"{ANSWER_DAYS} 日内将处理结果书面通知您（9.2）。您也可以向"
        + "或".join(b["zh"] for b in bodies)
        + "投诉（9.3）。",
        "en": "If you disagree with this decision, you may appeal to the CB under its appeals "
        "procedure (ZPIC-WF-20 9.1). Staff not involved in this audit or decision handle the "
        f"appeal, and the CB answers you in writing within {ANSWER_DAYS} days of receiving it "
        "(9.2). You may also complain to " + " or ".join(b["en"] for b in bodies) + " (9.3).",
    }


def audit_part(audit: Audit) -> dict[str, Any]:
    """The audit the decision rests on: type, completion date, score and result."""
    completion = audit.completion or {}
    score = completion.get("score") or {}
    passed = bool(score.get("passed"))
    grade = score.get("grade")
    if passed and grade:
        name = bilingual(GRADE_NAMES[grade])
        result = {"zh": f"通过，{name['zh']}", "en": f"passed, {name['en']}"}
    else:
        result = {"zh": "不通过", "en": "failed"}
    return {
        "id": str(audit.id),
        "type": {
            "code": audit.audit_type,
            **AUDIT_TYPES.get(audit.audit_type, {"zh": audit.audit_type, "en": audit.audit_type}),
        },
        "completed_on": _iso(completion.get("completed_on")),
        "score": score.get("score"),
        "pass_mark": two_decimals(PASS_MARK),
        "special_deductions": int(score.get("special_deductions") or 0),
        "failing_deductions": FAILING_DEDUCTIONS,
        "passed": passed,
        "result": result,
    }


def build_notice(
    decision: Decision, audit: Audit, generated_on: date, cb: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The refusal notice of a decision, JSON-ready; a decision that is no refusal has none
    (cb: the certification body, `api.reports.issuer.issuer`)."""
    if decision.outcome != "refuse":
        raise RuleViolation(
            "该认证决定不是不予认证决定，没有不予认证通知书 / the decision is not a refusal; "
            "there is no refusal notice",
            code="not_a_refusal",
            clause="ZPIC-WF-20 4.6.3",
        )
    org = audit.organization
    reopened = decision.reopened
    return {
        "title": dict(TITLE),
        "decision_id": str(decision.id),
        "application_id": decision.application_id,
        "organization": {
            "name": org.get("name"),
            "uscc": org.get("uscc"),
            "address": org.get("address"),
        },
        "audit": audit_part(audit),
        "decided_on": _iso(decision.decided_on),
        "decision": dict(DECISION),
        "reasons": list(decision.reasons),
        "appeal": appeal_part(),
        "set_aside": (
            {
                "on": _iso(reopened["reopened_on"]),
                "zh": "本决定已因申诉成立被撤销，本机构将就同一审查重新作出认证决定（9.2）。",
                "en": "This decision was set aside on an upheld appeal; a new decision on the "
                "same audit follows (9.2).",
            }
            if reopened
            else None
        ),
        "issuer": cb if cb is not None else issuer(),
        "generated_on": generated_on.isoformat(),
    }


def notice_letter(notice: dict[str, Any]) -> Letter:
    """The notice as a letter: its particulars, the reasons, the right to appeal."""
    org, audit = notice["organization"], notice["audit"]
    particulars = [
        ("受审查方 / Organization", org["name"] or "—"),
        ("统一社会信用代码 / USCC", org["uscc"] or "—"),
        ("地址 / Address", org["address"] or "—"),
        ("审查类型 / Audit type", f"{audit['type']['zh']} / {audit['type']['en']}"),
        ("审查完成日期 / Audit completed on", audit["completed_on"] or "—"),
        ("评分 / Score", f"{audit['score']}（通过线 / pass mark {audit['pass_mark']}）"),
        (
            "特别扣分项 / Special deductions",
            f"{audit['special_deductions']}（达到 {audit['failing_deductions']} 项不通过 / "
            f"{audit['failing_deductions']} or more fail）",
        ),
        ("评价结果 / Result", f"{audit['result']['zh']} / {audit['result']['en']}"),
        ("决定日期 / Decided on", notice["decided_on"]),
        ("决定编号 / Decision", notice["decision_id"]),
    ]
    reasons = [f"{n}. {reason}" for n, reason in enumerate(notice["reasons"], start=1)]
    paragraphs = [
        f"{org['name']}：",
        notice["decision"]["zh"],
        notice["decision"]["en"],
        "不予认证的理由 / Reasons:\n" + "\n".join(reasons),
        f"申诉 / Appeal: {notice['appeal']['zh']}",
        notice["appeal"]["en"],
    ]
    if notice["set_aside"]:
        set_aside = notice["set_aside"]
        paragraphs.append(f"{set_aside['on']}：{set_aside['zh']} / {set_aside['en']}")
    return Letter(
        title=notice["title"]["zh"],
        subtitle=notice["title"]["en"],
        particulars=particulars,
        paragraphs=paragraphs,
        # dated the decision, not the day it is printed again
        closing=[*closing_lines(notice["issuer"]), notice["decided_on"]],
        seal_image=notice["issuer"]["seal_image"],
    )


def render_notice_pdf(notice: dict[str, Any]) -> bytes:
    """The refusal notice as A4 PDF bytes."""
    return render_letter_pdf(notice_letter(notice))
