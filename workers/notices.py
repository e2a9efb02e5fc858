"""Notices to certified organizations of what the deadline jobs did (ZPIC-WF-20 7.2, 7.3, 8).

A notice is rendered from the certificate's events at the version that made the change, and
dropped as an .eml file named by that version into the outbox directory for the mail relay, so
sending it twice writes the same file once.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from uuid import NAMESPACE_URL, uuid5

from domain.certificate import SUSPENSION_REASONS, WITHDRAWAL_REASONS, Certificate

SENDER = "ECPSC 认证中心 <noreply@ecpsc.example.cn>"

SUBJECTS = {
    "suspended": ("证书暂停通知", "Notice of suspension"),
    "withdrawn": ("证书撤销通知", "Notice of withdrawal"),
    "expired": ("证书过期通知", "Notice of expiry"),
}


def notice_text(certificate: Certificate) -> tuple[str, str]:
    """The subject and body (Chinese first, English beside it) of the certificate's status."""
    status = certificate.status
    zh, en = SUBJECTS[status]
    name = certificate.organization["name"]
    lines = [f"{name}：", ""]
    if status == "suspended":
        assert certificate.suspended_from and certificate.suspended_until
        reason = SUSPENSION_REASONS[certificate.suspension_reason]
        lines += [
            f"贵组织的商品售后服务认证证书 {certificate.number} 自 "
            f"{certificate.suspended_from.isoformat()} 起暂停，至 "
            f"{certificate.suspended_until.isoformat()} 止。原因：{reason}。",
            "暂停期间不得使用认证证书和标志；暂停期满仍未整改的，证书将被撤销（ZPIC-WF-20 7.2）。",
            "",
            f"Your after-sales service certificate {certificate.number} is suspended from "
            f"{certificate.suspended_from.isoformat()} through "
            f"{certificate.suspended_until.isoformat()}. Reason: {reason}. The certificate and "
            "mark may not be used meanwhile; unresolved at the end, it is withdrawn (7.2).",
        ]
    elif status == "withdrawn":
        assert certificate.withdrawn_on
        reason = WITHDRAWAL_REASONS[certificate.withdrawal_reason]
        lines += [
            f"贵组织的商品售后服务认证证书 {certificate.number} 自 "
            f"{certificate.withdrawn_on.isoformat()} 起撤销。原因：{reason}。"
            "请交回证书；不能收回的，本机构将予以公告（ZPIC-WF-20 7.3.2）。",
            "",
            f"Your certificate {certificate.number} is withdrawn from "
            f"{certificate.withdrawn_on.isoformat()}. Reason: {reason}. Please return it; "
            "otherwise a public withdrawal notice is published (7.3.2).",
        ]
    else:
        assert certificate.expired_on
        lines += [
            f"贵组织的商品售后服务认证证书 {certificate.number} 有效期至 "
            f"{certificate.expires_on.isoformat()}，未再认证，自 "
            f"{certificate.expired_on.isoformat()} 起过期。",
            "",
            f"Your certificate {certificate.number} was valid through "
            f"{certificate.expires_on.isoformat()}; not recertified, it expired on "
            f"{certificate.expired_on.isoformat()}.",
        ]
    lines += ["", "如有异议，可依据 ZPIC-WF-20 第9章提出申诉。/ You may appeal under ZPIC-WF-20 9."]
    return f"{zh} / {en} — {certificate.number}", "\n".join(lines)


def notice_path(outbox: Path, number: str, version: int) -> Path:
    """Where the notice of a certificate's version is dropped."""
    return outbox / f"{number}-v{version}.eml"


def drop_notice(outbox: Path, certificate: Certificate) -> Path | None:
    """Write the notice of the certificate's current version once; None when it has nothing
    to tell (a valid certificate) or the notice is already there."""
    if certificate.status not in SUBJECTS:
        return None
    path = notice_path(outbox, certificate.number, certificate.version)
    if path.exists():
        return None
    subject, body = notice_text(certificate)
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = certificate.organization["name"]
    message["Subject"] = subject
    message["Date"] = format_datetime(certificate.modified_on)
    key = uuid5(NAMESPACE_URL, f"/certificates/{certificate.number}/notices/{certificate.version}")
    message["Message-ID"] = f"<{key.hex}@ecpsc.example.cn>"
    message.set_content(body, charset="utf-8")
    outbox.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(bytes(message))
    partial.replace(path)  # atomic: a relay never sees half a message
    return path
