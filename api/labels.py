"""The words people read for the codes the records keep: Chinese first, English beside it.

One term per thing, as the rules use it: 审查 for an audit, 评价 for an evaluation, 认证决定 for a
decision. A code with no label reads as itself, so a new code shows up rather than vanishing.
"""

from __future__ import annotations

from domain import appeal as appeal_rules
from domain import application as application_rules
from domain import certificate as certificate_rules
from domain import people
from domain import watchlist as watchlist_rules
from domain.rulebook import scoring

Label = tuple[str, str]
"""Chinese, English."""

CERTIFICATE_STATUSES: dict[str, Label] = {
    "valid": ("有效", "valid"),
    "suspended": ("暂停", "suspended"),
    "withdrawn": ("撤销", "withdrawn"),
    "expired": ("过期", "expired"),
}
"""A certificate's status (api.md Public register)."""

GRADES: dict[str, Label] = {
    "compliant": ("达标级", "compliant"),
    "three_star": ("三星级", "three star"),
    "four_star": ("四星级", "four star"),
    "five_star": ("五星级", "five star"),
}
"""A certificate's grade (GB/T 27922-2011 5)."""

AUDIT_TYPES: dict[str, Label] = {
    "initial": ("初次认证审查", "initial audit"),
    "surveillance": ("监督审查", "surveillance audit"),
    "recertification": ("再认证审查", "recertification audit"),
    "supplementary": ("补充审查", "supplementary audit"),
}
"""An audit's type (ZPIC-WF-20 4.3, 5, 6)."""

APPLICATION_STATUSES: dict[str, Label] = {
    "submitted": ("待评审", "awaiting review"),
    "supplement_requested": ("待补充材料", "supplement requested"),
    "accepted": ("已受理", "accepted"),
    "rejected": ("不予受理", "rejected"),
    "contracted": ("已签合同", "contracted"),
}
"""An application's status (ZPIC-WF-20 4.1)."""

DECISION_OUTCOMES: dict[str, Label] = {
    "grant": ("批准认证", "grant"),
    "refuse": ("不予认证", "refuse"),
    "supplementary_audit": ("补充审查", "supplementary audit"),
    "downgrade": ("降级", "downgrade"),
    "suspend": ("暂停", "suspend"),
    "withdraw": ("撤销", "withdraw"),
}
"""A certification decision's outcome (ZPIC-WF-20 4.6, 5.6)."""

APPEAL_OUTCOMES: dict[str, Label] = {
    "upheld": ("成立", "upheld"),
    "partly_upheld": ("部分成立", "partly upheld"),
    "rejected": ("不成立", "rejected"),
}

REVIEW_OUTCOMES: dict[str, Label] = {
    "accepted": ("受理", "accepted"),
    "supplement_requested": ("要求补充材料", "supplement requested"),
    "rejected": ("不予受理", "rejected"),
}

RECORD_KINDS: dict[str, Label] = {
    "application": ("申请", "Applications"),
    "audit": ("审查", "Audits"),
    "decision": ("认证决定", "Decisions"),
    "corrective_action": ("纠正措施", "Corrective actions"),
    "certificate": ("证书", "Certificates"),
    "appeal": ("申诉与投诉", "Appeals and complaints"),
    "watchlist_entry": ("监管名单", "Watchlist"),
    "notice": ("通知", "Notices"),
}
"""The kinds of record the organization index maps to an organization."""

EVENTS: dict[str, Label] = {
    "CertificationApplication.Submitted": ("收到认证申请", "Application received"),
    "CertificationApplication.Reviewed": ("申请评审", "Application reviewed"),
    "CertificationApplication.SupplementReceived": ("收到补充材料", "Supplement received"),
    "CertificationApplication.ContractSigned": ("签订认证合同", "Contract signed"),
    "Audit.Planned": ("审查策划", "Audit planned"),
    "Audit.FindingRecorded": ("记录审查发现", "Finding recorded"),
    "Audit.FindingApproved": ("审查发现经批准", "Finding approved"),
    "Audit.IndicatorExcluded": ("指标不适用", "Indicator excluded"),
    "Audit.SpecialDeductionRecorded": ("记录特别扣分", "Special deduction recorded"),
    "Audit.SpecialBonusRecorded": ("记录特别加分", "Special bonus recorded"),
    "Audit.Completed": ("审查完成", "Audit completed"),
    "Decision.Made": ("作出认证决定", "Decision made"),
    "Decision.Reopened": ("认证决定重新审议", "Decision reopened"),
    "CorrectiveAction.Opened": ("要求纠正措施", "Corrective action opened"),
    "CorrectiveAction.Closed": ("纠正措施验证关闭", "Corrective action closed"),
    "Certificate.Issued": ("颁发证书", "Certificate issued"),
    "Certificate.AuditCompleted": ("审查结果记入证书", "Audit result recorded on the certificate"),
    "Certificate.GradeChanged": ("证书等级变更", "Grade changed"),
    "Certificate.FollowUpDecided": ("决定后续安排", "Follow-up decided"),
    "Certificate.Suspended": ("证书暂停", "Certificate suspended"),
    "Certificate.SuspensionExtended": ("暂停期延长", "Suspension extended"),
    "Certificate.Reinstated": ("证书恢复", "Certificate reinstated"),
    "Certificate.Withdrawn": ("证书撤销", "Certificate withdrawn"),
    "Certificate.Recovered": ("证书收回", "Certificate recovered"),
    "Certificate.Recertified": ("再认证换发证书", "Certificate recertified"),
    "Certificate.Expired": ("证书到期", "Certificate expired"),
    "Appeal.Received": ("收到申诉或投诉", "Appeal or complaint received"),
    "Appeal.Acknowledged": ("确认受理", "Acknowledged"),
    "Appeal.Assigned": ("指派处理人", "Handlers assigned"),
    "Appeal.NoteRecorded": ("记录调查情况", "Investigation note"),
    "Appeal.Resolved": ("作出处理结论", "Resolved"),
    "Appeal.NoticeSent": ("发出处理结果通知", "Notice sent"),
    "Appeal.Escalated": ("提交上级机构", "Escalated"),
    "WatchlistEntry.Listed": ("列入监管名单", "Put on a watchlist"),
    "WatchlistEntry.Relisted": ("再次列入监管名单", "Put on a watchlist again"),
    "WatchlistEntry.Delisted": ("移出监管名单", "Taken off a watchlist"),
    "NoticeRecord.Sent": ("发出通知", "Notice sent"),
}
"""The kind of each event a staff member reads on a timeline, by class (`Certificate.Withdrawn`)."""


