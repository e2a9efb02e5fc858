"""The written notice to the appellant of how an appeal or complaint was resolved (9.2)."""

from __future__ import annotations

from datetime import date

from api.reports.letter import ISSUER, Letter
from domain.appeal import ESCALATION_BODIES, KINDS, OUTCOMES, Appeal
from domain.errors import RuleViolation


def appeal_notice(appeal: Appeal, generated_on: date) -> Letter:
    """The notice of a resolved case; 409 before it is resolved."""
    if appeal.resolution is None:
        raise RuleViolation(
            "尚未作出处理结论，无书面通知 / the case is not resolved; there is no notice yet",
            code="appeal_not_resolved",
            clause="ZPIC-WF-20 9.2",
        )
    resolution = appeal.resolution
    kind_zh, kind_en = KINDS[appeal.kind].split(" / ")
    subject = [f"{k}: {v}" for k, v in appeal.subject.items() if v]
    particulars = [
        ("申诉人 / Appellant", appeal.appellant["name"]),
        ("类型 / Kind", KINDS[appeal.kind]),
        ("对象 / Subject", "; ".join(subject) or "本机构的认证活动 / the CB's certification work"),
        ("收到日期 / Received on", appeal.received_on.isoformat()),
        ("答复期限 / Due by", appeal.due_on.isoformat()),
        ("处理结论 / Outcome", OUTCOMES[resolution["outcome"]]),
        ("处理日期 / Resolved on", resolution["resolved_on"].isoformat()),
        ("编号 / Reference", str(appeal.id)),
    ]
    paragraphs = [
        f"{appeal.appellant['name']}：",
        f"本机构于 {appeal.received_on.isoformat()} 收到您的{kind_zh}，"
        "已指派未参与相关认证活动的人员进行调查处理。处理结论如下：",
        resolution["notice"],
        f"We received your {kind_en} on {appeal.received_on.isoformat()} and had it handled by "
        f"staff not involved in the matter. Outcome: {OUTCOMES[resolution['outcome']]}.",
    ]
    if resolution.get("reopened_decision_id"):
        paragraphs.append(
            "原认证决定予以撤销，本机构将就同一审查重新作出认证决定。/ "
            "The decision is set aside; a new decision on the same audit will follow."
        )
    paragraphs.append(
        "如对处理结论仍有异议，可向"
        + "或".join(v.split(" / ")[0] for v in ESCALATION_BODIES.values())
        + "申诉或投诉（ZPIC-WF-20 9.3）。/ If you still disagree, you may take the matter to "
        + " or ".join(v.split(" / ")[1] for v in ESCALATION_BODIES.values())
        + " (9.3)."
    )
    return Letter(
        title=f"{kind_zh}处理结果通知书",
        subtitle=f"Notice of the outcome of your {kind_en}",
        particulars=particulars,
        paragraphs=paragraphs,
        closing=[ISSUER, f"{generated_on.isoformat()}"],
    )
