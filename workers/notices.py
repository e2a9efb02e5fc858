"""The notices the daily jobs send certified organizations (ZPIC-WF-20 6.1, 7.2, 7.3, 8.1.2).

Rendered from the events, Chinese first with English beside it: a change the deadline jobs
made (suspension, withdrawal, expiry), and expiry reminders batched per recipient per day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.certificate import SUSPENSION_REASONS, WITHDRAWAL_REASONS, Certificate
from domain.rulebook.schedule import recertification_window
from ecpsc.notifier import Notice

SUBJECTS = {
    "suspended": ("证书暂停通知", "Notice of suspension"),
    "withdrawn": ("证书撤销通知", "Notice of withdrawal"),
    "expired": ("证书过期通知", "Notice of expiry"),
}

APPEAL = "如有异议，可依据 ZPIC-WF-20 第9章提出申诉。/ You may appeal under ZPIC-WF-20 9."


def _status_lines(certificate: Certificate) -> list[str]:
    number = certificate.number
    if certificate.status == "suspended":
        assert certificate.suspended_from and certificate.suspended_until
        start, end = certificate.suspended_from.isoformat(), certificate.suspended_until.isoformat()
        reason = SUSPENSION_REASONS[certificate.suspension_reason]
        return [
            f"贵组织的商品售后服务认证证书 {number} 自 {start} 起暂停，至 {end} 止。"
            f"原因：{reason}。",
            "暂停期间不得使用认证证书和标志；暂停期满仍未解决的，证书将被撤销（ZPIC-WF-20 7.2）。",
            "",
            f"Your after-sales service certificate {number} is suspended from {start} through "
            f"{end}. Reason: {reason}. The certificate and mark may not be used meanwhile; "
            "unresolved at the end, it is withdrawn (7.2).",
        ]
    if certificate.status == "withdrawn":
        assert certificate.withdrawn_on
        on = certificate.withdrawn_on.isoformat()
        reason = WITHDRAWAL_REASONS[certificate.withdrawal_reason]
        return [
            f"贵组织的商品售后服务认证证书 {number} 自 {on} 起撤销。原因：{reason}。"
            "请交回证书；不能收回的，本机构将予以公告（ZPIC-WF-20 7.3.2）。",
            "",
            f"Your certificate {number} is withdrawn from {on}. Reason: {reason}. Please return "
            "it; otherwise a public withdrawal notice is published (7.3.2).",
        ]
    assert certificate.expired_on
    last, on = certificate.expires_on.isoformat(), certificate.expired_on.isoformat()
    return [
        f"贵组织的商品售后服务认证证书 {number} 有效期至 {last}，未再认证，自 {on} 起过期。",
        "",
        f"Your certificate {number} was valid through {last}; not recertified, it expired on {on}.",
    ]


def change_notice(certificate: Certificate, contact: dict[str, Any]) -> Notice | None:
    """The notice of a certificate's status at its current version; None when valid."""
    if certificate.status not in SUBJECTS:
        return None
    zh, en = SUBJECTS[certificate.status]
    body = [f"{certificate.organization['name']}：", "", *_status_lines(certificate), "", APPEAL]
    return Notice(
        key=f"certificate/{certificate.number}/v{certificate.version}",
        recipient=contact["email"],
        recipient_name=contact["name"],
        subject=f"{zh} / {en} — {certificate.number}",
        body="\n".join(body),
        certificate_numbers=[certificate.number],
    )


def expiry_reminder(day: date, contact: dict[str, Any], certificates: list[Certificate]) -> Notice:
    """One message to one recipient about every certificate of theirs nearing expiry (6.1)."""
    ordered = sorted(certificates, key=lambda c: (c.expires_on, c.number))
    lines = [
        f"{contact['name']}：",
        "",
        "以下认证证书即将到期 / These certificates expire soon:",
        "",
    ]
    for certificate in ordered:
        window = recertification_window(certificate.expires_on)
        days = (certificate.expires_on - day).days
        lines += [
            f"- {certificate.number}（{certificate.organization['name']}）有效期至 "
            f"{certificate.expires_on.isoformat()}，还有 {days} 天；再认证申请窗口 "
            f"{window.opens_on.isoformat()} 至 {window.closes_on.isoformat()}。",
            f"  {certificate.number} is valid through {certificate.expires_on.isoformat()} "
            f"({days} days left); apply for recertification between "
            f"{window.opens_on.isoformat()} and {window.closes_on.isoformat()}.",
        ]
    lines += [
        "",
        "到期未再认证的证书将自动过期；到期后只能重新申请初次认证（ZPIC-WF-20 6.1）。",
        "A certificate not recertified by its expiry date expires; afterwards only an initial "
        "certification is possible (6.1).",
    ]
    numbers = [c.number for c in ordered]
    return Notice(
        key=f"expiry-reminders/{day.isoformat()}/{contact['email'].lower()}",
        recipient=contact["email"],
        recipient_name=contact["name"],
        subject=f"证书到期提醒 / Certificates expiring soon — {day.isoformat()}（{len(numbers)}）",
        body="\n".join(lines),
        certificate_numbers=numbers,
    )


def appeals_digest(day: date, officer: dict[str, Any], cases: list[dict[str, Any]]) -> Notice:
    """One appeals officer's digest of the day: open cases overdue or due within 14 days (9)."""
    lines = [
        f"{officer['name']}：",
        "",
        f"截至 {day.isoformat()} 需要关注的申诉和投诉 / Appeals and complaints needing attention:",
        "",
    ]
    for case in cases:
        kind = "申诉 / appeal" if case["kind"] == "appeal" else "投诉 / complaint"
        when = (
            f"已逾期 {-case['days_left']} 天 / overdue by {-case['days_left']} days"
            if case["overdue"]
            else f"还有 {case['days_left']} 天 / {case['days_left']} days left"
        )
        lines.append(
            f"- {kind} {case['id']}（{case['appellant_name']}），收到 {case['received_on']}，"
            f"应于 {case['due_on']} 前答复，{when}；状态 {case['status']}"
        )
    lines += [
        "",
        "每件申诉、投诉须在收到后60天内书面答复（ZPIC-WF-20 9）。/ Each must be answered "
        "in writing within 60 days of receipt.",
    ]
    overdue = sum(1 for c in cases if c["overdue"])
    return Notice(
        key=f"appeals-digest/{day.isoformat()}/{officer['id']}",
        recipient=officer["email"],
        recipient_name=officer["name"],
        subject=f"申诉投诉每日提醒 / Appeals digest {day.isoformat()}："
        f"{len(cases)} 件，逾期 {overdue} 件",
        body="\n".join(lines),
    )
