"""The written notice to the appellant or complainant of how the case was resolved (9.2)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from uuid import UUID

from api.reports.issuer import closing_lines, issuer
from api.reports.letter import Letter
from domain.appeal import ANSWER_DAYS, ESCALATION_BODIES, KINDS, OUTCOMES, Appeal
from domain.errors import DomainError, RuleViolation

PARTY: dict[str, tuple[str, str]] = {
    "appeal": ("申诉人", "Appellant"),
    "complaint": ("投诉人", "Complainant"),
}
"""Who brought the case, by its kind: an appeal has an appellant, a complaint a complainant."""

OUTCOME_SENTENCES: dict[str, tuple[str, str]] = {
    "upheld": ("经调查，您的{kind}成立。", "Having investigated, we uphold your {kind}."),
    "partly_upheld": (
        "经调查，您的{kind}部分成立。",
        "Having investigated, we uphold your {kind} in part.",
    ),
    "rejected": (
        "经调查，您的{kind}不成立，本机构维持原状。",
        "Having investigated, we do not uphold your {kind}; the matter stands as it was.",
    ),
}


class Records(Protocol):
    """Where the subject of a case is looked up (the back office)."""

    def get_decision(self, decision_id: UUID) -> Any: ...
    def get_audit(self, audit_id: UUID) -> Any: ...
    def get_certificate(self, number: str) -> Any: ...
    def get_application(self, application_id: UUID) -> Any: ...


OUTCOME_WORDS = {"grant": "授予认证", "refuse": "不予认证"}


def subject_words(records: Records | None, subject: dict[str, Any]) -> list[str]:
    """What the case is about in words (certificate number, whose decision, which day), not
    ids; what cannot be looked up is named by its kind alone."""
    words = []
    if subject.get("decision_id"):
        words.append(_lookup(records, _decision_words, subject["decision_id"], "本机构的认证决定"))
    if subject.get("certificate_number"):
        number = str(subject["certificate_number"])
        words.append(_lookup(records, _certificate_words, number, f"证书编号 {number}"))
    if subject.get("application_id"):
        words.append(_lookup(records, _application_words, subject["application_id"], "认证申请"))
    return words


def _lookup(records: Records | None, words: Any, key: Any, otherwise: str) -> str:
    if records is None:
        return otherwise
    try:
        return str(words(records, key))
    except (DomainError, ValueError):
        return otherwise


def _decision_words(records: Records, decision_id: Any) -> str:
    decision = records.get_decision(UUID(str(decision_id)))
    org = records.get_audit(UUID(decision.audit_id)).organization
    outcome = OUTCOME_WORDS.get(decision.outcome, "认证")
    text = (
        f"本机构于 {decision.decided_on.isoformat()} 对{org.get('name') or '贵组织'}"
        f"作出的{outcome}决定"
    )
    if decision.certificate_number:
        text += f"（证书编号 {decision.certificate_number}）"
    return text


def _certificate_words(records: Records, number: str) -> str:
    certificate = records.get_certificate(number)
    return (
        f"{certificate.organization.get('name')}的认证证书（证书编号 {number}，"
        f"颁证日期 {certificate.issued_on.isoformat()}）"
    )


def _application_words(records: Records, application_id: Any) -> str:
    application = records.get_application(UUID(str(application_id)))
    return (
        f"{application.organization.get('name')}的认证申请"
        f"（收到日期 {application.received_on.isoformat()}）"
    )


def appeal_notice(
    appeal: Appeal,
    generated_on: date,
    records: Records | None = None,
    cb: dict[str, Any] | None = None,
) -> Letter:
    """The notice of a resolved case, dated the day it was sent (else the day printed, marked
    as not yet sent); 409 before it is resolved."""
    if appeal.resolution is None:
        raise RuleViolation(
            "尚未作出处理结论，无书面通知 / the case is not resolved; there is no notice yet",
            code="appeal_not_resolved",
            clause="ZPIC-WF-20 9.2",
        )
    cb = cb if cb is not None else issuer()
    resolution = appeal.resolution
    kind_zh, kind_en = KINDS[appeal.kind].split(" / ")
    party_zh, party_en = PARTY[appeal.kind]
    outcome_zh, outcome_en = OUTCOMES[resolution["outcome"]].split(" / ")
    subject = subject_words(records, appeal.subject)
    sent_on = appeal.notice_sent_on
    dated = sent_on or generated_on
    particulars = [
        (f"{party_zh} / {party_en}", appeal.appellant["name"]),
        ("类型 / Kind", KINDS[appeal.kind]),
        ("事由 / Subject", "；".join(subject) or "本机构的认证活动 / the CB's certification work"),
        ("收到日期 / Received on", appeal.received_on.isoformat()),
        ("答复期限 / Due by", appeal.due_on.isoformat()),
        ("处理结论 / Outcome", OUTCOMES[resolution["outcome"]]),
        ("处理日期 / Resolved on", resolution["resolved_on"].isoformat()),
        (
            "发出日期 / Sent on",
            sent_on.isoformat() if sent_on else "尚未发出（打印稿）/ not yet sent (draft)",
        ),
    ]
    about = f"关于{subject[0]}" if subject else ""
    sentence_zh, sentence_en = OUTCOME_SENTENCES[resolution["outcome"]]
    paragraphs = [
        f"{appeal.appellant['name']}：",
        f"本机构于 {appeal.received_on.isoformat()} 收到您{about}的{kind_zh}，已指派未参与相关"
        f"认证活动的人员进行调查处理（ZPIC-WF-20 9.2）。处理结论：{outcome_zh}。"
        + sentence_zh.format(kind=kind_zh),
        f"理由 / Reasons：\n{resolution['notice'].strip()}",
    ]
    consequences = []
    if resolution.get("reopened_decision_id"):
        consequences.append(
            "原认证决定予以撤销，本机构将就同一审查重新作出认证决定，并另行书面通知。"
            " / The decision is set aside; a new decision on the same audit will follow, and "
            "you will be told of it in writing."
        )
    actions = resolution.get("corrective_action_ids") or []
    if actions:
        consequences.append(
            f"本机构已就此立项 {len(actions)} 项纠正措施并跟踪其完成。/ The CB has raised "
            f"{len(actions)} corrective action(s) on this and follows them to completion."
        )
    paragraphs += consequences
    paragraphs.append(
        sentence_en.format(kind=kind_en)
        + f" We received it on {appeal.received_on.isoformat()} and had it handled by staff not "
        f"involved in the matter; outcome: {outcome_en}. The reasons are given above."
    )
    bodies_zh = "或".join(v.split(" / ")[0] for v in ESCALATION_BODIES.values())
    bodies_en = " or ".join(v.split(" / ")[1] for v in ESCALATION_BODIES.values())
    paragraphs.append(
        f"如对处理结论仍有异议，可向{bodies_zh}申诉或投诉（ZPIC-WF-20 9.3）。"
        f"本机构对{kind_zh}的处理期限为收到之日起 {ANSWER_DAYS} 日。/ If you still disagree, "
        f"you may take the matter to {bodies_en} (9.3). The CB answers within {ANSWER_DAYS} "
        "days of receipt."
    )
    return Letter(
        title=f"{kind_zh}处理结果通知书",
        subtitle=f"Notice of the outcome of your {kind_en}",
        particulars=particulars,
        paragraphs=paragraphs,
        closing=[*closing_lines(cb), dated.isoformat()],
        seal_image=cb["seal_image"],
    )
