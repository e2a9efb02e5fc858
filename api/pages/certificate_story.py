"""A certificate's status over time told in sentences, by business dates (rules.md §12).

The staff page says what happened and why in Chinese first: "因监督审查逾期（应于 2027-03-10 前
完成），自 2027-03-11 起暂停，至 2027-06-10 止（期限作业）", and lists the deadline actions a late
entry contradicts, each with its one-step correction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.certificate import SUSPENSION_REASONS, WITHDRAWAL_REASONS, Certificate

CONTRADICTED_BY = {
    "surveillance_on_time": ("按期完成的监督审查录入晚于期限作业",
                             "a surveillance done in time was entered after the deadline jobs ran"),
    "suspension_lifted": ("该暂停已在期满前恢复，录入晚于期限作业",
                          "the suspension was lifted in time, entered after the deadline jobs ran"),
    "withdrawn_earlier": ("证书此前已撤销，录入晚于期限作业",
                          "the certificate had been withdrawn earlier, entered later"),
    "later_suspension": ("另有一项暂停记录于逾期暂停期内开始，规则无唯一结论，须人工决定",
                         "another suspension starts within the overdue suspension's period: "
                         "the rules give no single answer, a person decides"),
}  # fmt: skip


def _zh(text: str) -> str:
    return text.partition(" / ")[0]


def _en(text: str) -> str:
    return text.partition(" / ")[2] or text


def _line(on: date, zh: str, en: str, by_rule: bool, struck: str | None = None) -> dict[str, Any]:
    return {"on": on, "zh": zh, "en": en, "by_rule": by_rule, "struck": struck}


def status_story(certificate: Certificate) -> list[dict[str, Any]]:
    """Each suspension, reinstatement, rescission, withdrawal and expiry, oldest first."""
    lines: list[dict[str, Any]] = []
    for s in certificate.suspensions:
        start, until = s["effective_on"].isoformat(), s["suspended_until"].isoformat()
        reason = SUSPENSION_REASONS.get(s["reason"], s["reason"])
        if s["reason"] == "surveillance_overdue" and s.get("missed_due_on") is not None:
            due = s["missed_due_on"].isoformat()
            zh = f"因监督审查逾期（应于 {due} 前完成），自 {start} 起暂停，至 {until} 止"
            en = f"suspended from {start} through {until}: surveillance overdue (due by {due})"
        else:
            zh = f"因{_zh(reason)}，自 {start} 起暂停，至 {until} 止"
            en = f"suspended from {start} through {until}: {_en(reason)}"
        struck = None
        if s["rescinded"]:
            struck = f"已于 {s['rescinded_on'].isoformat()} 撤回 / rescinded on " \
                     f"{s['rescinded_on'].isoformat()}"
        lines.append(_line(s["effective_on"], zh, en, s["automatic"], struck))
        if s.get("reinstated_on") is not None:
            day = s["reinstated_on"].isoformat()
            lines.append(_line(s["reinstated_on"], f"自 {day} 起恢复有效",
                               f"valid again from {day}", False))  # fmt: skip
    for w in certificate.withdrawals:
        day = w["effective_on"].isoformat()
        reason = WITHDRAWAL_REASONS.get(w["reason"], w["reason"])
        struck = None
        if w["rescinded"]:
            struck = f"已于 {w['rescinded_on'].isoformat()} 撤回 / rescinded on " \
                     f"{w['rescinded_on'].isoformat()}"
        zh, en = f"因{_zh(reason)}，自 {day} 起撤销", f"withdrawn from {day}: {_en(reason)}"
        lines.append(_line(w["effective_on"], zh, en, w["automatic"], struck))
    if certificate.expired_on is not None:
        day = certificate.expired_on.isoformat()
        lines.append(_line(certificate.expired_on, f"有效期届满，自 {day} 起过期",
                           f"expired from {day}", True))  # fmt: skip
    return sorted(lines, key=lambda line: line["on"])


def open_contradictions(certificate: Certificate) -> list[dict[str, Any]]:
    """The deadline actions a late entry contradicts that no one has rescinded yet."""
    out = []
    live = {("suspension", s["effective_on"]) for s in certificate.live_suspensions()}
    live |= {("withdrawal", w["effective_on"]) for w in certificate.withdrawals
             if not w["rescinded"]}  # fmt: skip
    for found in certificate.contradictions():
        key = (found["action"], found["action_effective_on"])
        if key not in live:
            continue
        zh, en = CONTRADICTED_BY[found["contradicted_by"]]
        action_zh = "暂停" if found["action"] == "suspension" else "撤销"
        out.append({
            "action": found["action"],
            "effective_on": found["action_effective_on"],
            "zh": f"期限作业自 {found['action_effective_on'].isoformat()} 起的{action_zh}："
                  f"{zh}" + (f"（{found['fact_on'].isoformat()}）" if found["fact_on"] else ""),
            "en": f"the deadline jobs' {found['action']} from "
                  f"{found['action_effective_on'].isoformat()}: {en}",
        })  # fmt: skip
    return out
