"""An event as a person reads it on a timeline: its kind in words with what matters most beside
it ("证书撤销 · 暂停期满仍未整改"), and its business facts as sentences, Chinese first.

The recorded fields stay one click away on the page (compliance reads them as recorded); this is
what a reader sees first. Events with no sentences of their own read as their kind alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.labels import (
    APPEAL_KINDS,
    APPEAL_OUTCOMES,
    AUDIT_TYPES,
    DECISION_OUTCOMES,
    EVENTS,
    GRADE_CHANGE_REASONS,
    GRADES,
    REVIEW_OUTCOMES,
    Label,
    label,
)
from api.labels import DEDUCTION_CATEGORIES as DEDUCTIONS
from api.labels import DOCUMENT_KINDS as DOCUMENTS
from api.labels import ESCALATION_BODIES as BODIES
from api.labels import SUSPENSION_REASONS as SUSPENSION
from api.labels import WATCHLISTS as LISTS
from api.labels import WITHDRAWAL_REASONS as WITHDRAWAL

LONGEST_TEXT = 200
"""Free text (evidence, reasons) quoted in a sentence is cut here; the whole is in the record."""

Story = tuple[str, list[Label]]
"""What stands beside the kind (may be empty), and the sentences."""


def _zh(labels: dict[str, Label], code: Any) -> str:
    return label(labels, None if code is None else str(code))[0]


def _en(labels: dict[str, Label], code: Any) -> str:
    return label(labels, None if code is None else str(code))[1]


def _text(value: Any) -> str:
    """Free text, the Chinese half of one stored "中文 / English", cut to LONGEST_TEXT."""
    text = str(value or "").partition(" / ")[0]
    return text if len(text) <= LONGEST_TEXT else text[:LONGEST_TEXT] + "…"


def _passed(passed: Any) -> Label:
    return ("通过", "passed") if passed else ("未通过", "failed")


def _reasons(reasons: Any) -> list[Label]:
    if not reasons:
        return []
    joined = "；".join(_text(r) for r in reasons)
    return [(f"理由：{joined}。", f"Reasons: {joined}.")]


def _submitted(d: dict[str, Any]) -> Story:
    org = d.get("organization") or {}
    sites = len(d.get("sites") or [])
    return "", [
        (f"{d.get('received_on')} 收到{org.get('name', '')}的认证申请，"
         f"范围：{_text(d.get('scope'))}。",
         f"Application of {org.get('name', '')} received on {d.get('received_on')}."),
        (f"有效人数 {d.get('effective_headcount')} 人；中心办公室以外的服务场所 {sites} 个；"
         f"随附文件 {len(d.get('documents') or [])} 份。",
         f"{d.get('effective_headcount')} staff; {sites} sites besides the central office."),
    ]  # fmt: skip


def _reviewed(d: dict[str, Any]) -> Story:
    outcome = d.get("outcome")
    lines = [(f"{d.get('reviewed_on')} 评审结论：{_zh(REVIEW_OUTCOMES, outcome)}。",
              f"Reviewed on {d.get('reviewed_on')}: {_en(REVIEW_OUTCOMES, outcome)}.")]  # fmt: skip
    if d.get("missing"):
        missing = "、".join(_zh(DOCUMENTS, k) for k in d["missing"])
        lines.append((f"缺少材料：{missing}。", f"Missing: {', '.join(d['missing'])}."))
    return _zh(REVIEW_OUTCOMES, outcome), lines + _reasons(d.get("reasons"))


def _supplement(d: dict[str, Any]) -> Story:
    n = len(d.get("documents") or [])
    return "", [(f"{d.get('received_on')} 收到补充材料 {n} 份。",
                 f"{n} documents received on {d.get('received_on')}.")]  # fmt: skip


def _contract(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('signed_on')} 签订认证合同，合同编号 {d.get('number')}。",
                 f"Contract {d.get('number')} signed on {d.get('signed_on')}.")]  # fmt: skip


def _planned(d: dict[str, Any]) -> Story:
    kind = d.get("audit_type")
    team = len(d.get("team") or [])
    return _zh(AUDIT_TYPES, kind), [
        (f"{_zh(AUDIT_TYPES, kind)}定于 {d.get('start_on')} 至 {d.get('end_on')} 进行；"
         f"审查组 {team} 人，现场审查 {d.get('onsite_days')} 人日"
         f"（应不少于 {d.get('required_onsite_days')} 人日）。",
         f"{_en(AUDIT_TYPES, kind)} from {d.get('start_on')} to {d.get('end_on')}."),
    ]  # fmt: skip


def _finding(d: dict[str, Any]) -> Story:
    if d.get("kind") == "sampled":
        what = f"抽样 {d.get('sampled')} 个，不符合 {d.get('nonconforming')} 个"
    else:
        what = "不符合"
    return f"第 {d.get('number')} 项", [
        (f"审查发现第 {d.get('number')} 项：指标 {d.get('indicator')}（条款 {d.get('clause')}），"
         f"{what}。证据：{_text(d.get('evidence'))}",
         f"Finding {d.get('number')} on indicator {d.get('indicator')} ({d.get('clause')})."),
    ]  # fmt: skip


def _approved(d: dict[str, Any]) -> Story:
    return f"第 {d.get('number')} 项", [(f"审查发现第 {d.get('number')} 项经批准。",
                                        f"Finding {d.get('number')} approved.")]  # fmt: skip


def _excluded(d: dict[str, Any]) -> Story:
    return "", [(f"指标 {d.get('indicator')} 不适用：{_text(d.get('reason'))}",
                 f"Indicator {d.get('indicator')} excluded.")]  # fmt: skip


def _deduction(d: dict[str, Any]) -> Story:
    category = d.get("category")
    return _zh(DEDUCTIONS, category), [
        (f"特别扣分：{_zh(DEDUCTIONS, category)}。证据：{_text(d.get('evidence'))}",
         f"Special deduction: {_en(DEDUCTIONS, category)}."),
    ]


def _bonus(d: dict[str, Any]) -> Story:
    return "", [(f"特别加分。证据：{_text(d.get('evidence'))}", "Special bonus.")]


def _completed(d: dict[str, Any]) -> Story:
    score = d.get("score") or {}
    zh, en = _passed(score.get("passed"))
    return zh, [
        (f"{d.get('completed_on')} 审查完成：得分 {score.get('score')}，"
         f"{_zh(GRADES, score.get('grade')) if score.get('grade') else '未达等级'}，{zh}；"
         f"现场审查 {d.get('onsite_days')} 人日。",
         f"Completed on {d.get('completed_on')}: score {score.get('score')}, {en}."),
    ]  # fmt: skip


def _decided(d: dict[str, Any]) -> Story:
    outcome = d.get("outcome")
    zh = f"{d.get('decided_on')} 认证决定：{_zh(DECISION_OUTCOMES, outcome)}"
    if d.get("certificate_number"):
        zh += f"，证书 {d['certificate_number']}"
    if d.get("grade"):
        zh += f"，{_zh(GRADES, d['grade'])}"
    en = f"Decided on {d.get('decided_on')}: {_en(DECISION_OUTCOMES, outcome)}."
    return _zh(DECISION_OUTCOMES, outcome), [(zh + "。", en), *_reasons(d.get("reasons"))]


def _reopened(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('reopened_on')} 因申诉成立，该认证决定重新审议。",
                 f"Reopened on {d.get('reopened_on')} after an upheld appeal.")]  # fmt: skip


def _action_opened(d: dict[str, Any]) -> Story:
    category = d.get("category")
    return _zh(DEDUCTIONS, category), [
        (f"{d.get('opened_on')} 要求采取纠正措施（{_zh(DEDUCTIONS, category)}）。"
         f"证据：{_text(d.get('evidence'))}",
         f"Corrective action opened on {d.get('opened_on')}."),
    ]  # fmt: skip


def _action_closed(d: dict[str, Any]) -> Story:
    evidence = _text(d.get("evidence"))
    return "", [(f"{d.get('verified_on')} 纠正措施经验证有效，关闭。证据：{evidence}",
                 f"Verified and closed on {d.get('verified_on')}.")]  # fmt: skip


def _issued(d: dict[str, Any]) -> Story:
    sites = len(d.get("sites") or [])
    return _zh(GRADES, d.get("grade")), [
        (f"{d.get('issued_on')} 颁发证书 {d.get('number')}，{_zh(GRADES, d.get('grade'))}，"
         f"有效期至 {d.get('expires_on')}；覆盖场所 {sites} 个。",
         f"Certificate {d.get('number')} issued on {d.get('issued_on')}, valid through "
         f"{d.get('expires_on')}."),
    ]  # fmt: skip


def _certificate_audit(d: dict[str, Any]) -> Story:
    kind = d.get("audit_type")
    zh, en = _passed(d.get("passed"))
    score = d.get("score")
    shown = score.get("score") if isinstance(score, dict) else score
    line = f"{d.get('completed_on')} {_zh(AUDIT_TYPES, kind)}{zh}，得分 {shown}"
    if d.get("grade"):
        line += f"，{_zh(GRADES, d['grade'])}"
    line += "。"
    if d.get("next_surveillance_due"):
        line += f"下次监督审查应于 {d['next_surveillance_due']} 前完成。"
    if d.get("follow_up_required"):
        line += "须由认证决定人员决定后续处理。"
    return f"{_zh(AUDIT_TYPES, kind)}{zh}", [(line, f"{_en(AUDIT_TYPES, kind)} {en}.")]


def _grade_changed(d: dict[str, Any]) -> Story:
    before, after = _zh(GRADES, d.get("grade_from")), _zh(GRADES, d.get("grade_to"))
    return f"{before} → {after}", [
        (f"自 {d.get('effective_on')} 起由{before}调整为{after}"
         f"（{_zh(GRADE_CHANGE_REASONS, d.get('reason'))}）。",
         f"From {d.get('effective_on')}: {_en(GRADES, d.get('grade_from'))} to "
         f"{_en(GRADES, d.get('grade_to'))}."),
    ]  # fmt: skip


def _follow_up(d: dict[str, Any]) -> Story:
    outcome = d.get("follow_up")
    return _zh(DECISION_OUTCOMES, outcome), [
        (f"{d.get('decided_on')} 决定未通过审查的后续处理：{_zh(DECISION_OUTCOMES, outcome)}。",
         f"Follow-up decided on {d.get('decided_on')}: {_en(DECISION_OUTCOMES, outcome)}."),
    ]  # fmt: skip


def _late(d: dict[str, Any]) -> list[Label]:
    if not d.get("late"):
        return []
    return [(f"应于 {d.get('due_on')} 前生效，办理逾期。", f"Late: due by {d.get('due_on')}.")]


def _suspended(d: dict[str, Any]) -> Story:
    reason = d.get("reason")
    return "因" + _zh(SUSPENSION, reason), [
        (f"自 {d.get('effective_on')} 起暂停 {d.get('months')} 个月，至 {d.get('suspended_until')}"
         f"（事实于 {d.get('verified_on')} 查实）。原因：{_zh(SUSPENSION, reason)}。",
         f"Suspended from {d.get('effective_on')} through {d.get('suspended_until')}: "
         f"{_en(SUSPENSION, reason)}."),
        *_late(d),
    ]  # fmt: skip


def _extended(d: dict[str, Any]) -> Story:
    return "", [(f"暂停期延长 {d.get('months')} 个月，至 {d.get('suspended_until')}。",
                 f"Extended through {d.get('suspended_until')}.")]  # fmt: skip


def _reinstated(d: dict[str, Any]) -> Story:
    return "", [
        (f"自 {d.get('effective_on')} 起恢复有效（整改于 {d.get('verified_on')} 查实）。",
         f"Valid again from {d.get('effective_on')}."),
        *_late(d),
    ]


def _withdrawn(d: dict[str, Any]) -> Story:
    reason = d.get("reason")
    recovered = "证书已收回" if d.get("recovered") else "证书未收回"
    return "因" + _zh(WITHDRAWAL, reason), [
        (f"自 {d.get('effective_on')} 起撤销（事实于 {d.get('verified_on')} 查实），{recovered}。"
         f"原因：{_zh(WITHDRAWAL, reason)}。",
         f"Withdrawn from {d.get('effective_on')}: {_en(WITHDRAWAL, reason)}."),
        *_late(d),
    ]  # fmt: skip


def _recovered(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('recovered_on')} 收回证书。", f"Recovered on {d.get('recovered_on')}.")]


def _recertified(d: dict[str, Any]) -> Story:
    return _zh(GRADES, d.get("grade")), [
        (f"{d.get('reissued_on')} 再认证换发证书，{_zh(GRADES, d.get('grade'))}，新周期自 "
         f"{d.get('cycle_starts_on')} 至 {d.get('expires_on')}。",
         f"Recertified on {d.get('reissued_on')}, valid through {d.get('expires_on')}."),
    ]  # fmt: skip


def _expired(d: dict[str, Any]) -> Story:
    return "", [(f"证书有效期届满，自 {d.get('expired_on')} 起过期。",
                 f"Expired from {d.get('expired_on')}.")]  # fmt: skip


def _appeal_received(d: dict[str, Any]) -> Story:
    kind = d.get("kind")
    who = "投诉人" if kind == "complaint" else "申诉人"
    appellant = (d.get("appellant") or {}).get("name", "")
    return _zh(APPEAL_KINDS, kind), [
        (f"{d.get('received_on')} 收到{_zh(APPEAL_KINDS, kind)}，{who}：{appellant}；"
         f"应于 {d.get('due_on')} 前答复。",
         f"{_en(APPEAL_KINDS, kind)} received on {d.get('received_on')}, due {d.get('due_on')}."),
        (f"内容：{_text(d.get('text'))}", ""),
    ]  # fmt: skip


def _acknowledged(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('acknowledged_on')} 确认受理。",
                 f"Acknowledged on {d.get('acknowledged_on')}.")]  # fmt: skip


def _assigned(d: dict[str, Any]) -> Story:
    names = "、".join(d.get("handler_names") or [])
    return "", [(f"{d.get('assigned_on')} 指派处理人：{names}。",
                 f"Assigned on {d.get('assigned_on')}.")]  # fmt: skip


def _note(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('noted_on')} 调查记录：{_text(d.get('text'))}",
                 f"Note of {d.get('noted_on')}.")]  # fmt: skip


def _resolved(d: dict[str, Any]) -> Story:
    outcome = d.get("outcome")
    return _zh(APPEAL_OUTCOMES, outcome), [
        (f"{d.get('resolved_on')} 处理结论：{_zh(APPEAL_OUTCOMES, outcome)}。"
         f"{_text(d.get('notice'))}",
         f"Resolved on {d.get('resolved_on')}: {_en(APPEAL_OUTCOMES, outcome)}."),
    ]  # fmt: skip


def _notice_sent(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('sent_on')} 书面通知处理结果。", f"Notice sent on {d.get('sent_on')}.")]


def _escalated(d: dict[str, Any]) -> Story:
    to = d.get("to")
    said = f"{d.get('escalated_on')} 提交{_zh(BODIES, to)}。{_text(d.get('note'))}"
    return _zh(BODIES, to), [(said, f"Escalated to {_en(BODIES, to)}.")]


def _listed(d: dict[str, Any]) -> Story:
    which = d.get("watchlist")
    said = f"{d.get('listed_on')} 列入{_zh(LISTS, which)}（来源：{_text(d.get('source'))}）。"
    return _zh(LISTS, which), [(said, f"Listed on {d.get('listed_on')}.")]


def _delisted(d: dict[str, Any]) -> Story:
    return "", [(f"{d.get('delisted_on')} 移出监管名单（来源：{_text(d.get('source'))}）。",
                 f"Delisted on {d.get('delisted_on')}.")]  # fmt: skip


def _notice(d: dict[str, Any]) -> Story:
    numbers = "、".join(d.get("certificate_numbers") or [])
    said = f"{d.get('sent_on')} 发出通知“{_text(d.get('subject'))}”"
    said += f"，涉及证书 {numbers}。" if numbers else "。"
    return "", [(said, f"Notice sent on {d.get('sent_on')}.")]


STORIES: dict[str, Callable[[dict[str, Any]], Story]] = {
    "CertificationApplication.Submitted": _submitted,
    "CertificationApplication.Reviewed": _reviewed,
    "CertificationApplication.SupplementReceived": _supplement,
    "CertificationApplication.ContractSigned": _contract,
    "Audit.Planned": _planned,
    "Audit.FindingRecorded": _finding,
    "Audit.FindingApproved": _approved,
    "Audit.IndicatorExcluded": _excluded,
    "Audit.SpecialDeductionRecorded": _deduction,
    "Audit.SpecialBonusRecorded": _bonus,
    "Audit.Completed": _completed,
    "Decision.Made": _decided,
    "Decision.Reopened": _reopened,
    "CorrectiveAction.Opened": _action_opened,
    "CorrectiveAction.Closed": _action_closed,
    "Certificate.Issued": _issued,
    "Certificate.AuditCompleted": _certificate_audit,
    "Certificate.GradeChanged": _grade_changed,
    "Certificate.FollowUpDecided": _follow_up,
    "Certificate.Suspended": _suspended,
    "Certificate.SuspensionExtended": _extended,
    "Certificate.Reinstated": _reinstated,
    "Certificate.Withdrawn": _withdrawn,
    "Certificate.Recovered": _recovered,
    "Certificate.Recertified": _recertified,
    "Certificate.Expired": _expired,
    "Appeal.Received": _appeal_received,
    "Appeal.Acknowledged": _acknowledged,
    "Appeal.Assigned": _assigned,
    "Appeal.NoteRecorded": _note,
    "Appeal.Resolved": _resolved,
    "Appeal.NoticeSent": _notice_sent,
    "Appeal.Escalated": _escalated,
    "WatchlistEntry.Listed": _listed,
    "WatchlistEntry.Relisted": _listed,
    "WatchlistEntry.Delisted": _delisted,
    "NoticeRecord.Sent": _notice,
}


def event_name(event_type: str) -> Label:
    """The kind of an event in words (`Certificate.Withdrawn` → 证书撤销); an unknown one as
    「其他记录」 rather than its class name."""
    return EVENTS.get(event_type, ("其他记录", "Other record"))


def story(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event's title ("证书撤销 · 因暂停期满仍未整改") and its facts as sentences."""
    zh, en = event_name(event_type)
    if data.get("disposed"):
        disposed = [("保存期满，内容已按规定处置。", "Disposed of after retention.")]
        return {"title": (f"{zh} · 已处置", f"{en} · disposed"), "lines": disposed}
    tell = STORIES.get(event_type)
    if tell is None:
        return {"title": (zh, en), "lines": []}
    beside, lines = tell(data)
    title = (f"{zh} · {beside}", en) if beside else (zh, en)
    return {"title": title, "lines": lines}
