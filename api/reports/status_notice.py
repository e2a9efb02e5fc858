"""The written notices of a suspension (ZPIC-WF-20 7.2) and a withdrawal (7.3), Chinese first.

Each is dated the day the decision took effect (not the day it is printed), names the reason
and its clause, the period, what the organization must do, and its right to appeal (9) with the
deadline. `build_suspension_notice` / `build_withdrawal_notice` give the data (JSON-ready) from
the certificate's recorded events; `status_letter` lays either out as a letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from api.reports.evaluation import bilingual
from api.reports.issuer import closing_lines, issuer
from api.reports.letter import Letter
from domain.appeal import ANSWER_DAYS
from domain.certificate import SUSPENSION_REASONS, WITHDRAWAL_REASONS, Certificate
from domain.errors import RuleViolation
from domain.rulebook.scoring import GRADE_NAMES

Text = dict[str, str]

APPEAL_WINDOW_DAYS = 30
"""Ruling: an appeal against a suspension or withdrawal is made within 30 calendar days of the
notice's date (rules §9 sets only the answer, within 60 days of receipt); the notice prints the
last day."""

SUSPENSION_TITLE: Text = {"zh": "认证证书暂停通知书", "en": "Notice of suspension of certification"}
WITHDRAWAL_TITLE: Text = {"zh": "认证证书撤销通知书", "en": "Notice of withdrawal of certification"}

SUSPENSION_CLAUSES: dict[str, str] = {
    "service_system_failing": "ZPIC-WF-20 7.2.1 第1项",
    "contract_obligations_unmet": "ZPIC-WF-20 7.2.1 第2项",
    "business_suspension_ordered": "ZPIC-WF-20 7.2.1 第3项",
    "licence_lapsed": "ZPIC-WF-20 7.2.1 第4项",
    "requested_by_organization": "ZPIC-WF-20 7.2.1 第5项",
    "other": "ZPIC-WF-20 7.2.1 第6项",
    "surveillance_overdue": "ZPIC-WF-20 5.3, 7.2.1",
    "surveillance_failed": "ZPIC-WF-20 5.6, 7.2.1",
}
"""The clause each suspension reason rests on (the items in the order rules §8 lists them)."""

WITHDRAWAL_CLAUSES: dict[str, str] = {
    code: f"ZPIC-WF-20 7.3.1 第{item}项" for item, code in enumerate(WITHDRAWAL_REASONS, start=1)
}
"""The clause each withdrawal reason rests on (7.3.1 items 1–10, in the rules' order)."""

SUSPENSION_ACTIONS: dict[str, Text] = {
    "service_system_failing": {
        "zh": "查明服务体系不满足要求的原因并完成整改，将整改材料报本机构验证。",
        "en": "Find why the service system fails the requirements, correct it, and send the "
        "evidence to the CB for verification.",
    },
    "contract_obligations_unmet": {
        "zh": "履行认证合同约定的义务，并将履行情况书面告知本机构。",
        "en": "Meet the obligations of the certification contract and tell the CB in writing.",
    },
    "business_suspension_ordered": {
        "zh": "停业整顿结束、恢复经营后，将主管部门的相关证明报本机构。",
        "en": "When the ordered suspension of business ends, send the authority's papers to "
        "the CB.",
    },
    "licence_lapsed": {
        "zh": "取得换发的许可资质证明后，及时将其复印件报本机构。",
        "en": "Send the CB a copy of the renewed licence as soon as it is issued.",
    },
    "requested_by_organization": {
        "zh": "如需恢复，请在暂停期满前向本机构提出恢复申请并接受验证。",
        "en": "To have the certificate reinstated, apply to the CB before the suspension ends "
        "and have it verified.",
    },
    "surveillance_overdue": {
        "zh": "尽快与本机构联系安排监督审查；监督审查通过后证书方可恢复。",
        "en": "Contact the CB at once to schedule the surveillance audit; the certificate is "
        "reinstated once it passes.",
    },
    "surveillance_failed": {
        "zh": "针对监督审查发现的问题完成整改，并接受本机构的验证或补充审查。",
        "en": "Correct what the surveillance audit found and have it verified, or audited "
        "again, by the CB.",
    },
    "other": {
        "zh": "按本机构的要求完成整改，并将整改材料报本机构验证。",
        "en": "Make the corrections the CB asks for and send the evidence for verification.",
    },
}
"""What the organization must do to have the certificate reinstated, by reason (7.2)."""


def _reason(table: dict[str, str], clauses: dict[str, str], code: str) -> dict[str, str]:
    zh, _, en = table.get(code, code).partition(" / ")
    return {"code": code, "zh": zh, "en": en or zh, "clause": clauses.get(code, "ZPIC-WF-20 7")}


def _certificate_part(certificate: Certificate) -> dict[str, Any]:
    org = certificate.organization
    return {
        "organization": {
            "name": org.get("name"),
            "uscc": org.get("uscc"),
            "address": org.get("address"),
        },
        "certificate": {
            "number": certificate.number,
            "scope": certificate.scope,
            "grade": {"code": certificate.grade, **bilingual(GRADE_NAMES[certificate.grade])},
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat(),
        },
    }


def appeal_right(dated_on: date, what: Text) -> dict[str, Any]:
    """The right to appeal the decision: to whom, by when, and how soon it is answered (9)."""
    deadline = dated_on + timedelta(days=APPEAL_WINDOW_DAYS)
    return {
        "clause": "ZPIC-WF-20 9",
        "window_days": APPEAL_WINDOW_DAYS,
        "deadline": deadline.isoformat(),
        "answer_days": ANSWER_DAYS,
        "zh": f"如对本{what['zh']}决定有异议，可自本通知日期起 {APPEAL_WINDOW_DAYS} 日内（即 "
        f"{deadline.isoformat()} 前）向本机构书面提出申诉（ZPIC-WF-20 9.1）。本机构指派未参与"
        f"本决定的人员处理，并自收到申诉之日起 {ANSWER_DAYS} 日内书面答复（9.2）。申诉期间本决定"
        "继续有效。",
        "en": f"If you disagree with this {what['en']}, you may appeal to the CB in writing "
        f"within {APPEAL_WINDOW_DAYS} days of this notice's date, that is by "
        f"{deadline.isoformat()} (ZPIC-WF-20 9.1). Staff not involved in the decision handle "
        f"it and answer in writing within {ANSWER_DAYS} days of receiving it (9.2). The "
        "decision stands while the appeal is handled.",
    }


def _suspensions(events: Iterable[Any]) -> list[dict[str, Any]]:
    """Each suspension of the certificate's record: its event, extensions and how it ended."""
    found: list[dict[str, Any]] = []
    for e in events:
        if isinstance(e, Certificate.Suspended):
            found.append({"event": e, "until": e.suspended_until, "months": e.months})
        elif found and isinstance(e, Certificate.SuspensionExtended):
            found[-1].update(until=e.suspended_until, months=e.months, extended=True)
        elif found and isinstance(e, Certificate.Reinstated):
            found[-1].setdefault("reinstated_on", e.effective_on)
        elif found and isinstance(e, Certificate.Withdrawn):
            found[-1].setdefault("withdrawn_on", e.effective_on)
    return found


def build_suspension_notice(
    certificate: Certificate,
    events: Iterable[Any],
    generated_on: date,
    cb: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The notice of the certificate's latest suspension, JSON-ready; 409 if never suspended."""
    suspensions = _suspensions(events)
    if not suspensions:
        raise RuleViolation(
            f"证书 {certificate.number} 没有暂停记录，没有暂停通知书 / certificate "
            f"{certificate.number} was never suspended; there is no suspension notice",
            code="not_suspended",
            clause="ZPIC-WF-20 7.2",
        )
    last = suspensions[-1]
    e = last["event"]
    reason = _reason(SUSPENSION_REASONS, SUSPENSION_CLAUSES, e.reason)
    start, until, months = e.effective_on, last["until"], last["months"]
    action = SUSPENSION_ACTIONS.get(e.reason, SUSPENSION_ACTIONS["other"])
    requirements = {
        "zh": [
            "暂停期间，贵组织不得使用认证证书和认证标志，不得以任何方式宣称或暗示认证有效；"
            "已印有认证标志的宣传材料应停止发放（7.2）。",
            action["zh"],
            f"经本机构验证问题已解决的，证书恢复有效；暂停期满（{until.isoformat()}）仍未解决的，"
            "本机构将撤销证书（7.3.1 第7项）。",
        ],
        "en": [
            "While suspended, you may not use the certificate or the certification mark, nor "
            "claim or imply in any way that the certification is valid; stop handing out "
            "material that carries the mark (7.2).",
            action["en"],
            "Once the CB verifies the cause resolved, the certificate is valid again; if it is "
            f"not resolved when the suspension ends ({until.isoformat()}), the CB withdraws "
            "the certificate (7.3.1 item 7).",
        ],
    }
    return {
        "kind": "suspension",
        "title": dict(SUSPENSION_TITLE),
        **_certificate_part(certificate),
        "reason": reason,
        "verified_on": e.verified_on.isoformat(),
        "effective_on": start.isoformat(),
        "dated_on": start.isoformat(),
        "period": {
            "from": start.isoformat(),
            "until": until.isoformat(),
            "months": months,
            "extended": bool(last.get("extended")),
            "first_until": e.suspended_until.isoformat(),
        },
        "requirements": requirements,
        "appeal": appeal_right(start, {"zh": "暂停", "en": "suspension"}),
        "since": _since(last),
        "issuer": cb if cb is not None else issuer(),
        "generated_on": generated_on.isoformat(),
    }


def _since(suspension: dict[str, Any]) -> Text | None:
    """What became of the suspension after the notice (printed as a remark on a reprint)."""
    if suspension.get("reinstated_on"):
        day = suspension["reinstated_on"].isoformat()
        return {
            "zh": f"该证书已于 {day} 恢复有效。",
            "en": f"The certificate was reinstated on {day}.",
        }
    if suspension.get("withdrawn_on"):
        day = suspension["withdrawn_on"].isoformat()
        return {"zh": f"该证书已于 {day} 撤销。", "en": f"The certificate was withdrawn on {day}."}
    return None


def build_withdrawal_notice(
    certificate: Certificate,
    events: Iterable[Any],
    generated_on: date,
    cb: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The notice of the certificate's withdrawal, JSON-ready; 409 if it was not withdrawn."""
    events = list(events)
    withdrawn = [e for e in events if isinstance(e, Certificate.Withdrawn)]
    if not withdrawn:
        raise RuleViolation(
            f"证书 {certificate.number} 未被撤销，没有撤销通知书 / certificate "
            f"{certificate.number} was not withdrawn; there is no withdrawal notice",
            code="not_withdrawn",
            clause="ZPIC-WF-20 7.3",
        )
    e = withdrawn[-1]
    recovered = bool(e.recovered) or any(isinstance(x, Certificate.Recovered) for x in events)
    effective = e.effective_on
    suspensions = [s for s in _suspensions(events) if s.get("withdrawn_on") == effective]
    recover_zh = (
        "证书原件已由本机构收回（7.3.2）。"
        if recovered
        else "请立即将认证证书原件交回本机构；无法收回的，本机构将公开发布撤销公告（7.3.2）。"
    )
    recover_en = (
        "The CB has recovered the original certificate (7.3.2)."
        if recovered
        else "Return the original certificate to the CB at once; if it cannot be recovered, "
        "the CB publishes a notice of its withdrawal (7.3.2)."
    )
    return {
        "kind": "withdrawal",
        "title": dict(WITHDRAWAL_TITLE),
        **_certificate_part(certificate),
        "reason": _reason(WITHDRAWAL_REASONS, WITHDRAWAL_CLAUSES, e.reason),
        "verified_on": e.verified_on.isoformat(),
        "effective_on": effective.isoformat(),
        "dated_on": effective.isoformat(),
        "recovered": recovered,
        "suspension": (
            {
                "from": suspensions[-1]["event"].effective_on.isoformat(),
                "until": suspensions[-1]["until"].isoformat(),
            }
            if suspensions
            else None
        ),
        "requirements": {
            "zh": [
                f"自 {effective.isoformat()} 起，该证书不再有效；贵组织不得继续使用认证证书和认证"
                "标志，不得以任何方式宣称获得认证，已印有认证标志的宣传材料应停止使用（7.3）。",
                recover_zh,
                "撤销是最终决定；如需再次获得认证，须重新申请初次认证。",
            ],
            "en": [
                f"From {effective.isoformat()} the certificate is no longer valid: you may not "
                "use the certificate or the mark, nor claim certification in any way; stop "
                "using material that carries the mark (7.3).",
                recover_en,
                "Withdrawal is final; to be certified again, apply for an initial certification.",
            ],
        },
        "appeal": appeal_right(effective, {"zh": "撤销", "en": "withdrawal"}),
        "issuer": cb if cb is not None else issuer(),
        "generated_on": generated_on.isoformat(),
    }


def status_letter(notice: dict[str, Any]) -> Letter:
    """A suspension or withdrawal notice as a letter, dated the day the decision took effect."""
    org, cert, reason = notice["organization"], notice["certificate"], notice["reason"]
    suspension = notice["kind"] == "suspension"
    particulars = [
        ("获证组织 / Organization", org["name"] or "—"),
        ("统一社会信用代码 / USCC", org["uscc"] or "—"),
        ("地址 / Address", org["address"] or "—"),
        ("证书编号 / Certificate No.", cert["number"]),
        ("认证范围 / Scope", cert["scope"] or "—"),
        ("等级 / Grade", f"{cert['grade']['zh']} / {cert['grade']['en']}"),
        (
            ("暂停原因 / Reason" if suspension else "撤销原因 / Reason"),
            f"{reason['zh']}（{reason['clause']}）/ {reason['en']}",
        ),
        ("事实核实日期 / Facts verified on", notice["verified_on"]),
    ]
    if suspension:
        period = notice["period"]
        text = (
            f"自 {period['from']} 起至 {period['until']} 止，共 {period['months']} 个月 / "
            f"from {period['from']} through {period['until']} ({period['months']} months)"
        )
        if period["extended"]:
            text += (
                f"（已延长，原至 {period['first_until']} / extended from {period['first_until']}）"
            )
        particulars += [
            ("暂停生效日期 / Suspended from", period["from"]),
            ("暂停期 / Period", text),
        ]
        decided = (
            f"经核实，贵组织存在以下情形：{reason['zh']}（{reason['clause']}）。本机构决定：自 "
            f"{period['from']} 起暂停贵组织的商品售后服务评价认证证书（编号 {cert['number']}），"
            f"暂停期至 {period['until']} 止（ZPIC-WF-20 7.2）。"
        )
        decided_en = (
            f"The CB verified that: {reason['en']} ({reason['clause']}). It has decided to "
            f"suspend your certificate {cert['number']} from {period['from']} through "
            f"{period['until']} (ZPIC-WF-20 7.2)."
        )
    else:
        particulars.append(("撤销生效日期 / Withdrawn on", notice["effective_on"]))
        if notice["suspension"]:
            s = notice["suspension"]
            particulars.append(("此前暂停 / Suspended before", f"{s['from']} 至 / to {s['until']}"))
        particulars.append(
            (
                "证书原件 / Original",
                "已收回 / recovered" if notice["recovered"] else "待交回 / to be returned",
            )
        )
        decided = (
            f"经核实，贵组织存在以下情形：{reason['zh']}（{reason['clause']}）。本机构决定：自 "
            f"{notice['effective_on']} 起撤销贵组织的商品售后服务评价认证证书（编号 "
            f"{cert['number']}）（ZPIC-WF-20 7.3）。"
        )
        decided_en = (
            f"The CB verified that: {reason['en']} ({reason['clause']}). It has decided to "
            f"withdraw your certificate {cert['number']} from {notice['effective_on']} "
            "(ZPIC-WF-20 7.3)."
        )
    appeal = notice["appeal"]
    particulars.append(("申诉期限 / Appeal by", appeal["deadline"]))
    requirements = notice["requirements"]
    paragraphs = [
        f"{org['name']}：",
        decided,
        decided_en,
        "贵组织应当 / What you must do：\n"
        + "\n".join(f"{n}. {line}" for n, line in enumerate(requirements["zh"], start=1)),
        "\n".join(f"{n}. {line}" for n, line in enumerate(requirements["en"], start=1)),
        f"申诉 / Appeal：{appeal['zh']}",
        appeal["en"],
    ]
    since = notice.get("since")
    if since:
        paragraphs.append(
            f"注（截至 {notice['generated_on']}）：{since['zh']} / Note (as of "
            f"{notice['generated_on']}): {since['en']}"
        )
    return Letter(
        title=notice["title"]["zh"],
        subtitle=notice["title"]["en"],
        particulars=particulars,
        paragraphs=paragraphs,
        closing=[*closing_lines(notice["issuer"]), f"{notice['dated_on']}"],
        seal_image=notice["issuer"]["seal_image"],
    )
