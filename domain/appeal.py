"""Appeals and complaints (ZPIC-WF-20 9), each answered within 60 days by people not involved.

An appeal (申诉) is an applicant's or client's objection to the process or a decision; a
complaint (投诉) may come from anyone. Each moves received → acknowledged → assigned →
(investigated) → resolved → notice sent, every step an event with who and when.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation
from domain.rulebook.dates import days_after, ensure_not_before

ANSWER_DAYS = 60
"""Ruling (9): an appeal or complaint is due within 60 calendar days of receipt."""

KINDS = {"appeal": "申诉 / appeal", "complaint": "投诉 / complaint"}
OUTCOMES = {
    "upheld": "成立 / upheld",
    "partly_upheld": "部分成立 / partly upheld",
    "rejected": "不成立 / rejected",
}
ESCALATION_BODIES = {
    "regulator": "认证监管部门 / the certification regulator (CNCA)",
    "accreditor": "认可机构 / the accreditation body (CNAS)",
}
STATUSES = ("received", "acknowledged", "assigned", "investigating", "resolved", "closed")


def due_on(received_on: date) -> date:
    """Ruling (9): received_on + 60 calendar days."""
    return days_after(received_on, ANSWER_DAYS)


def _refuse(code: str, clause: str, zh: str, en: str) -> RuleViolation:
    return RuleViolation(f"{zh} / {en}", code=code, clause=f"ZPIC-WF-20 {clause}")


def ensure_received_after_subject(
    received_on: date,
    decided_on: date | None = None,
    certificate_granted_on: date | None = None,
    application_received_on: date | None = None,
) -> None:
    """Ruling (rules.md §12 "Appeals", clause 9): what an appeal objects to came first, so it
    is received on or after the date of its subject:

    - a decision named: the day the decision was made (``decided_on``);
    - a certificate named: the day of the decision that first granted it; a later decision on
      it (a recertification, a suspension) is not the floor, since an objection may concern any
      time of the certificate's life since then;
    - an application named alone: the day the application was received; not the day of a
      decision on it, since an appeal may object to the application's handling (its review,
      a supplement asked for) before any decision was made.

    Each date is compared that is known; a refusal names the subject and its date (409). A
    complaint (投诉) is not held to this: it may come from anyone about anything and names a
    record only for context, so it is recorded as received.
    """
    floors = (
        (decided_on, "appeal_before_decision", "所申诉的认证决定", "the decision objected to"),
        (
            certificate_granted_on,
            "appeal_before_decision",
            "颁发该证书的认证决定",
            "the decision that granted the certificate",
        ),
        (
            application_received_on,
            "appeal_before_application",
            "该认证申请的受理",
            "the receipt of the application",
        ),
    )
    for floor, code, zh, en in floors:
        if floor is not None and received_on < floor:
            raise _refuse(
                code,
                "9",
                f"收到日期 {received_on.isoformat()} 早于{zh}（{floor.isoformat()}），"
                "申诉不能早于其对象",
                f"received on {received_on.isoformat()}, before {en} "
                f"({floor.isoformat()}): an appeal cannot precede what it objects to",
            )


class Appeal(Aggregate):
    """One appeal or complaint, from receipt to the written notice."""

    class Received(Aggregate.Created):
        """The appeal or complaint was received (9.1)."""

        kind: str
        subject: dict[str, str | None]
        organization_uscc: str | None
        appellant: dict[str, str]
        received_on: date
        due_on: date
        text: str
        by: str

    class Acknowledged(Aggregate.Event):
        """Receipt was acknowledged to the appellant."""

        acknowledged_on: date
        by: str

    class Assigned(Aggregate.Event):
        """Handlers not involved in the subject were assigned (9.2)."""

        handler_ids: list[str]
        handler_names: list[str]
        assigned_on: date
        by: str

    class NoteRecorded(Aggregate.Event):
        """A handler recorded what the investigation found, with its evidence."""

        text: str
        evidence: list[str]
        noted_on: date
        by: str

    class Resolved(Aggregate.Event):
        """The handlers resolved it: upheld, partly upheld or rejected (9.2)."""

        outcome: str
        resolved_on: date
        notice: str
        corrective_action_ids: list[str]
        reopened_decision_id: str | None
        by: str

    class NoticeSent(Aggregate.Event):
        """The written notice of the resolution went to the appellant (9.2)."""

        sent_on: date
        by: str

    class Escalated(Aggregate.Event):
        """The appellant took the matter to the regulator or the accreditor (9.3)."""

        to: str
        escalated_on: date
        note: str
        by: str

    @event(Received)
    def __init__(
        self,
        kind: str,
        subject: dict[str, str | None],
        organization_uscc: str | None,
        appellant: dict[str, str],
        received_on: date,
        due_on: date,
        text: str,
        by: str,
    ) -> None:
        self.kind = kind
        self.subject = subject
        self.organization_uscc = organization_uscc
        self.appellant = appellant
        self.received_on = received_on
        self.due_on = due_on
        self.text = text
        self.received_by = by
        self.status = "received"
        self.acknowledged_on: date | None = None
        self.handlers: list[dict[str, str]] = []
        self.notes: list[dict[str, Any]] = []
        self.resolution: dict[str, Any] | None = None
        self.notice_sent_on: date | None = None
        self.escalations: list[dict[str, Any]] = []

    @classmethod
    def receive(
        cls,
        kind: str,
        subject: dict[str, str | None],
        organization_uscc: str | None,
        appellant: dict[str, str],
        received_on: date,
        text: str,
        by: str,
    ) -> Appeal:
        """Record an appeal or complaint; it is due 60 days after receipt."""
        if kind not in KINDS:
            raise InvalidInput("kind", f"未知类型 / unknown kind {kind!r}")
        if not text.strip():
            raise InvalidInput("text", "须写明申诉或投诉内容 / the text is required")
        return cls(
            kind=kind,
            subject=subject,
            organization_uscc=organization_uscc,
            appellant=appellant,
            received_on=received_on,
            due_on=due_on(received_on),
            text=text,
            by=by,
        )

    @property
    def is_open(self) -> bool:
        """Open until the written notice has gone out."""
        return self.status != "closed"

    def _require(self, *statuses: str, action: tuple[str, str]) -> None:
        if self.status not in statuses:
            raise _refuse(
                f"appeal_{self.status}",
                "9.2",
                f"当前状态为 {self.status}，不能{action[0]}",
                f"an appeal that is {self.status} cannot be {action[1]}",
            )

    def acknowledge(self, acknowledged_on: date, by: str) -> None:
        """Acknowledge receipt."""
        self._require("received", action=("确认受理", "acknowledged"))
        ensure_not_before("acknowledged_on", acknowledged_on, "received_on", self.received_on)
        self._acknowledged(acknowledged_on=acknowledged_on, by=by)

    @event(Acknowledged)
    def _acknowledged(self, acknowledged_on: date, by: str) -> None:
        self.status = "acknowledged"
        self.acknowledged_on = acknowledged_on

    def assign(self, handlers: list[dict[str, str]], assigned_on: date, by: str) -> None:
        """Assign handlers (the caller has checked they were not involved in the subject)."""
        self._require("acknowledged", "assigned", action=("指派处理人", "assigned"))
        if not handlers:
            raise InvalidInput("handler_ids", "至少指派一名处理人 / assign at least one handler")
        assert self.acknowledged_on is not None
        ensure_not_before("assigned_on", assigned_on, "acknowledged_on", self.acknowledged_on)
        self._assigned(
            handler_ids=[h["id"] for h in handlers],
            handler_names=[h["name"] for h in handlers],
            assigned_on=assigned_on,
            by=by,
        )

    @event(Assigned)
    def _assigned(
        self, handler_ids: list[str], handler_names: list[str], assigned_on: date, by: str
    ) -> None:
        self.status = "assigned"
        self.handlers = [
            {"id": i, "name": n} for i, n in zip(handler_ids, handler_names, strict=True)
        ]
        self.assigned_on = assigned_on

    def is_handler(self, user_id: str) -> bool:
        """Whether the user is one of the assigned handlers."""
        return any(h["id"] == user_id for h in self.handlers)

    def _require_handler(self, user_id: str, admin: bool) -> None:
        if not admin and not self.is_handler(user_id):
            raise _refuse(
                "not_a_handler",
                "9.2",
                "只有指派的处理人可以调查和处理",
                "only the assigned handlers investigate and resolve",
            )

    def record_note(
        self, text: str, evidence: list[str], noted_on: date, by: str, admin: bool = False
    ) -> None:
        """A handler's investigation note, with the documents (sha256) it rests on."""
        self._require("assigned", "investigating", action=("记录调查", "investigated"))
        self._require_handler(by, admin)
        if not text.strip():
            raise InvalidInput("text", "调查记录不能为空 / the note is empty")
        ensure_not_before("noted_on", noted_on, "assigned_on", self.assigned_on)
        self._noted(text=text, evidence=evidence, noted_on=noted_on, by=by)

    @event(NoteRecorded)
    def _noted(self, text: str, evidence: list[str], noted_on: date, by: str) -> None:
        self.status = "investigating"
        self.notes.append({"text": text, "evidence": evidence, "noted_on": noted_on, "by": by})

    def resolve(
        self,
        outcome: str,
        resolved_on: date,
        notice: str,
        corrective_action_ids: list[str],
        reopened_decision_id: str | None,
        by: str,
        admin: bool = False,
    ) -> None:
        """Resolve it (after acknowledgement and assignment): upheld, partly upheld, rejected."""
        if outcome not in OUTCOMES:
            raise InvalidInput("outcome", f"未知结论 / unknown outcome {outcome!r}")
        self._require("assigned", "investigating", action=("作出处理结论", "resolved"))
        self._require_handler(by, admin)
        if not notice.strip():
            raise InvalidInput("notice", "须写明给申诉人的书面答复 / the notice text is required")
        ensure_not_before("resolved_on", resolved_on, "assigned_on", self.assigned_on)
        self._resolved(
            outcome=outcome,
            resolved_on=resolved_on,
            notice=notice,
            corrective_action_ids=corrective_action_ids,
            reopened_decision_id=reopened_decision_id,
            by=by,
        )

    @event(Resolved)
    def _resolved(
        self,
        outcome: str,
        resolved_on: date,
        notice: str,
        corrective_action_ids: list[str],
        reopened_decision_id: str | None,
        by: str,
    ) -> None:
        self.status = "resolved"
        self.resolution = {
            "outcome": outcome,
            "resolved_on": resolved_on,
            "notice": notice,
            "corrective_action_ids": corrective_action_ids,
            "reopened_decision_id": reopened_decision_id,
            "by": by,
        }

    def send_notice(self, sent_on: date, by: str) -> None:
        """Record that the written notice went to the appellant; the case closes."""
        self._require("resolved", action=("发送书面通知", "notified"))
        assert self.resolution is not None
        ensure_not_before("sent_on", sent_on, "resolved_on", self.resolution["resolved_on"])
        self._notice_sent(sent_on=sent_on, by=by)

    @event(NoticeSent)
    def _notice_sent(self, sent_on: date, by: str) -> None:
        self.status = "closed"
        self.notice_sent_on = sent_on

    def escalate(self, to: str, escalated_on: date, note: str, by: str) -> None:
        """Record the appellant's escalation to the regulator or the accreditor (9.3)."""
        if to not in ESCALATION_BODIES:
            raise InvalidInput("to", f"未知机构 / unknown body {to!r}")
        ensure_not_before("escalated_on", escalated_on, "received_on", self.received_on)
        self._escalated(to=to, escalated_on=escalated_on, note=note, by=by)

    @event(Escalated)
    def _escalated(self, to: str, escalated_on: date, note: str, by: str) -> None:
        self.escalations.append({"to": to, "escalated_on": escalated_on, "note": note, "by": by})