def label(labels: dict[str, Label], code: str | None) -> Label:
    """The words for a code; a code with none reads as itself."""
    if code is None:
        return ("—", "—")
    return labels.get(code, (code, code))


def zh(labels: dict[str, Label], code: str | None) -> str:
    """The Chinese word for a code."""
    return label(labels, code)[0]


def bilingual(names: dict[str, str]) -> dict[str, Label]:
    """Labels from a rule's names written "中文 / English"."""
    return {code: _halves(text) for code, text in names.items()}


def _halves(text: str) -> Label:
    zh_half, sep, en_half = text.partition(" / ")
    return (zh_half, en_half) if sep else (text, text)


APPEAL_STATUSES: dict[str, Label] = {
    "open": ("未结案", "open"),
    "received": ("已收到", "received"),
    "acknowledged": ("已确认受理", "acknowledged"),
    "assigned": ("已指派", "assigned"),
    "investigating": ("调查中", "investigating"),
    "resolved": ("已处理", "resolved"),
    "closed": ("已结案", "closed"),
}

APPEAL_KINDS: dict[str, Label] = {"appeal": ("申诉", "appeal"), "complaint": ("投诉", "complaint")}

STATUS_CHANGES: dict[str, Label] = {
    "suspension": ("暂停", "suspension"),
    "reinstatement": ("恢复", "reinstatement"),
    "withdrawal": ("撤销", "withdrawal"),
}
"""A certificate's status change, as the compliance exceptions name it."""

GRADE_CHANGE_REASONS: dict[str, Label] = {
    "surveillance_passed": ("监督审查通过，等级随审查结果调整", "surveillance passed"),
    "supplementary_passed": ("补充审查通过，等级随审查结果调整", "supplementary audit passed"),
    "recertification_passed": ("再认证审查通过", "recertification passed"),
    "downgrade": ("降级决定", "downgrade decided"),
}

AUDIT_STATUSES: dict[str, Label] = {
    "planned": ("已策划", "planned"),
    "completed": ("已完成", "completed"),
    "decided": ("已决定", "decided"),
}

SUSPENSION_REASONS = bilingual(certificate_rules.SUSPENSION_REASONS)
WITHDRAWAL_REASONS = bilingual(certificate_rules.WITHDRAWAL_REASONS)
DEDUCTION_CATEGORIES = bilingual(scoring.DEDUCTION_CATEGORIES)
DOCUMENT_KINDS = bilingual(application_rules.DOCUMENT_KINDS)
ESCALATION_BODIES = bilingual(appeal_rules.ESCALATION_BODIES)
WATCHLISTS = bilingual(watchlist_rules.WATCHLISTS)

ROLES: dict[str, Label] = {
    "admin": ("系统管理员", "administrator"),
    "intake": ("受理人员", "intake"),
    "planner": ("策划人员", "planner"),
    "auditor": ("审查员", "auditor"),
    "decision_maker": ("认证决定人员", "decision maker"),
    "appeals_officer": ("申诉投诉处理人员", "appeals officer"),
    "compliance_officer": ("合规专员", "compliance officer"),
}

SYSTEM_ACTORS: dict[str, Label] = {
    people.DEADLINE_JOBS_ID: ("系统（期限作业）", "the system (deadline jobs)"),
    people.BOOTSTRAP_ADMIN_ID: ("系统管理员（启动令牌）", "the administrator (bootstrap token)"),
}
"""Who acted when no staff member did; a staff member's name reads as itself."""
